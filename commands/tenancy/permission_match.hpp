#pragma once
/// Fine-grained permissions are `module:resource:action`; a grant may put `*` in any of the
/// three positions. Malformed grants or requests never match anything.
#include <string_view>

namespace wfa {

/// is_well_formed_permission: three non-empty parts of [a-z0-9_] starting with a letter, or `*` when wildcards are
/// allowed.
bool is_well_formed_permission(std::string_view permission, bool allow_wildcards);
/// grant_matches says whether GRANT (wildcards allowed) covers the concrete REQUESTED permission.
bool grant_matches(std::string_view grant, std::string_view requested);
/// grant_covers: GRANT covers every concrete permission PATTERN (wildcards allowed) matches, so whoever holds GRANT
/// may give PATTERN; `crm:*:read` covers `crm:leads:read` and itself, not `crm:*:*`.
bool grant_covers(std::string_view grant, std::string_view pattern);
/// permission_part is part I (0 module, 1 resource, 2 action) of a well-formed PERMISSION, else empty.
std::string_view permission_part(std::string_view permission, int i);

}  // namespace wfa
