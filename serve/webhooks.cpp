// Webhook receipt: verify, commit (many deliveries per transaction), answer; then process on the processor thread.
#include "serve/webhooks.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <future>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>
#include <pqxx/binarystring>
#include <pqxx/result>
#include <pqxx/transaction>

#include "commands/campaign/attempt_outcomes.hpp"
#include "commands/secret/secret.hpp"
#include "commands/secret/secret_keys.hpp"
#include "commands/telegram/telegram.hpp"
#include "commands/webhooks/webhooks.hpp"
#include "core/base64url.hpp"
#include "core/config.hpp"
#include "core/database.hpp"
#include "core/error.hpp"
#include "core/secret_box.hpp"
#include "core/session.hpp"
#include "pipelines/webhooks/webhook_signatures.hpp"
#include "serve/caches.hpp"
#include "serve/database_pool.hpp"

namespace wfa::serve {

namespace {

using Json = nlohmann::json;

constexpr std::size_t max_batch = 1000;

/// kept_headers are the headers worth keeping with a delivery (what verified it, what identifies it); no secrets.
Json kept_headers(const HttpRequest& request) {
  Json kept = Json::object();
  for (const char* name : {"content-type", "user-agent", "x-retell-signature", "x-timestamp", "x-request-id"})
    if (auto v = request.header(name); !v.empty()) kept[name] = std::string(v.substr(0, 200));
  return kept;
}

/// Delivery is one verified delivery waiting for its commit, answered through STORED (a thread waits) or DEFERRED
/// (the server writes the answer; nothing waits).
struct Delivery {
  Json row;
  std::string route;
  std::promise<bool> stored;  ///< true: new; false: a redelivery of a stored event
  std::shared_ptr<Deferred> deferred;
};

/// Due is an event to process: its id and workspace, and when it was handed over.
struct Due {
  std::string id, workspace_id;
  std::chrono::steady_clock::time_point since = std::chrono::steady_clock::now();
};

/// During a flood (this many events waiting while deliveries keep arriving), processing waits so the answers come
/// first, but never longer than max_processing_delay. Below it, events are processed as they come, batched by
/// whatever arrived during the previous batch: a call's end frees its dialing slot within milliseconds.
constexpr std::size_t flood_backlog = 500;
constexpr auto max_processing_delay = std::chrono::seconds(10);

}  // namespace

struct WebhookReceiver::Impl {
  const Config& settings;
  Caches& caches;
  std::atomic<long> accepted{0}, duplicates{0}, rejected{0}, processed{0}, failed{0}, batches{0};

  // The committers: each a connection and one transaction per batch of whatever deliveries are waiting. Two, so one
  // batch is written while the other waits for its commit to reach the disk.
  std::mutex commit_mutex;
  std::condition_variable commit_ready;
  std::vector<std::shared_ptr<Delivery>> waiting;
  // The processor: events to process, fed by the committer and by a poll of what is due.
  std::mutex process_mutex;
  std::condition_variable process_ready;
  std::deque<Due> due;
  std::atomic<bool> stop{false};
  std::atomic<std::chrono::steady_clock::time_point> last_commit{};
  std::vector<std::thread> committers;
  std::thread processor;

  Impl(const Config& s, Caches& c) : settings(s), caches(c) {
    for (int i = 0; i < 2; ++i) committers.emplace_back([this] { commit_loop(); });
    processor = std::thread([this] { process_loop(); });
  }
  ~Impl() {
    stop = true;
    commit_ready.notify_all();
    process_ready.notify_all();
    for (auto& c : committers) c.join();
    processor.join();
  }

  /// target opens the endpoint's secret (cached; the change feed empties the cache when an integration changes).
  std::optional<WebhookTarget> target(Session& session, const std::string& provider, const std::string& endpoint) {
    auto key = provider + "/" + endpoint;
    auto ticket = caches.webhooks.ticket();
    pqxx::work tx(session.database().ready());  // the keyring may record its state
    auto rows =
        tx.exec_params("SELECT workspace_id::text, api_key, webhook_secret, is_active FROM wfa_webhook_target($1, $2)",
                       provider, endpoint);
    std::optional<WebhookTarget> found;
    if (!rows.empty()) {
      WebhookTarget t;
      t.workspace_id = rows[0][0].as<std::string>();
      t.active = rows[0][3].as<bool>();
      bool by_key = provider == "retell";
      if (!rows[0][by_key ? 1 : 2].is_null()) {
        auto ring = secret_keyring(session, tx);
        t.secret = ring.open(pqxx::binarystring(rows[0][by_key ? 1 : 2]).str(),
                             by_key ? integration_context(t.workspace_id, provider)
                                    : integration_webhook_context(t.workspace_id, provider),
                             "the " + provider + " webhook secret");
      }
      found = t;
    }
    tx.commit();
    caches.webhooks.put(key, found, ticket);
    return found;
  }

