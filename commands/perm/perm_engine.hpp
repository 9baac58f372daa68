#pragma once
/// The check engine. A user's grants in a workspace (their workspace and partner roles through the
/// role matrix, their profile, their unexpired permission sets) are loaded by one prepared query and
/// cached per user; record access (owner, leaders of the owner's teams up the hierarchy, unexpired
/// shares to the user or their teams) is one more prepared query per record. decide() is pure.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/pqxx_fwd.hpp"
#include "commands/perm/perm_rules.hpp"

namespace wfa {

/// AccessLevel orders record access: each level includes the ones below it.
enum class AccessLevel { none = 0, read = 1, read_write = 2, full = 3 };

/// required_level maps a permission's action to the record access it needs:
/// read → read; create, update, write → read_write; every other action (delete, share, ...) → full.
AccessLevel required_level(std::string_view permission);
std::string_view level_name(AccessLevel level);
/// parse_level accepts read, read_write and full; anything else is none.
AccessLevel parse_level(std::string_view text);

/// Grant is one permission a user holds and where it comes from.
struct Grant {
  std::string source;      ///< role | partner_role | profile | permission_set
  std::string name;        ///< the role, profile or permission set
  std::string permission;  ///< wildcards allowed
  std::string expires_at;  ///< RFC 3339 UTC; empty = never
  std::int64_t expires_epoch = 0;  ///< Unix seconds; 0 = never
};

/// RecordAccess is one way a user reaches one record.
struct RecordAccess {
  std::string source;  ///< owner | team_leader | share
  std::string name;    ///< the owner's e-mail, the team led, or the share id
  std::string via;     ///< the team a share was made to, or the owner a leader sees; may be empty
  AccessLevel level = AccessLevel::none;
  std::string expires_at;
  std::int64_t expires_epoch = 0;
  int rank = 0;  ///< lower wins among equals: the team's distance from the owner's team, user shares before team shares
};

/// UserGrants is what a check without a record needs: standing (a live membership) and grants.
struct UserGrants {
  bool member = false;
  std::vector<Grant> grants;
};

/// Decision is the answer and what decided it (empty fields when denied).
struct Decision {
  bool allowed = false;
  std::string decided_by;  ///< a Grant or RecordAccess source
  std::string source;      ///< its name
  std::string grant;       ///< the matching permission, or the access level of a record source
  std::string expires_at;
  std::string reason;      ///< one line for people
};

/// decide applies the rules to loaded data: members only; a matching unexpired grant wins (role,
/// partner role, profile, permission set, in that order); else, with RECORD, the first unexpired
/// access at the required level (owner, team leadership, share).
Decision decide(const UserGrants& user, const std::vector<RecordAccess>* record, std::string_view permission, std::int64_t now_epoch);

/// PermissionEngine answers checks for many users over one connection, caching grants per user.
class PermissionEngine {
 public:
  /// Prepares its statements on CONN; cached grants are reloaded after MAX_AGE.
  explicit PermissionEngine(pqxx::connection_base& conn, std::chrono::milliseconds max_age = std::chrono::seconds(10));

  /// check answers PERMISSION (concrete, well formed) for USER_ID in WS_ID, on RECORD if given.
  Decision check(pqxx::transaction_base& tx, const std::string& ws_id, const std::string& user_id, std::string_view permission,
                 const std::optional<RecordRef>& record);
  /// grants returns USER_ID's grants in WS_ID, from the cache while it is fresh.
  const UserGrants& grants(pqxx::transaction_base& tx, const std::string& ws_id, const std::string& user_id);
  /// record_access reads every unexpired way USER_ID reaches RECORD in WS_ID.
  std::vector<RecordAccess> record_access(pqxx::transaction_base& tx, const std::string& ws_id, const std::string& user_id,
                                          const RecordRef& record);
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

/// authorize_actor: an actor (--as) that is a live user with standing in WS needs PERMISSION there,
/// or with RECORD full access to that record, else PermissionError (5); other actors (cli:$USER,
/// cron) are operators and pass.
void authorize_actor(pqxx::transaction_base& tx, const std::string& actor, const WorkspaceRef& ws, const std::string& ws_label,
                     const std::string& permission, const std::optional<RecordRef>& record = std::nullopt);

}  // namespace wfa
