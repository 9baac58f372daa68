// Docs are tested: every command and option of the live tree appears in its man page.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "cli/app_cli.hpp"
#include "cli/examples.hpp"
#include "core/config.hpp"
#include "core/error.hpp"
#include "tests/support/test_cluster.hpp"

using namespace wfa;

namespace {

std::string read_page(const std::string& name) {
  std::ifstream in(test::source_dir() / "man" / name);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

/// roff escapes '-' as '\-'; undo it so searches use the plain spelling.
std::string unescape(std::string page) {
  std::string out;
  for (std::size_t i = 0; i < page.size(); ++i) {
    if (page[i] == '\\' && i + 1 < page.size() && page[i + 1] == '-') continue;
    out += page[i];
  }
  return out;
}

void walk(CLI::App* command, const std::string& path, const std::function<void(CLI::App*, const std::string&)>& visit) {
  visit(command, path);
  for (auto* sub : command->get_subcommands(nullptr)) walk(sub, path + " " + sub->get_name(), visit);
}

struct Tree {
  GlobalFlags flags;
  Dispatch dispatch;
  std::unique_ptr<CLI::App> app = build_app(flags, dispatch);
};

}  // namespace

TEST(ManPages, EveryTopLevelCommandHasAPageThatDocumentsItsSubcommandsAndOptions) {
  Tree tree;
  for (auto* noun : tree.app->get_subcommands(nullptr)) {
    auto page_name = "wfa-" + noun->get_name() + ".1";
    auto page = unescape(read_page(page_name));
    ASSERT_FALSE(page.empty()) << "man/" << page_name << " is missing";
    EXPECT_NE(page.find(".TH WFA-" +
                        [&] {
                          std::string upper = noun->get_name();
                          for (auto& c : upper) c = static_cast<char>(toupper(c));
                          return upper;
                        }()),
              std::string::npos)
        << page_name << " lacks its .TH header";
    walk(noun, "wfa " + noun->get_name(), [&](CLI::App* command, const std::string& path) {
      EXPECT_NE(page.find(path), std::string::npos) << page_name << " does not mention '" << path << "'";
      for (const auto* opt : command->get_options()) {
        for (const auto& name : opt->get_lnames()) {
          if (name == "help") continue;
          EXPECT_NE(page.find("--" + name), std::string::npos) << page_name << " lacks --" << name << " of " << path;
        }
        bool positional = opt->get_lnames().empty() && opt->get_snames().empty();
        if (positional) {
          EXPECT_NE(page.find(opt->get_name()), std::string::npos)
              << page_name << " lacks argument " << opt->get_name() << " of " << path;
        }
      }
    });
  }
}

TEST(ManPages, WfaPageDocumentsGlobalOptionsEnvironmentAndExitCodes) {
  Tree tree;
  auto page = unescape(read_page("wfa.1"));
  ASSERT_FALSE(page.empty());
  for (const auto* opt : tree.app->get_options())
    for (const auto& name : opt->get_lnames())
      EXPECT_NE(page.find("--" + name), std::string::npos) << "wfa.1 lacks --" << name;
  for (const auto& s : Config::settings())
    for (const auto& env : s.env_names) EXPECT_NE(page.find(env), std::string::npos) << "wfa.1 lacks " << env;
  for (const auto& info : exit_code_table())
    EXPECT_NE(page.find(".B " + std::to_string(exit_code(info.category)) + "\n"), std::string::npos)
        << "wfa.1 lacks exit code " << exit_code(info.category);
  for (auto* noun : tree.app->get_subcommands(nullptr))
    EXPECT_NE(page.find("wfa-" + noun->get_name() + "(1)"), std::string::npos)
        << "wfa.1 does not refer to wfa-" << noun->get_name();
}

namespace {

/// shell_words splits an example as a POSIX shell would for these simple lines: spaces, and '...' quoting.
std::vector<std::string> shell_words(std::string_view line) {
  std::vector<std::string> words;
  std::string word;
  bool quoted = false, any = false;
  for (char c : line) {
    if (c == '\'') {
      quoted = !quoted;
      any = true;
    } else if (c == ' ' && !quoted) {
      if (any) words.push_back(word);
      word.clear();
      any = false;
    } else {
      word += c;
      any = true;
    }
  }
  if (any) words.push_back(word);
  return words;
}

}  // namespace

TEST(HelpExamples, EveryLeafCommandShowsOneExampleThatTheLiveTreeAccepts) {
  Tree tree;
  int leaves = 0;
  for (auto* noun : tree.app->get_subcommands(nullptr)) {
    walk(noun, noun->get_name(), [&](CLI::App* command, const std::string& path) {
      if (!command->get_subcommands(nullptr).empty()) return;
      ++leaves;
      auto example = std::string(example_for(path));
      ASSERT_FALSE(example.empty()) << "no example for 'wfa " << path << "'";
      EXPECT_NE(command->get_footer().find("Example:\n  " + example + "\n"), std::string::npos) << path;
      auto words = shell_words(example);
      ASSERT_GE(words.size(), 2u) << example;
      EXPECT_EQ(words[0], "wfa");
      auto redirect = std::find(words.begin(), words.end(), ">");
      words.erase(redirect, words.end());
      std::string joined;
      for (std::size_t i = 1; i < words.size() && i <= shell_words(path).size(); ++i)
        joined += (i > 1 ? " " : "") + words[i];
      EXPECT_EQ(joined, path) << "the example runs another command: " << example;
      Tree fresh;
      std::vector<std::string> args(words.rbegin(), words.rend() - 1);  // CLI11 takes them reversed
      try {
        fresh.app->parse(args);
      } catch (const CLI::ParseError& e) {
        ADD_FAILURE() << "'" << example << "' does not parse: " << e.what();
      }
      EXPECT_TRUE(static_cast<bool>(fresh.dispatch.action)) << example << " selects no command";
    });
  }
  EXPECT_GT(leaves, 100);
}
