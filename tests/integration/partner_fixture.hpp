#pragma once
/// The `wfa partner` integration tests: an empty database and the request life cycle in one call each.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "tests/support/integration_fixture.hpp"

namespace wfa::partner_test {

using nlohmann::json;
using test::lines;

/// The tables a partner command may write; counted before and after to prove "nothing changed".
inline const std::vector<std::string> partner_tables = {"partner_requests",    "partners", "partner_domains",
                                                        "workspaces",          "users",    "partner_members",
                                                        "partner_invitations", "audit_log"};

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

struct Fixture : test::IntegrationFixture {
  Fixture() : IntegrationFixture(partner_tables) {}

  /// submit files a request for SUBDOMAIN (plus EXTRA flags) and returns its id.
  std::string submit(const std::string& subdomain, const std::vector<std::string>& extra = {}) {
    auto args =
        with_flags({"partner", "request", "submit", "--company", "Agency " + subdomain, "--contact-name",
                    "Owner Person", "--contact-email", "owner@" + subdomain + ".example", "--subdomain", subdomain},
                   extra);
    auto doc = run_json(args);
    return doc.is_object() ? doc.value("id", "") : "";
  }

  /// approved submits a request for SUBDOMAIN, approves it and returns its id.
  std::string approved(const std::string& subdomain, const std::vector<std::string>& extra = {}) {
    auto id = submit(subdomain, extra);
    auto r = run({"partner", "request", "approve", id});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return id;
  }
};

}  // namespace wfa::partner_test
