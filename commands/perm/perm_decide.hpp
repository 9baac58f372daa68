#pragma once
/// The pure half of a permission check: grants and record access as loaded, and decide() over them.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

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
  std::string source;              ///< role | partner_role | profile | permission_set
  std::string name;                ///< the role, profile or permission set
  std::string permission;          ///< wildcards allowed
  std::string expires_at;          ///< RFC 3339 UTC; empty = never
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
  std::string reason;  ///< one line for people
};

/// decide applies the rules to loaded data: members only; a matching unexpired grant wins (role,
/// partner role, profile, permission set, in that order); else, with RECORD, the first unexpired
/// access at the required level (owner, team leadership, share).
Decision decide(const UserGrants& user, const std::vector<RecordAccess>* record, std::string_view permission,
                std::int64_t now_epoch);

}  // namespace wfa
