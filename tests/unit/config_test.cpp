#include "core/config.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "core/error.hpp"

using namespace wfa;

namespace {

/// ScratchFile is a config file in /tmp removed on destruction.
struct ScratchFile {
  std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("wfa-config-" + std::to_string(getpid()) + ".toml");
  explicit ScratchFile(const std::string& text) { std::ofstream(path) << text; }
  ~ScratchFile() { std::filesystem::remove(path); }
};

EnvLookup fake_env(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

}  // namespace

TEST(Config, FlagBeatsEnvironmentBeatsFileBeatsDefault) {
  ScratchFile file("output = \"csv\"\nactor = 'file'\ndata_dir = \"/file\"\nquiet = true\n");
  auto env = fake_env(
      {{"WFA_CONFIG", file.path.string()}, {"WFA_ACTOR", "env"}, {"WFA_DATA_DIR", "/env"}, {"HOME", "/home/x"}});
  auto config = Config::load({{"data_dir", "/flag"}}, env);
  EXPECT_EQ(config.value("data_dir"), "/flag");
  EXPECT_EQ(config.get("data_dir").source, "flag --data-dir");
  EXPECT_EQ(config.value("actor"), "env");
  EXPECT_EQ(config.get("actor").source, "env WFA_ACTOR");
  EXPECT_EQ(config.value("output"), "csv");
  EXPECT_EQ(config.get("output").source, "file " + file.path.string() + ":1");
  EXPECT_TRUE(config.flag("quiet"));
  EXPECT_EQ(config.get("database_url").source, "default");
  EXPECT_FALSE(config.get("database_url").is_set);
}

TEST(Config, DatabaseUrlFallsBackToDatabaseUrlVariable) {
  auto config = Config::load({}, fake_env({{"DATABASE_URL", "postgresql://a@b/c"}, {"HOME", "/nonexistent-home"}}));
  EXPECT_EQ(config.value("database_url"), "postgresql://a@b/c");
  EXPECT_EQ(config.get("database_url").source, "env DATABASE_URL");
  auto both =
      Config::load({}, fake_env({{"DATABASE_URL", "x"}, {"WFA_DATABASE_URL", "y"}, {"HOME", "/nonexistent-home"}}));
  EXPECT_EQ(both.value("database_url"), "y");
}

TEST(Config, MissingExplicitFileIsAUsageError) {
  try {
    Config::load({{"config", "/nonexistent/wfa.toml"}}, fake_env({}));
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::usage);
  }
  EXPECT_NO_THROW(Config::load({}, fake_env({{"HOME", "/nonexistent-home"}}))) << "a missing default file is fine";
}

TEST(Config, FileErrorsNameFileAndLine) {
  struct Case {
    std::string text;
    std::string expect;
  };
  for (const auto& c : std::vector<Case>{{"output = \"json\"\nbogus = 1\n", ":2: unknown setting 'bogus'"},
                                         {"\n\noutput = json\n", ":3:"},
                                         {"output\n", ":1:"},
                                         {"[db\n", ":1:"},
                                         {"output = \"unterminated\n", ":1:"},
                                         {"quiet = true\noutput = [\"json\"]\n", ":2: value of 'output' is not"},
                                         {"quiet = 1.5\n", ":1: value of 'quiet' is not"},
                                         {"[a.b]\nc = 1\n", ":1: unknown setting 'a.b'"},
                                         {"output = \"json\"\noutput = \"csv\"\n", ":2:"}}) {
    ScratchFile file(c.text);
    try {
      parse_config_file(file.path);
      ADD_FAILURE() << "accepted: " << c.text;
    } catch (const Error& e) {
      EXPECT_EQ(e.category(), ErrorCategory::invalid_input);
      EXPECT_NE(std::string(e.what()).find(file.path.string() + c.expect), std::string::npos) << e.what();
    }
  }
}

