#pragma once
/// The campaign runner: claims due recipients under the caps (one per provider account, shared by every campaign and
/// single call on it, and the campaign's own), the pace and the workspace's credit, commits each attempt before the
/// provider is asked, sends on a pool of threads, and records what came back. Any number of dispatchers may run one
/// campaign: claims serialise on the account's lock and take recipients FOR UPDATE SKIP LOCKED. It wakes on
/// NOTIFY wfa_dial (a call ended) or after at most a second, and reconciles attempts a crash left without an answer.
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "pipelines/providers/outbound_call.hpp"

namespace wfa {

class Session;

/// Dialer places one call; the default is start_outbound_call.
using Dialer = std::function<OutboundCallResult(ProviderClient& client, const OutboundCall& call)>;

/// DispatchTally is what a dispatcher did, and where the campaign's recipients stand.
struct DispatchTally {
  std::int64_t dialed = 0;     ///< calls the provider took
  std::int64_t refused = 0;    ///< refused for concurrency (not attempts; the recipient waits)
  std::int64_t failed = 0;     ///< refused for good (the attempt ended failed)
  std::int64_t uncertain = 0;  ///< no answer from the provider: left live for reconciliation
  std::int64_t not_sent = 0;   ///< never reached the provider (not attempts; the recipient waits)
  std::int64_t recipients = 0, finished = 0, live = 0;
  std::string status;
};

struct DispatchSettings {
  unsigned senders = 64;  ///< provider requests in flight from this dispatcher
  bool force = false;     ///< the country's window alone, and recipients whose campaign retries ran out
  std::optional<std::chrono::steady_clock::duration> run_for;  ///< stop (the campaign keeps its status) after this
  bool pause_on_interrupt = false;                        ///< an interruption pauses the campaign (the foreground run)
  std::function<void(const DispatchTally&)> on_progress;  ///< about once a second
  Dialer dial;                                            ///< empty: start_outbound_call
};

struct DispatchSummary {
  DispatchTally tally;
  std::string ended;  ///< why it stopped: completed, expired, paused (REASON), cancelled, interrupted, time_up, ...
};

/// dispatch_campaign runs CAMPAIGN_ID's dispatcher until the campaign is no longer running (or scheduled and due),
/// SETTINGS.run_for has passed or the session is cancelled. Its effects are idempotent: a rerun after a crash
/// reconciles first and never dials a recipient whose attempt may still be live.
DispatchSummary dispatch_campaign(Session& session, const std::string& campaign_id, const DispatchSettings& settings);

/// max_call_seconds is the longest a call may last before an attempt whose end never arrived is ended as failed
/// (setting max_call_seconds, default 3600), plus reconciliation's margin.
std::chrono::seconds max_call_seconds(const Session& session);

}  // namespace wfa
