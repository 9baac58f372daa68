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

}  // namespace wfa
