// `wfa campaign schedule|pause|resume|cancel`: the status machine of campaign_rules.
#include <pqxx/except>
#include <pqxx/result>
#include <pqxx/transaction>

#include "core/session.hpp"
#include "core/database.hpp"
#include "core/audited_mutation.hpp"
#include "commands/campaign/campaign.hpp"
#include "commands/campaign/campaign_jobs.hpp"
#include "commands/campaign/campaign_rules.hpp"
#include "commands/tenancy/tenancy_lookup.hpp"
#include "core/validation.hpp"

namespace wfa {

namespace {

std::string joined(const std::vector<std::string_view>& states) {
  std::string out;
  for (std::size_t i = 0; i < states.size(); ++i)
    out += (i == 0 ? "" : i + 1 == states.size() ? " or " : ", ") + std::string(states[i]);
  return out;
}

/// change_status applies VERB to the campaign: a campaign already in the target state is left
/// alone (exit 0); one in a state the verb does not leave is a ConflictError (exit 4).
Result change_status(const CampaignStatusOptions& o, Session& session, std::string_view verb) {
  const auto& t = transition(verb);
  if (o.starts_at) check_timestamp(session.option("start"), *o.starts_at);
  if (o.ends_at) check_timestamp(session.option("end"), *o.ends_at);
  if (o.now && o.starts_at)
    throw UsageError(session.option("now") + " and " + session.option("start") + " both set the start",
                     "give one of them");
  if (o.dispatchers < 0 || o.dispatchers > 64)
    throw InvalidInputError(session.option("dispatchers") + " must be 0 to 64",
                            "give how many workers may dial this campaign at once (0: none queued)");
  auto& conn = session.database().ready();
  if (verb == "cancel" && !o.dry_run) {
    pqxx::read_transaction tx(conn);
    auto c = campaign_for(tx, session, o.campaign, "workspace:campaigns:update");
    if (!is_terminal(c.status)) session.confirm(o.yes, "cancel campaign " + c.label);
  }
  pqxx::work tx(conn);
  auto c = campaign_for(tx, session, o.campaign, "workspace:campaigns:update", true);
  Result r;
  bool same = c.status == t.to && verb != "schedule";
  if (same || (verb == "resume" && (c.status == "running" || c.status == "scheduled"))) {
    r.fields = campaign_fields(tx, c.id);
    r.message = "campaign " + c.label + " is already " + c.status + "; nothing changed";
    return r;
  }
  if (std::find(t.from.begin(), t.from.end(), c.status) == t.from.end())
    throw ConflictError(
        "cannot " + std::string(verb) + " campaign " + c.label + ": it is " + c.status,
        "only " + joined(t.from) + " campaigns can be " + std::string(t.to == "running" ? "resumed" : t.to));
  if (o.timezone) check_timezone(tx, session.option("timezone"), *o.timezone);
  auto zone = o.timezone
                  ? *o.timezone
                  : tx.exec_params("SELECT timezone FROM campaigns WHERE id = $1::uuid", c.id)[0][0].as<std::string>();
  check_local_time(tx, session.option("start"), o.starts_at, zone);
  check_local_time(tx, session.option("end"), o.ends_at, zone);
  auto before = row_json(tx, "campaigns", c.id);
  try {
    tx.exec_params(
        "UPDATE campaigns SET timezone = COALESCE($2, timezone),"
        " starts_at = CASE WHEN $6 THEN now() ELSE COALESCE(" +
            timestamp_sql(3, 5) +
            ", starts_at) END,"
            " ends_at = COALESCE(" +
            timestamp_sql(4, 5) + ", ends_at) WHERE id = $1::uuid",
        // Times without an offset are read in the campaign's (possibly new) time zone.
        c.id, o.timezone, o.starts_at, o.ends_at, zone, o.now);
  } catch (const pqxx::check_violation&) {
    throw InvalidInputError("the window of campaign " + c.label + " would end before it starts",
                            "give an --end after --start");
  }
  if (verb == "schedule") {
    auto window = tx.exec_params(
        "SELECT starts_at IS NOT NULL AND ends_at IS NOT NULL, ends_at > now() FROM campaigns WHERE id = $1::uuid",
        c.id);
    if (!window[0][0].as<bool>())
      throw InvalidInputError("campaign " + c.label + " has no schedule window", "give --start and --end (ISO 8601)");
    if (!window[0][1].as<bool>())
      throw InvalidInputError("the window of campaign " + c.label + " has already ended", "give a later --end");
  }
  tx.exec_params(
      "UPDATE campaigns SET status = CASE WHEN $2 = 'running' AND starts_at > now() THEN 'scheduled' ELSE $2 END,"
      " status_changed_at = now(), pause_reason = NULL WHERE id = $1::uuid",
      c.id, std::string(t.to));
  auto after = row_json(tx, "campaigns", c.id);
  auto now = tx.exec_params("SELECT status FROM campaigns WHERE id = $1::uuid", c.id)[0][0].as<std::string>();
  if ((now == "scheduled" || now == "running") && o.dispatchers > 0)
    queue_dispatchers(tx, session, c.id, o.dispatchers);
  // Dispatchers of a campaign that stops hear it at once rather than at their next tick.
  tx.exec_params("SELECT pg_notify('wfa_dial', $1)", c.workspace_id);
  record_audit(tx, {session.actor(), "campaign." + std::string(verb), "campaign", c.id, c.partner_id, c.workspace_id,
                    before, after, ""});
  r.fields = campaign_fields(tx, c.id);
  return commit_or_roll_back(tx, std::move(r), o.dry_run, "campaign " + c.label + " is now " + now,
                             "would make campaign " + c.label + " " + now);
}

}  // namespace

Result run_campaign_schedule(const CampaignStatusOptions& o, Session& session) {
  return change_status(o, session, "schedule");
}
Result run_campaign_pause(const CampaignStatusOptions& o, Session& session) {
  return change_status(o, session, "pause");
}
Result run_campaign_resume(const CampaignStatusOptions& o, Session& session) {
  return change_status(o, session, "resume");
}
Result run_campaign_cancel(const CampaignStatusOptions& o, Session& session) {
  return change_status(o, session, "cancel");
}

}  // namespace wfa