TEST(Config, ParsesStringsNumbersBooleansAndComments) {
  ScratchFile file(
      "# comment\noutput = \"js\\\"on\"  # quoted, then a comment\nquiet = false # trailing\npg-user = 'svc'\n");
  auto values = parse_config_file(file.path);
  EXPECT_EQ(values["output"].first, "js\"on");
  EXPECT_EQ(values["quiet"].first, "false");
  EXPECT_EQ(values["pg_user"].first, "svc") << "dashes in keys mean underscores";
  EXPECT_EQ(values["pg_user"].second, 4);
}

TEST(Config, ReadsTomlAsTheSpecificationSaysNotASubset) {
  ScratchFile file(
      "\"output\" = \"Ren\\u00e9e\"\n"
      "pg_user = \"a\\rb\\\\c\"\n"
      "platform-domain = \"\"\"\nwfa.example\"\"\"\n"
      "data_dir = '''/srv/wfa'''\n");
  auto values = parse_config_file(file.path);
  EXPECT_EQ(values["output"].first, "Ren\u00e9e") << "\\u escapes decode; quoted keys work";
  EXPECT_EQ(values["pg_user"].first, "a\rb\\c") << "\\r is a carriage return, not r";
  EXPECT_EQ(values["platform_domain"].first, "wfa.example") << "multi-line basic strings drop the first newline";
  EXPECT_EQ(values["data_dir"].first, "/srv/wfa") << "multi-line literal strings";
}

TEST(Config, MasksSecrets) {
  EXPECT_EQ(mask_secret("database_url", "postgresql://u:pw@h:5432/db"), "postgresql://u:***@h:5432/db");
  EXPECT_EQ(mask_secret("database_url", "postgresql://u@h/db"), "postgresql://u@h/db");
  EXPECT_EQ(mask_secret("database_url", "host=h password=pw dbname=x"), "password=*** dbname=x host=h")
      << "rebuilt from libpq's parse, in its order";
  EXPECT_EQ(mask_secret("api_key", "sk_live_1234567890a1b2"), "sk_…a1b2");
  EXPECT_EQ(mask_secret("api_key", "short"), "…");
}

TEST(Config, ConnectionStringsNeverShowAPasswordInAnySpelling) {
  struct Case {
    std::string given, shown;
  } cases[] = {
      {"postgresql://host/db?password=s3cret", "postgresql://:***@host/db"},
      {"postgresql://u@host/db?sslmode=require&password=s3cret", "postgresql://u:***@host/db?sslmode=require"},
      {"postgres://u:s3cret@h1:5432,h2:5433/db", "postgres://u:***@h1:5432,h2:5433/db"},
      {"postgresql://u:s%33cret@[::1]:5432/db", "postgresql://u:***@[::1]:5432/db"},
      {"postgresql://u@%2Fvar%2Frun%2Fpostgresql/db", "postgresql://u@%2Fvar%2Frun%2Fpostgresql/db"},
      {"postgresql://u@h/db?sslpassword=k3y", "postgresql://u@h/db?sslpassword=***"},
      {"host=h password = s3cret", "password=*** host=h"},
      {"host=h password='my s3cret' dbname=x", "password=*** dbname=x host=h"},
      {"host=h password=\\'s3cret dbname='a b'", "password=*** dbname='a b' host=h"},
      {"host=h sslpassword=k3y user=u", "user=u host=h sslpassword=***"},
  };
  for (const auto& c : cases) {
    auto shown = mask_secret("database_url", c.given);
    EXPECT_EQ(shown, c.shown) << c.given;
    for (const char* secret : {"s3cret", "k3y", "s%33cret"})
      EXPECT_EQ(shown.find(secret), std::string::npos) << c.given << " -> " << shown;
  }
  for (const char* unreadable :
       {"host=h password='unterminated", "postgresql://u:pw@h/db?no_such_option=1", "host=h password"}) {
    auto shown = mask_secret("database_url", unreadable);
    EXPECT_EQ(shown, "(a connection string libpq cannot read)") << unreadable;
  }
}
