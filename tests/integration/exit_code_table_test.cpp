// The exit-code table held across verbs: a malformed id is 6 and an unknown value of an enum-valued option is 2,
// each said in one wfa line that names what was wrong, and neither changes a row.
#include "tests/integration/member_access_fixture.hpp"

using namespace wfa;
using access_test::AccessFixture;

namespace {

struct Refusal {
  std::vector<std::string> args;
  std::string names;  ///< what the one line must quote
};

void expect_refused(AccessFixture& f, const std::vector<Refusal>& table, int code) {
  auto before = f.counts();
  for (const auto& row : table) {
    std::string line;
    for (const auto& a : row.args) line += a + " ";
    auto r = f.run(row.args);
    EXPECT_EQ(r.exit_code, code) << line << r.err;
    EXPECT_EQ(test::lines(r.err), 1u) << line << r.err;
    EXPECT_EQ(r.err.rfind("wfa: error: ", 0), 0u) << line << r.err;
    EXPECT_NE(r.err.find(row.names), std::string::npos) << line << "names " << row.names << ": " << r.err;
    EXPECT_EQ(r.out, "") << line;
  }
  EXPECT_EQ(f.counts(), before);
}

}  // namespace

TEST(ExitCodeTable, AMalformedIdIsInvalidInputInEveryVerbThatTakesOne) {
  AccessFixture f;
  const std::string w = "acme/main";
  expect_refused(f,
                 {
                     {{"audit", "show", "nope"}, "nope"},
                     {{"partner", "request", "show", "nope"}, "nope"},
                     {{"partner", "request", "approve", "nope"}, "nope"},
                     {{"partner", "request", "reject", "nope", "--reason", "no"}, "nope"},
                     {{"partner", "provision", "nope"}, "nope"},
                     {{"invite", "resend", "nope"}, "nope"},
                     {{"invite", "revoke", "nope"}, "nope"},
                     {{"perm", "share", "campaign:nope", "--user", "admin@acme.test", "--level", "read", "--workspace",
                       w},
                      "nope"},
                     {{"perm", "shares", "location:nope", "--workspace", w}, "nope"},
                     {{"perm", "unshare", "location:nope", "--user", "admin@acme.test", "--workspace", w}, "nope"},
                     {{"perm", "owner", "show", "rate_card:nope", "--workspace", w}, "nope"},
                     {{"perm", "shares", "lead:1", "--workspace", w}, "is not a lead id"},
                     {{"campaign", "create", "Spring", "--workspace", w, "--agent", "nope"}, "nope"},
                 },
                 6);
}

TEST(ExitCodeTable, AnUnknownEnumValueIsAUsageErrorInEveryOptionThatTakesOne) {
  AccessFixture f;
  const std::string w = "acme/main";
  const std::string c = "8d0e6c1a-1111-4a5b-9c3d-2e4f6a7b8c9d";
  auto photo = f.file("day.jpg", "not read: the value is refused first");
  expect_refused(
      f,
      {
          {{"campaign", "list", "--status", "sleeping"}, "--status 'sleeping' is not one of draft"},
          {{"campaign", "recipients", "list", c, "--status", "sleeping"}, "'sleeping' is not one of pending"},
          {{"partner", "request", "list", "--status", "sleeping"}, "'sleeping' is not one of pending"},
          {{"invite", "list", "--workspace", w, "--status", "sleeping"}, "'sleeping' is not one of pending"},
          {{"workspace", "update", w, "--status", "sleeping"}, "'sleeping' is not one of active, suspended"},
          {{"workspace", "update", w, "--billing-exempt", "maybe"}, "'maybe' is not one of true, false"},
          {{"location", "add", "DXB-001", "--workspace", w, "--name", "One", "--type", "neon"}, "'neon'"},
          {{"location", "list", "--workspace", w, "--type", "neon"}, "'neon'"},
          {{"location", "photo", "add", "DXB-001", photo, "--workspace", w, "--time-of-day", "dusk", "--finish",
            "gold"},
           "--time-of-day 'dusk' is not one of day, night"},
          {{"mockup", "generate", "DXB-001", "--workspace", w, "--creative", photo, "--finish", "bronze"},
           "--finish 'bronze'"},
          {{"mockup", "frame", "show", "DXB-001", "--workspace", w, "--photo", "dusk-gold"}, "'dusk-gold'"},
          {{"perm", "share", "campaign:" + c, "--user", "admin@acme.test", "--level", "admin", "--workspace", w},
           "--level 'admin'"},
          {{"member", "list", "--workspace", w, "-o", "yaml"}, "'yaml'"},
      },
      2);
}
