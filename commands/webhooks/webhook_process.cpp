// Processing a stored delivery: the call it reports merged through the calls' one merge, in the transaction that
// records the event's status, so a redelivery, a retry or a replay never counts a call twice.
#include <chrono>
#include <map>
#include <memory>

#include <nlohmann/json.hpp>
#include <pqxx/binarystring>
#include <pqxx/result>
#include <pqxx/subtransaction>
#include <pqxx/transaction>

#include "commands/billing/stripe_events.hpp"
#include "commands/calls/calls_merge.hpp"
#include "commands/telegram/telegram_health.hpp"
#include "commands/telegram/telegram_updates.hpp"
#include "commands/webhooks/webhooks.hpp"
#include "core/database.hpp"
#include "core/error.hpp"
#include "core/session.hpp"
#include "core/validation.hpp"
#include "pipelines/calls/json_records.hpp"

namespace wfa {

namespace {

using Json = nlohmann::json;

constexpr int max_attempts = 5;

/// NotProcessed: the event is kept but there is nothing to do with it (status ignored, with the reason).
struct NotProcessed {
  std::string reason;
};
/// Unusable: the event can never be processed (status failed at once, no retry).
struct Unusable {
  std::string reason;
};

std::string text_at(const Json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

/// call_record is the provider's call object the event reports, shaped as the provider's API answers it.
std::string call_record(const std::string& provider, const Json& body) {
  if (provider == "vapi") {
    const auto& message = body.value("message", Json::object());
    auto type = text_at(message, "type");
    if (type != "end-of-call-report" && type != "status-update")
      throw NotProcessed{"VAPI " + (type.empty() ? std::string("untyped") : type) + " messages are stored only"};
    if (!message.contains("call") || !message["call"].is_object()) throw Unusable{"the message has no call"};
    auto call = message["call"];
    // The report's own fields are the call's final values.
    for (const char* key : {"startedAt", "endedAt", "endedReason", "cost", "costBreakdown", "analysis", "artifact",
                            "customer", "transcript", "summary", "recordingUrl"})
      if (message.contains(key) && !message[key].is_null()) call[key] = message[key];
    if (type == "end-of-call-report") call["status"] = "ended";
    if (type == "status-update" && message.contains("status")) call["status"] = message["status"];
    return call.dump();
  }
  if (provider == "retell") {
    auto event = text_at(body, "event");
    if (event != "call_started" && event != "call_ended" && event != "call_analyzed")
      throw NotProcessed{"Retell " + (event.empty() ? std::string("untyped") : event) + " events are stored only"};
    if (!body.contains("call") || !body["call"].is_object()) throw Unusable{"the event has no call"};
    return body["call"].dump();
  }
  if (provider == "synthflow") {
    if (!body.contains("call") || !body["call"].is_object()) throw Unusable{"the post-call webhook has no call"};
    auto call = body["call"];
    const auto& lead = body.value("lead", Json::object());
    if (lead.contains("phone_number")) call["lead_phone_number"] = lead["phone_number"];
    if (lead.contains("name")) call["lead_name"] = lead["name"];
    // The post-call payload carries the analysis' variables and the dial's custom variables beside the call.
    for (const char* key : {"collected_variables", "custom_variables", "prompt_variables"})
      if (body.contains(key) && !call.contains(key)) call[key] = body[key];
    return call.dump();
  }
  throw NotProcessed{provider + " events wait for their issue (stored, not processed)"};
}

/// status_update is the jsonb row that sets one event's status after ATTEMPTS attempts.
Json status_update(const std::string& id, WebhookOutcome& o, int attempts) {
  if (o.status == "received" && attempts >= max_attempts) o.status = "failed";
  return {{"id", id},
          {"status", o.status},
          {"attempts", attempts},
          {"error", o.status == "processed" ? "" : o.detail},
          {"backoff", 1 << std::min(attempts, 10)}};
}

void set_statuses(pqxx::dbtransaction& tx, const Json& updates) {
  tx.exec_params(
      "UPDATE webhook_events e SET status = u.status, attempts = u.attempts, last_error = NULLIF(u.error, ''),"
      " processed_at = CASE WHEN u.status IN ('processed', 'ignored') THEN now() END, next_attempt_at = now() +"
      " make_interval(secs => u.backoff) FROM jsonb_to_recordset($1::jsonb) AS u(id uuid, status text, attempts int,"
      " error text, backoff int) WHERE e.id = u.id",
      updates.dump());
}

/// process_platform_event processes one event without a workspace (Telegram, Stripe, Slack) in a transaction with its
/// status. A `/start CODE` first accepts its invitation in a transaction of its own: acceptance is once only by
/// itself, so a crash between the two leaves an event whose retry finds the invitation accepted.
WebhookOutcome process_platform_event(Session& session, const std::string& id, bool again) {
  std::optional<TelegramStart> start;
  std::optional<TelegramUpdateOutcome> started;
  std::string partner_id;
  {
    pqxx::read_transaction tx(session.database().ready());
    auto rows = tx.exec_params(
        "SELECT e.provider, e.body, e.status, b.partner_id::text FROM webhook_events e LEFT JOIN telegram_bots b ON"
        " e.provider = 'telegram' AND b.webhook_endpoint = e.endpoint WHERE e.id = $1::uuid AND e.workspace_id IS"
        " NULL",
        id);
    if (rows.empty()) return {"skipped", "no such event"};
    if (!again && rows[0][2].as<std::string>() != "received")
      return {"skipped", "already " + rows[0][2].as<std::string>()};
    partner_id = rows[0][3].is_null() ? "" : rows[0][3].as<std::string>();
    if (!partner_id.empty()) start = telegram_start_of(pqxx::binarystring(rows[0][1]).str());
  }
  if (start) started = accept_telegram_start(session, partner_id, *start);
  pqxx::work tx(session.database().ready());
  auto rows = tx.exec_params(
      "SELECT provider, body, status, attempts FROM webhook_events WHERE id = $1::uuid AND ($2 OR status ="
      " 'received') FOR UPDATE",
      id, again);
  if (rows.empty()) return {"skipped", "processed by another run"};
  auto provider = rows[0][0].as<std::string>();
  WebhookOutcome o;
  std::optional<TelegramUpdateOutcome> update;
  if (provider == "stripe") {
    try {
      pqxx::subtransaction work(tx, "stripe");
      auto applied = apply_stripe_event(work, session, pqxx::binarystring(rows[0][1]).str(), "webhook event " + id);
      work.commit();
      o = {applied.outcome == "failed"    ? "failed"
           : applied.outcome == "ignored" ? "ignored"
                                          : "processed",
           applied.outcome + ": " + applied.detail};
    } catch (const std::exception&) {
      auto c = classify(std::current_exception());
      o = {c.category == ErrorCategory::temporary || c.category == ErrorCategory::unexpected ? "received" : "failed",
           c.message};
    }
  } else if (provider == "slack") {
    o = {"processed", "stored and acknowledged"};
  } else if (partner_id.empty()) {
    o = {"ignored", "the bot it was sent to is no longer set"};
  } else if (started) {
    update = started;
  } else {
    try {
      pqxx::subtransaction work(tx, "update");
      update = apply_telegram_update(work, partner_id, pqxx::binarystring(rows[0][1]).str());
      work.commit();
    } catch (const std::exception&) {
      auto c = classify(std::current_exception());
      o = {c.category == ErrorCategory::temporary || c.category == ErrorCategory::unexpected ? "received" : "failed",
           c.message};
    }
  }
  if (update) o = {update->status, update->detail};
  // A reply goes through the notifications queue, once per update however often it is processed.
  if (update && !update->reply.empty() && update->chat_id)
    tx.exec_params(
        "INSERT INTO notifications (partner_id, chat_id, text, idempotency_key) VALUES ($1::uuid, $2, $3, $4) ON"
        " CONFLICT (partner_id, idempotency_key) DO NOTHING",
        partner_id, *update->chat_id, update->reply, "telegram-reply:" + std::to_string(update->update_id.value_or(0)));
  auto attempts = rows[0][3].as<int>() + 1;
  set_statuses(tx, Json::array({status_update(id, o, attempts)}));
  if (provider == "telegram" && !partner_id.empty())
    record_telegram_health(tx, {partner_id, "update", o.status == "processed" || o.status == "ignored",
                                update ? update->update_id : std::nullopt, update ? update->chat_id : std::nullopt,
                                std::nullopt, o.status == "processed" ? "" : o.detail});
  tx.commit();
  return o;
}

}  // namespace

std::optional<WebhookIdentity> webhook_event_identity(const std::string& provider, const std::string& raw) {
  auto body = Json::parse(raw, nullptr, false);
  if (body.is_discarded() || !body.is_object()) return std::nullopt;
  WebhookIdentity id;
  if (provider == "vapi") {
    const auto& message = body.value("message", Json::object());
    if (!message.is_object()) return std::nullopt;
    id.event_type = text_at(message, "type");
    id.call_id = message.contains("call") && message["call"].is_object() ? text_at(message["call"], "id") : "";
    // One report per call; other messages repeat per call, so their status and time tell them apart.
    id.event_id = id.call_id + ":" + id.event_type;
    if (id.event_type != "end-of-call-report") {
      id.event_id += ":" + text_at(message, "status");
      if (message.contains("timestamp")) id.event_id += ":" + message["timestamp"].dump();
    }
  } else if (provider == "retell") {
    id.event_type = text_at(body, "event");
    id.call_id = body.contains("call") && body["call"].is_object() ? text_at(body["call"], "call_id") : "";
    id.event_id = id.call_id + ":" + id.event_type;
  } else if (provider == "synthflow") {
    id.event_type = "post_call";
    id.call_id = body.contains("call") && body["call"].is_object() ? text_at(body["call"], "call_id") : "";
    id.event_id = id.call_id + ":" + id.event_type;
  } else {
    return std::nullopt;
  }
  if (id.call_id.empty() || id.event_type.empty()) return std::nullopt;
  // The ends of a call: VAPI's report or an `ended` status; Retell's call_ended or call_analyzed (Synthflow's calls
  // carry no metadata: their ends free slots when processed).
  auto field = [](const Json& object, const char* key) -> const Json* {
    auto it = object.find(key);
    return it != object.end() && it->is_object() ? &*it : nullptr;
  };
  const Json* call = nullptr;
  if (provider == "vapi") {
    const auto& message = *field(body, "message");
    if (id.event_type == "end-of-call-report" || text_at(message, "status") == "ended") call = field(message, "call");
  } else if (provider == "retell" && (id.event_type == "call_ended" || id.event_type == "call_analyzed")) {
    call = field(body, "call");
  }
  if (const Json* metadata = call ? field(*call, "metadata") : nullptr) {
    auto attempt = text_at(*metadata, "wfa_attempt_id");
    if (is_uuid(attempt)) id.ended_attempt_id = attempt;
  }
  return id;
}

std::vector<WebhookOutcome> process_webhook_events(Session& session, const std::vector<std::string>& ids,
                                                   const std::optional<std::string>& workspace_id, bool again) {
  std::vector<WebhookOutcome> outcomes(ids.size(), WebhookOutcome{"skipped", "no such event"});
  if (ids.empty()) return outcomes;
  if (!workspace_id) {
    for (std::size_t i = 0; i < ids.size(); ++i) outcomes[i] = process_platform_event(session, ids[i], again);
    return outcomes;
  }
  std::string id_list;
  for (const auto& id : ids) id_list += (id_list.empty() ? "" : ",") + id;
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < ids.size(); ++i) index[ids[i]] = i;
  pqxx::work tx(session.database().ready());
  // The event is stored durably and its status changes with its effects: a crash that loses this commit loses both,
  // and the event is processed again. So the commit need not wait for the disk (a call's end frees a dialing slot).
  tx.exec("SET LOCAL synchronous_commit = off");
  if (workspace_id) tx.exec_params("SELECT set_config('wfa.workspace_ids', $1, true)", *workspace_id);
  // Locked for the whole transaction, so two processors never take the same event; the status decides the rest.
  auto rows = tx.exec_params(
      "SELECT id::text, provider, event_id, body, status, attempts FROM webhook_events WHERE id = ANY"
      " (string_to_array($1, ',')::uuid[]) AND ($2 OR status = 'received') ORDER BY received_at, id FOR UPDATE",
      id_list, again);
  std::map<std::string, std::unique_ptr<CallNormalizer>> normalizers;
  CallBatch batch;
  std::vector<std::pair<std::size_t, int>> staged;  // outcome index, attempts; the stage's line is its place + 1
  std::vector<std::pair<std::size_t, int>> done;    // every event taken, with its attempts
  for (const auto& row : rows) {
    auto at = index.at(row[0].as<std::string>());
    auto provider = row[1].as<std::string>();
    done.emplace_back(at, row[5].as<int>() + 1);
    try {
      auto body = Json::parse(pqxx::binarystring(row[3]).str(), nullptr, false);
      if (body.is_discarded()) throw Unusable{"the body is not JSON"};
      auto record = call_record(provider, body);
      record.append(JsonRecordReader::record_padding, ' ');
      auto& normalizer = normalizers[provider];
      if (!normalizer) normalizer = std::make_unique<CallNormalizer>(provider);
      std::string_view view(record.data(), record.size() - JsonRecordReader::record_padding);
      if (auto fault = normalizer->add(view, staged.size() + 1, batch))
        throw Unusable{"the call does not hold: " + *fault};
      staged.emplace_back(at, 0);
      outcomes[at] = {"processed", "call merged"};
    } catch (const NotProcessed& n) {
      outcomes[at] = {"ignored", n.reason};
    } catch (const Unusable& u) {
      outcomes[at] = {"failed", u.reason};
    }
  }
  try {
    if (!staged.empty()) {
      pqxx::subtransaction work(tx, "webhooks");
      create_call_stage(work);
      stage_calls(work, batch);
      auto counts =
          merge_staged_calls(work, MergeScope{workspace_id, "webhook"}, static_cast<std::int64_t>(staged.size()));
      for (const auto& refused : counts.refused) {
        auto line = static_cast<std::size_t>(refused.line);
        if (line >= 1 && line <= staged.size()) outcomes[staged[line - 1].first] = {"failed", refused.reason};
      }
      if (staged.size() == 1 && counts.refused.empty())
        outcomes[staged[0].first].detail = counts.inserted      ? "call inserted"
                                           : counts.updated     ? "call updated"
                                           : counts.quarantined ? "call quarantined (its agent is unknown here)"
                                                                : "call unchanged";
      work.commit();
    }
  } catch (const std::exception&) {
    // A passing fault (the database, a lock): the merge is undone; every staged event waits for a retry, with backoff.
    auto c = classify(std::current_exception());
    for (const auto& [at, unused] : staged) outcomes[at] = {"received", c.message};
  }
  Json updates = Json::array();
  for (const auto& [at, attempts] : done) updates.push_back(status_update(ids[at], outcomes[at], attempts));
  set_statuses(tx, updates);
  tx.commit();
  return outcomes;
}

WebhookOutcome process_webhook_event(Session& session, const std::string& id,
                                     const std::optional<std::string>& workspace_id, bool again) {
  return process_webhook_events(session, {id}, workspace_id, again).front();
}

}  // namespace wfa
