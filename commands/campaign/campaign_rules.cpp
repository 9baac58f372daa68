#include "commands/campaign/campaign_rules.hpp"

#include <algorithm>

#include <pqxx/result>
#include <pqxx/transaction_base>

#include "core/error.hpp"
#include "core/session.hpp"
#include "core/rows.hpp"
#include "commands/tenancy/tenancy_lookup.hpp"
#include "core/validation.hpp"
#include "commands/tenancy/actor.hpp"

namespace wfa {

namespace {

const std::vector<Transition> transitions = {
    {"schedule", {"draft", "scheduled"}, "scheduled"},
    {"pause", {"scheduled", "running"}, "paused"},
    {"resume", {"paused"}, "running"},  // back to scheduled when the window has not started yet
    {"cancel", {"draft", "scheduled", "running", "paused"}, "cancelled"},
    {"expire", {"scheduled", "running", "paused"}, "expired"},
};

}  // namespace

CampaignRef find_campaign(pqxx::transaction_base& tx, const std::string& reference, bool lock) {
  std::string sql =
      "SELECT c.id, c.workspace_id, w.partner_id, p.slug || '/' || w.slug || '/' || c.name, c.status"
      " FROM campaigns c JOIN workspaces w ON w.id = c.workspace_id JOIN partners p ON p.id = w.partner_id ";
  std::string tail = lock ? " FOR UPDATE OF c" : "";
  pqxx::result rows;
  if (is_uuid(reference)) {
    rows = tx.exec_params(sql + "WHERE c.id = $1::uuid" + tail, reference);
  } else if (auto slash = reference.rfind('/'); slash != std::string::npos && slash > 0) {
    auto workspace = find_workspace(tx, reference.substr(0, slash), true);
    rows = tx.exec_params(sql + "WHERE c.workspace_id = $1::uuid AND c.name = $2" + tail, workspace.id,
                          reference.substr(slash + 1));
  } else {
    throw InvalidInputError("campaign '" + reference + "' is ambiguous",
                            "give its id or PARTNER/WORKSPACE/NAME, e.g. acme/main/spring");
  }
  if (rows.empty())
    throw NotFoundError("campaign '" + reference + "' not found", "list campaigns with `wfa campaign list`");
  const auto& r = rows[0];
  return {r[0].as<std::string>(), r[1].as<std::string>(), r[2].as<std::string>(), r[3].as<std::string>(),
          r[4].as<std::string>()};
}

CampaignRef campaign_for(pqxx::transaction_base& tx, const Session& session, const std::string& reference,
                         std::string_view permission, bool lock) {
  auto c = find_campaign(tx, reference, lock);
  WorkspaceRef ws{c.workspace_id, c.partner_id, "", false};
  require_workspace(tx, actor_of(tx, session), ws, c.label.substr(0, c.label.rfind('/')), permission);
  return c;
}

std::vector<std::pair<std::string, Cell>> campaign_fields(pqxx::transaction_base& tx, const std::string& id) {
  return to_fields(tx.exec_params(
      "SELECT c.id, p.slug || '/' || w.slug AS workspace, c.workspace_id, c.name, c.status, c.agent_id, c.timezone,"
      " c.starts_at, c.ends_at, c.status_changed_at,"
      " c.recipient_count AS recipients,"
      " (SELECT count(*) FROM campaign_imports i WHERE i.workspace_id = c.workspace_id AND i.campaign_id = c.id)"
      " AS imports,"
      " c.created_by, c.created_at, c.updated_at, array_to_string(c.call_days, ',') AS call_days,"
      " to_char(c.call_window_start, 'HH24:MI') AS call_from, to_char(c.call_window_end, 'HH24:MI') AS call_to,"
      " c.max_concurrent, c.calls_per_minute, c.retry_policy, c.pause_reason"
      " FROM campaigns c JOIN workspaces w ON w.id = c.workspace_id JOIN partners p ON p.id = w.partner_id"
      " WHERE c.id = $1::uuid",
      id));
}

const Transition& transition(std::string_view verb) {
  auto it = std::find_if(transitions.begin(), transitions.end(), [&](const Transition& t) { return t.verb == verb; });
  if (it == transitions.end())
    throw Error(ErrorCategory::unexpected, "no campaign transition '" + std::string(verb) + "'");
  return *it;
}

bool is_terminal(std::string_view status) {
  return status == "completed" || status == "cancelled" || status == "expired";
}

PhoneReader phone_reader_for(const std::optional<std::string>& default_country, const Session& session) {
  if (!default_country) return PhoneReader();
  auto iso = phone_country(*default_country);
  if (!iso)
    throw InvalidInputError(
        session.option("default-country") + " '" + *default_country + "' is not a country with a numbering plan",
        "give a two-letter ISO 3166 code such as AE, SA, GB or US");
  return PhoneReader(*iso);
}

void check_timezone(pqxx::transaction_base& tx, std::string_view field, const std::string& name) {
  if (!tx.exec_params("SELECT EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = $1)", name)[0][0].as<bool>())
    throw InvalidInputError(std::string(field) + " '" + name + "' is not a known time zone",
                            "use an IANA name such as Asia/Dubai or UTC");
}

void check_local_time(pqxx::transaction_base& tx, const std::string& field, const std::optional<std::string>& value,
                      const std::string& tz) {
  if (!value) return;
  auto row = tx.exec_params(
      "SELECT $1::text ~ '(Z|z|[+-][0-9][0-9](:?[0-9][0-9])?)$' OR (($1::timestamp AT TIME ZONE $2) AT TIME ZONE $2)"
      " = $1::timestamp, to_char(($1::timestamp AT TIME ZONE $2) AT TIME ZONE $2, 'YYYY-MM-DD HH24:MI')",
      *value, tz)[0];
  if (!row[0].as<bool>())
    throw InvalidInputError(field + " '" + *value + "' does not exist in " + tz +
                                ": the clocks skip that hour when they go forward (PostgreSQL would make it " +
                                row[1].as<std::string>() + ")",
                            "give a time outside the skipped hour, or one with an offset such as +04:00");
}

std::string timestamp_sql(int n, int tz) {
  auto p = "$" + std::to_string(n) + "::text", z = "$" + std::to_string(tz) + "::text";
  return "(CASE WHEN " + p + " IS NULL THEN NULL WHEN " + p +
         " ~ '[0-9]:[0-9][0-9](:[0-9][0-9](\\.[0-9]*)?)? *(Z|z|[+-][0-9][0-9](:?[0-9][0-9])?)$' THEN " + p +
         "::timestamptz ELSE " + p + "::timestamp AT TIME ZONE " + z + " END)";
}

const std::vector<RecipientResultColumn>& recipient_result_columns() {
  using Kind = RecipientResultColumn::Kind;
  static const std::vector<RecipientResultColumn> columns = {
      {"outcome", "r.outcome", Kind::code},
      {"attempts", "r.attempts", Kind::integer},
      {"last_attempt_at", "a.last_attempt_at", Kind::time},
      {"next_attempt_at", "r.next_attempt_at", Kind::time},
      {"skip_reason", "r.skip_reason", Kind::code},
      {"requires_follow_up", "r.requires_follow_up", Kind::boolean}};
  return columns;
}

}  // namespace wfa
