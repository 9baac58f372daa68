#pragma once
/// Finding tenants by what users type: a partner by id or slug, a workspace by id or
/// PARTNER/SLUG, a partner request by id. Unknown ones are NotFoundError (exit 3).
#include <optional>
#include <string>

#include "core/pqxx_fwd.hpp"

namespace wfa {

struct PartnerRef {
  std::string id;
  std::string slug;
  bool deleted = false;
};

struct WorkspaceRef {
  std::string id;
  std::string partner_id;
  std::string slug;
  bool deleted = false;
};

/// find_partner locks nothing; deleted partners are found only with include_deleted.
PartnerRef find_partner(pqxx::transaction_base& tx, const std::string& id_or_slug, bool include_deleted = false);
/// find_workspace accepts a workspace id, or PARTNER/SLUG where PARTNER is an id or slug.
WorkspaceRef find_workspace(pqxx::transaction_base& tx, const std::string& reference, bool include_deleted = false);
/// row_json snapshots one row as JSON text for the audit log (TABLE is a constant, never user input).
std::string row_json(pqxx::transaction_base& tx, const std::string& table, const std::string& id);

}  // namespace wfa
