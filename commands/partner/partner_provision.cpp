// `wfa partner provision REQUEST_ID`: an approved request becomes a partner with domains, a workspace,
// an owner and an owner invitation, in one transaction.
#include <nlohmann/json.hpp>
#include <pqxx/result>
#include <pqxx/transaction>

#include "core/session.hpp"
#include "core/database.hpp"
#include "core/rows.hpp"
#include "core/audited_mutation.hpp"
#include "commands/partner/partner.hpp"
#include "commands/partner/partner_names.hpp"
#include "commands/partner/partner_rules.hpp"
#include "commands/partner/partner_write.hpp"
#include "commands/tenancy/mail_outbox.hpp"
#include "commands/tenancy/tenancy_lookup.hpp"
#include "core/tokens.hpp"
#include "commands/tenancy/actor.hpp"

namespace wfa {

namespace {

/// Provisioned says what provisioning made (or found), for the output.
struct Provisioned {
  std::string partner_id;
  std::optional<std::string> invitation_token;  ///< only when this run created the invitation
};

/// output: the partner, then its first workspace, the owner and the newest owner invitation.
Result output(pqxx::transaction_base& tx, const RequestRow& request, const Provisioned& made) {
  Result r;
  r.fields = partner_fields(tx, made.partner_id);
  auto extra = to_fields(tx.exec_params(
      "SELECT w.id AS workspace_id, w.slug AS workspace_slug, u.id AS owner_user_id, u.email AS owner_email,"
      " i.id AS invitation_id, i.expires_at AS invitation_expires_at"
      " FROM (SELECT 1) one"
      " LEFT JOIN LATERAL (SELECT id, slug FROM workspaces WHERE partner_id = $1::uuid ORDER BY created_at, slug LIMIT "
      "1) w ON true"
      " LEFT JOIN users u ON u.email = $2"
      " LEFT JOIN LATERAL (SELECT id, expires_at FROM partner_invitations WHERE partner_id = $1::uuid AND role = "
      "'owner'"
      "   ORDER BY created_at DESC LIMIT 1) i ON true",
      made.partner_id, request.contact_email));
  r.fields.emplace_back("request_id", Cell(request.id));
  r.fields.insert(r.fields.end(), extra.begin(), extra.end());
  r.fields.emplace_back("invitation_token", made.invitation_token ? Cell(*made.invitation_token) : Cell::null());
  return r;
}

std::string insert_workspace(pqxx::dbtransaction& tx, const std::string& actor, const std::string& partner_id,
                             const std::string& name, const std::string& metadata) {
  auto id = tx.exec_params("INSERT INTO workspaces (partner_id, slug, name) VALUES ($1::uuid, 'main', $2) RETURNING id",
                           partner_id, name)[0][0]
                .as<std::string>();
  record_audit(
      tx, {actor, "workspace.create", "workspace", id, partner_id, id, "", row_json(tx, "workspaces", id), metadata});
  return id;
}

/// owner_user reuses the user with the contact e-mail, or creates it from the contact name.
std::string owner_user(pqxx::dbtransaction& tx, const std::string& actor, const RequestRow& request,
                       const std::string& partner_id, const std::string& metadata) {
  auto existing = tx.exec_params("SELECT id FROM users WHERE email = $1", request.contact_email);
  if (!existing.empty()) return existing[0][0].as<std::string>();
  auto space = request.contact_name.find(' ');
  std::optional<std::string> last;
  if (space != std::string::npos) last = request.contact_name.substr(space + 1);
  auto id = tx.exec_params("INSERT INTO users (email, first_name, last_name) VALUES ($1, $2, $3) RETURNING id",
                           request.contact_email, request.contact_name.substr(0, space), last)[0][0]
                .as<std::string>();
  record_audit(tx,
               {actor, "user.create", "user", id, partner_id, std::nullopt, "", row_json(tx, "users", id), metadata});
  return id;
}

/// owner_invitation stores only the token's hash; the token itself is returned once.
std::string owner_invitation(pqxx::dbtransaction& tx, const std::string& actor, const RequestRow& request,
                             const std::string& partner_id, const std::string& metadata) {
  auto token = random_token();
  auto id =
      tx.exec_params(
            "INSERT INTO partner_invitations (partner_id, email, role, token_hash, message, invited_by, expires_at)"
            " VALUES ($1::uuid, $2, 'owner', $3, $4, $5, now() + interval '7 days') RETURNING id",
            partner_id, request.contact_email, token_hash(token), "Owner of " + request.company_name, actor)[0][0]
          .as<std::string>();
  auto snapshot = nlohmann::json::parse(row_json(tx, "partner_invitations", id));
  snapshot.erase("token_hash");
  record_audit(tx, {actor, "partner_invitation.create", "partner_invitation", id, partner_id, std::nullopt, "",
                    snapshot.dump(), metadata});
  return token;
}

}  // namespace

Result run_partner_provision(const PartnerProvisionOptions& options, Session& session) {
  auto platform = platform_domain(session);
  pqxx::work tx(session.database().ready());
  require_super_admin(actor_of(tx, session), "provision partners");
  // The row lock serialises concurrent provisions: the second waits, then sees "provisioned".
  auto request = find_request(tx, options.request_id, true);
  if (request.status == "provisioned") {
    if (options.mail.wanted())
      throw ConflictError("partner request " + request.id +
                              " is already provisioned; its owner's invitation token was "
                              "shown once, so its e-mail cannot be rendered again",
                          "send a new one: wfa invite resend INVITATION_ID --render (see wfa invite list --partner " +
                              request.desired_subdomain + ")");
    auto r = output(tx, request, {*request.provisioned_partner_id, std::nullopt});
    r.message = "partner request " + request.id + " is already provisioned as partner " + request.desired_subdomain +
                "; nothing to do";
    return r;
  }
  if (request.status == "pending")
    throw ConflictError("partner request " + request.id + " is pending",
                        "approve it first: wfa partner request approve " + request.id);
  if (request.status != "approved")
    throw ConflictError(
        "partner request " + request.id + " is " + request.status + "; only an approved request is provisioned",
        "submit a new request");
  lock_names(tx);
  auto name = check_subdomain_name(tx, "subdomain", request.desired_subdomain, platform, {false, std::nullopt});
  if (!name.valid || !name.available)
    throw ConflictError(name.reason, "reject the request: wfa partner request reject " + request.id + " --reason TEXT");
  const auto& actor = session.actor();
  auto metadata = nlohmann::json{{"request_id", request.id}}.dump();
  auto old_request = row_json(tx, "partner_requests", request.id);
  tx.exec_params("UPDATE partner_requests SET status = 'provisioning' WHERE id = $1::uuid", request.id);

  auto branding = nlohmann::json::parse(request.branding);
  branding["company_name"] = request.company_name;
  Provisioned made;
  made.partner_id = insert_partner(
      tx, actor, {request.desired_subdomain, request.company_name, request.plan_tier, branding.dump(), false},
      metadata);
  insert_domain(tx, actor, made.partner_id, request.desired_subdomain + "." + platform, true, metadata);
  if (request.custom_domain) insert_domain(tx, actor, made.partner_id, *request.custom_domain, false, metadata);
  insert_workspace(tx, actor, made.partner_id, request.company_name, metadata);
  owner_user(tx, actor, request, made.partner_id, metadata);
  made.invitation_token = owner_invitation(tx, actor, request, made.partner_id, metadata);

  tx.exec_params(
      "UPDATE partner_requests SET status = 'provisioned', provisioned_partner_id = $2::uuid WHERE id = $1::uuid",
      request.id, made.partner_id);
  record_audit(tx, {actor, "partner_request.provision", "partner_request", request.id, made.partner_id, std::nullopt,
                    old_request, row_json(tx, "partner_requests", request.id), ""});
  auto token = made.invitation_token.value_or("");
  if (options.dry_run) made.invitation_token = std::nullopt;
  auto r = output(tx, request, made);
  auto shown = options.dry_run ? std::string("DRY-RUN-TOKEN") : token;
  auto owner_invitation = tx.exec_params1("SELECT " + utc_sql("expires_at") +
                                              ", id FROM partner_invitations WHERE partner_id = $1::uuid"
                                              " AND role = 'owner' ORDER BY created_at DESC LIMIT 1",
                                          made.partner_id);
  Mail invitation{"invitation",
                  {{"inviter", "The " + platform_brand(session).name + " team"},
                   {"email", request.contact_email},
                   {"organization", request.company_name},
                   {"scope", "partner"},
                   {"reference", request.desired_subdomain},
                   {"role", "owner"},
                   {"message", ""},
                   {"accept_command", "wfa invite accept " + shown},
                   {"accept_url", "https://" + request.desired_subdomain + "." + platform + "/invite/" + shown},
                   {"expires_at", owner_invitation[0].as<std::string>()},
                   {"token", shown}},
                  {request.contact_email},
                  partner_brand(tx, made.partner_id),
                  made.partner_id,
                  owner_invitation[1].as<std::string>()};
  queue_mail(tx, session, invitation);
  if (options.mail.wanted())
    attach_mail(
        r, invitation, options.mail, session,
        {{"id", Cell(made.partner_id)}, {"invitation_token", made.invitation_token ? Cell(token) : Cell::null()}});
  auto at = request.desired_subdomain + " at " + request.desired_subdomain + "." + platform;
  return commit_or_roll_back(
      tx, std::move(r), options.dry_run,
      "provisioned partner " + at + "; give the owner the invitation_token now: it is not shown again",
      "request " + request.id + " would become partner " + at);
}

}  // namespace wfa
