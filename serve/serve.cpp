// `wfa serve`: the server, its access log and metrics around the routes.
#include "serve/serve.hpp"

#include <chrono>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <thread>

#include <nlohmann/json.hpp>
#include <pqxx/connection>

#include "commands/integration/integration_access.hpp"
#include "commands/job/job_metrics.hpp"
#include "core/database.hpp"
#include "core/error.hpp"
#include "core/session.hpp"
#include "core/utc_time.hpp"
#include "serve/api.hpp"
#include "serve/app_page.hpp"
#include "serve/caches.hpp"
#include "serve/change_listener.hpp"
#include "serve/circuit_breaker.hpp"
#include "serve/database_pool.hpp"
#include "serve/http_server.hpp"
#include "serve/notifier.hpp"
#include "serve/routes.hpp"
#include "serve/webhooks.hpp"
#include "serve/telegram_auth.hpp"
#include "serve/metrics.hpp"

namespace wfa {

namespace {

/// parse_listen splits ADDRESS:PORT ([v6]:PORT too).
std::pair<std::string, unsigned short> parse_listen(const std::string& listen) {
  auto colon = listen.rfind(':');
  auto fail = [&]() -> std::pair<std::string, unsigned short> {
    throw UsageError("--listen " + listen + " is not ADDRESS:PORT", "e.g. --listen 0.0.0.0:8080");
  };
  if (colon == std::string::npos || colon == 0 || colon + 1 == listen.size()) return fail();
  auto port_text = listen.substr(colon + 1);
  if (port_text.size() > 5 || port_text.find_first_not_of("0123456789") != std::string::npos) return fail();
  auto port = std::stoul(port_text);
  if (port > 65535) return fail();
  auto address = listen.substr(0, colon);
  if (address.size() > 2 && address.front() == '[' && address.back() == ']')
    address = address.substr(1, address.size() - 2);
  return {address, static_cast<unsigned short>(port)};
}

}  // namespace

namespace serve {

HttpResponse json_error(int status, std::string_view category, std::string_view message) {
  HttpResponse r;
  r.status = status;
  r.body = nlohmann::json{{"error", {{"category", category}, {"message", message}}}}.dump();
  return r;
}

void Deferred::complete(HttpResponse response) {
  std::function<void(HttpResponse)> next;
  {
    std::lock_guard lock(mutex_);
    if (!continuation_) {
      ready_ = std::move(response);
      return;
    }
    next = std::move(continuation_);
  }
  next(std::move(response));
}

void Deferred::then(std::function<void(HttpResponse)> continuation) {
  {
    std::lock_guard lock(mutex_);
    if (!ready_) {
      continuation_ = std::move(continuation);
      return;
    }
  }
  continuation(std::move(*ready_));
}

}  // namespace serve

Result run_serve(const ServeOptions& o, Session& session) {
  auto [address, port] = parse_listen(o.listen);
  session.database().ready();  // the cluster is up and migrated before the first request
  serve::load_app_page();
  serve::Metrics metrics;
  unsigned threads = o.threads ? o.threads : std::max(1u, std::thread::hardware_concurrency());
  serve::DatabasePool pool(session.settings(), threads * 2);
  serve::Caches caches;
  serve::CircuitBreakers circuits;
  serve::TelegramAuth auth(caches,
                           std::chrono::seconds(whole_setting(session, "telegram_auth_max_age", 86400, 60, 2592000)));
  // The change feed empties the caches whatever process made the change (a CLI verb, another serve).
  serve::ChangeListener changes([&session] { return session.database().open_another(); },
                                [&](const std::string& table) {
                                  caches.changed(table);
                                  if (table == "*" || table == "telegram_bots") auth.forget();
                                });
  serve::Api api(session.settings(), pool, auth, caches, circuits);
  serve::WebhookReceiver webhooks(session.settings(), caches);
  serve::Notifier notifier(session.settings());
  serve::Routes routes(session, metrics, api, webhooks, [&] {
    std::string extra = caches.render() + circuits.render() + webhooks.render() + notifier.render();
    extra += "# TYPE wfa_serve_db_pool_in_use gauge\nwfa_serve_db_pool_in_use " + std::to_string(pool.in_use()) + "\n";
    extra +=
        "# TYPE wfa_serve_db_pool_waiting gauge\nwfa_serve_db_pool_waiting " + std::to_string(pool.waiting()) + "\n";
    extra += "# TYPE wfa_serve_change_feed_up gauge\nwfa_serve_change_feed_up " +
             std::string(changes.connected() ? "1" : "0") + "\n";
    bool queue_read = false;
    try {
      auto lease = pool.acquire();
      extra += job_queue_metrics(lease.database().ready());
      queue_read = true;
    } catch (const std::exception&) {
      // the scrape still answers; the gauge below says the queue's figures are missing
    }
    extra += "# TYPE wfa_job_queue_up gauge\nwfa_job_queue_up " + std::string(queue_read ? "1" : "0") + "\n";
    return extra;
  });
  std::mutex log_mutex;
  serve::ServerEvents events;
  events.answered = [&](const serve::HttpRequest& request, const serve::HttpResponse& response,
                        std::chrono::microseconds took, std::size_t bytes) {
    metrics.answered(response.route, response.status, took);
    // The access log: never the query string, headers or body (initData and tokens travel there).
    auto line = nlohmann::json{{"t", utc_now_text()},
                               {"method", request.method},
                               {"route", response.route},
                               {"status", response.status},
                               {"bytes", bytes},
                               {"us", took.count()},
                               {"request_id", request.request_id},
                               {"client", request.client}}
                    .dump();
    line += '\n';
    std::lock_guard lock(log_mutex);
    std::fwrite(line.data(), 1, line.size(), stderr);  // one write per line: stderr is unbuffered
  };
  events.connections = [&](int delta) { metrics.connections += delta; };
  events.in_flight = [&](int delta) { metrics.in_flight += delta; };
  serve::ServerOptions options;
  options.address = address;
  options.port = port;
  options.threads = o.threads;
  // Webhook deliveries wait on their group commit on blocking threads: enough of them to fill a batch.
  options.blocking_threads = threads * 16;
  serve::HttpServer server(
      options, [&](const serve::HttpRequest& r) { return routes(r); }, events);
  {
    std::lock_guard lock(log_mutex);
    std::cerr << "listening on " << address << ":" << server.port() << std::endl;
  }
  server.run();
  Result r;
  r.message = "stopped";
  return r;
}

}  // namespace wfa
