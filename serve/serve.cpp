// `wfa serve`: the server, its access log and metrics around the routes.
#include "serve/serve.hpp"

#include <chrono>
#include <iostream>
#include <mutex>
#include <thread>

#include <nlohmann/json.hpp>

#include "commands/integration/integration_access.hpp"
#include "core/database.hpp"
#include "core/error.hpp"
#include "core/session.hpp"
#include "core/utc_time.hpp"
#include "serve/app_page.hpp"
#include "serve/database_pool.hpp"
#include "serve/http_server.hpp"
#include "serve/routes.hpp"
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

}  // namespace serve

Result run_serve(const ServeOptions& o, Session& session) {
  auto [address, port] = parse_listen(o.listen);
  session.database().ready();  // the cluster is up and migrated before the first request
  serve::load_app_page();
  serve::Metrics metrics;
  unsigned threads = o.threads ? o.threads : std::max(1u, std::thread::hardware_concurrency());
  serve::DatabasePool pool(session.settings(), threads * 2);
  serve::TelegramAuth auth(std::chrono::seconds(whole_setting(session, "telegram_auth_max_age", 86400, 60, 2592000)));
  serve::Routes routes(session, metrics, pool, auth);
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
    std::lock_guard lock(log_mutex);
    std::cerr << line << '\n';
  };
  events.connections = [&](int delta) { metrics.connections += delta; };
  events.in_flight = [&](int delta) { metrics.in_flight += delta; };
  serve::ServerOptions options;
  options.address = address;
  options.port = port;
  options.threads = o.threads;
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
