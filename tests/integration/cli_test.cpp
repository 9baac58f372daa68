// The process contract of the binary: exit codes, streams, config precedence, help.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <nlohmann/json.hpp>

#include "build_info.hpp"
#include "tests/support/test_cluster.hpp"

using namespace wfa;
using nlohmann::json;

TEST(Cli, VersionAndBareInvocation) {
  auto v = test::run_wfa({"--version"});
  EXPECT_EQ(v.exit_code, 0);
  EXPECT_EQ(v.out, std::string("wfa ") + build::version + "\n");
  auto bare = test::run_wfa({});
  EXPECT_EQ(bare.exit_code, 0);
  EXPECT_NE(bare.out.find("db"), std::string::npos);
}

TEST(Cli, UsageErrorsExitTwoWithOneLine) {
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{{"frobnicate"},
                                                                                    {"db", "status", "-o", "yaml"},
                                                                                    {"db"},
                                                                                    {"db", "migrate", "--no-such-flag"},
                                                                                    {"completion", "tcsh"}}) {
    auto r = test::run_wfa(args);
    EXPECT_EQ(r.exit_code, 2) << args[0] << ": " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_EQ(r.err.rfind("wfa: error: ", 0), 0u) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
  }
}

TEST(Cli, ParseErrorsAreSaidInWfasWordsNotCli11s) {
  struct Case {
    std::vector<std::string> args;
    std::string says;
  } cases[] = {
      {{"member", "list", "--workspace", "acme/main", "--limit", "abc"}, "--limit 'abc' is not a number"},
      {{"member", "list", "--workspace", "acme/main", "--workspace", "x"},
       "--workspace is given 2 times; give it once"},
      {{"member", "list", "--workspace"}, "--workspace needs a value"},
      {{"workspace", "update", "acme/main", "--billing-exempt"}, "--billing-exempt needs a value: one of true, false"},
      {{"member", "list", "--workspace", "acme/main", "-o", "yaml"}, "--output 'yaml' is not one of table, wide"},
      {{"member", "list", "--workspace", "acme/main", "extra"}, "unexpected argument(s): extra"},
      {{"member", "add"}, "missing required argument EMAIL"},
      {{"membr", "list"}, "did you mean 'wfa member'?"},
  };
  for (const auto& c : cases) {
    auto r = test::run_wfa(c.args);
    EXPECT_EQ(r.exit_code, 2) << c.args[0] << ": " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_NE(r.err.find(c.says), std::string::npos) << r.err;
    for (const char* cli11 : {"At Most", "required but received", "Could not convert", "TEXT", "INT", " not in {"})
      EXPECT_EQ(r.err.find(cli11), std::string::npos) << cli11 << " in " << r.err;
  }
}

TEST(Cli, GlobalFlagsWorkBeforeAndAfterTheCommand) {
  auto before = test::run_wfa({"-q", "-o", "csv", "config", "show"});
  EXPECT_EQ(before.exit_code, 0) << before.err;
  EXPECT_EQ(before.out.rfind("key,value\r\n", 0), 0u) << before.out;
  auto after = test::run_wfa({"config", "show", "-q", "--output=csv"});
  EXPECT_EQ(after.exit_code, 0) << after.err;
  EXPECT_EQ(after.out, before.out);
}

TEST(Cli, BadOutputFromEnvironmentIsAUsageError) {
  auto r = test::run_wfa({"config", "show"}, {{"WFA_OUTPUT", "yaml"}});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("WFA_OUTPUT"), std::string::npos) << r.err;
}

TEST(Cli, ErrorsAreJsonWhenTheOutputIsJsonFromAnySource) {
  auto r = test::run_wfa({"help", "nonsense"}, {{"WFA_OUTPUT", "json"}});
  EXPECT_EQ(r.exit_code, 2);
  auto doc = json::parse(r.err);
  EXPECT_EQ(doc["error"]["category"], "usage");
  EXPECT_EQ(doc["error"]["exit_code"], 2);
  EXPECT_NE(doc["error"]["message"].get<std::string>().find("nonsense"), std::string::npos);
}

TEST(Cli, ConfigPrecedenceIsFlagThenEnvThenFileThenDefault) {
  test::TempDir dir;
  auto file = dir.path() / "config.toml";
  std::ofstream(file) << "# test config\noutput = \"csv\"\nactor = \"file-actor\"\ndata_dir = '/from/file'\n";
  std::map<std::string, std::string> env = {
      {"WFA_CONFIG", file.string()}, {"WFA_ACTOR", "env-actor"}, {"WFA_DATA_DIR", "/from/env"}};
  auto r = test::run_wfa({"config", "show", "--sources", "-o", "json", "--data-dir", "/from/flag"}, env);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::map<std::string, std::pair<std::string, std::string>> settings;
  auto doc = json::parse(r.out);
  for (const auto& row : doc["settings"])
    settings[row["key"].get<std::string>()] = {row["value"].is_null() ? "" : row["value"].get<std::string>(),
                                               row["source"].get<std::string>()};
  EXPECT_EQ(settings["data_dir"].first, "/from/flag");
  EXPECT_EQ(settings["data_dir"].second, "flag --data-dir");
  EXPECT_EQ(settings["actor"].first, "env-actor");
  EXPECT_EQ(settings["actor"].second, "env WFA_ACTOR");
  EXPECT_EQ(settings["output"].first, "json") << "the flag beats the file";
  auto from_file = test::run_wfa({"config", "show", "--sources"}, {{"WFA_CONFIG", file.string()}});
  EXPECT_EQ(from_file.out.rfind("config_file,config_file_exists\r\n", 0), std::string::npos);
  EXPECT_NE(from_file.out.find("key,value,source\r\n"), std::string::npos)
      << "output = csv came from the file: " << from_file.out;
  EXPECT_NE(from_file.out.find(file.string() + ":3"), std::string::npos) << from_file.out;
}

