// Request authentication for the Mini App API: partner by host, initData by the partner's bot, user by telegram_id.
#include "serve/telegram_auth.hpp"

#include <tuple>

#include <pqxx/binarystring>
#include <pqxx/nontransaction>
#include <pqxx/result>
#include <pqxx/transaction>

#include "commands/invite/invite.hpp"
#include "commands/partner/partner.hpp"
#include "commands/secret/secret_keys.hpp"
#include "commands/telegram/telegram.hpp"
#include "core/database.hpp"
#include "core/error.hpp"
#include "core/secret_box.hpp"
#include "core/session.hpp"
#include "core/tokens.hpp"

namespace wfa::serve {

namespace {

constexpr std::chrono::seconds secret_ttl{60};

/// host_of is the Host header without its port, lowercase.
std::string host_of(const HttpRequest& request) {
  std::string host(request.header("host"));
  if (auto colon = host.rfind(':'); colon != std::string::npos && host.find(']') == std::string::npos)
    host.resize(colon);
  for (auto& c : host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return host;
}

/// accept_invitation accepts the invitation TOKEN for TELEGRAM_ID's account, creating the invited user if needed, and
/// answers that user; nothing when the token does not hold (unknown, used, expired, another partner's, a conflict).
std::optional<UserKey> accept_invitation(Session& session, const std::string& token, std::int64_t telegram_id,
                                         const std::string& partner_id) {
  try {
    {  // the invitee has no tenant yet: the connection sees the invitation's workspace (until the lease ends)
      pqxx::nontransaction tx(session.database().ready());
      tx.exec_params("SELECT set_config('wfa.workspace_ids', coalesce(wfa_invitation_workspace($1)::text, ''), false)",
                     token_hash(token));
    }
    InviteAcceptOptions o;
    o.token = token;
    o.create_user = true;
    o.telegram_id = telegram_id;
    o.partner_id = partner_id;
    run_invite_accept(o, session);
  } catch (const Error&) {
    return std::nullopt;
  }
  pqxx::read_transaction tx(session.database().ready());
  auto rows = tx.exec_params("SELECT id, coalesce(email, '') FROM users WHERE telegram_id = $1 AND deleted_at IS NULL",
                             telegram_id);
  if (rows.empty()) return std::nullopt;
  return UserKey{rows[0][0].as<std::string>(), rows[0][1].as<std::string>()};
}

}  // namespace

TelegramAuth::TelegramAuth(Caches& caches, std::chrono::seconds max_age, int failures, std::chrono::seconds window)
    : caches_(caches), max_age_(max_age), failures_(failures), window_(window) {}

void TelegramAuth::forget() {
  std::lock_guard lock(mutex_);
  secrets_.clear();
}

std::optional<PartnerKey> TelegramAuth::partner_of(const std::function<Session&()>& session, const std::string& host) {
  if (auto hit = caches_.hosts.get(host)) return *hit;
  auto ticket = caches_.hosts.ticket();
  std::optional<PartnerKey> partner;
  try {
    auto resolved = run_partner_resolve(PartnerResolveOptions{host}, session());
    PartnerKey key;
    for (const auto& [name, cell] : resolved.fields) {
      if (name == "partner_id") key.first = cell.to_text();
      if (name == "slug") key.second = cell.to_text();
    }
    partner = key;
  } catch (const NotFoundError&) {
  }
  caches_.hosts.put(host, partner, ticket);
  return partner;
}

std::optional<UserKey> TelegramAuth::user_of(const std::function<Session&()>& session, std::int64_t telegram_id) {
  auto key = std::to_string(telegram_id);
  if (auto hit = caches_.users.get(key)) return *hit;
  auto ticket = caches_.users.ticket();
  pqxx::read_transaction tx(session().database().ready());
  auto rows = tx.exec_params("SELECT id, coalesce(email, '') FROM users WHERE telegram_id = $1 AND deleted_at IS NULL",
                             telegram_id);
  std::optional<UserKey> user;
  if (!rows.empty()) user = UserKey{rows[0][0].as<std::string>(), rows[0][1].as<std::string>()};
  caches_.users.put(key, user, ticket);
  return user;
}

bool TelegramAuth::limited(const std::string& client) {
  std::lock_guard lock(mutex_);
  auto it = strikes_.find(client);
  if (it == strikes_.end()) return false;
  if (std::chrono::steady_clock::now() - it->second.since > window_) {
    strikes_.erase(it);
    return false;
  }
  return it->second.count >= failures_;
}

void TelegramAuth::failed(const std::string& client) {
  std::lock_guard lock(mutex_);
  if (strikes_.size() > 100000) strikes_.clear();  // bounded: a flood of addresses forgets, it does not grow
  auto& s = strikes_[client];
  auto now = std::chrono::steady_clock::now();
  if (s.count == 0 || now - s.since > window_) s = {0, now};
  ++s.count;
}

std::optional<InitDataSecret> TelegramAuth::bot_secret(const std::function<Session&()>& open_session,
                                                       const std::string& partner_id) {
  {
    std::lock_guard lock(mutex_);
    auto it = secrets_.find(partner_id);
    if (it != secrets_.end() && std::chrono::steady_clock::now() - it->second.loaded < secret_ttl)
      return it->second.secret;
  }
  std::optional<InitDataSecret> secret;
  {
    auto& session = open_session();
    pqxx::work tx(session.database().ready());  // opening the keyring may record its state
    auto rows = tx.exec_params("SELECT token FROM telegram_bots WHERE partner_id = $1::uuid", partner_id);
    if (!rows.empty()) {
      auto ring = secret_keyring(session, tx);
      auto token = ring.open(pqxx::binarystring(rows[0][0]).str(), telegram_bot_context(partner_id), "the bot token");
      secret = init_data_secret(token);
      wipe_secret(token);
    }
    tx.commit();
  }
  std::lock_guard lock(mutex_);
  secrets_[partner_id] = {secret, std::chrono::steady_clock::now()};
  return secret;
}

std::variant<Caller, AuthFailure> TelegramAuth::authenticate(const HttpRequest& request,
                                                             const std::function<Session&()>& session) {
  if (limited(request.client))
    return AuthFailure{429, "permission", "too many failed sign-ins from this address; wait a minute"};
  auto refuse = [&](std::string message) -> std::variant<Caller, AuthFailure> {
    failed(request.client);
    return AuthFailure{401, "permission", std::move(message)};
  };
  // initData comes as `Authorization: tma INITDATA` or in X-Telegram-Init-Data, verbatim either way.
  auto authorization = request.header("authorization");
  auto raw = authorization.rfind("tma ", 0) == 0 ? authorization.substr(4) : request.header("x-telegram-init-data");
  if (raw.empty()) return refuse("sign in through Telegram: no initData was sent");

  Caller caller;
  auto partner = partner_of(session, host_of(request));
  if (!partner) return AuthFailure{404, "not_found", "no partner serves this address"};
  std::tie(caller.partner_id, caller.partner_slug) = *partner;
  auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch());
  // The same bytes under the same bot verify the same way: a hit skips the parse and the HMAC, never the freshness.
  auto key = caller.partner_id + '\n' + std::string(raw);
  std::shared_ptr<const InitData> data;
  if (auto hit = caches_.init_data.get(key); hit && now.count() - (*hit)->auth_date <= max_age_.count()) data = *hit;
  if (!data) {
    auto ticket = caches_.init_data.ticket();
    auto secret = bot_secret(session, caller.partner_id);
    if (!secret) return AuthFailure{503, "temporary", "this partner has no Telegram bot yet"};
    auto verdict = verify_init_data(raw, *secret, InitDataRules{now.count(), max_age_.count(), 60});
    if (!verdict.ok()) return refuse("the initData does not hold (" + verdict.problem + "); open the app again");
    data = std::make_shared<const InitData>(std::move(*verdict.data));
    caches_.init_data.put(key, data, ticket);
  }
  if (!data->user) return refuse("the initData names no user");
  caller.telegram = *data->user;
  auto user = user_of(session, caller.telegram.id);
  if (!user) {
    // First visit through an invitation's link (t.me/BOT/app?startapp=TOKEN): accept it and link this account.
    auto start = data->fields.find("start_param");
    if (start == data->fields.end() || start->second.empty())
      return AuthFailure{403, "permission", "this Telegram account is not a member here; ask for an invitation"};
    user = accept_invitation(session(), start->second, caller.telegram.id, caller.partner_id);
    if (user) caches_.users.put(std::to_string(caller.telegram.id), user, caches_.users.ticket());
    if (!user) {
      failed(request.client);  // guessing tokens counts as failing to sign in
      return AuthFailure{403, "permission", "the invitation does not hold; ask for a new one"};
    }
  }
  std::tie(caller.user_id, caller.email) = *user;
  return caller;
}

}  // namespace wfa::serve
