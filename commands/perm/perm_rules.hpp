#pragma once
/// What the perm verbs share: finding users, profiles, sets and teams in a workspace, checking
/// permissions, records and times, and ending a mutation. Internal to commands/perm*.cpp.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "core/validation.hpp"
#include "commands/tenancy/tenancy_lookup.hpp"

namespace wfa {

inline const Choices access_levels = {"read", "read_write", "full"};

class Session;

using Fields = std::vector<std::pair<std::string, Cell>>;

/// PermUser is a live (not deleted) user.
struct PermUser {
  std::string id;
  std::string email;
};

/// find_perm_user accepts an id or an e-mail (any case); unknown or deleted users are NotFoundError (3).
PermUser find_perm_user(pqxx::transaction_base& tx, const std::string& email_or_id);

/// has_standing: USER is a live member of the workspace or of its partner; only members get access.
bool has_standing(pqxx::transaction_base& tx, const WorkspaceRef& ws, const PermUser& user);
/// require_standing throws InvalidInputError (6) naming USER and WS_LABEL when USER has no standing.
void require_standing(pqxx::transaction_base& tx, const WorkspaceRef& ws, const PermUser& user,
                      const std::string& ws_label);

/// PermKind names the workspace-scoped things found by name or id.
enum class PermKind { profile, permission_set, team };

/// NamedRef is a profile, permission set or team of one workspace.
struct NamedRef {
  std::string id;
  std::string name;
};

/// kind_noun is the user-facing word ("profile", "permission set", "team").
const char* kind_noun(PermKind kind);
/// find_named finds KIND by name or id inside workspace WS_ID; unknown is NotFoundError (3). LOCK = FOR UPDATE.
NamedRef find_named(pqxx::transaction_base& tx, PermKind kind, const std::string& ws_id, const std::string& name_or_id,
                    bool lock = false);

/// check_permissions refuses (exit 6, naming it) any permission that is not `module:resource:action`
/// with names or `*`; returns them sorted without duplicates.
std::vector<std::string> check_permissions(const std::vector<std::string>& permissions);

/// RecordRef is TYPE:ID: a record type name and the record's id within it.
struct RecordRef {
  std::string type;
  std::string id;
  std::string text() const { return type + ":" + id; }
};
/// parse_record splits TYPE:ID; TYPE is [a-z][a-z0-9_]*, ID non-empty (InvalidInputError naming FIELD).
RecordRef parse_record(std::string_view field, const std::string& text);

/// check_future_time accepts an ISO 8601 time after now; returns it as RFC 3339 UTC (exit 6 otherwise).
std::string check_future_time(pqxx::dbtransaction& tx, std::string_view field, const std::string& value);

struct PermScope;
struct Actor;

/// PermChange is one perm mutation: a write transaction on the --workspace whose actor was
/// checked for PERMISSION (see require_workspace in commands/tenancy/actor.hpp), audit rows, and the commit or
/// --dry-run rollback.
class PermChange {
 public:
  PermChange(Session& session, const PermScope& scope, const std::string& permission,
             const std::optional<RecordRef>& record = std::nullopt);
  ~PermChange();
  PermChange(const PermChange&) = delete;
  PermChange& operator=(const PermChange&) = delete;

  pqxx::dbtransaction& tx() { return *tx_; }
  const WorkspaceRef& ws() const { return ws_; }
  /// label is the workspace as the user typed it, for messages.
  const std::string& label() const;
  /// user finds USER (exit 3) and, with NEED_STANDING, refuses one who is not a member (exit 6).
  PermUser user(const std::string& email_or_id, bool need_standing);
  /// named finds a profile, set or team of the workspace (exit 3); LOCK = FOR UPDATE.
  NamedRef named(PermKind kind, const std::string& name_or_id, bool lock = false);
  /// require_may_give refuses (exit 5) to give any of PERMISSIONS the actor does not hold: no escalation.
  void require_may_give(const std::vector<std::string>& permissions);
  /// audit writes ACTION on ENTITY_TYPE/ENTITY_ID with OLD_VALUES and NEW_VALUES (JSON text, "" = null).
  void audit(const std::string& action, const std::string& entity_type, const std::string& entity_id,
             const std::string& old_values, const std::string& new_values);
  /// finish commits and says DONE, or with --dry-run rolls back and says "dry run: WOULD; nothing changed".
  Result finish(Result r, const std::string& done, const std::string& would);
  /// unchanged rolls back and says "MESSAGE; nothing changed".
  Result unchanged(Result r, const std::string& message);

 private:
  Session& session_;
  const PermScope& scope_;
  std::unique_ptr<pqxx::dbtransaction> tx_;
  WorkspaceRef ws_;
  std::unique_ptr<Actor> actor_;
};

}  // namespace wfa
