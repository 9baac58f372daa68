#pragma once
/// serve's cache pools (the seed's: auth 60 s, org 120 s, catalog 120 s, analytics 30 s), keyed by tenant, and which
/// of them a change to a table empties. An initData is cached only as the exact bytes that verified, and is checked
/// for staleness on every hit.
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "pipelines/telegram/init_data.hpp"
#include "serve/ttl_cache.hpp"

namespace wfa::serve {

/// PartnerKey is a partner's id and slug.
using PartnerKey = std::pair<std::string, std::string>;
/// UserKey is a user's id and e-mail.
using UserKey = std::pair<std::string, std::string>;

/// WebhookTarget is what a webhook endpoint is checked against: its workspace and the opened secret.
struct WebhookTarget {
  std::string workspace_id, secret;
  bool active = true;
};

struct Caches {
  TtlCache<std::optional<PartnerKey>> hosts{"auth_hosts", std::chrono::seconds(60), 10000};  ///< host → partner
  TtlCache<std::optional<UserKey>> users{"auth_users", std::chrono::seconds(60), 100000};    ///< telegram id → user
  TtlCache<std::string> org{"org", std::chrono::seconds(120), 100000};            ///< /api/user and /api/org bodies
  TtlCache<std::string> catalog{"catalog", std::chrono::seconds(120), 100000};    ///< accessible agents
  TtlCache<std::string> analytics{"analytics", std::chrono::seconds(30), 20000};  ///< agent module data
  TtlCache<std::optional<WebhookTarget>> webhooks{"webhook_endpoints", std::chrono::seconds(60), 10000};
  /// partner + initData as sent → the data it verified to: the same bytes verify the same way, until they are stale
  /// (checked on every hit) or the bot's token changes (the change feed clears every pool).
  TtlCache<std::shared_ptr<const InitData>> init_data{"auth_init_data", std::chrono::seconds(60), 100000};

  std::vector<CachePool*> all() { return {&hosts, &users, &org, &catalog, &analytics, &webhooks, &init_data}; }
  /// changed empties what TABLE's rows feed; "*" (a lost change feed) empties everything.
  void changed(const std::string& table);
  /// render is the pools' lines for /metrics.
  std::string render();
};

}  // namespace wfa::serve
