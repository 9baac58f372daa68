// `wfa webhooks list|show|replay|retry-failed|verify`: stored deliveries, processing them again, offline checks.
#include <chrono>

#include <nlohmann/json.hpp>
#include <pqxx/result>
#include <pqxx/transaction>

#include "commands/job/job_batch.hpp"
#include "commands/tenancy/actor.hpp"
#include "commands/webhooks/webhooks.hpp"
#include "core/database.hpp"
#include "core/error.hpp"
#include "core/input_file.hpp"
#include "core/rows.hpp"
#include "core/secret_box.hpp"
#include "core/session.hpp"
#include "core/validation.hpp"
#include "pipelines/webhooks/webhook_signatures.hpp"

namespace wfa {

namespace {

const Choices webhook_providers = {"vapi", "retell", "synthflow", "telegram", "stripe", "slack"};
const Choices webhook_statuses = {"received", "processed", "ignored", "failed"};

constexpr std::size_t max_body_bytes = 1 << 20;

/// enqueue_replay makes the CHOSEN events due again (received, now) and enqueues a webhook.process job for each, as
/// one batch: a job and serve's processor claim an event the same way, so it is processed once by whichever is first.
Result enqueue_replay(const std::vector<std::pair<std::string, std::string>>& chosen, Session& session) {
  std::string ids;
  for (const auto& [id, workspace] : chosen) ids += (ids.empty() ? "" : ",") + id;
  {
    pqxx::work tx(session.database().ready());
    tx.exec_params(
        "UPDATE webhook_events SET status = 'received', processed_at = NULL, next_attempt_at = now() WHERE id = ANY"
        " (string_to_array($1, ',')::uuid[])",
        ids);
    tx.commit();
  }
  return enqueued_result(enqueue_batch(session, "webhooks replay", "webhook.process", [&](const std::string&) {
    std::vector<std::string> payloads;
    for (const auto& [id, workspace] : chosen) payloads.push_back(nlohmann::json{{"event", id}}.dump());
    return payloads;
  }));
}

}  // namespace

Result run_webhooks_list(const WebhooksListOptions& o, Session& session) {
  if (o.provider) check_choice("provider", *o.provider, webhook_providers, "a webhook provider");
  if (o.status) check_choice("status", *o.status, webhook_statuses, "an event status");
  require_super_admin(session, "list every tenant's webhook deliveries");
  auto tx = list_transaction(session);
  ListQuery query("webhooks list", "events");
  query
      .select("e.id, e.provider, e.event_type, e.event_id, e.status, e.attempts, " + utc_sql("e.received_at") +
              " AS received_at, e.last_error, coalesce(p.slug || '/' || w.slug, '') AS workspace")
      .from(
          "webhook_events e LEFT JOIN workspaces w ON w.id = e.workspace_id LEFT JOIN partners p ON p.id ="
          " w.partner_id")
      .where("e.provider = ?", o.provider)
      .where("e.status = ?", o.status)
      .order_by({{"e.received_at", "timestamptz", true}, {"e.id", "uuid", true}})
      .when_empty("no webhook deliveries");
  return list_rows(tx, query, o.paging, session);
}

Result run_webhooks_show(const WebhooksShowOptions& o, Session& session) {
  require_super_admin(session, "read webhook deliveries");
  if (!is_uuid(o.id)) throw UsageError("event id " + o.id + " is not an id", "`wfa webhooks list` shows the ids");
  pqxx::read_transaction tx(session.read_database().ready());
  auto rows = tx.exec_params(
      "SELECT e.id, e.provider, e.endpoint, e.event_id, e.event_type, e.status, e.attempts, e.last_error, " +
          utc_sql("e.received_at") + " AS received_at, " + utc_sql("e.processed_at") + " AS processed_at, " +
          utc_sql("e.next_attempt_at") + " AS next_attempt_at, e.headers, octet_length(e.body) AS body_bytes" +
          (o.body ? ", convert_from(e.body, 'UTF8') AS body" : "") + " FROM webhook_events e WHERE e.id = $1::uuid",
      o.id);
  if (rows.empty()) throw NotFoundError("no webhook event " + o.id, "`wfa webhooks list` shows the ids");
  Result r;
  r.fields = to_fields(rows);
  return r;
}

std::string webhook_event_workspace(pqxx::transaction_base& tx, const std::string& id) {
  if (!is_uuid(id)) throw UsageError("event id " + id + " is not an id", "`wfa webhooks list` shows the ids");
  auto rows = tx.exec_params("SELECT coalesce(workspace_id::text, '') FROM webhook_events WHERE id = $1::uuid", id);
  if (rows.empty()) throw NotFoundError("no webhook event " + id, "`wfa webhooks list` shows the ids");
  return rows[0][0].as<std::string>();
}

Result run_webhooks_replay(const WebhooksReplayOptions& o, Session& session) {
  require_super_admin(session, "replay webhook deliveries");
  if (o.ids.empty() && !o.failed)
    throw UsageError("which events? give their ids", "or run `wfa webhooks retry-failed`");
  if (o.enqueue && o.dry_run)
    throw UsageError(session.option("enqueue") + " processes nothing now, so it takes no " + session.option("dry-run"));
  std::vector<std::pair<std::string, std::string>> chosen;  // id, workspace
  {
    pqxx::read_transaction tx(session.database().ready());
    for (const auto& id : o.ids) chosen.emplace_back(id, webhook_event_workspace(tx, id));
    if (o.failed)
      for (const auto& row :
           tx.exec("SELECT id::text, coalesce(workspace_id::text, '') FROM webhook_events WHERE status = 'failed' ORDER"
                   " BY received_at, id"))
        chosen.emplace_back(row[0].as<std::string>(), row[1].as<std::string>());
  }
  if (o.enqueue) return enqueue_replay(chosen, session);
  Table t("events", {"id", "outcome", "detail"});
  long failures = 0;
  for (const auto& [id, workspace] : chosen) {
    if (o.dry_run) {
      t.rows.push_back({Cell(id), Cell(std::string("would process")), Cell(std::string())});
      continue;
    }
    std::optional<std::string> ws;
    if (!workspace.empty()) ws = workspace;
    auto outcome = process_webhook_event(session, id, ws, true);
    failures += outcome.status == "failed";
    t.rows.push_back({Cell(id), Cell(outcome.status), Cell(outcome.detail)});
  }
  Result r;
  r.tables.push_back(std::move(t));
  r.message = (o.dry_run ? "would process " : "processed ") + std::to_string(chosen.size()) + " event(s) again";
  if (failures) r.category = ErrorCategory::batch_partial;
  return r;
}

Result run_webhooks_verify(const WebhooksVerifyOptions& o, Session& session) {
  check_choice("provider", o.provider, webhook_providers, "a webhook provider");
  if (o.secret_file == "-" && o.body_file == "-")
    throw UsageError("the secret and the body cannot both come from standard input",
                     "give " + session.option("secret-file") + " FILE");
  auto secret = read_secret_input(o.secret_file, "the webhook secret", 4096);
  auto body = read_input_file(o.body_file, "the delivery's body", max_body_bytes);
  std::vector<std::pair<std::string, std::string>> headers;
  for (const auto& h : o.headers) {
    auto colon = h.find(':');
    if (colon == std::string::npos || colon == 0)
      throw UsageError("--header " + h + " is not 'Name: value'", "e.g. --header 'x-retell-signature: v=..,d=..'");
    auto value = h.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    headers.emplace_back(h.substr(0, colon), value);
  }
  HeaderLookup lookup = [&](std::string_view name) -> std::string_view {
    for (const auto& [k, v] : headers)
      if (k.size() == name.size() && std::equal(k.begin(), k.end(), name.begin(),
                                                [](char a, char b) { return std::tolower(a) == std::tolower(b); }))
        return v;
    return {};
  };
  auto now = std::chrono::duration_cast<std::chrono::milliseconds>(session.now().time_since_epoch()).count();
  SignatureCheck check;
  if (o.provider == "vapi") check = check_vapi(lookup, body, secret);
  if (o.provider == "retell") check = check_retell(lookup, body, secret, now);
  if (o.provider == "synthflow") {
    auto identity = webhook_event_identity("synthflow", body);
    check = check_synthflow(lookup, o.call_id.value_or(identity ? identity->call_id : ""), secret);
  }
  if (o.provider == "stripe") check = check_stripe(lookup, body, secret, now / 1000);
  if (o.provider == "slack") check = check_slack(lookup, body, secret, now / 1000);
  if (o.provider == "telegram") check = check_telegram(lookup, secret);
  wipe_secret(secret);
  if (!check.ok)
    throw PermissionError("the " + o.provider + " delivery does not hold: " + check.problem,
                          "check the secret, the headers as captured, and that the body is byte for byte as received");
  Result r;
  r.message = "the " + o.provider + " delivery holds";
  return r;
}

}  // namespace wfa