  HttpResponse receive(const HttpRequest& request) {
    auto rest = request.path.substr(std::string("/webhooks/").size());
    auto slash = rest.find('/');
    auto provider = rest.substr(0, slash);
    auto endpoint = slash == std::string::npos ? "" : rest.substr(slash + 1);
    bool platform_route = (provider == "stripe" || provider == "slack") && slash == std::string::npos;
    bool tenant_route = provider == "vapi" || provider == "retell" || provider == "synthflow";
    bool bot_route = provider == "telegram" && slash != std::string::npos;
    if (!platform_route && !tenant_route && !bot_route) {
      auto r = json_error(404, "not_found", "no such webhook route");
      r.route = "/webhooks/(unknown)";
      return r;
    }
    auto route = "/webhooks/" + provider + (platform_route ? "" : "/{endpoint}");
    auto answer = [&](int status, const std::string& category, const std::string& message) {
      auto r = json_error(status, category, message);
      r.route = route;
      return r;
    };
    if (request.method != "POST") {
      auto r = answer(405, "usage", "use POST");
      r.headers.emplace_back("Allow", "POST");
      return r;
    }
    if (platform_route) return platform(request, provider);
    if (bot_route) return telegram(request, endpoint, route);
    if (endpoint.empty() || endpoint.size() > 64 || endpoint.find('/') != std::string::npos)
      return answer(404, "not_found", "no such webhook endpoint");
    std::optional<WebhookTarget> t;
    if (auto hit = caches.webhooks.get(provider + "/" + endpoint)) {
      t = *hit;
    } else {
      if (!request.may_block) return must_wait();
      try {
        Database database(serve_target(settings));
        Session session(settings);
        session.borrow(database);
        t = target(session, provider, endpoint);
      } catch (...) {
        return answer(503, "temporary", "cannot check the delivery now; deliver it again");
      }
    }
    if (!t) return answer(404, "not_found", "no such webhook endpoint");
    if (t->secret.empty())
      return answer(503, "temporary", "this integration has no webhook secret yet (wfa integration webhook-secret)");
    auto identity = webhook_event_identity(provider, request.body);
    auto headers = [&](std::string_view name) { return request.header(name); };
    SignatureCheck check;
    auto now =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    if (provider == "vapi") check = check_vapi(headers, request.body, t->secret);
    if (provider == "retell") check = check_retell(headers, request.body, t->secret, now);
    if (provider == "synthflow") check = check_synthflow(headers, identity ? identity->call_id : "", t->secret);
    if (!check.ok) {
      ++rejected;
      return answer(401, "permission", "the delivery does not hold: " + check.problem);
    }
    if (!identity) return answer(422, "invalid_input", "the body is not a " + provider + " event with a call id");
    Json row{{"workspace_id", t->workspace_id},
             {"provider", provider},
             {"endpoint", endpoint},
             {"event_id", identity->event_id},
             {"event_type", identity->event_type},
             {"body", base64_encode(request.body)},
             {"headers", kept_headers(request)}};
    if (!identity->ended_attempt_id.empty()) row["ended_attempt_id"] = identity->ended_attempt_id;
    return store(std::move(row), route, request.may_block);
  }

  static HttpResponse must_wait() {
    HttpResponse wait;
    wait.retry_blocking = true;
    return wait;
  }

  /// stored_answer is the answer to a delivery the committer stored (FRESH) or found stored before.
  HttpResponse stored_answer(bool fresh, const std::string& route) {
    ++(fresh ? accepted : duplicates);
    HttpResponse r;
    r.body = fresh ? R"({"received":true,"duplicate":false})" : R"({"received":true,"duplicate":true})";
    r.route = route;
    return r;
  }

