// `wfa agent sync`: a plan per agent, then the pushes on the worker pool, each provider id recorded as it arrives.
#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include <nlohmann/json.hpp>
#include <pqxx/connection>
#include <pqxx/result>
#include <pqxx/nontransaction>
#include <pqxx/transaction>

#include "commands/agent/agent.hpp"
#include "commands/agent/agent_rules.hpp"
#include "commands/integration/integration_access.hpp"
#include "commands/job/job_batch.hpp"
#include "commands/tenancy/actor.hpp"
#include "commands/tenancy/tenancy_lookup.hpp"
#include "core/audited_mutation.hpp"
#include "core/database.hpp"
#include "core/session.hpp"
#include "core/validation.hpp"
#include "pipelines/providers/agent_sync.hpp"
#include "pipelines/worker_pool.hpp"

namespace wfa {

namespace {

/// SyncItem is one agent to sync: where it lives, its spec and state, and the plan.
struct SyncItem {
  std::string workspace_id, workspace, name;
  AgentSpec spec;
  AgentState state;
  int version = 0;
  SyncPlan plan;
  std::string client_key;  ///< workspace_id/provider
};

/// SyncStore writes to ai_agents from any worker on that thread's own connection, so the commits of concurrent pushes
/// do not wait for each other; single statements autocommit (one round trip, no BEGIN/COMMIT).
class SyncStore {
 public:
  explicit SyncStore(Database& database) : database_(database) {}

  void exec(const std::string& sql, const std::string& workspace_id, const std::string& id,
            const std::optional<std::string>& value = std::nullopt) {
    pqxx::nontransaction tx(connection());
    tx.exec_params(sql, workspace_id, id, value);
  }
  std::string begin_create(const std::string& workspace_id, const std::string& id) {
    pqxx::nontransaction tx(connection());
    return tx
        .exec_params(
            "UPDATE ai_agents SET sync_attempt = gen_random_uuid() WHERE workspace_id = $1::uuid AND id = $2::uuid"
            " RETURNING sync_attempt::text",
            workspace_id, id)[0][0]
        .as<std::string>();
  }
  /// finish records pushes that succeeded, many per transaction (a crash before it only costs a rerun an update: the
  /// provider ids are already stored). Runs on the calling thread, whose audit origin the entries carry.
  void finish(std::vector<std::pair<const SyncItem*, std::string>>& done, const Session& session) {
    if (done.empty()) return;
    auto rows = nlohmann::json::array();
    std::vector<AuditEntry> audits;
    for (const auto& [item, acknowledged] : done) {
      rows.push_back({{"workspace_id", item->workspace_id},
                      {"id", item->state.agent_id},
                      {"ack", acknowledged},
                      {"version", item->version}});
      if (item->plan.action != SyncAction::unchanged)
        audits.push_back({session.actor(), "agent.sync", "ai_agent", item->state.agent_id, std::nullopt,
                          item->workspace_id, "", "", audit_metadata(*item)});
    }
    pqxx::work tx(connection());
    tx.exec_params(
        "UPDATE ai_agents a SET acknowledged_payload = NULLIF(d.ack, '')::jsonb, synced_version = d.version,"
        " needs_resync = a.version > d.version AND a.deleted_at IS NULL, sync_attempt = NULL,"
        " sync_status = CASE WHEN a.deleted_at IS NOT NULL THEN 'removed' ELSE 'synced' END, last_synced_at = now(),"
        " last_sync_error = NULL FROM jsonb_to_recordset($1::jsonb) AS d(workspace_id uuid, id uuid, ack text,"
        " version int) WHERE a.workspace_id = d.workspace_id AND a.id = d.id",
        rows.dump());
    record_audits(tx, audits);
    tx.commit();
    done.clear();
  }
  void failed(const SyncItem& item, const std::string& error) {
    exec(
        "UPDATE ai_agents SET sync_status = 'failed', last_sync_error = $3 WHERE workspace_id = $1::uuid AND id ="
        " $2::uuid",
        item.workspace_id, item.state.agent_id, error);
  }

