#pragma once
/// `wfa webhooks`: the deliveries serve verified and stored (webhook_events), their processing — exactly once, after
/// the answer — and replaying it. Voice providers' call events go through the calls' one merge.
#include <optional>
#include <string>
#include <vector>

#include "core/listing.hpp"
#include "core/pqxx_fwd.hpp"
#include "core/result.hpp"

namespace wfa {

class Session;

struct WebhooksListOptions {
  std::optional<std::string> provider;
  std::optional<std::string> status;  ///< received | processed | ignored | failed
  Paging paging;
};

struct WebhooksShowOptions {
  std::string id;
  bool body = false;  ///< print the stored body too
};

struct WebhooksReplayOptions {
  std::vector<std::string> ids;
  bool failed = false;  ///< retry-failed: every event that ended failed
  bool dry_run = false;
  bool enqueue = false;  ///< one webhook.process job per event, as one batch, instead of processing them here
};

struct WebhooksVerifyOptions {
  std::string provider;
  std::string secret_file = "-";
  std::vector<std::string> headers;  ///< "Name: value"
  std::string body_file = "-";
  std::optional<std::string> call_id;  ///< synthflow signs the call id
};

Result run_webhooks_list(const WebhooksListOptions& options, Session& session);
Result run_webhooks_show(const WebhooksShowOptions& options, Session& session);
/// run_webhooks_replay processes the chosen events again (idempotent: an ingested call changes nothing twice). With
/// enqueue it makes them due again (received) and enqueues a webhook.process job for each, which processes it once
/// through the same claim as serve's processor (commands/webhooks/webhook_jobs).
Result run_webhooks_replay(const WebhooksReplayOptions& options, Session& session);
/// run_webhooks_verify checks a captured delivery offline: exit 0 when it holds, 5 with the reason when not.
Result run_webhooks_verify(const WebhooksVerifyOptions& options, Session& session);

/// WebhookOutcome is how processing one event ended.
struct WebhookOutcome {
  std::string status;  ///< processed | ignored | failed | received (to retry) | skipped (already done)
  std::string detail;
};

/// process_webhook_event processes stored event ID (of WORKSPACE_ID, whose rows it scopes to) in one transaction with
/// its status, so it happens once however often it is called; AGAIN processes an event already processed (replay).
WebhookOutcome process_webhook_event(Session& session, const std::string& id,
                                     const std::optional<std::string>& workspace_id, bool again = false);
/// process_webhook_events processes the events IDS of one workspace together: one stage, one merge, one transaction
/// with every event's status (serve's processor takes what is due in such batches). Outcomes follow IDS.
std::vector<WebhookOutcome> process_webhook_events(Session& session, const std::vector<std::string>& ids,
                                                   const std::optional<std::string>& workspace_id, bool again = false);

/// webhook_event_workspace is the workspace id of stored event ID, empty for a platform event (Telegram, Stripe,
/// Slack); an id that is none is UsageError, one no event has NotFoundError.
std::string webhook_event_workspace(pqxx::transaction_base& tx, const std::string& id);

/// webhook_event_identity reads a voice provider's delivery: the event id that makes a redelivery a no-op, and its
/// type; for the end of a call wfa dialed, the attempt it ends (its metadata's wfa_attempt_id, a uuid). Nothing when
/// the body is not the provider's JSON.
struct WebhookIdentity {
  std::string event_id, event_type, call_id, ended_attempt_id;
};
std::optional<WebhookIdentity> webhook_event_identity(const std::string& provider, const std::string& body);

}  // namespace wfa
