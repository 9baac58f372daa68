// The Mini App API's routes. Cached answers are keyed by partner and user (and workspace and agent where they vary);
// the change feed empties the pools, so a cache never outlives a change to who may see what.
#include "serve/api.hpp"

#include <optional>
#include <sstream>
#include <variant>

#include <nlohmann/json.hpp>
#include <pqxx/result>
#include <pqxx/transaction>

#include "commands/app_agent/app_agent.hpp"
#include "commands/invite/invite.hpp"
#include "commands/member/member.hpp"
#include "core/audited_mutation.hpp"
#include "core/config.hpp"
#include "core/database.hpp"
#include "core/error.hpp"
#include "core/session.hpp"
#include "core/url_encoding.hpp"
#include "serve/caches.hpp"
#include "serve/circuit_breaker.hpp"
#include "serve/database_pool.hpp"
#include "serve/telegram_auth.hpp"

namespace wfa::serve {

namespace {

using Json = nlohmann::json;

HttpResponse answer(std::string body, const std::string& route, int status = 200) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  r.route = route;
  return r;
}

std::string json_text(const Result& result) {
  std::ostringstream out;
  write_json(result, 1, out);
  return out.str();
}

/// MustWait: the answer needs the database, and this thread may not wait for it (an I/O thread).
struct MustWait {};

/// LazySession is a request's Session on a pooled connection, opened only when something misses the caches; on a
/// thread that may not block, needing it throws MustWait so the server asks again on a blocking thread.
class LazySession {
 public:
  LazySession(const Config& settings, DatabasePool& pool, bool may_block)
      : settings_(settings), pool_(pool), may_block_(may_block) {}
  Session& operator()() {
    if (!session_) {
      if (!may_block_) throw MustWait{};
      lease_.emplace(pool_.acquire());
      session_.emplace(settings_);
      session_->borrow(lease_->database());
    }
    return *session_;
  }
  bool open() const { return session_.has_value(); }

 private:
  const Config& settings_;
  DatabasePool& pool_;
  bool may_block_;
  std::optional<DatabasePool::Lease> lease_;
  std::optional<Session> session_;
};

/// AgentPath is /api/agents/KEY/WHAT split, or nothing when the path is not one.
struct AgentPath {
  std::string key, what;
};
std::optional<AgentPath> agent_path(const std::string& path) {
  const std::string prefix = "/api/agents/";
  if (path.rfind(prefix, 0) != 0) return std::nullopt;
  auto rest = path.substr(prefix.size());
  auto slash = rest.find('/');
  if (slash == std::string::npos || slash == 0 || slash > 40) return std::nullopt;
  AgentPath p{rest.substr(0, slash), rest.substr(slash + 1)};
  for (char c : p.key)
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_'))
      return std::nullopt;
  if (p.what != "data" && p.what != "actions") return std::nullopt;
  return p;
}

/// route_of is the pattern of PATH for logs and metrics.
std::string route_of(const std::string& path) {
  for (const char* fixed :
       {"/api/user", "/api/org", "/api/org/members", "/api/org/invitations", "/api/agents/accessible"})
    if (path == fixed) return path;
  if (path.rfind("/api/org/invitations/", 0) == 0) return "/api/org/invitations/{id}";
  if (auto p = agent_path(path)) return "/api/agents/{key}/" + p->what;
  return "(unknown)";
}

/// method_not_allowed answers a route that exists with a method it does not take.
HttpResponse method_not_allowed(const std::string& route, const std::string& allow) {
  auto r = json_error(405, "usage", "use " + allow);
  r.headers.emplace_back("Allow", allow);
  r.route = route;
  return r;
}

Json parse_body(const HttpRequest& request) {
  auto body = Json::parse(request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object())
    throw InvalidInputError("the request body is not a JSON object", "send Content-Type: application/json");
  return body;
}

std::string text_of(const Json& value) { return value.is_string() ? value.get<std::string>() : value.dump(); }

}  // namespace

struct Api::Impl {
  const Config& settings;
  DatabasePool& pool;
  TelegramAuth& auth;
  Caches& caches;
  CircuitBreakers& circuits;

