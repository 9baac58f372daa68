// serve's routes: each answers JSON, errors with the status of their category (http_status).
#include "serve/routes.hpp"

#include <mutex>
#include <sstream>
#include <variant>

#include <nlohmann/json.hpp>
#include <pqxx/connection>
#include <pqxx/result>
#include <pqxx/transaction>

#include "commands/member/member.hpp"
#include "core/database.hpp"
#include "core/error.hpp"
#include "core/migrations.hpp"
#include "core/session.hpp"
#include "core/url_encoding.hpp"
#include "serve/app_page.hpp"
#include "serve/database_pool.hpp"
#include "serve/metrics.hpp"
#include "serve/telegram_auth.hpp"

namespace wfa::serve {

namespace {

HttpResponse json_ok(const nlohmann::json& body, const std::string& route) {
  HttpResponse r;
  r.body = body.dump();
  r.route = route;
  return r;
}

/// error_answer turns an exception of a verb into its JSON answer, with the status its category decides.
HttpResponse error_answer(const std::exception_ptr& failure, const std::string& route) {
  auto c = classify(failure);
  auto r = json_error(http_status(c.category), category_name(c.category), c.message);
  r.route = route;
  return r;
}

}  // namespace

struct Routes::Impl {
  Impl(Session& session, Metrics& metrics, DatabasePool& pool, TelegramAuth& auth)
      : session_(session), metrics_(metrics), pool_(pool), auth_(auth) {}

  HttpResponse operator()(const HttpRequest& request) {
    if (request.path.rfind("/api/", 0) == 0) return api(request);
    if (request.path == "/app" || request.path == "/app/") return app_page(request);
    if (request.path == "/health")
      return only_get(request, "/health", [] { return json_ok({{"status", "ok"}}, "/health"); });
    if (request.path == "/health/ready") return only_get(request, "/health/ready", [this] { return ready(); });
    if (request.path == "/metrics")
      return only_get(request, "/metrics", [this] {
        HttpResponse r;
        r.content_type = "text/plain; version=0.0.4";
        r.body = metrics_.render();
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

  /// api authenticates the request and answers it in a Session of its own, acting as the caller, on a pooled
  /// database.
  HttpResponse api(const HttpRequest& request) {
    std::string route = request.path == "/api/user" || request.path == "/api/org" || request.path == "/api/org/members"
                            ? request.path
                            : "(unknown)";
    try {
      auto lease = pool_.acquire();
      Session session(session_.settings());
      session.borrow(lease.database());
      auto outcome = auth_.authenticate(request, session);
      if (auto* refused = std::get_if<serve::AuthFailure>(&outcome)) {
        auto r = json_error(refused->status, refused->category, refused->message);
        r.route = route;
        return r;
      }
      auto& caller = std::get<serve::Caller>(outcome);
      session.act_as_user(caller.user_id,
                          caller.email.empty() ? "telegram:" + std::to_string(caller.telegram.id) : caller.email);
      if (route == "/api/user") return only_get(request, route, [&] { return user(session, caller); });
      if (route == "/api/org") return only_get(request, route, [&] { return json_ok(org(session, caller), route); });
      if (route == "/api/org/members")
        return only_get(request, route, [&] { return members(request, session, caller); });
      auto r = json_error(404, "not_found", "no such route");
      r.route = route;
      return r;
    } catch (...) {
      return error_answer(std::current_exception(), route);
    }
  }

  /// org is the caller's partner (with its branding) and the partner's workspaces they belong to, with their role.
  static nlohmann::json org(Session& session, const serve::Caller& caller) {
    pqxx::read_transaction tx(session.database().ready());
    auto partner = tx.exec_params("SELECT slug, name, plan_tier, branding::text FROM partners WHERE id = $1::uuid",
                                  caller.partner_id);
    auto workspaces = tx.exec_params(
        "SELECT p.slug || '/' || w.slug, w.name, m.role FROM workspace_members m JOIN workspaces w ON w.id ="
        " m.workspace_id JOIN partners p ON p.id = w.partner_id WHERE m.user_id = $1::uuid AND m.removed_at IS NULL"
        " AND w.partner_id ="
        " $2::uuid AND w.deleted_at IS NULL ORDER BY 1",
        caller.user_id, caller.partner_id);
    auto list = nlohmann::json::array();
    for (const auto& w : workspaces)
      list.push_back({{"workspace", w[0].c_str()}, {"name", w[1].c_str()}, {"role", w[2].c_str()}});
    return {{"partner",
             {{"slug", partner[0][0].c_str()},
              {"name", partner[0][1].c_str()},
              {"plan_tier", partner[0][2].c_str()},
              {"branding", nlohmann::json::parse(partner[0][3].c_str())}}},
            {"workspaces", list}};
  }

  static HttpResponse user(Session& session, const serve::Caller& caller) {
    auto body = org(session, caller);
    const auto& t = caller.telegram;
    body["user"] = {{"id", caller.user_id},     {"telegram_id", t.id},    {"first_name", t.first_name},
                    {"last_name", t.last_name}, {"username", t.username}, {"language_code", t.language_code}};
    return json_ok(body, "/api/user");
  }

  /// members lists a workspace's members through the verb library, as the caller (whose rights decide). The
  /// workspace must be the host's partner's: another partner's answers 404, as if it did not exist.
  static HttpResponse members(const HttpRequest& request, Session& session, const serve::Caller& caller) {
    std::string workspace = query_field(request.query, "workspace").value_or("");
    if (workspace.empty()) throw UsageError("which workspace? give ?workspace=PARTNER/SLUG");
    {
      pqxx::read_transaction tx(session.database().ready());
      auto found = tx.exec_params(
          "SELECT 1 FROM workspaces w JOIN partners p ON p.id = w.partner_id WHERE w.partner_id = $1::uuid AND"
          " (p.slug || '/' || w.slug = $2 OR w.id::text = $2)",
          caller.partner_id, workspace);
      if (found.empty()) throw NotFoundError("no workspace " + workspace);
    }
    MemberListOptions options;
    options.scope.workspace = workspace;
    auto result = run_member_list(options, session);
    std::ostringstream out;
    write_json(result, 1, out);
    HttpResponse r;
    r.body = out.str();
    r.route = "/api/org/members";
    return r;
  }

  Session& session_;
  Metrics& metrics_;
  DatabasePool& pool_;
  TelegramAuth& auth_;
  std::mutex mutex_;
  std::unique_ptr<pqxx::connection> connection_;
};

Routes::Routes(Session& session, Metrics& metrics, DatabasePool& pool, TelegramAuth& auth)
    : impl_(std::make_unique<Impl>(session, metrics, pool, auth)) {}
Routes::~Routes() = default;
HttpResponse Routes::operator()(const HttpRequest& request) { return (*impl_)(request); }

}  // namespace wfa::serve
