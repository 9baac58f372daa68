#pragma once
/// The world of the location, rate-card and currency integration tests: partner acme with workspace
/// acme/main (and zeta/main for isolation); the fixture's directory is the data directory of the file store.
#include <gtest/gtest.h>

#include <string>

#include "tests/support/integration_fixture.hpp"

namespace wfa::sales_test {

using nlohmann::json;
using test::expect_failure;

struct SalesFixture : test::IntegrationFixture {
  SalesFixture() {
    add_partner("acme", "Acme", R"({"max_workspaces": 3})");
    add_partner("zeta", "Zeta", R"({"max_workspaces": 3})");
    add_workspace("acme", "main", "Acme main");
    add_workspace("zeta", "main", "Zeta main");
  }

  /// add_location adds KEY to acme/main with a name.
  void add_location(const std::string& key) {
    auto r = run({"location", "add", key, "--workspace", "acme/main", "--name", "Location " + key});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
};

}  // namespace wfa::sales_test