  HttpResponse operator()(const HttpRequest& request) {
    auto route = route_of(request.path);
    LazySession session(settings, pool, request.may_block);
    try {
      auto outcome = auth.authenticate(request, [&session]() -> Session& { return session(); });
      if (auto* refused = std::get_if<AuthFailure>(&outcome)) {
        auto r = json_error(refused->status, refused->category, refused->message);
        r.route = route;
        return r;
      }
      const auto& caller = std::get<Caller>(outcome);
      auto acting = [&]() -> Session& {
        auto& s = session();
        if (s.acting_user_id() != caller.user_id) {
          s.act_as_user(caller.user_id,
                        caller.email.empty() ? "telegram:" + std::to_string(caller.telegram.id) : caller.email);
          set_audit_origin(Json{{"front_end", "serve"},
                                {"client", request.client},
                                {"request_id", request.request_id},
                                {"user_agent", std::string(request.header("user-agent")).substr(0, 200)}}
                               .dump());
        }
        return s;
      };
      auto r = dispatch(request, route, caller, acting);
      r.route = route;
      return r;
    } catch (const MustWait&) {
      HttpResponse r;
      r.retry_blocking = true;
      return r;
    } catch (...) {
      auto c = classify(std::current_exception());
      auto r = json_error(http_status(c.category), category_name(c.category), c.message);
      r.route = route;
      return r;
    }
  }

  template <class Acting>
  HttpResponse dispatch(const HttpRequest& request, const std::string& route, const Caller& caller, Acting& acting) {
    const auto& m = request.method;
    bool get = m == "GET" || m == "HEAD";
    if (route == "/api/user") return get ? user(caller, acting) : method_not_allowed(route, "GET");
    if (route == "/api/org") return get ? answer(org(caller, acting), route) : method_not_allowed(route, "GET");
    if (route == "/api/agents/accessible")
      return get ? accessible(request, caller, acting) : method_not_allowed(route, "GET");
    if (route == "/api/org/members") return get ? members(request, caller, acting()) : method_not_allowed(route, "GET");
    if (route == "/api/org/invitations") {
      if (get) return invitations(request, caller, acting());
      if (m == "POST") return invite(request, caller, acting());
      return method_not_allowed(route, "GET, POST");
    }
    if (route == "/api/org/invitations/{id}")
      return m == "DELETE" ? uninvite(request, caller, acting()) : method_not_allowed(route, "DELETE");
    if (auto p = agent_path(request.path)) {
      if (p->what == "data")
        return get ? agent_data(request, caller, p->key, acting) : method_not_allowed(route, "GET");
      return m == "POST" ? agent_action(request, caller, p->key, acting()) : method_not_allowed(route, "POST");
    }
    return json_error(404, "not_found", "no such route");
  }

  /// org is the caller's partner (with its branding) and the partner's workspaces they belong to, with their role.
  template <class Acting>
  std::string org(const Caller& caller, Acting& acting) {
    auto key = caller.partner_id + "|" + caller.user_id;
    if (auto hit = caches.org.get(key)) return *hit;
    auto ticket = caches.org.ticket();
    pqxx::read_transaction tx(acting().database().ready());
    auto partner = tx.exec_params("SELECT slug, name, plan_tier, branding::text FROM partners WHERE id = $1::uuid",
                                  caller.partner_id);
    auto workspaces = tx.exec_params(
        "SELECT p.slug || '/' || w.slug, w.name, m.role FROM workspace_members m JOIN workspaces w ON w.id ="
        " m.workspace_id JOIN partners p ON p.id = w.partner_id WHERE m.user_id = $1::uuid AND m.removed_at IS NULL"
        " AND w.partner_id = $2::uuid AND w.deleted_at IS NULL ORDER BY 1",
        caller.user_id, caller.partner_id);
    auto list = Json::array();
    for (const auto& w : workspaces)
      list.push_back({{"workspace", w[0].c_str()}, {"name", w[1].c_str()}, {"role", w[2].c_str()}});
    auto body = Json{
        {"partner",
         {{"slug", partner[0][0].c_str()},
          {"name", partner[0][1].c_str()},
          {"plan_tier", partner[0][2].c_str()},
          {"branding", Json::parse(partner[0][3].c_str())}}},
        {"workspaces",
         list}}.dump();
    caches.org.put(key, body, ticket);
    return body;
  }

