#pragma once
/// run_wfa_json: the binary with `-o json`, its exit code checked and stdout parsed, for fixtures.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/support/test_cluster.hpp"

namespace wfa::test {

/// run_wfa_json runs ARGS with -o json and ENV, expects EXIT, and parses stdout (null when it is not JSON).
inline nlohmann::json run_wfa_json(std::vector<std::string> args, const std::map<std::string, std::string>& env, int exit = 0) {
  args.insert(args.end(), {"-o", "json"});
  auto r = run_wfa(args, env);
  EXPECT_EQ(r.exit_code, exit) << r.err;
  auto doc = nlohmann::json::parse(r.out, nullptr, false);
  return doc.is_discarded() ? nlohmann::json() : doc;
}

}  // namespace wfa::test
