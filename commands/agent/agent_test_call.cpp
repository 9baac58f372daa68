// `wfa agent test-call`: a call through the single-call path, marked as a test.
#include "commands/agent/agent.hpp"

namespace wfa {

Result run_agent_test_call(const CallsStartOptions& options, Session& session) {
  auto o = options;
  o.test = true;
  return run_calls_start(o, session);
}

}  // namespace wfa
