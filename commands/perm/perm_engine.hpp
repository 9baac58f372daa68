#pragma once
/// The check engine. A user's grants in a workspace (their workspace and partner roles through the
/// role matrix, their profile, their unexpired permission sets) are loaded by one prepared query and
/// cached per user; record access (owner, leaders of the owner's teams up the hierarchy, unexpired
/// shares to the user or their teams) is one more prepared query per record; perm_decide.hpp decides.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/pqxx_fwd.hpp"
#include "commands/perm/perm_decide.hpp"
#include "commands/perm/perm_rules.hpp"

namespace wfa {

/// PermissionEngine answers checks for many users over one connection, caching grants per user.
class PermissionEngine {
 public:
  /// Prepares its statements on CONN; cached grants are reloaded after MAX_AGE.
  explicit PermissionEngine(pqxx::connection_base& conn, std::chrono::milliseconds max_age = std::chrono::seconds(10));

  /// check answers PERMISSION (concrete, well formed) for USER_ID in WS_ID, on RECORD if given.
  Decision check(pqxx::transaction_base& tx, const std::string& ws_id, const std::string& user_id,
                 std::string_view permission, const std::optional<RecordRef>& record);
  /// grants returns USER_ID's grants in WS_ID, from the cache while it is fresh.
  const UserGrants& grants(pqxx::transaction_base& tx, const std::string& ws_id, const std::string& user_id);
  /// record_access reads every unexpired way USER_ID reaches RECORD in WS_ID.
  std::vector<RecordAccess> record_access(pqxx::transaction_base& tx, const std::string& ws_id,
                                          const std::string& user_id, const RecordRef& record);
  /// forget empties the cache (after a change made through this process).
  void forget() { cache_.clear(); }

 private:
  struct Cached {
    UserGrants grants;
    std::chrono::steady_clock::time_point loaded;
  };
  std::chrono::milliseconds max_age_;
  std::unordered_map<std::string, Cached> cache_;
};

}  // namespace wfa