  static HttpResponse not_stored(const std::string& route) {
    auto r = json_error(503, "temporary", "the delivery could not be stored; deliver it again");
    r.route = route;
    return r;
  }

  /// store hands ROW to the committer, which answers once it is committed (a redelivery: duplicate true). On an I/O
  /// thread (not MAY_BLOCK) the answer is deferred: the committer completes it and no thread waits.
  HttpResponse store(Json row, const std::string& route, bool may_block) {
    auto d = std::make_shared<Delivery>();
    d->row = std::move(row);
    d->route = route;
    HttpResponse deferred;
    if (!may_block) deferred.deferred = d->deferred = std::make_shared<Deferred>();
    auto stored = d->stored.get_future();
    {
      std::lock_guard lock(commit_mutex);
      waiting.push_back(d);
    }
    commit_ready.notify_one();
    if (!may_block) return deferred;
    try {
      return stored_answer(stored.get(), route);
    } catch (...) {
      return not_stored(route);
    }
  }

  /// platform_secret opens the platform's secret NAME (cached like endpoints; empty when it is not set).
  std::string platform_secret(const std::string& name) {
    auto key = "platform/" + name;
    if (auto hit = caches.webhooks.get(key)) return *hit ? (*hit)->secret : "";
    auto ticket = caches.webhooks.ticket();
    Database database(serve_target(settings));
    Session session(settings);
    session.borrow(database);
    pqxx::work tx(database.ready());
    auto rows = tx.exec_params("SELECT value FROM platform_secrets WHERE name = $1", name);
    std::optional<WebhookTarget> found;
    if (!rows.empty()) {
      auto ring = secret_keyring(session, tx);
      found = WebhookTarget{
          "", ring.open(pqxx::binarystring(rows[0][0]).str(), platform_secret_context(name), "the " + name + " secret"),
          true};
    }
    tx.commit();
    caches.webhooks.put(key, found, ticket);
    return found ? found->secret : "";
  }

  /// platform receives Stripe's and Slack's deliveries: the platform's secret checks them; Slack's url_verification
  /// is answered at once; events are stored (Stripe's then applied by billing on the processor thread).
  HttpResponse platform(const HttpRequest& request, const std::string& provider) {
    auto route = "/webhooks/" + provider;
    auto answer = [&](int status, const std::string& category, const std::string& message) {
      auto r = json_error(status, category, message);
      r.route = route;
      return r;
    };
    std::string secret;
    auto name = provider == "stripe" ? "stripe_webhook" : "slack_signing";
    if (!request.may_block && !caches.webhooks.get(std::string("platform/") + name)) return must_wait();
    try {
      secret = platform_secret(name);
    } catch (...) {
      return answer(503, "temporary", "cannot check the delivery now; deliver it again");
    }
    if (secret.empty())
      return answer(503, "temporary", "the platform's " + provider + " secret is not set (wfa secret set)");
    auto headers = [&](std::string_view name) { return request.header(name); };
    auto now_s =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    auto check = provider == "stripe" ? check_stripe(headers, request.body, secret, now_s)
                                      : check_slack(headers, request.body, secret, now_s);
    if (!check.ok) {
      ++rejected;
      return answer(401, "permission", "the delivery does not hold: " + check.problem);
    }
    auto body = Json::parse(request.body, nullptr, false);
    if (body.is_discarded() || !body.is_object()) return answer(422, "invalid_input", "the body is not a JSON event");
    Json row{{"workspace_id", nullptr},
             {"provider", provider},
             {"endpoint", provider},
             {"body", base64_encode(request.body)},
             {"headers", kept_headers(request)}};
    if (provider == "stripe") {
      row["event_id"] = body.value("id", "");
      row["event_type"] = body.value("type", "");
      row["status"] = "received";
      row["last_error"] = nullptr;
    } else {
      if (body.value("type", "") == "url_verification") {
        HttpResponse r;
        r.body = Json{{"challenge", body.value("challenge", "")}}.dump();
        r.route = route;
        return r;
      }
      row["event_id"] = body.value("event_id", "");
      row["event_type"] = body.contains("event") && body["event"].is_object() ? body["event"].value("type", "") : "";
      row["status"] = "processed";
      row["last_error"] = nullptr;
    }
    if (row["event_id"].get<std::string>().empty()) return answer(422, "invalid_input", "the event has no id");
    return store(std::move(row), route, request.may_block);
  }

