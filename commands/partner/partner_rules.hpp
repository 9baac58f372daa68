#pragma once
/// Rules the partner verbs share: request lookup, plans, branding values and the partner/request
/// output fields. Internal to commands/partner/ (and commands/plan/, for plan settings).
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "commands/tenancy/mail.hpp"
#include "core/result.hpp"
#include "core/validation.hpp"

namespace pqxx {
class transaction_base;
class dbtransaction;
}  // namespace pqxx

namespace wfa {

class Session;
struct PdfImage;

/// Requests in these states hold their subdomain and custom domain (SQL list, a constant).
inline const Choices request_statuses = {"pending", "approved", "rejected", "provisioning", "provisioned"};
inline constexpr const char* open_request_states = "('pending', 'approved', 'provisioning')";

/// check_plan returns PLAN when the catalogue (subscription_plans) has it and it is not retired; otherwise
/// InvalidInputError naming FIELD and the plans on offer.
std::string check_plan(pqxx::transaction_base& tx, std::string_view field, const std::string& plan);
/// apply_plan_settings sets each KEY=VALUE of SETTINGS (given through option FLAG) in the JSON object TARGET and
/// returns it: a resource_limits value is a whole number >= 0, a features value true or false. KEY must be known to
/// some plan or already in TARGET, unless ANY_KEY (a plan's own catalogue entry).
std::string apply_plan_settings(pqxx::transaction_base& tx, const std::string& column,
                                const std::vector<std::string>& settings, const std::string& target,
                                std::string_view flag, bool any_key = false);
/// A logo in branding is an https:// URL (never fetched by wfa) or a copy in the file store, "store:logos/ab/….png".
inline constexpr const char* stored_logo_prefix = "store:";
inline constexpr std::size_t max_logo_bytes = 5u << 20;

/// PartnerBrand is how a partner's documents look: the name and colour in their brand bar, and the logo (null when
/// it has none in the file store, or it cannot be read).
struct PartnerBrand {
  std::string name, color;  ///< color empty: the layout's default
  std::shared_ptr<const PdfImage> logo;
};
/// partner_brand reads PARTNER_ID's branding; only a logo copied into the file store at ROOT is ever read.
PartnerBrand partner_brand(pqxx::transaction_base& tx, const std::string& partner_id,
                           const std::filesystem::path& root);

/// check_logo_url accepts only an https:// URL: a request comes from a stranger, whose paths wfa must never read.
std::string check_logo_url(std::string_view field, const std::string& value);
/// store_logo is an operator's logo: an https:// URL as it is, or a JPEG/PNG FILE (at most 5 MiB) copied into the file
/// store once, returned as "store:RELATIVE_PATH"; nothing later reads FILE.
std::string store_logo(std::string_view field, const std::string& value, const Session& session);

/// RequestRow is what the verbs need of a partner request.
struct RequestRow {
  std::string id, status, company_name, contact_name, contact_email, desired_subdomain, plan_tier, branding;
  std::optional<std::string> custom_domain, provisioned_partner_id;
};

/// find_request: a malformed id is InvalidInputError (6), an unknown one NotFoundError (3); LOCK takes the row FOR
/// UPDATE.
RequestRow find_request(pqxx::transaction_base& tx, const std::string& id, bool lock);

using Fields = std::vector<std::pair<std::string, Cell>>;
/// request_fields: every column of the request, named as in the table.
Fields request_fields(pqxx::transaction_base& tx, const std::string& id);
/// partner_fields: the partner's columns, workspace_count and domains (a JSON array of objects).
Fields partner_fields(pqxx::transaction_base& tx, const std::string& id);

/// request_mail is the e-mail TEMPLATE about request ID: partner_request_received goes to every super admin with an
/// e-mail address (none is ConflictError), the others to the request's contact; all wear the platform's brand.
Mail request_mail(pqxx::transaction_base& tx, const Session& session, const std::string& id,
                  const std::string& template_name);

}  // namespace wfa
