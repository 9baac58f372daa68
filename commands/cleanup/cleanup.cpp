// `wfa cleanup campaigns`.
#include "commands/cleanup/cleanup.hpp"

#include <pqxx/result>
#include <pqxx/transaction>

#include "core/session.hpp"
#include "core/database.hpp"
#include "core/rows.hpp"
#include "core/audited_mutation.hpp"
#include "commands/campaign/campaign_rules.hpp"
#include "commands/tenancy/actor.hpp"

namespace wfa {

namespace {

/// lock_cleanup takes the advisory lock of one cleanup verb for the transaction, or throws LockHeldError.
void lock_cleanup(pqxx::work& tx, const std::string& verb) {
  if (!tx.exec_params("SELECT pg_try_advisory_xact_lock(hashtext($1))", "wfa.cleanup." + verb)[0][0].as<bool>())
    throw LockHeldError("another " + verb + " cleanup is running", "let it finish; cron will run this again");
}

}  // namespace

Result run_cleanup_campaigns(const CleanupOptions& o, Session& session) {
  pqxx::work tx(session.database().ready());
  require_super_admin(actor_of(tx, session), "run cleanups");
  lock_cleanup(tx, "campaigns");
  const auto& t = transition("expire");
  std::string from = "{";
  for (std::size_t i = 0; i < t.from.size(); ++i) from += (i ? "," : "") + std::string(t.from[i]);
  from += "}";
  auto expired = tx.exec_params(
      "WITH due AS (SELECT id, status AS old_status FROM campaigns WHERE status = ANY($1::text[]) AND ends_at < now() "
      "FOR UPDATE)"
      " UPDATE campaigns c SET status = $2, status_changed_at = now() FROM due, workspaces w, partners p"
      " WHERE c.id = due.id AND w.id = c.workspace_id AND p.id = w.partner_id"
      " RETURNING p.slug || '/' || w.slug AS workspace, c.name, due.old_status, c.status, c.ends_at, c.id, "
      "w.partner_id, c.workspace_id",
      from, std::string(t.to));
  for (const auto& row : expired) {
    auto id = row["id"].as<std::string>();
    record_audit(
        tx, {session.actor(), "campaign.expire", "campaign", id, row["partner_id"].as<std::string>(),
             row["workspace_id"].as<std::string>(), "{\"status\": \"" + row["old_status"].as<std::string>() + "\"}",
             "{\"status\": \"expired\"}", ""});
  }
  Result r;
  Table table = to_table(expired, "campaigns");
  table.columns.resize(6);
  for (auto& row : table.rows) row.resize(6);
  r.tables.push_back(std::move(table));
  if (expired.empty()) {
    r.message = "no campaign past its window; nothing to do";
    return r;
  }
  auto n = std::to_string(expired.size());
  return commit_or_roll_back(tx, std::move(r), o.dry_run, "expired " + n + " campaign(s)",
                             "would expire " + n + " campaign(s)");
}

}  // namespace wfa