  /// telegram receives a partner's bot's updates: the secret token wfa set checks them, update_id dedupes them.
  HttpResponse telegram(const HttpRequest& request, const std::string& endpoint, const std::string& route) {
    auto answer = [&](int status, const std::string& category, const std::string& message) {
      auto r = json_error(status, category, message);
      r.route = route;
      return r;
    };
    if (endpoint.empty() || endpoint.size() > 64) return answer(404, "not_found", "no such webhook endpoint");
    auto key = "telegram/" + endpoint;
    std::optional<WebhookTarget> t;
    if (auto hit = caches.webhooks.get(key)) {
      t = *hit;
    } else {
      if (!request.may_block) return must_wait();
      try {
        auto ticket = caches.webhooks.ticket();
        Database database(serve_target(settings));
        Session session(settings);
        session.borrow(database);
        pqxx::work tx(database.ready());
        auto rows = tx.exec_params(
            "SELECT partner_id::text, webhook_secret FROM telegram_bots WHERE webhook_endpoint = $1", endpoint);
        if (!rows.empty()) {
          WebhookTarget found{rows[0][0].as<std::string>(), "", true};
          if (!rows[0][1].is_null())
            found.secret = secret_keyring(session, tx)
                               .open(pqxx::binarystring(rows[0][1]).str(), telegram_webhook_context(found.workspace_id),
                                     "the bot's webhook secret");
          t = found;
        }
        tx.commit();
        caches.webhooks.put(key, t, ticket);
      } catch (...) {
        return answer(503, "temporary", "cannot check the delivery now; deliver it again");
      }
    }
    if (!t) return answer(404, "not_found", "no such webhook endpoint");
    auto check = check_telegram([&](std::string_view name) { return request.header(name); }, t->secret);
    if (t->secret.empty() || !check.ok) {
      ++rejected;
      return answer(401, "permission",
                    "the delivery does not hold: " +
                        (t->secret.empty() ? std::string("no secret set (wfa telegram webhook set)") : check.problem));
    }
    auto body = Json::parse(request.body, nullptr, false);
    if (body.is_discarded() || !body.is_object() || !body.contains("update_id") ||
        !body["update_id"].is_number_integer())
      return answer(422, "invalid_input", "the body is not a Telegram update");
    std::string type;
    for (const auto& [name, value] : body.items())
      if (name != "update_id") type = name;
    return store(Json{{"workspace_id", nullptr},
                      {"provider", "telegram"},
                      {"endpoint", endpoint},
                      {"event_id", std::to_string(body["update_id"].get<std::int64_t>())},
                      {"event_type", type},
                      {"body", base64_encode(request.body)},
                      {"headers", kept_headers(request)},
                      {"status", "received"},
                      {"last_error", nullptr}},
                 route, request.may_block);
  }

  /// free_dialing_slots marks the attempts whose call's end ROWS bring as seen ending: the dispatchers' caps count
  /// them no more from this commit on, and they are woken (the merge ends the attempts when it processes the events).
  static void free_dialing_slots(pqxx::work& tx, const Json& rows) {
    Json ends = Json::array();
    for (const auto& row : rows)
      if (row.contains("ended_attempt_id"))
        ends.push_back({{"workspace_id", row["workspace_id"]}, {"attempt_id", row["ended_attempt_id"]}});
    if (ends.empty()) return;
    tx.exec_params(
        "WITH seen AS (UPDATE call_attempts a SET end_seen_at = now() FROM jsonb_to_recordset($1::jsonb) AS"
        " e(workspace_id uuid, attempt_id uuid) WHERE a.workspace_id = e.workspace_id AND a.id = e.attempt_id AND"
        " a.ended_at IS NULL AND a.end_seen_at IS NULL RETURNING a.workspace_id) SELECT pg_notify($2, w::text) FROM"
        " (SELECT DISTINCT workspace_id AS w FROM seen) d",
        ends.dump(), std::string(dial_channel));
  }

