// Docs are tested: every command and option of the live tree appears in its man page.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "cli/app_cli.hpp"
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
