// `wfa partner request list|show|approve|reject|check-domain`: reviewing partner requests.
#include <algorithm>
#include <array>
#include <pqxx/result>
#include <pqxx/transaction>

#include "core/session.hpp"
#include "core/database.hpp"
#include "core/listing.hpp"
#include "core/rows.hpp"
#include "core/audited_mutation.hpp"
#include "commands/partner/partner.hpp"
#include "commands/partner/partner_names.hpp"
#include "commands/partner/partner_rules.hpp"
#include "commands/tenancy/mail_outbox.hpp"
#include "commands/tenancy/tenancy_lookup.hpp"
#include "core/validation.hpp"
#include "commands/tenancy/actor.hpp"

namespace wfa {

namespace {

/// review moves a locked request to STATUS (approved or rejected), audited as partner_request.approve/reject.
Result review(pqxx::work& tx, Session& session, const RequestRow& request, const std::string& status,
              const std::optional<std::string>& reason, const MailOptions& mail, bool dry_run) {
  auto old_values = row_json(tx, "partner_requests", request.id);
  tx.exec_params(
      "UPDATE partner_requests SET status = $2, rejection_reason = $3, reviewed_by = $4, reviewed_at = now()"
      " WHERE id = $1::uuid",
      request.id, status, reason, session.actor());
  record_audit(tx, {session.actor(), "partner_request." + std::string(status == "approved" ? "approve" : "reject"),
                    "partner_request", request.id, std::nullopt, std::nullopt, old_values,
                    row_json(tx, "partner_requests", request.id), ""});
  Result r;
  r.fields = request_fields(tx, request.id);
  auto decided = request_mail(tx, session, request.id, "partner_request_" + status);
  queue_mail(tx, session, decided);
  if (mail.wanted()) attach_mail(r, decided, mail, session, {{"id", Cell(request.id)}});
  return commit_or_roll_back(tx, std::move(r), dry_run, "partner request " + request.id + " " + status,
                             "request " + request.id + " would be " + status);
}

/// unchanged answers a repeated review; its e-mail can still be rendered again.
Result unchanged(pqxx::work& tx, Session& session, const RequestRow& request, const MailOptions& mail) {
  Result r;
  r.fields = request_fields(tx, request.id);
  if (mail.wanted())
    attach_mail(r, request_mail(tx, session, request.id, "partner_request_" + request.status), mail, session,
                {{"id", Cell(request.id)}});
  r.message = "partner request " + request.id + " is already " + request.status + "; nothing to do";
  return r;
}

}  // namespace

Result run_partner_request_list(const PartnerRequestListOptions& options, Session& session) {
  std::optional<std::string> since;
  if (options.since) since = check_timestamp(session.option("since"), *options.since);
  if (options.status) check_choice(session.option("status"), *options.status, request_statuses, "a request status");
  ListQuery query("partner request list", "requests");
  query
      .select(
          "id, status, company_name, contact_email, desired_subdomain, custom_domain, plan_tier, created_at,"
          " reviewed_by, reviewed_at, provisioned_partner_id")
      .from("partner_requests")
      .where("status = ?", options.status)
      .where("created_at >= ?::timestamptz", since)
      .order_by({{"created_at", "timestamptz", true}, {"id", "uuid", true}})
      .when_empty("no partner requests");
  auto tx = list_transaction(session);
  require_super_admin(actor_of(*tx, session), "list partner requests");
  return list_rows(tx, query, options.paging, session);
}

Result run_partner_request_show(const PartnerRequestShowOptions& options, Session& session) {
  pqxx::read_transaction tx(session.read_database().ready());
  require_super_admin(actor_of(tx, session), "read partner requests");
  Result r;
  r.fields = request_fields(tx, find_request(tx, options.id, false).id);
  return r;
}

Result run_partner_request_approve(const PartnerRequestApproveOptions& options, Session& session) {
  auto platform = platform_domain(session);
  pqxx::work tx(session.database().ready());
  require_super_admin(actor_of(tx, session), "approve partner requests");
  auto request = find_request(tx, options.id, true);
  if (request.status == "approved") return unchanged(tx, session, request, options.mail);
  if (request.status == "rejected")
    throw ConflictError("partner request " + request.id + " was rejected; it cannot be approved",
                        "ask the requester to submit a new request");
  if (request.status != "pending")
    throw ConflictError("partner request " + request.id + " is already " + request.status + "; it cannot be approved",
                        "see it with `wfa partner request show " + request.id + "`");
  // The names may have been taken since the request came in: approving it would only fail at provisioning.
  lock_names(tx);
  NameScope scope{true, request.id};
  require_available(check_subdomain_name(tx, "subdomain", request.desired_subdomain, platform, scope));
  if (request.custom_domain)
    require_available(check_custom_domain_name(tx, "custom domain", *request.custom_domain, platform, scope));
  return review(tx, session, request, "approved", std::nullopt, options.mail, options.dry_run);
}

Result run_partner_request_reject(const PartnerRequestRejectOptions& options, Session& session) {
  auto reason = options.reason;
  reason.erase(0, reason.find_first_not_of(" \t\r\n"));
  reason.erase(reason.find_last_not_of(" \t\r\n") + 1);
  if (reason.empty())
    throw UsageError(session.option("reason") + " must not be empty", "say why the request is rejected");
  pqxx::work tx(session.database().ready());
  require_super_admin(actor_of(tx, session), "reject partner requests");
  auto request = find_request(tx, options.id, true);
  if (request.status == "rejected") return unchanged(tx, session, request, options.mail);
  if (request.status == "provisioned" || request.status == "provisioning")
    throw ConflictError("partner request " + request.id + " is already " + request.status + "; it cannot be rejected",
                        "delete the partner instead with `wfa partner delete`");
  return review(tx, session, request, "rejected", reason, options.mail, options.dry_run);
}

Result run_partner_request_check_domain(const PartnerRequestCheckDomainOptions& options, Session& session) {
  auto platform = platform_domain(session);
  pqxx::read_transaction tx(session.read_database().ready());
  auto check = options.custom ? check_custom_domain_name(tx, "name", options.name, platform, {})
                              : check_subdomain_name(tx, "name", options.name, platform, {});
  Result r;
  r.fields = {{"name", Cell(check.name)},
              {"kind", Cell(check.kind)},
              {"hostname", check.hostname.empty() ? Cell::null() : Cell(check.hostname)},
              {"valid", Cell(check.valid)},
              {"reserved", Cell(check.reserved)},
              {"available", Cell(check.available)},
              {"reason", check.reason.empty() ? Cell::null() : Cell(check.reason)}};
  r.message = check.available ? check.hostname + " is available" : check.reason + " (" + check.hint + ")";
  r.category = !check.valid      ? ErrorCategory::invalid_input
               : check.available ? ErrorCategory::ok
                                 : ErrorCategory::conflict;
  return r;
}

}  // namespace wfa
