// `wfa cleanup invitations|grants|shares|webhooks|notifications|all`: each kind one statement under its own lock.
#include <map>
#include <regex>

#include <pqxx/result>
#include <pqxx/transaction>

#include "commands/cleanup/cleanup.hpp"
#include "commands/tenancy/actor.hpp"
#include "core/audited_mutation.hpp"
#include "core/database.hpp"
#include "core/error.hpp"
#include "core/session.hpp"

namespace wfa {

std::int64_t older_than_seconds(const std::string& text) {
  static const std::regex shape("([1-9][0-9]{0,5})([mhdw])");
  std::smatch m;
  if (!std::regex_match(text, m, shape))
    throw InvalidInputError("--older-than '" + text + "' is not a duration",
                            "give a number and m, h, d or w, e.g. 30d");
  static const std::map<char, std::int64_t> unit{{'m', 60}, {'h', 3600}, {'d', 86400}, {'w', 604800}};
  return std::stoll(m[1].str()) * unit.at(m[2].str()[0]);
}

namespace {

/// Kind is one cleanup: what it retires, the statement that does it (RETURNING the audit's fields: action, entity
/// type, entity id, partner id, workspace id), and the retention its --older-than replaces (empty: none applies).
struct Kind {
  const char* name;
  const char* what;
  const char* sql;  ///< $1: the retention as an interval, when it has one
  const char* retention;
};

const Kind kinds[] = {
    {"invitations", "overdue invitations expired",
     "WITH p AS (UPDATE partner_invitations SET status = 'expired' WHERE status = 'pending' AND expires_at < now()"
     " RETURNING 'partner_invitation.expire' AS action, 'partner_invitation' AS type, id::text, partner_id, NULL::uuid"
     " AS workspace_id), w AS (UPDATE workspace_invitations i SET status = 'expired' FROM workspaces ws WHERE"
     " ws.id = i.workspace_id AND i.status = 'pending' AND i.expires_at < now() RETURNING"
     " 'workspace_invitation.expire', 'workspace_invitation', i.id::text, ws.partner_id, i.workspace_id) SELECT * FROM"
     " p UNION ALL SELECT * FROM w",
     ""},
    {"grants", "expired permission-set grants removed",
     "DELETE FROM user_permission_sets g USING permission_sets s, workspaces w WHERE s.id = g.permission_set_id AND"
     " w.id = s.workspace_id AND g.expires_at < now() RETURNING 'permission_set.grant_expire', 'permission_set',"
     " g.permission_set_id::text || ':' || g.user_id::text, w.partner_id, s.workspace_id",
     ""},
    {"shares", "expired record shares removed",
     "DELETE FROM record_shares r USING workspaces w WHERE w.id = r.workspace_id AND r.expires_at < now() RETURNING"
     " 'record_share.expire', 'record_share', r.id::text, w.partner_id, r.workspace_id",
     ""},
    {"webhooks", "processed webhook deliveries pruned",
     "DELETE FROM webhook_events WHERE status IN ('processed', 'ignored') AND processed_at < now() - $1::interval"
     " RETURNING NULL::text, NULL::text, NULL::text, NULL::uuid, NULL::uuid",
     "30 days"},
    {"notifications", "sent notifications pruned",
     "DELETE FROM notifications WHERE status = 'sent' AND sent_at < now() - $1::interval RETURNING NULL::text,"
     " NULL::text, NULL::text, NULL::uuid, NULL::uuid",
     "30 days"},
};

/// interval_of reads --older-than (30d, 12h, 90m, 2w) as a PostgreSQL interval.
std::string interval_of(const std::string& text) { return std::to_string(older_than_seconds(text)) + " seconds"; }

Result run_kind(const Kind& k, const CleanupOptions& o, Session& session) {
  auto retention = o.older_than ? interval_of(*o.older_than) : std::string(k.retention);
  pqxx::work tx(session.database().ready());
  require_super_admin(actor_of(tx, session), "run cleanups");
  if (!tx.exec_params("SELECT pg_try_advisory_xact_lock(hashtext($1))", std::string("wfa.cleanup.") + k.name)[0][0]
           .as<bool>())
    throw LockHeldError(std::string("another ") + k.name + " cleanup is running",
                        "let it finish; cron will run this again");
  auto rows = retention.empty() ? tx.exec(k.sql) : tx.exec_params(k.sql, retention);
  std::vector<AuditEntry> audits;
  for (const auto& row : rows)
    if (!row[0].is_null())
      audits.push_back({session.actor(), row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<std::string>(),
                        row[3].as<std::string>(),
                        row[4].is_null() ? std::nullopt : std::optional(row[4].as<std::string>()), "", "", ""});
  record_audits(tx, audits);
  Result r;
  r.fields = {{"kind", Cell(k.name)}, {"count", Cell(static_cast<std::int64_t>(rows.size()))}};
  if (!retention.empty()) r.fields.emplace_back("older_than", Cell(retention));
  auto what = std::string(k.name) + ": " + std::to_string(rows.size()) + " " + k.what;
  if (rows.empty()) {
    r.message = what + "; nothing to do";
    return r;
  }
  return commit_or_roll_back(tx, std::move(r), o.dry_run, what, "dry run: " + what + " (would be)");
}

const Kind& kind_named(const std::string& name) {
  for (const auto& k : kinds)
    if (name == k.name) return k;
  throw UsageError("no cleanup kind " + name);
}

}  // namespace

Result run_cleanup_kind(const std::string& kind, const CleanupOptions& o, Session& session) {
  return run_kind(kind_named(kind), o, session);
}

Result run_cleanup_all(const CleanupOptions& o, Session& session) {
  Table summary{"kinds", {"kind", "count", "outcome"}};
  auto add = [&](const std::string& name, const Result& r) {
    std::int64_t count = 0;
    for (const auto& [field, cell] : r.fields)
      if (field == "count") count = std::stoll(cell.to_text());
    for (const auto& t : r.tables) count = static_cast<std::int64_t>(t.rows.size());
    summary.rows.push_back({Cell(name), Cell(count), Cell(r.message)});
    session.info(r.message);
  };
  add("campaigns", run_cleanup_campaigns(o, session));
  for (const auto& k : kinds) add(k.name, run_kind(k, o, session));
  add("files", run_cleanup_files(o, session));
  Result r;
  r.tables.push_back(std::move(summary));
  r.message = o.dry_run ? "dry run: every cleanup ran and rolled back; nothing changed" : "every cleanup ran";
  return r;
}

}  // namespace wfa
