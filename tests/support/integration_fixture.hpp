#pragma once
/// The one integration-test fixture: a fresh database and a private directory, the binary run against them
/// (run, run_json), the database read and written (count, counts, value, exec, sql), the tenants most tests
/// seed, and in-process Sessions on the same database for calling run_* and rule functions directly.
#include <gtest/gtest.h>

#include <functional>
#include <iosfwd>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <pqxx/result>

#include "core/config.hpp"
#include "core/error.hpp"
#include "core/result.hpp"
#include "core/session.hpp"
#include "tests/support/test_cluster.hpp"

namespace wfa {

/// PrintTo names an ErrorCategory in gtest's failure messages.
void PrintTo(ErrorCategory category, std::ostream* os);

}  // namespace wfa

namespace wfa::test {

/// IntegrationFixture is one test's world; a noun fixture derives from it to seed its data.
struct IntegrationFixture {
  TestDatabase db;
  TempDir dir;
  /// env is what run() passes to the binary (the caller's WFA_* are cleared); tests may change it.
  std::map<std::string, std::string> env{{"WFA_DATABASE_URL", db.url()},
                                         {"WFA_DATABASE_OWNER_URL", db.owner_url()},
                                         {"WFA_SERVE_DATABASE_URL", db.serve_url()},
                                         {"WFA_DATA_DIR", dir.path().string()}};
  /// counted_tables are what counts() counts: the tables the tested commands may write.
  std::vector<std::string> counted_tables;

  IntegrationFixture() = default;
  explicit IntegrationFixture(std::vector<std::string> counted) : counted_tables(std::move(counted)) {}
  IntegrationFixture(const IntegrationFixture&) = delete;
  IntegrationFixture& operator=(const IntegrationFixture&) = delete;

  /// run runs the binary with ARGS and env.
  ProcessResult run(const std::vector<std::string>& args, const std::string& stdin_data = "");
  /// run_json runs ARGS with -o json, expects EXIT, and parses stdout (null when it is empty or not JSON).
  nlohmann::json run_json(std::vector<std::string> args, int exit = 0);

  /// count is SELECT count(*) FROM TABLE.
  long count(const std::string& table);
  /// counts maps each of counted_tables to its row count; compared before and after to prove "nothing changed".
  std::map<std::string, long> counts();
  /// value runs a one-value query (test SQL) and returns it as text; "" for NULL or no row.
  std::string value(const std::string& sql);
  /// exec runs test SQL (one or more statements) in its own transaction.
  void exec(const std::string& sql);
  /// sql runs a query outside a transaction block and returns its rows.
  pqxx::result sql(const std::string& query);
  /// file writes CONTENT to NAME in dir and returns its path.
  std::string file(const std::string& name, const std::string& content);

  /// add_partner inserts a starter-plan partner with the custom_domain feature on; LIMITS is its resource_limits JSON.
  void add_partner(const std::string& slug, const std::string& name, const std::string& limits = "{}");
  /// add_workspace inserts workspace PARTNER/SLUG.
  void add_workspace(const std::string& partner, const std::string& slug, const std::string& name);
  /// add_user inserts a user; empty names are NULL.
  void add_user(const std::string& email, const std::string& first_name = "", const std::string& last_name = "");
  /// add_partner_member makes EMAIL a live member of partner SLUG with ROLE.
  void add_partner_member(const std::string& partner, const std::string& email, const std::string& role);
  /// add_workspace_member makes EMAIL a live member of workspace PARTNER/SLUG with ROLE.
  void add_workspace_member(const std::string& workspace, const std::string& email, const std::string& role);
  /// partner_id, workspace_id and user_id are the ids of what add_* made ("" when there is none).
  std::string partner_id(const std::string& slug);
  std::string workspace_id(const std::string& workspace);
  std::string user_id(const std::string& email);

  /// config is the settings of an in-process Session on this database for the operator named ACTOR (no file, no
  /// environment); with AS, impersonating the user of that e-mail (--as).
  Config config(const std::string& actor = "tester@wfa.example", const std::string& as = "") const;
  /// session is the fixture's Session of the operator named ACTOR, made on first use and kept until the fixture ends.
  Session& session(const std::string& actor = "tester@wfa.example");
  /// session_as is the fixture's Session impersonating the user EMAIL (--as EMAIL).
  Session& session_as(const std::string& email);

 private:
  std::map<std::string, std::unique_ptr<Session>> sessions_;
};

/// Failure is how an in-process call ended: ok when it returned, else the wfa::Error's category and text.
struct Failure {
  ErrorCategory category = ErrorCategory::ok;
  std::string message;
  std::string hint;
};

/// failure runs CALL and returns how it ended; an exception that is not a wfa::Error fails the test.
Failure failure(const std::function<void()>& call);

/// field is the field NAME of R; a missing field fails the test and is a null cell.
Cell field(const Result& r, const std::string& name);
/// column is column NAME of TABLE as text, one entry a row; a missing column fails the test.
std::vector<std::string> column(const Table& table, const std::string& name);

/// expect_failure checks a failed run's exit code and that its message contains FRAGMENT.
void expect_failure(const ProcessResult& r, int exit, const std::string& fragment);

/// lines counts the newlines of S.
std::size_t lines(const std::string& s);

}  // namespace wfa::test