  template <class Acting>
  HttpResponse user(const Caller& caller, Acting& acting) {
    auto body = org(caller, acting);
    const auto& t = caller.telegram;
    Json user{{"id", caller.user_id},     {"telegram_id", t.id},    {"first_name", t.first_name},
              {"last_name", t.last_name}, {"username", t.username}, {"language_code", t.language_code}};
    return answer("{\"user\":" + user.dump() + "," + body.substr(1), "/api/user");
  }

  /// host_workspace: WORKSPACE (from the query or body) must be the host's partner's, else 404 as if it were not.
  static std::string host_workspace(Session& session, const Caller& caller, const std::string& workspace) {
    if (workspace.empty()) throw UsageError("which workspace? give workspace=PARTNER/SLUG");
    pqxx::read_transaction tx(session.database().ready());
    auto found = tx.exec_params(
        "SELECT w.id FROM workspaces w JOIN partners p ON p.id = w.partner_id WHERE w.partner_id = $1::uuid AND"
        " (p.slug || '/' || w.slug = $2 OR w.id::text = $2)",
        caller.partner_id, workspace);
    if (found.empty()) throw NotFoundError("no workspace " + workspace);
    return found[0][0].as<std::string>();
  }

  template <class Acting>
  HttpResponse accessible(const HttpRequest& request, const Caller& caller, Acting& acting) {
    auto workspace = query_field(request.query, "workspace");
    auto key = caller.partner_id + "|" + caller.user_id + "|" + workspace.value_or("");
    if (auto hit = caches.catalog.get(key)) return answer(*hit, "/api/agents/accessible");
    auto ticket = caches.catalog.ticket();
    auto& session = acting();
    if (workspace) host_workspace(session, caller, *workspace);
    AppAgentAccessibleOptions o;
    o.workspace = workspace;
    o.partner_id = caller.partner_id;
    o.paging.limit = 0;
    auto body = json_text(run_app_agent_accessible(o, session));
    caches.catalog.put(key, body, ticket);
    return answer(std::move(body), "/api/agents/accessible");
  }

  /// module_call runs one call of agent KEY's module inside its circuit: a module that keeps failing is answered 503
  /// at once for a while; its failures never reach the other modules.
  template <class F>
  HttpResponse module_call(const std::string& key, F&& call) {
    std::chrono::seconds retry_after{0};
    if (!circuits.admit(key, retry_after)) {
      auto r = json_error(503, "temporary", "agent " + key + " is failing; try again in a moment");
      r.headers.emplace_back("Retry-After", std::to_string(retry_after.count()));
      return r;
    }
    try {
      auto r = call();
      circuits.done(key, false);
      return r;
    } catch (...) {
      auto c = classify(std::current_exception());
      circuits.done(key, http_status(c.category) >= 500);
      throw;
    }
  }

  template <class Acting>
  HttpResponse agent_data(const HttpRequest& request, const Caller& caller, const std::string& key, Acting& acting) {
    auto workspace = query_field(request.query, "workspace").value_or("");
    auto cache_key = caller.partner_id + "|" + caller.user_id + "|" + workspace + "|" + key;
    if (auto hit = caches.analytics.get(cache_key)) return answer(*hit, "/api/agents/{key}/data");
    auto ticket = caches.analytics.ticket();
    auto& session = acting();  // outside the circuit: waiting for a blocking thread is no failure of the module
    return module_call(key, [&] {
      host_workspace(session, caller, workspace);
      auto doc = Json::parse(json_text(run_app_agent_data(AppAgentDataOptions{workspace, key}, session)));
      auto actions = Json::array();
      for (const auto& a : doc["actions"]) {
        auto params = Json::array();
        const std::string& list = a.at("params").template get_ref<const std::string&>();
        for (std::size_t at = 0; at < list.size();) {
          auto end = std::min(list.find(',', at), list.size());
          auto p = list.substr(at, end - at);
          auto eq = p.find('=');
          params.push_back({{"name", p.substr(0, eq)}, {"from", eq == std::string::npos ? "" : p.substr(eq + 1)}});
          at = end + 1;
        }
        actions.push_back({{"action", a["action"]}, {"label", a["label"]}, {"params", params}});
      }
      doc.erase("actions");
      doc.erase("schema_version");
      auto body = Json{{"agent", {{"key", key}}}, {"workspace", workspace}, {"data", doc}, {"actions", actions}}.dump();
      caches.analytics.put(cache_key, body, ticket);
      return answer(std::move(body), "/api/agents/{key}/data");
    });
  }

