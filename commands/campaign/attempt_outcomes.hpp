#pragma once
/// What an ended call does to the dial that placed it, inside the calls' merge: the attempt ends once, its recipient
/// follows the campaign's retry policy, an opt-out or a refusal goes on the workspace's do-not-call list, a campaign
/// whose last recipient is done completes, and the dispatcher is woken.
#include <cstdint>

#include "core/pqxx_fwd.hpp"

namespace wfa {

/// dial_channel is the NOTIFY channel the dispatcher LISTENs on; the payload is a workspace id.
inline constexpr const char* dial_channel = "wfa_dial";

/// settle_call_attempts links the merged calls of call_stage and call_agents (the merge's temporary tables) that carry
/// a wfa_attempt_id to their call_attempts rows of the same workspace and ends those whose call ended (the first end
/// wins: a replay changes nothing; only an analysis arriving later may refine completed to refused or opted_out),
/// set-based in TX. Returns how many attempts it ended.
std::int64_t settle_call_attempts(pqxx::transaction_base& tx);

}  // namespace wfa
