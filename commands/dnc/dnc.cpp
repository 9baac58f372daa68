// `wfa dnc add|list|remove|check`.
#include "commands/dnc/dnc.hpp"

#include <algorithm>
#include <cctype>

#include <nlohmann/json.hpp>
#include <pqxx/result>
#include <pqxx/transaction>

#include "core/audited_mutation.hpp"
#include "core/database.hpp"
#include "core/error.hpp"
#include "core/rows.hpp"
#include "core/session.hpp"
#include "core/validation.hpp"
#include "commands/dnc/dnc_rules.hpp"
#include "commands/tenancy/actor.hpp"
#include "pipelines/phone.hpp"

namespace wfa {

namespace {

/// audit_phones is at most the first 100 numbers of a change, for the audit row.
nlohmann::json audit_phones(const std::vector<std::string>& phones) {
  auto shown = std::min<std::size_t>(phones.size(), 100);
  return nlohmann::json(std::vector<std::string>(phones.begin(), phones.begin() + static_cast<std::ptrdiff_t>(shown)));
}

std::string numbers(std::size_t n) { return std::to_string(n) + (n == 1 ? " number" : " numbers"); }

}  // namespace

Result run_dnc_add(const DncAddOptions& o, Session& session) {
  auto phones = dnc_phones(dnc_reader(o.default_country, session), o.phones);
  std::optional<std::string> note;
  if (o.note) {
    check_single_line("--note", *o.note, 500);
    note = *o.note;
  }
  auto registry = check_registry(o.registry);
  pqxx::work tx(session.database().ready());
  auto list = dnc_list(tx, session, o.list, "create");
  pqxx::result added;
  if (list.workspace)
    added = tx.exec_params(
        "INSERT INTO do_not_call (workspace_id, phone_e164, reason, note, added_by) SELECT $1::uuid, p, 'manual', $3,"
        " $4 FROM unnest($2::text[]) p ON CONFLICT (workspace_id, phone_e164) DO NOTHING RETURNING phone_e164",
        list.workspace->id, phone_array(phones), note, session.actor());
  else
    added = tx.exec_params(
        "INSERT INTO do_not_call_registry (partner_id, phone_e164, registry, added_by) SELECT $1::uuid, p, $3, $4 FROM"
        " unnest($2::text[]) p ON CONFLICT (partner_id, phone_e164) DO NOTHING RETURNING phone_e164",
        list.partner ? list.partner->id.c_str() : nullptr, phone_array(phones), registry, session.actor());
  std::vector<std::string> new_phones;
  for (const auto& row : added) new_phones.push_back(row[0].as<std::string>());
  Result r;
  r.fields = {{"list", Cell(list.label)},
              {"added", Cell(static_cast<std::int64_t>(new_phones.size()))},
              {"already_listed", Cell(static_cast<std::int64_t>(phones.size() - new_phones.size()))}};
  if (new_phones.empty()) {
    tx.abort();
    r.message = "every number is already on the do-not-call list of " + list.label + "; nothing changed";
    return r;
  }
  audit_dnc(tx, session, list, "dnc.add",
            nlohmann::json{{"phones", audit_phones(new_phones)}, {"count", new_phones.size()}}.dump());
  auto what = numbers(new_phones.size()) + " to the do-not-call list of " + list.label;
  return commit_or_roll_back(tx, std::move(r), o.dry_run, "added " + what, "would add " + what);
}

Result run_dnc_list(const DncListOptions& o, Session& session) {
  if (o.registry) check_registry(*o.registry);
  auto tx = list_transaction(session);
  auto list = dnc_list(*tx, session, o.list, "read");
  ListQuery query("dnc list", "numbers");
  if (list.workspace) {
    if (o.registry) throw UsageError("--registry filters partner and platform lists", "leave it out");
    query.select("phone_e164 AS phone, reason, note, added_by, " + utc_sql("created_at") + " AS created_at")
        .from("do_not_call")
        .where("workspace_id = ?::uuid", list.workspace->id);
  } else {
    query.select("phone_e164 AS phone, registry, added_by, " + utc_sql("created_at") + " AS created_at")
        .from("do_not_call_registry")
        .where("registry = ?", o.registry);
    if (list.partner)
      query.where("partner_id = ?::uuid", list.partner->id);
    else
      query.where("partner_id IS NULL");
  }
  query.order_by({{"phone_e164", "text"}}).when_empty("the do-not-call list of " + list.label + " is empty");
  return list_rows(tx, query, o.paging, session);
}

Result run_dnc_remove(const DncRemoveOptions& o, Session& session) {
  auto phones = dnc_phones(dnc_reader(o.default_country, session), o.phones);
  pqxx::work tx(session.database().ready());
  auto list = dnc_list(tx, session, o.list, "delete");
  auto removed = list.workspace ? tx.exec_params(
                                      "DELETE FROM do_not_call WHERE workspace_id = $1::uuid AND phone_e164 ="
                                      " ANY($2::text[]) RETURNING phone_e164",
                                      list.workspace->id, phone_array(phones))
                                : tx.exec_params(
                                      "DELETE FROM do_not_call_registry WHERE partner_id IS NOT DISTINCT FROM $1::uuid"
                                      " AND phone_e164 = ANY($2::text[]) RETURNING phone_e164",
                                      list.partner ? list.partner->id.c_str() : nullptr, phone_array(phones));
  if (removed.empty())
    throw NotFoundError("none of the numbers is on the do-not-call list of " + list.label,
                        "see the list with `wfa dnc list`");
  std::vector<std::string> gone;
  for (const auto& row : removed) gone.push_back(row[0].as<std::string>());
  audit_dnc(tx, session, list, "dnc.remove",
            nlohmann::json{{"phones", audit_phones(gone)}, {"count", gone.size()}}.dump());
  Result r;
  r.fields = {{"list", Cell(list.label)}, {"removed", Cell(static_cast<std::int64_t>(gone.size()))}};
  auto what = numbers(gone.size()) + " from the do-not-call list of " + list.label;
  return commit_or_roll_back(tx, std::move(r), o.dry_run, "removed " + what, "would remove " + what);
}

Result run_dnc_check(const DncCheckOptions& o, Session& session) {
  auto phone = dnc_phones(dnc_reader(o.default_country, session), {o.phone}).front();
  pqxx::read_transaction tx(session.read_database().ready());
  auto ws = workspace_for(tx, session, o.workspace, "workspace:dnc:read");
  Table hits("lists", {"list", "reason", "added_by", "created_at"});
  for (const auto& row : tx.exec_params(
           "SELECT 'workspace', reason, added_by, " + utc_sql("created_at") +
               " FROM do_not_call WHERE workspace_id = $1::uuid AND phone_e164 = $2 UNION ALL SELECT CASE WHEN"
               " partner_id IS NULL THEN 'platform' ELSE 'partner' END, registry, added_by, " +
               utc_sql("created_at") +
               " FROM do_not_call_registry WHERE phone_e164 = $2 AND (partner_id IS NULL OR partner_id = $3::uuid)"
               " ORDER BY 1",
           ws.id, phone, ws.partner_id))
    hits.rows.push_back({Cell(row[0].as<std::string>()), Cell(row[1].as<std::string>()), Cell(row[2].as<std::string>()),
                         Cell(row[3].as<std::string>())});
  // listed is the dialer's own condition, so the check answers exactly what a campaign will do.
  auto listed = tx.exec_params("SELECT " + dnc_listed_sql("$1::uuid", "$2"), ws.id, phone)[0][0].as<bool>();
  Result r;
  r.fields = {{"phone", Cell(phone)}, {"workspace", Cell(o.workspace)}, {"listed", Cell(listed)}};
  r.tables.push_back(std::move(hits));
  return r;
}

}  // namespace wfa