 private:
  /// audit_metadata is the audit metadata of a push: the action and the provider ids, no payload.
  static std::string audit_metadata(const SyncItem& item) {
    return nlohmann::json{{"action", sync_action_name(item.plan.action)},
                          {"provider", item.spec.provider},
                          {"external_agent_id", item.state.external_agent_id},
                          {"external_llm_id", item.state.external_llm_id}}
        .dump();
  }

  pqxx::connection_base& connection() {
    std::lock_guard lock(mutex_);
    auto& conn = connections_[std::this_thread::get_id()];
    if (!conn) conn = database_.open_another();
    return *conn;
  }

  Database& database_;
  std::mutex mutex_;
  std::map<std::thread::id, std::unique_ptr<pqxx::connection>> connections_;
};

/// load_items reads the agents the options select, checking the actor may sync each workspace.
std::vector<SyncItem> load_items(const AgentSyncOptions& o, Session& session, pqxx::transaction_base& tx) {
  std::vector<std::pair<std::string, std::string>> workspaces;  // id, reference
  if (o.workspace) {
    auto ws = workspace_for(tx, session, *o.workspace, "workspace:agents:update");
    workspaces.emplace_back(ws.id, *o.workspace);
  } else {
    require_super_admin(actor_of(tx, session), "sync the agents of every workspace");
    for (const auto& row :
         tx.exec("SELECT DISTINCT a.workspace_id, p.slug || '/' || w.slug FROM ai_agents a JOIN workspaces w ON w.id ="
                 " a.workspace_id JOIN partners p ON p.id = w.partner_id WHERE a.needs_resync ORDER BY 2"))
      workspaces.emplace_back(row[0].as<std::string>(), row[1].as<std::string>());
  }
  std::vector<SyncItem> items;
  for (const auto& [id, reference] : workspaces) {
    std::optional<std::string> only;
    if (o.agent) only = o.planned ? *o.agent : find_agent(tx, id, reference, *o.agent, false, false).id;
    auto rows = tx.exec_params(
        "SELECT id, name, config::text, coalesce(external_agent_id, ''), coalesce(external_llm_id, ''),"
        " coalesce(sync_attempt::text, ''), coalesce(acknowledged_payload::text, ''), deleted_at IS NOT NULL, version"
        " FROM ai_agents WHERE workspace_id = $1::uuid AND ($2::uuid IS NULL OR id = $2::uuid)"
        " AND ($2::uuid IS NOT NULL OR needs_resync OR ($3 AND deleted_at IS NULL)) ORDER BY lower(name), id",
        id, only, o.all);
    for (const auto& row : rows) {
      SyncItem item;
      item.workspace_id = id;
      item.workspace = reference;
      item.name = row[1].as<std::string>();
      item.spec = parse_agent_spec(row[2].as<std::string>(), "agent " + item.name);
      item.state.agent_id = row[0].as<std::string>();
      item.state.external_agent_id = row[3].as<std::string>();
      item.state.external_llm_id = row[4].as<std::string>();
      item.state.sync_attempt = row[5].as<std::string>();
      item.state.acknowledged = row[6].as<std::string>();
      item.state.deleted = row[7].as<bool>();
      item.version = row[8].as<int>();
      item.plan = plan_sync(item.spec, item.state, o.agent.has_value() && !o.planned);
      item.client_key = id + "/" + item.spec.provider;
      items.push_back(std::move(item));
    }
  }
  return items;
}

/// changes is a plan's diff on one line for the table: its field paths.
std::string changes(const SyncPlan& plan) {
  std::string out;
  for (std::size_t at = 0; at < plan.diff.size();) {
    auto end = plan.diff.find('\n', at);
    auto line = plan.diff.substr(at, end - at);
    out += (out.empty() ? "" : ", ") + line.substr(0, line.find(':'));
    if (end == std::string::npos) break;
    at = end + 1;
  }
  return out;
}

/// enqueue_sync enqueues an agent.sync job for each agent ITEMS plans a change for, as one batch; the rest are
/// unchanged and need none.
Result enqueue_sync(const AgentSyncOptions& o, const std::vector<SyncItem>& items, Session& session) {
  std::size_t unchanged = 0;
  auto batch = enqueue_batch(session, "agent sync", "agent.sync", [&](const std::string&) {
    std::vector<std::string> payloads;
    for (const auto& item : items) {
      if (item.plan.action == SyncAction::unchanged) {
        ++unchanged;
        continue;
      }
      nlohmann::json payload{{"workspace", item.workspace_id}, {"agent", item.state.agent_id}};
      if (o.agent) payload["force"] = true;
      payloads.push_back(payload.dump());
    }
    return payloads;
  });
  auto r = enqueued_result(batch);
  r.message += " (" + std::to_string(unchanged) + " unchanged agent(s) need no job)";
  return r;
}

}  // namespace

Result run_agent_sync(const AgentSyncOptions& o, Session& session) {
  if (o.agent && !o.workspace)
    throw UsageError(session.option("agent") + " needs " + session.option("workspace"), "name the agent's workspace");
  if (!o.workspace && !o.all)
    throw UsageError(
        "give " + session.option("workspace") + ", or " + session.option("all") + " for every workspace's agents",
        "e.g. wfa agent sync --workspace acme/main");
  if (o.concurrency < 1 || o.concurrency > 64)
    throw UsageError(session.option("concurrency") + " must be from 1 to 64");
  if (o.enqueue && o.dry_run)
    throw UsageError(
        session.option("enqueue") + " sends nothing now; " + session.option("dry-run") + " is for a run here",
        "drop one of them");
  if (o.planned && (!o.agent || !is_uuid(*o.agent))) throw InvalidInputError("a planned sync names one agent by id");
  auto started = std::chrono::steady_clock::now();
  auto& conn = session.database().ready();
  std::vector<SyncItem> items;
  std::map<std::string, std::shared_ptr<ProviderClient>> clients;
  std::map<std::string, Error> no_client;
  {
    pqxx::work tx(conn);
    items = load_items(o, session, tx);
    for (const auto& item : items) {
      if (o.dry_run || o.enqueue || item.plan.action == SyncAction::unchanged || clients.count(item.client_key) ||
          no_client.count(item.client_key))
        continue;
      try {
        clients.emplace(item.client_key, std::make_shared<ProviderClient>(integration_client(
                                             session, tx, item.workspace_id, item.workspace, item.spec.provider)));
      } catch (const Error& e) {
        no_client.emplace(item.client_key, e);
      }
    }
    tx.commit();
  }
  if (o.enqueue) return enqueue_sync(o, items, session);
  Table table{
      "agents", {"workspace", "agent", "provider", "action", "outcome", "external_agent_id", "changes", "error"}, {}};
  std::map<std::string, int> counts;
  bool temporary = false;
  std::size_t failed = 0;
  std::vector<std::string> problems;
  if (o.dry_run) {
    for (const auto& item : items) {
      ++counts[sync_action_name(item.plan.action)];
      table.rows.push_back({Cell(item.workspace), Cell(item.name), Cell(item.spec.provider),
                            Cell(std::string(sync_action_name(item.plan.action))), Cell(std::string("planned")),
                            Cell(item.state.external_agent_id), Cell(changes(item.plan)), Cell(std::string())});
    }
  } else {
    SyncStore store(session.database());
    auto shown = session.progress();
    auto& progress = *shown;
    progress.start("agents", items.size());
    std::size_t next = 0;
    std::vector<std::string> errors(items.size());
    std::vector<ErrorCategory> categories(items.size(), ErrorCategory::ok);
    auto work = [&](std::size_t& i, std::size_t) -> std::string {
      auto& item = items[i];
      if (item.plan.action == SyncAction::unchanged) return item.state.acknowledged;
      if (auto missing = no_client.find(item.client_key); missing != no_client.end()) throw missing->second;
      auto& client = *clients.at(item.client_key);
      const auto& ws = item.workspace_id;
      const auto& id = item.state.agent_id;
      SyncHooks hooks{[&] { return store.begin_create(ws, id); },
                      [&](const std::string& llm) {
                        store.exec(
                            "UPDATE ai_agents SET external_llm_id = NULLIF($3, ''), sync_attempt = NULL"
                            " WHERE workspace_id = $1::uuid AND id = $2::uuid",
                            ws, id, llm);
                      },
                      [&](const std::string& agent) {
                        store.exec(
                            "UPDATE ai_agents SET external_agent_id = NULLIF($3, ''), sync_attempt = CASE WHEN $3 = ''"
                            " THEN sync_attempt END WHERE workspace_id = $1::uuid AND id = $2::uuid",
                            ws, id, agent);
                      }};
      return push_agent(client, item.spec, item.state, item.plan, hooks);
    };
    std::vector<std::pair<const SyncItem*, std::string>> done;
    auto on_result = [&](ItemOutcome<std::string>&& outcome) {
      auto& item = items[outcome.index];
      if (outcome.ok()) {
        done.emplace_back(&item, std::move(*outcome.value));
        if (done.size() >= 64) store.finish(done, session);
        ++counts[sync_action_name(item.plan.action)];
      } else {
        errors[outcome.index] = outcome.error;
        problems.push_back(item.workspace + " " + item.name + ": " + outcome.error);
        categories[outcome.index] = outcome.error_category;
        store.failed(item, outcome.error);
        ++failed;
        temporary = temporary || outcome.error_category == ErrorCategory::temporary;
      }
    };
    PoolOptions pool{static_cast<unsigned>(o.concurrency), 0, &session.cancellation(),
                     [&](const BatchProgress& p) { progress.update(p.done, p.failed); }};
    auto summary = run_batch<std::size_t, std::string>(
        [&]() -> std::optional<std::size_t> {
          return next < items.size() ? std::optional<std::size_t>(next++) : std::nullopt;
        },
        work, on_result, pool);
    store.finish(done, session);
    progress.finish();
    for (std::size_t i = 0; i < items.size(); ++i) {
      const auto& item = items[i];
      table.rows.push_back({Cell(item.workspace), Cell(item.name), Cell(item.spec.provider),
                            Cell(std::string(sync_action_name(item.plan.action))),
                            Cell(std::string(errors[i].empty() ? "ok" : "failed")), Cell(item.state.external_agent_id),
                            Cell(changes(item.plan)), Cell(errors[i])});
    }
    if (summary.cancelled) throw InterruptedError("agent sync interrupted; ids already returned are recorded");
  }
  Result r;
  r.tables.push_back(std::move(table));
  auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  char took[32];
  std::snprintf(took, sizeof took, " in %.2f s", seconds);
  r.message = std::string(o.dry_run ? "plan: " : "") + std::to_string(counts["create"]) + " to create, " +
              std::to_string(counts["update"]) + " to update, " + std::to_string(counts["delete"]) + " to delete, " +
              std::to_string(counts["unchanged"]) + " unchanged";
  if (!o.dry_run) {
    r.message = std::to_string(counts["create"]) + " created, " + std::to_string(counts["update"]) + " updated, " +
                std::to_string(counts["delete"]) + " deleted, " + std::to_string(counts["unchanged"]) + " unchanged, " +
                std::to_string(failed) + " failed" + took;
    long requests = 0, retries = 0;
    for (const auto& [key, client] : clients) requests += client->stats().requests, retries += client->stats().retries;
    r.message += " (" + std::to_string(requests) + " requests, " + std::to_string(retries) + " retries)";
    for (const auto& problem : problems) session.info("error: " + problem);
  }
  r.category = temporary ? ErrorCategory::temporary : failed > 0 ? ErrorCategory::batch_partial : ErrorCategory::ok;
  return r;
}

}  // namespace wfa
