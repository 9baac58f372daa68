// One rule for every name a user gives, whatever the noun: not blank, one line, at most 200 characters (code
// points, not bytes), no control characters; refused with exit 6 naming the flag, and nothing stored.
#include "tests/integration/member_access_fixture.hpp"

using namespace wfa;
using access_test::AccessFixture;

namespace {

/// verbs are the commands that take a name, with NAME where it goes and the field the refusal names.
struct NamedVerb {
  std::vector<std::string> args;
  std::string field;
  int blank_exit = 6;  ///< a request's blank field is a missing one (2)
};

std::vector<NamedVerb> verbs() {
  const std::string w = "acme/main";
  return {
      {{"partner", "create", "gamma", "--name", "NAME"}, "--name"},
      {{"partner", "create", "delta", "--name", "Delta", "--company-name", "NAME"}, "--company-name"},
      {{"partner", "update", "acme", "--name", "NAME"}, "--name"},
      {{"workspace", "create", "lab", "--partner", "acme", "--name", "NAME"}, "--name"},
      {{"workspace", "update", w, "--name", "NAME"}, "--name"},
      {{"campaign", "create", "NAME", "--workspace", w}, "NAME"},
      {{"user", "update", "member@acme.test", "--first-name", "NAME"}, "--first-name"},
      {{"user", "update", "member@acme.test", "--last-name", "NAME"}, "--last-name"},
      {{"perm", "profile", "create", "NAME", "--workspace", w}, "NAME"},
      {{"perm", "set", "create", "NAME", "--workspace", w}, "NAME"},
      {{"perm", "team", "create", "NAME", "--workspace", w}, "NAME"},
      {{"location", "add", "DXB-001", "--workspace", w, "--name", "NAME"}, "location DXB-001"},
      {{"partner", "request", "submit", "--company", "NAME", "--contact-name", "Gi", "--contact-email",
        "gi@gamma.example", "--subdomain", "gamma"},
       "--company",
       2},
      {{"partner", "request", "submit", "--company", "Gamma", "--contact-name", "NAME", "--contact-email",
        "gi@gamma.example", "--subdomain", "gamma"},
       "--contact-name",
       2},
  };
}

std::vector<std::string> with_name(std::vector<std::string> args, const std::string& name) {
  for (auto& a : args)
    if (a == "NAME") a = name;
  return args;
}

std::string repeated(const std::string& unit, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += unit;
  return out;
}

}  // namespace

TEST(NameRules, EveryNameIsOneLineOfAtMost200CharactersAndNotBlank) {
  AccessFixture f;
  auto before = f.counts();
  struct Bad {
    std::string name, says;
  } bad[] = {
      {repeated("a", 201), "is longer than 200 characters"}, {repeated("\u00e9", 201), "is longer than 200 characters"},
      {"Acme\x1b[31m", "contains a control character"},      {"Acme\nDental", "contains a control character"},
      {"Acme\u0085", "contains a control character"},
  };
  for (const auto& verb : verbs()) {
    std::string line;
    for (const auto& a : verb.args) line += a + " ";
    for (const auto& b : bad) {
      auto r = f.run(with_name(verb.args, b.name));
      EXPECT_EQ(r.exit_code, 6) << line << r.err;
      EXPECT_EQ(test::lines(r.err), 1u) << line << r.err;
      EXPECT_NE(r.err.find(verb.field), std::string::npos) << line << "names the field: " << r.err;
      EXPECT_NE(r.err.find(b.says), std::string::npos) << line << r.err;
    }
    auto blank = f.run(with_name(verb.args, "   "));
    EXPECT_EQ(blank.exit_code, verb.blank_exit) << line << blank.err;
    EXPECT_NE(blank.err.find(verb.blank_exit == 6 ? "empty" : "missing"), std::string::npos) << line << blank.err;
  }
  EXPECT_EQ(f.counts(), before);
}

TEST(NameRules, TwoHundredCharactersInAnyScriptAreAccepted) {
  AccessFixture f;
  // 200 code points of Arabic are 400 bytes: the limit counts characters, as people and the database do.
  auto arabic = repeated("\u0639", 200);
  for (const auto& verb : verbs()) {
    if (verb.args[0] == "partner" && verb.args[1] == "request") continue;  // one request per subdomain
    auto r = f.run(with_name(verb.args, arabic));
    std::string line;
    for (const auto& a : verb.args) line += a + " ";
    EXPECT_EQ(r.exit_code, 0) << line << r.err;
  }
}
