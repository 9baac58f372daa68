// Command lines people mistype: bytes that are not UTF-8 are one line naming the option (exit 6), and a mistyped
// noun or verb gets a suggestion (exit 2).
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "tests/support/integration_fixture.hpp"

using namespace wfa;

TEST(CliInput, TextThatIsNotUtf8IsRefusedNamingTheOption) {
  test::IntegrationFixture f;
  f.add_partner("acme", "Acme");
  auto before = f.value("SELECT count(*) FROM workspaces");
  auto r = f.run({"workspace", "create", "main", "--partner", "acme", "--name", "Caf\xe9"});
  EXPECT_EQ(r.exit_code, 6) << r.err;
  EXPECT_NE(r.err.find("--name is not valid UTF-8"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  auto joined = f.run({"workspace", "create", "main", "--partner", "acme", "--name=Caf\xe9"});
  EXPECT_NE(joined.err.find("--name is not valid UTF-8"), std::string::npos) << joined.err;
  EXPECT_EQ(f.value("SELECT count(*) FROM workspaces"), before);
}

TEST(CliInput, AMistypedNounOrVerbGetsASuggestion) {
  test::IntegrationFixture f;
  auto noun = f.run({"wrokspace", "list"});
  EXPECT_EQ(noun.exit_code, 2);
  EXPECT_NE(noun.err.find("did you mean 'wfa workspace'?"), std::string::npos) << noun.err;
  auto verb = f.run({"workspace", "lsit"});
  EXPECT_EQ(verb.exit_code, 2);
  EXPECT_NE(verb.err.find("did you mean 'wfa workspace list'?"), std::string::npos) << verb.err;
  auto far = f.run({"zzzzzz"});
  EXPECT_NE(far.err.find("available: "), std::string::npos) << far.err;
}

TEST(CliInput, EveryLeafsHelpShowsTheGlobalOptions) {
  test::IntegrationFixture f;
  for (const std::vector<std::string> leaf : {std::vector<std::string>{"workspace", "show", "--help"},
                                              {"perm", "profile", "grant", "--help"},
                                              {"user", "list", "--help"}}) {
    auto r = f.run(leaf);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("Global options"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("--as EMAIL"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("-o, --output FORMAT"), std::string::npos) << r.out;
  }
}
