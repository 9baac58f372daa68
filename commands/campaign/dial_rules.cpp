// The dial decision: the campaign's gate, then each recipient against lists, refusals, live calls, retries, the
// country's attempt limits and the calling window in every zone it may be in.
#include "commands/campaign/dial_rules.hpp"

#include <algorithm>
#include <map>

#include <pqxx/result>
#include <pqxx/transaction>

#include "core/utc_time.hpp"
#include "commands/calling_rules/calling_rules.hpp"
#include "commands/dnc/dnc_rules.hpp"

namespace wfa {

namespace {

/// epochs reads a PostgreSQL bigint[] literal ("{1,2}") of epoch seconds.
std::vector<Instant> epochs(const std::string& literal) {
  std::vector<Instant> out;
  for (std::size_t at = 1; at + 1 < literal.size();) {
    auto comma = std::min(literal.find(',', at), literal.size() - 1);
    out.emplace_back(std::chrono::seconds(std::stoll(literal.substr(at, comma - at))));
    at = comma + 1;
  }
  return out;
}

/// CampaignWindow is the campaign's own window (the whole week and day when it sets none).
CallingWindow campaign_window(pqxx::transaction_base& tx, const std::string& campaign_id, std::string& workspace_id) {
  auto row = tx.exec_params(
      "SELECT workspace_id, COALESCE(array_to_string(call_days, ','), ''), COALESCE(extract(hour FROM"
      " call_window_start) * 60 + extract(minute FROM call_window_start), 0)::int, COALESCE(extract(hour FROM"
      " call_window_end) * 60 + extract(minute FROM call_window_end), 1440)::int FROM campaigns WHERE id = $1::uuid",
      campaign_id)[0];
  workspace_id = row[0].as<std::string>();
  CallingWindow w;
  auto days = row[1].as<std::string>();
  if (!days.empty()) w.days = day_list(days).value_or(0);
  w.start_minute = row[2].as<int>();
  w.end_minute = row[3].as<int>();
  return w;
}

/// attempts_on_local_day counts the ATTEMPTS made on AT's local day in any of ZONES (the most in one zone).
int attempts_on_local_day(const std::vector<Instant>& attempts, const std::vector<std::string>& zones, Instant at) {
  int most = 0;
  for (const auto& z : zones) {
    auto today = local_time(z, at).date;
    int n = 0;
    for (auto a : attempts) n += local_time(z, a).date == today ? 1 : 0;
    most = std::max(most, n);
  }
  return most;
}

/// judge_rows decides for ROWS (judged_sql's columns, in order) against OWN, the campaign's window (FORCE: the country's
/// window alone).
std::vector<RecipientVerdict> judge_rows(pqxx::transaction_base& tx, const pqxx::result& rows, const CallingWindow& own,
                                         Instant at, bool force) {
  std::map<std::string, CallingRules> rules;
  std::vector<RecipientVerdict> out;
  for (const auto& row : rows) {
    RecipientVerdict v;
    v.id = row[0].as<std::int64_t>();
    v.phone = row[1].as<std::string>();
    v.status = row[3].as<std::string>();
    auto place = place_of(v.phone, row[2].as<std::string>());
    auto found = rules.find(place.country);
    if (found == rules.end()) found = rules.emplace(place.country, rules_for_country(tx, place.country)).first;
    const auto& law = found->second;
    v.country = law.country;
    auto window = force ? law.window : narrow(law.window, own);
    auto recent = epochs(row[8].as<std::string>());
    auto next_from = [&](Instant from) { v.next = next_allowed(window, place.zones, from); };
    if (v.status == "completed" || (v.status == "failed" && !force) || v.status == "skipped") {
      v.verdict = DialVerdict::finished;
    } else if (row[5].as<bool>()) {
      v.verdict = DialVerdict::do_not_call;
    } else if (law.refusal_ends_contact && row[6].as<bool>()) {
      v.verdict = DialVerdict::refused;
    } else if (row[7].as<bool>()) {
      v.verdict = DialVerdict::live_call;
    } else if (!row[4].is_null() && Instant(std::chrono::seconds(row[4].as<std::int64_t>())) > at) {
      v.verdict = DialVerdict::retry_gap;
      next_from(Instant(std::chrono::seconds(row[4].as<std::int64_t>())));
    } else if (place.zones.empty()) {
      v.verdict = DialVerdict::no_zone;
    } else if (static_cast<int>(recent.size()) >= law.max_attempts_per_week) {
      v.verdict = DialVerdict::attempts_week;
      next_from(recent[recent.size() - static_cast<std::size_t>(law.max_attempts_per_week)] + std::chrono::days(7));
    } else if (attempts_on_local_day(recent, place.zones, at) >= law.max_attempts_per_day) {
      v.verdict = DialVerdict::attempts_day;
      auto local = local_time(place.zones.front(), at);
      next_from(at + std::chrono::minutes(24 * 60 - local.minute));
    } else if (!allowed_at(window, place.zones, at)) {
      v.verdict = DialVerdict::outside_window;
      next_from(at);
    }
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace

const char* verdict_name(DialVerdict verdict) {
  switch (verdict) {
    case DialVerdict::due:
      return "due";
    case DialVerdict::finished:
      return "finished";
    case DialVerdict::do_not_call:
      return "do_not_call";
    case DialVerdict::refused:
      return "refused";
    case DialVerdict::live_call:
      return "live_call";
    case DialVerdict::retry_gap:
      return "retry_gap";
    case DialVerdict::attempts_day:
      return "attempts_day";
    case DialVerdict::attempts_week:
      return "attempts_week";
    case DialVerdict::outside_window:
      return "outside_window";
    case DialVerdict::no_zone:
      return "no_zone";
  }
  return "due";
}

CampaignGate workspace_gate(pqxx::transaction_base& tx, const std::string& workspace_id) {
  auto row = tx.exec_params(
      "SELECT w.deleted_at IS NOT NULL OR p.deleted_at IS NOT NULL, w.status, p.credit_at_zero = 'suspend_agents',"
      " w.credit_balance_cents - (SELECT count(*) FROM call_attempts a WHERE a.workspace_id = w.id AND a.ended_at IS"
      " NULL) * w.per_minute_rate_cents * $2::int, w.per_minute_rate_cents * $2::int FROM workspaces w JOIN partners"
      " p ON p.id = w.partner_id WHERE w.id = $1::uuid",
      workspace_id, reserved_minutes)[0];
  if (row[0].as<bool>()) return {false, "the workspace or its partner is deleted"};
  if (row[1].as<std::string>() != "active") return {false, "the workspace is " + row[1].as<std::string>()};
  if (row[2].as<bool>() && row[3].as<std::int64_t>() < row[4].as<std::int64_t>()) return {false, "insufficient_credit"};
  return {true, ""};
}

CampaignGate campaign_gate(pqxx::transaction_base& tx, const std::string& campaign_id, Instant at) {
  auto workspace = tx.exec_params("SELECT workspace_id FROM campaigns WHERE id = $1::uuid", campaign_id)[0][0];
  if (auto gate = workspace_gate(tx, workspace.as<std::string>()); !gate.may_dial) return gate;
  auto row = tx.exec_params(
      "SELECT status, agent_id IS NOT NULL, floor(extract(epoch FROM starts_at))::bigint, floor(extract(epoch FROM"
      " ends_at))::bigint, COALESCE(pause_reason, '') FROM campaigns WHERE id = $1::uuid",
      campaign_id)[0];
  auto status = row[0].as<std::string>();
  auto when = [](const pqxx::field& f) { return Instant(std::chrono::seconds(f.as<std::int64_t>())); };
  auto text = [](Instant i) { return utc_text(i.time_since_epoch().count() * 1000); };
  if (status == "paused")
    return {false,
            "the campaign is paused" + (row[4].as<std::string>().empty() ? "" : " (" + row[4].as<std::string>() + ")")};
  if (status != "running" && status != "scheduled") return {false, "the campaign is " + status};
  if (status == "scheduled" && !row[2].is_null() && when(row[2]) > at)
    return {false, "the campaign starts at " + text(when(row[2]))};
  if (!row[3].is_null() && when(row[3]) <= at) return {false, "the campaign ended at " + text(when(row[3]))};
  if (!row[1].as<bool>()) return {false, "the campaign has no agent"};
  return {true, ""};
}

namespace {

/// judged_sql selects the columns judge_rows reads for the recipients WHERE picks ($1 workspace, $2 campaign, $3 the
/// instant in epoch seconds), then TAIL (order, limit, locking).
std::string judged_sql(const std::string& where, const std::string& tail) {
  return "SELECT r.id, r.phone, COALESCE(r.timezone, ''), r.status, floor(extract(epoch FROM "
         "r.next_attempt_at))::bigint, " +
         dnc_listed_sql("r.workspace_id", "r.phone") +
         ", EXISTS (SELECT 1 FROM call_attempts a WHERE a.workspace_id = r.workspace_id AND a.phone_e164 = r.phone AND"
         " a.outcome IN ('refused', 'opted_out')), EXISTS (SELECT 1 FROM call_attempts a WHERE a.workspace_id ="
         " r.workspace_id AND a.recipient_id = r.id AND a.ended_at IS NULL), COALESCE((SELECT"
         " array_agg(floor(extract(epoch FROM a.requested_at))::bigint ORDER BY a.requested_at) FROM call_attempts a"
         " WHERE a.workspace_id = r.workspace_id AND a.phone_e164 = r.phone AND a.requested_at > to_timestamp($3) -"
         " interval '7 days' AND a.requested_at <= to_timestamp($3)), '{}')::text FROM campaign_recipients r WHERE"
         " r.workspace_id = $1::uuid AND r.campaign_id = $2::uuid AND " +
         where + " " + tail;
}

}  // namespace

std::vector<RecipientVerdict> judge_recipients(pqxx::transaction_base& tx, const std::string& campaign_id, Instant at,
                                               std::int64_t after, std::size_t limit) {
  std::string ws;
  auto own = campaign_window(tx, campaign_id, ws);
  auto rows = tx.exec_params(judged_sql("r.id > $4", "ORDER BY r.id LIMIT $5"), ws, campaign_id,
                             std::to_string(at.time_since_epoch().count()), after, static_cast<std::int64_t>(limit));
  return judge_rows(tx, rows, own, at, false);
}

std::vector<RecipientVerdict> claim_candidates(pqxx::transaction_base& tx, const std::string& campaign_id, Instant at,
                                               std::size_t limit, bool force) {
  std::string ws;
  auto own = campaign_window(tx, campaign_id, ws);
  auto rows = tx.exec_params(
      judged_sql("(r.status IN ('pending', 'queued') OR ($5 AND r.status = 'failed' AND r.outcome IN ('no_answer',"
                 " 'busy', 'voicemail', 'failed'))) AND (r.next_attempt_at IS NULL OR r.next_attempt_at <="
                 " to_timestamp($3))",
                 "ORDER BY r.id LIMIT $4 FOR UPDATE OF r SKIP LOCKED"),
      ws, campaign_id, std::to_string(at.time_since_epoch().count()), static_cast<std::int64_t>(limit), force);
  return judge_rows(tx, rows, own, at, force);
}

std::optional<std::int64_t> credit_room(pqxx::transaction_base& tx, const std::string& workspace_id) {
  auto row = tx.exec_params(
      "SELECT p.credit_at_zero = 'suspend_agents', w.credit_balance_cents - (SELECT count(*) FROM call_attempts a"
      " WHERE a.workspace_id = w.id AND a.ended_at IS NULL) * w.per_minute_rate_cents * $2::int,"
      " w.per_minute_rate_cents * $2::int FROM workspaces w JOIN partners p ON p.id = w.partner_id WHERE w.id ="
      " $1::uuid",
      workspace_id, reserved_minutes)[0];
  auto each = row[2].as<std::int64_t>();
  if (!row[0].as<bool>() || each <= 0) return std::nullopt;
  return std::max<std::int64_t>(0, row[1].as<std::int64_t>() / each);
}

}  // namespace wfa