  /// commit_loop stores each batch of waiting deliveries in one transaction, answers them, and hands the new events to
  /// the processor.
  void commit_loop() {
    Database database(serve_target(settings));
    for (;;) {
      std::vector<std::shared_ptr<Delivery>> batch;
      {
        std::unique_lock lock(commit_mutex);
        commit_ready.wait(lock, [&] { return stop || !waiting.empty(); });
        if (waiting.empty()) return;
        auto n = std::min(waiting.size(), max_batch);
        batch.assign(waiting.begin(), waiting.begin() + static_cast<long>(n));
        waiting.erase(waiting.begin(), waiting.begin() + static_cast<long>(n));
      }
      Json rows = Json::array();
      std::vector<const Json*> platform_rows;  // no workspace: row-level security lets serve write them, not read them
      std::set<std::string> workspaces;
      for (const auto& d : batch) {
        if (!d->row["workspace_id"].is_string()) {
          platform_rows.push_back(&d->row);
          continue;
        }
        rows.push_back(d->row);
        workspaces.insert(d->row["workspace_id"].get<std::string>());
      }
      std::string scope;
      for (const auto& w : workspaces) scope += (scope.empty() ? "" : ",") + w;
      try {
        pqxx::work tx(database.ready());
        tx.exec_params("SELECT set_config('wfa.workspace_ids', $1, true)", scope);
        auto inserted =
            rows.empty()
                ? pqxx::result()
                : tx.exec_params(
                      "INSERT INTO webhook_events (workspace_id, provider, endpoint, event_id, event_type, body, "
                      "headers, status,"
                      " last_error, processed_at) SELECT r.workspace_id, r.provider, r.endpoint, r.event_id, "
                      "r.event_type,"
                      " decode(r.body, 'base64'), r.headers, coalesce(r.status, 'received'), r.last_error, CASE WHEN "
                      "r.status IN"
                      " ('processed', 'ignored') THEN now() END FROM jsonb_to_recordset($1::jsonb) AS r(workspace_id "
                      "uuid,"
                      " provider text, endpoint text, event_id text, event_type text, body text, headers jsonb, status "
                      "text,"
                      " last_error text) ON CONFLICT (provider, endpoint, event_id) DO NOTHING RETURNING id::text,"
                      " coalesce(workspace_id::text, ''), provider || '/' || endpoint || '/' || event_id, status",
                      rows.dump());
        free_dialing_slots(tx, rows);
        std::map<std::string, Due> fresh;
        std::vector<Due> platform_due;
        for (const auto* row : platform_rows) {
          auto one = tx.exec_params(
              "SELECT wfa_store_platform_event($1, $2, $3, $4, decode($5, 'base64'), $6::jsonb, $7, $8)",
              (*row)["provider"].get<std::string>(), (*row)["endpoint"].get<std::string>(),
              (*row)["event_id"].get<std::string>(), (*row)["event_type"].get<std::string>(),
              (*row)["body"].get<std::string>(), (*row)["headers"].dump(), (*row)["status"].get<std::string>(),
              (*row)["last_error"].is_string() ? std::optional<std::string>((*row)["last_error"].get<std::string>())
                                               : std::nullopt);
          if (one[0][0].is_null()) continue;
          Due stored{one[0][0].as<std::string>(), ""};
          fresh.emplace((*row)["provider"].get<std::string>() + "/" + (*row)["endpoint"].get<std::string>() + "/" +
                            (*row)["event_id"].get<std::string>(),
                        stored);
          if ((*row)["status"] == "received") platform_due.push_back(stored);
        }
        tx.commit();
        ++batches;
        last_commit = std::chrono::steady_clock::now();
        for (const auto& row : inserted)
          fresh.emplace(row[2].as<std::string>(), Due{row[0].as<std::string>(), row[1].as<std::string>()});
        {
          std::lock_guard lock(process_mutex);
          for (const auto& row : inserted)
            if (row[3].as<std::string>() == "received")
              due.push_back(Due{row[0].as<std::string>(), row[1].as<std::string>()});
          due.insert(due.end(), platform_due.begin(), platform_due.end());
        }
        process_ready.notify_one();
        for (const auto& d : batch) {
          auto key = d->row["provider"].get<std::string>() + "/" + d->row["endpoint"].get<std::string>() + "/" +
                     d->row["event_id"].get<std::string>();
          // Two deliveries of one event in a batch: the first is new, the second a redelivery.
          auto it = fresh.find(key);
          bool is_new = it != fresh.end();
          if (is_new) fresh.erase(it);
          if (d->deferred)
            d->deferred->complete(stored_answer(is_new, d->route));
          else
            d->stored.set_value(is_new);
        }
      } catch (...) {
        database.reset_connection();
        for (const auto& d : batch)
          if (d->deferred)
            d->deferred->complete(not_stored(d->route));
          else
            d->stored.set_exception(std::current_exception());
      }
    }
  }

