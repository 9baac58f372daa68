// `wfa campaign update` (the dialing settings) and `wfa campaign due` (the dispatcher's decision, shown).
#include <algorithm>

#include <nlohmann/json.hpp>
#include <pqxx/result>
#include <pqxx/transaction>

#include "core/audited_mutation.hpp"
#include "core/database.hpp"
#include "core/error.hpp"
#include "core/session.hpp"
#include "core/utc_time.hpp"
#include "core/validation.hpp"
#include "commands/campaign/campaign.hpp"
#include "commands/campaign/campaign_rules.hpp"
#include "commands/campaign/dial_rules.hpp"
#include "commands/number/number_rules.hpp"

namespace wfa {

namespace {

const Choices retry_outcomes = {"no_answer", "busy", "voicemail", "failed"};

/// check_hhmm accepts HH:MM from 00:00 to 24:00 (exit 6 naming FIELD).
std::string check_hhmm(const std::string& field, const std::string& text) {
  bool ok = text.size() == 5 && text[2] == ':';
  for (std::size_t i : {0u, 1u, 3u, 4u}) ok = ok && text[i] >= '0' && text[i] <= '9';
  if (ok) {
    int h = std::stoi(text.substr(0, 2)), m = std::stoi(text.substr(3, 2));
    ok = m < 60 && (h < 24 || (h == 24 && m == 0));
  }
  if (!ok) throw InvalidInputError(field + " '" + text + "' is not a time of day HH:MM", "e.g. " + field + " 10:00");
  return text == "24:00" ? "23:59:59" : text;
}

/// merged_policy applies --retry OUTCOME=ATTEMPTS[@GAP_MINUTES] items to the stored POLICY (JSON text).
std::string merged_policy(const std::string& policy, const std::vector<std::string>& retries) {
  auto doc = nlohmann::json::parse(policy);
  for (const auto& item : retries) {
    auto eq = item.find('=');
    auto outcome = item.substr(0, eq);
    if (eq == std::string::npos ||
        std::find(retry_outcomes.begin(), retry_outcomes.end(), outcome) == retry_outcomes.end())
      throw InvalidInputError("--retry '" + item + "' is not OUTCOME=ATTEMPTS[@GAP_MINUTES]",
                              "OUTCOME is no_answer, busy, voicemail or failed, e.g. --retry no_answer=3@240");
    auto rest = item.substr(eq + 1);
    auto at = rest.find('@');
    auto number = [&](const std::string& text, long low, long high) {
      bool digits = !text.empty() && text.size() <= 6 && std::all_of(text.begin(), text.end(), ::isdigit);
      long n = digits ? std::stol(text) : -1;
      if (n < low || n > high)
        throw InvalidInputError(
            "--retry '" + item +
                "': " + (text.empty() ? std::string("a number is missing") : "'" + text + "' is out of range"),
            "attempts 1 to 20, gap 1 to 10080 minutes, e.g. --retry busy=3@30");
      return n;
    };
    doc[outcome]["max_attempts"] = number(rest.substr(0, at), 1, 20);
    if (at != std::string::npos) doc[outcome]["min_gap_minutes"] = number(rest.substr(at + 1), 1, 10080);
  }
  return doc.dump();
}

/// caller_ids checks NUMBERS ("none" clears) against the campaign's workspace: each an active number it owns on
/// the provider of the campaign's agent; the result is a text[] literal, or nothing when NUMBERS is unset.
std::optional<std::string> caller_ids(pqxx::transaction_base& tx, const CampaignRef& c,
                                      const std::optional<std::vector<std::string>>& numbers) {
  if (!numbers) return std::nullopt;
  if (numbers->size() == 1 && numbers->front() == "none") return "{}";
  if (numbers->size() > 100) throw InvalidInputError("--from-number is given more than 100 times", "rotate up to 100");
  auto agent = tx.exec_params(
      "SELECT COALESCE(a.provider, '') FROM campaigns c LEFT JOIN ai_agents a ON a.workspace_id = c.workspace_id AND"
      " a.id = c.agent_id WHERE c.id = $1::uuid",
      c.id)[0][0];
  auto provider = agent.as<std::string>();
  if (provider.empty())
    throw ConflictError("campaign " + c.label + " has no agent, so no provider to call from", "give it an agent first");
  WorkspaceRef ws{c.workspace_id, c.partner_id, "", false};
  std::string out = "{";
  for (const auto& number : *numbers) {
    auto found = caller_number(tx, ws, provider, number);
    if (!found)
      throw InvalidInputError(
          "--from-number " + number + " is not an active " + provider + " number of the campaign's workspace",
          "see wfa number list; a campaign calls only from numbers its workspace owns");
    if (out.find(found->number) != std::string::npos) continue;
    out += (out.size() > 1 ? "," : "") + found->number;
  }
  return out + "}";
}

}  // namespace

Result run_campaign_update(const CampaignUpdateOptions& o, Session& session) {
  std::optional<std::string> days;
  if (o.call_days && *o.call_days != "all") {
    auto bits = day_list(*o.call_days);
    if (!bits || *bits == 0)
      throw InvalidInputError("--call-days '" + *o.call_days + "' is not a list of weekdays",
                              "e.g. --call-days mon,tue,wed,thu,fri, or all");
    days = "{";
    for (const auto& d : day_names(*bits)) *days += (days->size() > 1 ? "," : "") + d;
    *days += "}";
  }
  if (o.call_from.has_value() != o.call_to.has_value())
    throw UsageError("--call-from and --call-to go together", "give both, e.g. --call-from 10:00 --call-to 17:00");
  std::optional<std::string> from, to;
  bool clear_window = o.call_from && o.call_from->empty() && o.call_to->empty();
  if (o.call_from && !clear_window) {
    from = check_hhmm("--call-from", *o.call_from);
    to = check_hhmm("--call-to", *o.call_to);
    if (*to <= *from)
      throw InvalidInputError("--call-to " + *o.call_to + " is not after --call-from " + *o.call_from,
                              "the window is one local day: give an end after the start");
  }
  if (o.max_concurrent && (*o.max_concurrent < 1 || *o.max_concurrent > 1000))
    throw InvalidInputError("--max-concurrent must be 1 to 1000", "give the most calls this campaign may have live");
  if (o.calls_per_minute && (*o.calls_per_minute < 1 || *o.calls_per_minute > 60000))
    throw InvalidInputError("--calls-per-minute must be 1 to 60000", "give the most dials per minute");
  if (!o.call_days && !o.call_from && !o.max_concurrent && !o.calls_per_minute && o.retries.empty() && !o.from_numbers)
    throw UsageError("nothing to update", "give a dialing setting, e.g. --call-days mon,tue,wed --max-concurrent 5");
  pqxx::work tx(session.database().ready());
  auto c = campaign_for(tx, session, o.campaign, "workspace:campaigns:update", true);
  if (is_terminal(c.status))
    throw ConflictError("campaign " + c.label + " is " + c.status + "; it no longer changes", "nothing to do");
  auto from_numbers = caller_ids(tx, c, o.from_numbers);
  auto snapshot = [&] {
    return tx
        .exec_params(
            "SELECT jsonb_build_object('call_days', call_days, 'call_window_start', call_window_start,"
            " 'call_window_end', call_window_end, 'max_concurrent', max_concurrent, 'calls_per_minute',"
            " calls_per_minute, 'retry_policy', retry_policy, 'from_numbers', from_numbers)::text FROM campaigns"
            " WHERE id = $1::uuid",
            c.id)[0][0]
        .as<std::string>();
  };
  auto before = snapshot();
  auto policy = merged_policy(
      tx.exec_params("SELECT retry_policy::text FROM campaigns WHERE id = $1::uuid", c.id)[0][0].as<std::string>(),
      o.retries);
  auto text = [](const std::optional<std::string>& s) { return s ? s->c_str() : nullptr; };
  auto number = [](const std::optional<int>& n) -> std::optional<std::string> {
    if (!n) return std::nullopt;
    return std::to_string(*n);
  };
  tx.exec_params(
      "UPDATE campaigns SET call_days = CASE WHEN $2 THEN NULL ELSE COALESCE($3::text[], call_days) END,"
      " call_window_start = CASE WHEN $4 THEN NULL ELSE COALESCE($5::time, call_window_start) END, call_window_end ="
      " CASE WHEN $4 THEN NULL ELSE COALESCE($6::time, call_window_end) END, max_concurrent = COALESCE($7::int,"
      " max_concurrent), calls_per_minute = COALESCE($8::int, calls_per_minute), retry_policy = $9::jsonb,"
      " from_numbers = COALESCE($10::text[], from_numbers) WHERE id = $1::uuid",
      c.id, o.call_days && *o.call_days == "all", text(days), clear_window, text(from), text(to),
      number(o.max_concurrent), number(o.calls_per_minute), policy, text(from_numbers));
  auto after = snapshot();
  Result r;
  r.fields = campaign_fields(tx, c.id);
  if (!row_changed(tx, before, after)) {
    tx.abort();
    r.message = "campaign " + c.label + " already has these settings; nothing changed";
    return r;
  }
  record_audit(tx,
               {session.actor(), "campaign.update", "campaign", c.id, c.partner_id, c.workspace_id, before, after, ""});
  return commit_or_roll_back(tx, std::move(r), o.dry_run, "updated campaign " + c.label,
                             "would update campaign " + c.label);
}

Result run_campaign_due(const CampaignDueOptions& o, Session& session) {
  if (o.limit < 1 || o.limit > 10000)
    throw InvalidInputError("--limit must be 1 to 10000", "give how many recipients to judge");
  pqxx::read_transaction tx(session.read_database().ready());
  auto c = campaign_for(tx, session, o.campaign, "workspace:campaigns:read");
  auto at = std::chrono::floor<std::chrono::seconds>(session.now());
  if (o.at)
    at = Instant(std::chrono::seconds(tx.exec_params("SELECT floor(extract(epoch FROM $1::timestamptz))::bigint",
                                                     check_timestamp("--at", *o.at))[0][0]
                                          .as<std::int64_t>()));
  auto gate = campaign_gate(tx, c.id, at);
  auto verdicts = judge_recipients(tx, c.id, at, o.after.value_or(0), static_cast<std::size_t>(o.limit));
  auto text = [](Instant i) { return utc_text(i.time_since_epoch().count() * 1000); };
  Table table("recipients", {"id", "phone", "status", "rules", "verdict", "next_at"});
  std::int64_t due = 0;
  for (const auto& v : verdicts) {
    due += v.verdict == DialVerdict::due ? 1 : 0;
    table.rows.push_back({Cell(v.id), Cell(v.phone), Cell(v.status), Cell(v.country), Cell(verdict_name(v.verdict)),
                          v.next ? Cell(text(*v.next)) : Cell()});
  }
  Result r;
  r.fields = {{"campaign", Cell(c.label)},
              {"at", Cell(text(at))},
              {"may_dial", Cell(gate.may_dial)},
              {"reason", gate.reason.empty() ? Cell() : Cell(gate.reason)},
              {"judged", Cell(static_cast<std::int64_t>(verdicts.size()))},
              {"due", Cell(gate.may_dial ? due : 0)},
              {"next_after", verdicts.size() == static_cast<std::size_t>(o.limit) ? Cell(verdicts.back().id) : Cell()}};
  r.tables.push_back(std::move(table));
  return r;
}

Result run_campaign_stats(const CampaignStatsOptions& o, Session& session) {
  pqxx::read_transaction tx(session.read_database().ready());
  auto c = campaign_for(tx, session, o.campaign, "workspace:campaigns:read");
  auto counts = [&](const std::string& column, const std::string& name) {
    Table table(name, {column, "recipients"});
    for (const auto& row : tx.exec_params("SELECT COALESCE(" + column +
                                              ", 'none'), count(*) FROM campaign_recipients"
                                              " WHERE workspace_id = $1::uuid AND campaign_id = $2::uuid GROUP BY 1"
                                              " ORDER BY 1",
                                          c.workspace_id, c.id))
      table.rows.push_back({Cell(row[0].as<std::string>()), Cell(row[1].as<std::int64_t>())});
    return table;
  };
  // A call connected when someone answered: completed, or refused and opted out, which only a person says. Minutes
  // are each call's rounded up, as billed; the durations' percentiles are the connected calls'.
  const std::string answered = "a.outcome IN ('completed', 'refused', 'opted_out')";
  auto row = tx.exec_params(
      "SELECT count(*), count(*) FILTER (WHERE a.ended_at IS NOT NULL), count(*) FILTER (WHERE " + answered +
          "), count(*) FILTER (WHERE a.ended_at IS NULL), COALESCE(sum((v.duration_seconds + 59) / 60), 0),"
          " COALESCE(sum(v.total_cost_micros), 0), percentile_disc(0.5) WITHIN GROUP (ORDER BY v.duration_seconds)"
          " FILTER (WHERE " +
          answered + "), percentile_disc(0.95) WITHIN GROUP (ORDER BY v.duration_seconds) FILTER (WHERE " + answered +
          "), round(100.0 * count(*) FILTER (WHERE " + answered +
          ") / NULLIF(count(*) FILTER (WHERE a.ended_at IS NOT NULL), 0), 2)::text, COALESCE(sum(u.charged_cents),"
          " 0) FROM call_attempts a LEFT JOIN conversations v ON v.workspace_id = a.workspace_id AND v.id ="
          " a.conversation_id LEFT JOIN usage_tracking u ON u.workspace_id = a.workspace_id AND u.source_type ="
          " 'call' AND u.source_id = a.conversation_id WHERE a.workspace_id ="
          " $1::uuid AND a.campaign_id = $2::uuid",
      c.workspace_id, c.id)[0];
  auto ended = row[1].as<std::int64_t>(), connected = row[2].as<std::int64_t>();
  auto optional_int = [](const pqxx::field& f) { return f.is_null() ? Cell() : Cell(f.as<std::int64_t>()); };
  Result r;
  r.fields = {{"campaign", Cell(c.label)},
              {"status", Cell(c.status)},
              {"attempts", Cell(row[0].as<std::int64_t>())},
              {"attempts_ended", Cell(ended)},
              {"live_calls", Cell(row[3].as<std::int64_t>())},
              {"connected", Cell(connected)},
              {"connect_rate_pct", row[8].is_null() ? Cell() : Cell(row[8].as<std::string>())},
              {"minutes", Cell(row[4].as<std::int64_t>())},
              {"cost_micros", Cell(row[5].as<std::int64_t>())},
              {"charged_cents", Cell(row[9].as<std::int64_t>())},
              {"duration_p50_s", optional_int(row[6])},
              {"duration_p95_s", optional_int(row[7])}};
  r.tables.push_back(counts("status", "by_status"));
  r.tables.push_back(counts("outcome", "by_outcome"));
  return r;
}

}  // namespace wfa
