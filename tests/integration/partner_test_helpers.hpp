#pragma once
/// Helpers of the `wfa partner` integration tests: a fresh database, the binary run against it,
/// row counts, and the request life cycle in one call each.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <pqxx/nontransaction>
#include <string>
#include <vector>

#include "tests/support/test_cluster.hpp"

namespace wfa::partner_test {

using nlohmann::json;

/// The tables a partner command may write; counted before and after to prove "nothing changed".
inline const std::vector<std::string> tables = {"partner_requests", "partners",  "partner_domains",    "workspaces",
                                                "users",            "partner_members", "partner_invitations", "audit_log"};

/// with_flags appends EXTRA to ARGS; a flag already in ARGS gets its value replaced (CLI11 refuses repeats).
inline std::vector<std::string> with_flags(std::vector<std::string> args, const std::vector<std::string>& extra) {
  for (std::size_t i = 0; i < extra.size(); ++i) {
    auto base = std::find(args.begin(), args.end(), extra[i]);
    if (base != args.end() && base + 1 != args.end() && i + 1 < extra.size())
      *(base + 1) = extra[++i];
    else
      args.push_back(extra[i]);
  }
  return args;
}

inline std::size_t lines(const std::string& s) { return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n')); }

struct Fixture {
  test::TestDatabase db;
  std::map<std::string, std::string> extra_env;

  ProcessResult run(const std::vector<std::string>& args) {
    auto env = extra_env;
    env["WFA_DATABASE_URL"] = db.url();
    return test::run_wfa(args, env);
  }

  /// run_json runs ARGS with -o json, expects EXIT, and parses stdout (null when empty or not JSON).
  json run_json(std::vector<std::string> args, int exit = 0) {
    args.insert(args.end(), {"-o", "json"});
    auto r = run(args);
    EXPECT_EQ(r.exit_code, exit) << r.err;
    return json::parse(r.out, nullptr, false).is_discarded() ? json() : json::parse(r.out);
  }

  std::map<std::string, long> counts() {
    std::map<std::string, long> out;
    for (const auto& t : tables) out[t] = db.count(t);
    return out;
  }

  std::string value(const std::string& sql) { return db.value(sql); }

  void exec(const std::string& sql) { db.exec(sql); }

  /// submit files a request for SUBDOMAIN (plus EXTRA flags) and returns its id.
  std::string submit(const std::string& subdomain, const std::vector<std::string>& extra = {}) {
    auto args = with_flags({"partner", "request", "submit", "--company", "Agency " + subdomain, "--contact-name", "Owner Person",
                            "--contact-email", "owner@" + subdomain + ".example", "--subdomain", subdomain},
                           extra);
    auto doc = run_json(args);
    return doc.is_object() ? doc.value("id", "") : "";
  }

  std::string approved(const std::string& subdomain, const std::vector<std::string>& extra = {}) {
    auto id = submit(subdomain, extra);
    auto r = run({"partner", "request", "approve", id});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return id;
  }
};

}  // namespace wfa::partner_test
