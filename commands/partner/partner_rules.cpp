// Shared partner rules: plans, logos, request lookup and the output fields of requests and partners.
#include "commands/partner/partner_rules.hpp"

#include "commands/partner/partner_names.hpp"
#include "core/file_store.hpp"
#include "core/input_file.hpp"
#include "pipelines/image_info.hpp"
#include "pipelines/pdf_document.hpp"

#include <charconv>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <pqxx/result>
#include <pqxx/transaction>

#include "core/error.hpp"
#include "core/file_io.hpp"
#include "core/url.hpp"
#include "core/rows.hpp"
#include "core/validation.hpp"

namespace fs = std::filesystem;

namespace wfa {

namespace {

std::optional<std::string> optional_text(const pqxx::field& f) {
  return f.is_null() ? std::nullopt : std::optional<std::string>(f.as<std::string>());
}

}  // namespace

std::string check_plan(pqxx::transaction_base& tx, std::string_view field, const std::string& plan) {
  auto rows = tx.exec("SELECT tier, retired_at IS NOT NULL FROM subscription_plans ORDER BY price_minor, tier");
  std::string names;
  bool retired = false;
  for (const auto& row : rows) {
    if (row[0].as<std::string>() == plan) {
      if (!row[1].as<bool>()) return plan;
      retired = true;
    }
    if (!row[1].as<bool>()) names += (names.empty() ? "" : ", ") + row[0].as<std::string>();
  }
  throw InvalidInputError(std::string(field) + " '" + plan + (retired ? "' is retired" : "' is not a plan"),
                          "use one of: " + names);
}

std::string apply_plan_settings(pqxx::transaction_base& tx, const std::string& column,
                                const std::vector<std::string>& settings, const std::string& target_json,
                                std::string_view flag_name, bool any_key) {
  static const std::regex key_pattern("^[a-z][a-z0-9_]*$");
  bool limits = column == "resource_limits";
  const std::string flag(flag_name);
  const std::string example = limits ? "max_workspaces=10" : "api_access=true";
  auto target = nlohmann::json::parse(target_json);
  auto known =
      tx.exec("SELECT DISTINCT jsonb_object_keys(" + tx.quote_name(column) + ") FROM subscription_plans ORDER BY 1");
  for (const auto& text : settings) {
    auto eq = text.find('=');
    if (eq == std::string::npos || !std::regex_match(text.substr(0, eq), key_pattern))
      throw InvalidInputError(flag + " '" + text + "' is not KEY=VALUE", "write it as " + example);
    auto key = text.substr(0, eq), value = text.substr(eq + 1);
    bool is_known = any_key || target.contains(key);
    std::string names;
    for (const auto& row : known) {
      is_known = is_known || row[0].as<std::string>() == key;
      names += (names.empty() ? "" : ", ") + row[0].as<std::string>();
    }
    if (!is_known) throw InvalidInputError(flag + " " + key + " is not a known key", "known keys: " + names);
    if (limits) {
      std::int64_t n = -1;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (ec != std::errc() || end != value.data() + value.size() || n < 0)
        throw InvalidInputError(flag + " " + key + " '" + value + "' is not a whole number >= 0",
                                "write it as " + example);
      target[key] = n;
    } else if (value == "true" || value == "false") {
      target[key] = value == "true";
    } else {
      throw InvalidInputError(flag + " " + key + " '" + value + "' is not true or false", "write it as " + example);
    }
  }
  return target.dump();
}

std::string check_logo_url(std::string_view field, const std::string& value) {
  return check_https_url(field, value,
                         "give an https:// URL such as https://example.com/logo.png (an operator may set a file with "
                         "`wfa partner update --logo FILE`)");
}

PartnerBrand partner_brand(pqxx::transaction_base& tx, const std::string& partner_id,
                           const std::filesystem::path& root) {
  auto partner = tx.exec_params("SELECT name, branding::text FROM partners WHERE id = $1::uuid", partner_id);
  PartnerBrand brand;
  if (partner.empty()) return brand;
  auto branding = nlohmann::json::parse(partner[0][1].as<std::string>());
  brand.name = branding.value("company_name", partner[0][0].as<std::string>());
  brand.color = branding.value("primary_color", "");
  // Only a copy in the file store is read: a path stored by an earlier wfa (perhaps a stranger's) never is.
  if (auto logo = branding.value("logo", ""); logo.rfind(stored_logo_prefix, 0) == 0) {
    try {
      auto path = root / logo.substr(std::string_view(stored_logo_prefix).size());
      brand.logo = make_pdf_image(read_file(path, "logo"), "logo " + path.string());
    } catch (const Error&) {
      brand.logo = nullptr;  // a logo that is gone or unreadable leaves the brand bar text-only
    }
  }
  return brand;
}

std::string store_logo(std::string_view field, const std::string& value, const Session& session) {
  // Anything with a scheme is a URL to check, never a path to read ("HTTPS://…" included).
  if (value.find("://") != std::string::npos) return check_logo_url(field, value);
  // Read once, now, with the rights of the operator who named it; only the stored copy is ever read again.
  auto bytes = read_input_file(value, std::string(field) + " file", max_logo_bytes);
  auto info = inspect_image(bytes, std::string(field) + " " + value);
  auto extension = info.media_type == "image/png" ? "png" : "jpg";
  auto stored = store_blob(file_store_root(session), "logos", bytes, extension);
  return std::string(stored_logo_prefix) + stored.relative_path;
}

RequestRow find_request(pqxx::transaction_base& tx, const std::string& id, bool lock) {
  auto missing =
      NotFoundError("partner request '" + id + "' not found", "list requests with `wfa partner request list`");
  if (!is_uuid(id))
    throw InvalidInputError("partner request id '" + id + "' is not a UUID",
                            "list requests with `wfa partner request list`");
  auto rows = tx.exec_params(
      std::string(
          "SELECT id, status, company_name, contact_name, contact_email, desired_subdomain, plan_tier, branding,"
          " custom_domain, provisioned_partner_id FROM partner_requests WHERE id = $1::uuid") +
          (lock ? " FOR UPDATE" : ""),
      id);
  if (rows.empty()) throw missing;
  const auto& r = rows[0];
  return {r[0].as<std::string>(), r[1].as<std::string>(), r[2].as<std::string>(), r[3].as<std::string>(),
          r[4].as<std::string>(), r[5].as<std::string>(), r[6].as<std::string>(), r[7].as<std::string>(),
          optional_text(r[8]),    optional_text(r[9])};
}

Fields request_fields(pqxx::transaction_base& tx, const std::string& id) {
  return to_fields(tx.exec_params(
      "SELECT id, status, company_name, contact_name, contact_email, contact_phone, desired_subdomain, custom_domain,"
      " plan_tier, branding, notes, rejection_reason, reviewed_by, reviewed_at, provisioned_partner_id, created_at, "
      "updated_at"
      " FROM partner_requests WHERE id = $1::uuid",
      id));
}

Fields partner_fields(pqxx::transaction_base& tx, const std::string& id) {
  // Domain times are formatted in SQL: inside jsonb they would not pass through the RFC 3339 conversion.
  return to_fields(tx.exec_params(
      "SELECT p.id, p.slug, p.name, p.plan_tier, p.is_platform_partner, p.subscription_status, p.branding, p.features,"
      " p.resource_limits,"
      " p.workspace_count, p.member_count,"
      " COALESCE((SELECT jsonb_agg(jsonb_build_object('id', d.id, 'hostname', d.hostname, 'is_primary', d.is_primary,"
      "   'is_platform_subdomain', d.is_platform_subdomain, 'verified', d.verified_at IS NOT NULL,"
      "   'verified_at', " +
          utc_sql("d.verified_at") +
          ","
          "   'verification_token', d.verification_token) ORDER BY d.is_primary DESC, d.hostname)"
          "   FROM partner_domains d WHERE d.partner_id = p.id), '[]'::jsonb) AS domains,"
          " p.trial_ends_at, p.current_period_end, p.created_at, p.updated_at, p.deleted_at"
          " FROM partners p WHERE p.id = $1::uuid",
      id));
}

Mail request_mail(pqxx::transaction_base& tx, const Session& session, const std::string& id,
                  const std::string& template_name) {
  auto row = tx.exec_params1(
      "SELECT company_name, contact_name, contact_email, COALESCE(contact_phone, ''), desired_subdomain,"
      " COALESCE(custom_domain, ''), plan_tier, COALESCE(notes, ''), COALESCE(rejection_reason, '')"
      " FROM partner_requests WHERE id = $1::uuid",
      id);
  auto text = [&](int i) { return row[i].as<std::string>(); };
  Mail mail{template_name,
            {{"id", id},
             {"company", text(0)},
             {"contact_name", text(1)},
             {"contact_email", text(2)},
             {"contact_phone", text(3)},
             {"hostname", text(4) + "." + platform_domain(session)},
             {"custom_domain", text(5)},
             {"plan", text(6)},
             {"notes", text(7)},
             {"reason", text(8)}},
            {text(2)},
            platform_brand(session)};
  if (template_name == "partner_request_received") {
    mail.to.clear();
    for (const auto& admin : tx.exec("SELECT u.email FROM super_admins s JOIN users u ON u.id = s.user_id"
                                     " WHERE u.email IS NOT NULL AND u.deleted_at IS NULL ORDER BY u.email"))
      mail.to.push_back(admin[0].as<std::string>());
  }
  return mail;
}

}  // namespace wfa
