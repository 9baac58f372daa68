// serve's routes: each answers JSON, errors with the status of their category (http_status).
#include "serve/routes.hpp"

#include <mutex>

#include <nlohmann/json.hpp>
#include <pqxx/connection>

#include "core/database.hpp"
#include "core/error.hpp"
#include "core/migrations.hpp"
#include "core/session.hpp"
#include "serve/api.hpp"
#include "serve/app_page.hpp"
#include "serve/metrics.hpp"
#include "serve/webhooks.hpp"

namespace wfa::serve {

namespace {

HttpResponse json_ok(const nlohmann::json& body, const std::string& route) {
  HttpResponse r;
  r.body = body.dump();
  r.route = route;
  return r;
}

}  // namespace

struct Routes::Impl {
  Impl(Session& session, Metrics& metrics, Api& api, WebhookReceiver& webhooks, std::function<std::string()> gauges)
      : session_(session), metrics_(metrics), api_(api), webhooks_(webhooks), gauges_(std::move(gauges)) {}

  HttpResponse operator()(const HttpRequest& request) {
    if (request.path.rfind("/api/", 0) == 0) return api_(request);
    if (request.path.rfind("/webhooks/", 0) == 0) return webhooks_(request);
    if (request.path == "/app" || request.path == "/app/") return app_page(request);
    if (request.path == "/health")
      return only_get(request, "/health", [] { return json_ok({{"status", "ok"}}, "/health"); });
    if (request.path == "/health/ready")
      return only_get(request, "/health/ready", [&] {
        HttpResponse wait;
        wait.retry_blocking = true;
        return request.may_block ? ready() : wait;
      });
    if (request.path == "/metrics")
      return only_get(request, "/metrics", [&] {
        HttpResponse r;
        r.retry_blocking = !request.may_block;  // the queue's figures come from the database
        if (r.retry_blocking) return r;
        r.content_type = "text/plain; version=0.0.4";
        r.body = metrics_.render(gauges_ ? gauges_() : "");
        r.route = "/metrics";
        return r;
      });
    auto r = json_error(404, "not_found", "no such route");
    r.route = "(unknown)";
    return r;
  }

  template <class F>
  HttpResponse only_get(const HttpRequest& request, const std::string& route, F&& answer) {
    if (request.method != "GET" && request.method != "HEAD") {
      auto r = json_error(405, "usage", "use GET");
      r.headers.emplace_back("Allow", "GET, HEAD");
      r.route = route;
      return r;
    }
    return answer();
  }

  /// ready: the database answers and its schema is this binary's (one connection, opened per check).
  HttpResponse ready() {
    try {
      std::lock_guard lock(mutex_);
      if (!connection_) connection_ = session_.database().open_another();
      bool current = Migrator(*connection_, session_.settings().value("migrations_dir")).current();
      if (!current) return unready("the database's migrations are not this binary's; run `wfa db migrate`");
      return json_ok({{"status", "ready"}}, "/health/ready");
    } catch (const std::exception&) {
      std::lock_guard lock(mutex_);
      connection_.reset();
      return unready("the database does not answer");
    }
  }

  static HttpResponse unready(const std::string& why) {
    auto r = json_error(503, "temporary", why);
    r.route = "/health/ready";
    return r;
  }

  Session& session_;
  Metrics& metrics_;
  Api& api_;
  WebhookReceiver& webhooks_;
  std::function<std::string()> gauges_;
  std::mutex mutex_;
  std::unique_ptr<pqxx::connection> connection_;
};

Routes::Routes(Session& session, Metrics& metrics, Api& api, WebhookReceiver& webhooks,
               std::function<std::string()> gauges)
    : impl_(std::make_unique<Impl>(session, metrics, api, webhooks, std::move(gauges))) {}
Routes::~Routes() = default;
HttpResponse Routes::operator()(const HttpRequest& request) { return (*impl_)(request); }

}  // namespace wfa::serve
