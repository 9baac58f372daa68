#pragma once
/// `wfa partner`: partner requests, provisioning, partners and white-label resolution.
#include <optional>
#include <string>
#include <vector>

#include "commands/tenancy/mail.hpp"
#include "core/listing.hpp"

namespace wfa {

class Session;

/// Fields of a partner request; from flags, a JSON file (same names in snake_case), or both.
struct PartnerRequestFields {
  std::optional<std::string> company, contact_name, contact_email, contact_phone, subdomain, custom_domain, plan,
      primary_color, logo, notes;
};

struct PartnerRequestSubmitOptions {
  PartnerRequestFields fields;      ///< flags; they override the file's values
  std::optional<std::string> file;  ///< JSON object with the same fields
  bool if_not_exists = false;       ///< an open request for this subdomain by this contact is success, unchanged
  MailOptions mail;                 ///< the notification e-mail to the super admins
  bool dry_run = false;
};

struct PartnerRequestListOptions {
  std::optional<std::string> status;  ///< pending, approved, rejected, provisioning or provisioned
  std::optional<std::string> since;   ///< ISO 8601, inclusive, on created_at
  Paging paging;
};

struct PartnerRequestShowOptions {
  std::string id;
};

struct PartnerRequestApproveOptions {
  std::string id;
  MailOptions mail;  ///< the approval e-mail to the contact
  bool dry_run = false;
};

struct PartnerRequestRejectOptions {
  std::string id;
  std::string reason;
  MailOptions mail;  ///< the rejection e-mail to the contact
  bool dry_run = false;
};

struct PartnerRequestCheckDomainOptions {
  std::string name;
  bool custom = false;  ///< a custom hostname instead of a platform subdomain
};

struct PartnerProvisionOptions {
  std::string request_id;
  MailOptions mail;  ///< the owner's invitation e-mail, in the new partner's brand
  bool dry_run = false;
};

struct PartnerCreateOptions {
  std::string slug;
  std::string name;
  std::string plan = "starter";
  bool platform = false;
  std::optional<std::string> primary_color, logo, company_name;
  bool if_not_exists = false;
  bool dry_run = false;
};

struct PartnerListOptions {
  std::optional<std::string> plan;
  bool include_deleted = false;
  Paging paging;
};

struct PartnerShowOptions {
  std::string partner;  ///< id or slug; deleted partners are shown too
};

struct PartnerUpdateOptions {
  std::string partner;
  std::optional<std::string> name, plan, primary_color, secondary_color, logo, company_name;
  std::optional<std::string> invoice_tax_rate;  ///< percent, e.g. "7.5"
  std::vector<std::string> limits;              ///< KEY=N
  std::vector<std::string> features;            ///< KEY=true|false
  bool dry_run = false;
};

struct PartnerDeleteOptions {
  std::string partner;
  bool yes = false;
  bool dry_run = false;
};

struct PartnerRestoreOptions {
  std::string partner;
  bool dry_run = false;
};

struct PartnerResolveOptions {
  std::string hostname;
};

Result run_partner_request_submit(const PartnerRequestSubmitOptions& options, Session& session);
Result run_partner_request_list(const PartnerRequestListOptions& options, Session& session);
Result run_partner_request_show(const PartnerRequestShowOptions& options, Session& session);
Result run_partner_request_approve(const PartnerRequestApproveOptions& options, Session& session);
Result run_partner_request_reject(const PartnerRequestRejectOptions& options, Session& session);
/// check-domain prints its report whatever the answer; the category says it: ok, conflict, invalid_input.
Result run_partner_request_check_domain(const PartnerRequestCheckDomainOptions& options, Session& session);

Result run_partner_provision(const PartnerProvisionOptions& options, Session& session);

Result run_partner_create(const PartnerCreateOptions& options, Session& session);
Result run_partner_list(const PartnerListOptions& options, Session& session);
Result run_partner_show(const PartnerShowOptions& options, Session& session);
Result run_partner_update(const PartnerUpdateOptions& options, Session& session);
Result run_partner_delete(const PartnerDeleteOptions& options, Session& session);
Result run_partner_restore(const PartnerRestoreOptions& options, Session& session);
Result run_partner_resolve(const PartnerResolveOptions& options, Session& session);

}  // namespace wfa