  HttpResponse agent_action(const HttpRequest& request, const Caller& caller, const std::string& key,
                            Session& session) {
    auto body = parse_body(request);
    AppAgentActionOptions o;
    o.workspace = query_field(request.query, "workspace").value_or(body.value("workspace", ""));
    o.agent = key;
    o.action = body.value("action", "");
    if (o.action.empty()) throw UsageError("which action? give {\"action\": NAME, ...}");
    for (const auto& [name, value] : body.items())
      if (name != "action" && name != "workspace" && !value.is_null()) o.params.emplace_back(name, text_of(value));
    return module_call(key, [&] {
      host_workspace(session, caller, o.workspace);
      auto result = run_app_agent_action(o, session);
      caches.analytics.clear();  // this process sees its own change at once; the feed tells the others
      auto doc = Json::parse(json_text(result));
      doc.erase("schema_version");
      return answer(Json{{"ok", true}, {"message", result.message}, {"result", doc}}.dump(),
                    "/api/agents/{key}/actions");
    });
  }

  static HttpResponse members(const HttpRequest& request, const Caller& caller, Session& session) {
    auto workspace = query_field(request.query, "workspace").value_or("");
    host_workspace(session, caller, workspace);
    MemberListOptions o;
    o.scope.workspace = workspace;
    return answer(json_text(run_member_list(o, session)), "/api/org/members");
  }

  static HttpResponse invitations(const HttpRequest& request, const Caller& caller, Session& session) {
    auto workspace = query_field(request.query, "workspace").value_or("");
    host_workspace(session, caller, workspace);
    InviteListOptions o;
    o.scope.workspace = workspace;
    o.status = query_field(request.query, "status");
    return answer(json_text(run_invite_list(o, session)), "/api/org/invitations");
  }

  static HttpResponse invite(const HttpRequest& request, const Caller& caller, Session& session) {
    auto body = parse_body(request);
    InviteCreateOptions o;
    o.scope.workspace = body.value("workspace", "");
    host_workspace(session, caller, *o.scope.workspace);
    o.email = body.value("email", "");
    o.role = body.value("role", "member");
    o.expires_in = body.value("expires_in", "7d");
    if (body.contains("message") && body["message"].is_string()) o.message = body["message"].get<std::string>();
    return answer(json_text(run_invite_create(o, session)), "/api/org/invitations", 201);
  }

  static HttpResponse uninvite(const HttpRequest& request, const Caller& caller, Session& session) {
    auto id = request.path.substr(std::string("/api/org/invitations/").size());
    {
      pqxx::read_transaction tx(session.database().ready());
      auto found = tx.exec_params(
          "SELECT 1 FROM workspace_invitations i JOIN workspaces w ON w.id = i.workspace_id WHERE i.id::text = $1 AND"
          " w.partner_id = $2::uuid",
          id, caller.partner_id);
      if (found.empty()) throw NotFoundError("no invitation " + id);
    }
    run_invite_revoke(InviteRevokeOptions{id, false}, session);
    return answer(Json{{"revoked", id}}.dump(), "/api/org/invitations/{id}");
  }
};

Api::Api(const Config& settings, DatabasePool& pool, TelegramAuth& auth, Caches& caches, CircuitBreakers& circuits)
    : impl_(new Impl{settings, pool, auth, caches, circuits}) {}
Api::~Api() = default;
HttpResponse Api::operator()(const HttpRequest& request) { return (*impl_)(request); }

}  // namespace wfa::serve
