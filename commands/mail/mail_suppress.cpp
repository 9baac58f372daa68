// Hard bounces (see mail_suppress.hpp).
#include "commands/mail/mail_suppress.hpp"

#include <pqxx/result>
#include <pqxx/transaction>

#include "commands/tenancy/mail_outbox.hpp"
#include "core/session.hpp"

namespace wfa {

namespace {

/// tell_inviter marks INVITATION_ID (partner or workspace) undeliverable and queues a note to its inviter when the
/// inviter is a user with an address.
void tell_inviter(pqxx::transaction_base& tx, Session& session, const std::string& invitation_id,
                  const std::string& detail) {
  for (const char* table : {"partner_invitations", "workspace_invitations"}) {
    auto rows = tx.exec_params(std::string("UPDATE ") + table +
                                   " SET undeliverable_at = now() WHERE id = $1::uuid AND undeliverable_at IS NULL"
                                   " RETURNING email, role, invited_by",
                               invitation_id);
    if (rows.empty()) continue;
    auto inviter = tx.exec_params("SELECT email FROM users WHERE email = lower($1) AND deleted_at IS NULL",
                                  rows[0][2].as<std::string>());
    auto partner = tx.exec_params1("SELECT partner_id::text FROM mail_outbox WHERE invitation_id = $1::uuid LIMIT 1",
                                   invitation_id)[0];
    std::vector<std::string> to;
    if (!inviter.empty()) to.push_back(inviter[0][0].as<std::string>());
    if (to.empty())
      for (const auto& admin : tx.exec("SELECT u.email FROM super_admins s JOIN users u ON u.id = s.user_id"
                                       " WHERE u.email IS NOT NULL AND u.deleted_at IS NULL ORDER BY u.email"))
        to.push_back(admin[0].as<std::string>());
    Mail note{"invitation_bounced",
              {{"email", rows[0][0].as<std::string>()},
               {"role", rows[0][1].as<std::string>()},
               {"organization", ""},
               {"detail", detail}},
              to,
              platform_brand(session)};
    if (!partner.is_null()) {
      note.partner_id = partner.as<std::string>();
      note.brand = partner_brand(tx, *note.partner_id);
      note.values["organization"] = note.brand.name;
    }
    queue_mail(tx, session, note);
    return;
  }
}

}  // namespace

void suppress_bounced(pqxx::transaction_base& tx, Session& session, const std::string& id, const std::string& detail) {
  auto row = tx.exec_params1("SELECT recipient, invitation_id::text FROM mail_outbox WHERE id = $1::uuid", id);
  tx.exec_params(
      "INSERT INTO mail_suppressions (address, reason, detail) VALUES ($1, 'bounce', $2)"
      " ON CONFLICT (address) DO NOTHING",
      row[0].as<std::string>(), detail.substr(0, 500) + " (message " + id + ")");
  if (!row[1].is_null()) tell_inviter(tx, session, row[1].as<std::string>(), detail);
}

}  // namespace wfa