  /// process_loop processes what the committer hands over, a workspace's events together, and every few seconds what
  /// is due (left by a restart, or waiting for a retry).
  void process_loop() {
    Database database(serve_target(settings));
    // Platform events (Telegram, Stripe, Slack) have no tenant to scope to: they are processed as the verbs' role
    // (wfa_app), as `wfa webhooks replay` would; requests never reach this connection.
    Database platform(DatabaseTarget::from_config(settings));
    auto poll_after = std::chrono::steady_clock::now();
    while (!stop) {
      std::map<std::string, std::vector<std::string>> by_workspace;
      {
        std::unique_lock lock(process_mutex);
        process_ready.wait_until(lock, poll_after, [&] { return stop || !due.empty(); });
        if (stop) return;
        // In a flood, wait: on two cores a merge beside the commits doubles the answers' tail; processing catches up
        // when the rush is over, or once the oldest event has waited max_processing_delay.
        auto flood = [&] {
          auto now = std::chrono::steady_clock::now();
          return due.size() >= flood_backlog && now - last_commit.load() < std::chrono::milliseconds(50) &&
                 now - due.front().since < max_processing_delay;
        };
        while (!stop && flood()) {
          lock.unlock();
          std::this_thread::sleep_for(std::chrono::milliseconds(100));
          lock.lock();
        }
        if (stop) return;
        for (std::size_t n = 0; n < max_batch && !due.empty(); ++n) {
          by_workspace[due.front().workspace_id].push_back(due.front().id);
          due.pop_front();
        }
      }
      try {
        if (by_workspace.empty()) {
          poll_after = std::chrono::steady_clock::now() + std::chrono::seconds(2);
          pqxx::read_transaction tx(database.ready());
          auto rows = tx.exec("SELECT id::text, coalesce(workspace_id::text, '') FROM wfa_due_webhook_events(1000)");
          std::lock_guard lock(process_mutex);
          for (const auto& row : rows) due.push_back(Due{row[0].as<std::string>(), row[1].as<std::string>()});
          continue;
        }
        Session session(settings), platform_session(settings);
        session.borrow(database);
        platform_session.borrow(platform);
        for (const auto& [workspace_id, ids] : by_workspace) {
          std::optional<std::string> workspace;
          if (!workspace_id.empty()) workspace = workspace_id;
          for (const auto& outcome : process_webhook_events(workspace ? session : platform_session, ids, workspace)) {
            if (outcome.status == "processed" || outcome.status == "ignored") ++processed;
            if (outcome.status == "failed") ++failed;
          }
        }
      } catch (...) {
        database.reset_connection();
        platform.reset_connection();
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
      }
    }
  }
};

WebhookReceiver::WebhookReceiver(const Config& settings, Caches& caches)
    : impl_(std::make_unique<Impl>(settings, caches)) {}
WebhookReceiver::~WebhookReceiver() = default;
HttpResponse WebhookReceiver::operator()(const HttpRequest& request) { return impl_->receive(request); }

std::string WebhookReceiver::render() const {
  std::ostringstream out;
  out << "# TYPE wfa_serve_webhooks_total counter\n";
  out << "wfa_serve_webhooks_total{outcome=\"stored\"} " << impl_->accepted << '\n';
  out << "wfa_serve_webhooks_total{outcome=\"duplicate\"} " << impl_->duplicates << '\n';
  out << "wfa_serve_webhooks_total{outcome=\"rejected\"} " << impl_->rejected << '\n';
  out << "wfa_serve_webhooks_total{outcome=\"processed\"} " << impl_->processed << '\n';
  out << "wfa_serve_webhooks_total{outcome=\"failed\"} " << impl_->failed << '\n';
  out << "# TYPE wfa_serve_webhook_commits_total counter\nwfa_serve_webhook_commits_total " << impl_->batches << '\n';
  return out.str();
}

}  // namespace wfa::serve