TEST(Cli, MalformedConfigFileNamesFileAndLine) {
  test::TempDir dir;
  auto file = dir.path() / "config.toml";
  std::ofstream(file) << "output = \"json\"\nno_such_setting = 1\n";
  auto r = test::run_wfa({"config", "show"}, {{"WFA_CONFIG", file.string()}});
  EXPECT_EQ(r.exit_code, 6);
  EXPECT_NE(r.err.find(file.string() + ":2"), std::string::npos) << r.err;
}

TEST(Cli, SecretsAreMaskedInConfigShow) {
  auto r =
      test::run_wfa({"config", "show", "-o", "plain"}, {{"WFA_DATABASE_URL", "postgresql://u:hunter2@db.example/wfa"}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.find("hunter2"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("postgresql://u:***@db.example/wfa"), std::string::npos) << r.out;
  for (const char* url :
       {"postgresql://db.example/wfa?password=hunter2", "host=db.example password = hunter2",
        "host=db.example password='my hunter2'", "postgresql://u@db.example/wfa?sslpassword=hunter2"}) {
    auto shown = test::run_wfa({"config", "show", "-o", "json"}, {{"WFA_DATABASE_URL", url}});
    ASSERT_EQ(shown.exit_code, 0) << shown.err;
    EXPECT_EQ(shown.out.find("hunter2"), std::string::npos) << url << " -> " << shown.out;
    EXPECT_NE(shown.out.find("***"), std::string::npos) << url << " -> " << shown.out;
    auto refused =
        test::run_wfa({"partner", "list"}, {{"WFA_DATABASE_URL", std::string(url).find("://") != std::string::npos
                                                                     ? std::string(url) + "&connect_timeout=2"
                                                                     : std::string(url) + " connect_timeout=2"}});
    EXPECT_EQ(refused.err.find("hunter2"), std::string::npos) << "nor in the cannot-connect line: " << refused.err;
  }
}

TEST(Cli, HelpTopicsAndCompletion) {
  auto codes = test::run_wfa({"help", "exit-codes"});
  ASSERT_EQ(codes.exit_code, 0);
  for (const char* code : {" 0 ", " 1 ", " 2 ", " 3 ", " 4 ", " 5 ", " 6 ", " 7 ", " 8 ", " 9 ", " 10 ", " 130 "})
    EXPECT_NE(codes.out.find(code), std::string::npos) << code;
  auto migrate = test::run_wfa({"help", "db", "migrate"});
  EXPECT_EQ(migrate.exit_code, 0);
  EXPECT_NE(migrate.out.find("--dry-run"), std::string::npos) << migrate.out;
  EXPECT_EQ(test::run_wfa({"help", "nonsense"}).exit_code, 2);
  auto completion = test::run_wfa({"completion", "bash"});
  ASSERT_EQ(completion.exit_code, 0);
  EXPECT_NE(completion.out.find("complete -F _wfa wfa"), std::string::npos);
  EXPECT_NE(completion.out.find("\"db\") words=\""), std::string::npos);
  ProcessOptions bash_check;
  bash_check.stdin_data = completion.out;
  auto syntax = run_process({"bash", "-n"}, bash_check);
  EXPECT_EQ(syntax.exit_code, 0) << syntax.err;
}

TEST(Cli, BashCompletionOffersNounsVerbsFlagsAndEnumValuesOnceEach) {
  auto script = test::run_wfa({"completion", "bash"}).out;
  std::istringstream lines(script);
  for (std::string line; std::getline(lines, line);) {
    auto open = line.find("words=\"");
    if (open == std::string::npos) continue;
    std::istringstream words(line.substr(open + 7, line.rfind('"') - open - 7));
    std::set<std::string> seen;
    for (std::string w; words >> w;) EXPECT_TRUE(seen.insert(w).second) << "twice: " << w << " in " << line;
  }
  // complete runs the generated function on a command line whose last word is being typed.
  auto complete = [&](const std::string& typed) {
    ProcessOptions options;
    options.stdin_data = script + "COMP_WORDS=(" + typed + ")\nCOMP_CWORD=$((${#COMP_WORDS[@]} - 1))\n" +
                         "[ \"${typed: -1}\" = ' ' ] && COMP_CWORD=${#COMP_WORDS[@]}\n_wfa\necho \"${COMPREPLY[*]}\"\n";
    auto r = run_process({"bash", "-c", "typed=\"$0\"; source /dev/stdin", typed}, options);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out.substr(0, r.out.find('\n'));
  };
  EXPECT_EQ(complete("wfa mem"), "member");
  EXPECT_EQ(complete("wfa member ad"), "add");
  EXPECT_EQ(complete("wfa location photo add DXB-001 --workspace acme/main --finish "), "gold silver");
  EXPECT_EQ(complete("wfa location photo add DXB-001 --workspace acme/main --time-of-day n"), "night");
  EXPECT_EQ(complete("wfa -o j"), "json");
  EXPECT_EQ(complete("wfa member list --workspace acme/main -o w"), "wide");
  EXPECT_EQ(complete("wfa member add ivy@x.test --workspace acme/main --r"), "--role --raw");
  EXPECT_EQ(complete("wfa invite list --status ex"), "expired");
}
