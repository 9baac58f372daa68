#include "commands/tenancy/tenancy_lookup.hpp"

#include <pqxx/result>
#include <pqxx/transaction_base>

#include "core/error.hpp"
#include "core/validation.hpp"

namespace wfa {

PartnerRef find_partner(pqxx::transaction_base& tx, const std::string& id_or_slug, bool include_deleted) {
  auto rows =
      is_uuid(id_or_slug)
          ? tx.exec_params("SELECT id, slug, deleted_at IS NOT NULL FROM partners WHERE id = $1::uuid", id_or_slug)
          : tx.exec_params("SELECT id, slug, deleted_at IS NOT NULL FROM partners WHERE slug = $1", id_or_slug);
  if (rows.empty() || (!include_deleted && rows[0][2].as<bool>()))
    throw NotFoundError("partner '" + id_or_slug + "' not found", "list partners with `wfa partner list`");
  return {rows[0][0].as<std::string>(), rows[0][1].as<std::string>(), rows[0][2].as<bool>()};
}

WorkspaceRef find_workspace(pqxx::transaction_base& tx, const std::string& reference, bool include_deleted) {
  pqxx::result rows;
  const char* columns = "SELECT w.id, w.partner_id, w.slug, w.deleted_at IS NOT NULL FROM workspaces w ";
  if (is_uuid(reference)) {
    rows = tx.exec_params(std::string(columns) + "WHERE w.id = $1::uuid", reference);
  } else if (auto slash = reference.find('/'); slash != std::string::npos) {
    auto partner = find_partner(tx, reference.substr(0, slash), true);
    rows = tx.exec_params(std::string(columns) + "WHERE w.partner_id = $1::uuid AND w.slug = $2", partner.id,
                          reference.substr(slash + 1));
  } else {
    // A bare slug names the workspace when one partner has it; with several it is ambiguous (they are listed).
    rows = tx.exec_params(
        std::string(columns) + "JOIN partners p ON p.id = w.partner_id WHERE w.slug = $1 ORDER BY p.slug LIMIT 4",
        reference);
    if (rows.size() > 1) {
      auto names = tx.exec_params(
          "SELECT string_agg(p.slug || '/' || w.slug, ', ' ORDER BY p.slug) FROM workspaces w JOIN partners p ON"
          " p.id = w.partner_id WHERE w.slug = $1",
          reference);
      throw InvalidInputError("workspace '" + reference + "' is ambiguous: " + names[0][0].as<std::string>(),
                              "give PARTNER/SLUG, e.g. " +
                                  names[0][0].as<std::string>().substr(0, names[0][0].as<std::string>().find(',')));
    }
  }
  if (rows.empty() || (!include_deleted && rows[0][3].as<bool>()))
    throw NotFoundError("workspace '" + reference + "' not found", "list workspaces with `wfa workspace list`");
  return {rows[0][0].as<std::string>(), rows[0][1].as<std::string>(), rows[0][2].as<std::string>(),
          rows[0][3].as<bool>()};
}

std::string row_json(pqxx::transaction_base& tx, const std::string& table, const std::string& id) {
  auto rows = tx.exec_params("SELECT to_jsonb(t) FROM " + tx.quote_name(table) + " t WHERE id = $1::uuid", id);
  return rows.empty() ? std::string() : rows[0][0].as<std::string>();
}

}  // namespace wfa
