#pragma once
/// The fixture of the location, rate-card and currency integration tests: partner acme with
/// workspace acme/main (and zeta/main for isolation), a private data directory for the file store,
/// and helpers to write input files and run wfa against them.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/support/test_cluster.hpp"

namespace wfa::sales_test {

using nlohmann::json;

struct SalesFixture {
  test::TestDatabase db;
  test::TempDir dir;
  std::map<std::string, std::string> env{{"WFA_DATABASE_URL", db.url()}, {"WFA_DATA_DIR", dir.path().string()}};

  SalesFixture() {
    db.exec(R"(INSERT INTO partners (slug, name, plan_tier, resource_limits) VALUES
                 ('acme', 'Acme', 'starter', '{"max_workspaces": 3}'), ('zeta', 'Zeta', 'starter', '{"max_workspaces": 3}'))");
    db.exec("INSERT INTO workspaces (partner_id, slug, name) SELECT id, 'main', name || ' main' FROM partners");
  }

  ProcessResult run(const std::vector<std::string>& args) { return test::run_wfa(args, env); }

  /// run_json runs ARGS with -o json, expects EXIT, and parses stdout (null when it is not JSON).
  json run_json(std::vector<std::string> args, int exit = 0) {
    args.insert(args.end(), {"-o", "json"});
    auto r = run(args);
    EXPECT_EQ(r.exit_code, exit) << r.err;
    auto doc = json::parse(r.out, nullptr, false);
    return doc.is_discarded() ? json() : doc;
  }

  /// write puts TEXT in the data directory's sibling file NAME and returns its path.
  std::string write(const std::string& name, const std::string& text) {
    auto path = dir.path() / name;
    std::ofstream(path, std::ios::binary) << text;
    return path.string();
  }

  /// add_location adds KEY to acme/main with a name.
  void add_location(const std::string& key) {
    auto r = run({"location", "add", key, "--workspace", "acme/main", "--name", "Location " + key});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  std::string value(const std::string& sql) { return db.value(sql); }
};

/// expect_failure checks a failed run's exit code and that its message contains FRAGMENT.
inline void expect_failure(const ProcessResult& r, int exit, const std::string& fragment) {
  EXPECT_EQ(r.exit_code, exit) << r.err;
  EXPECT_NE(r.err.find(fragment), std::string::npos) << "expected '" << fragment << "' in: " << r.err;
}

}  // namespace wfa::sales_test
