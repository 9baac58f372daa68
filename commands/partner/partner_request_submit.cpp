// `wfa partner request submit`: a request from flags and/or a JSON file, validated and stored as pending.
#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <pqxx/result>
#include <pqxx/transaction>
#include <sstream>

#include "core/error.hpp"
#include "core/session.hpp"
#include "core/database.hpp"
#include "core/audited_mutation.hpp"
#include "core/input_file.hpp"
#include "core/json_input.hpp"
#include "commands/partner/partner.hpp"
#include "pipelines/phone.hpp"
#include "commands/partner/partner_names.hpp"
#include "commands/partner/partner_rules.hpp"
#include "commands/tenancy/mail_outbox.hpp"
#include "commands/tenancy/tenancy_lookup.hpp"
#include "core/validation.hpp"
#include "commands/tenancy/actor.hpp"

namespace wfa {

namespace {

using Slot = std::optional<std::string> PartnerRequestFields::*;

/// max_request_file_bytes bounds a request file: one object of ten short strings.
constexpr std::size_t max_request_file_bytes = 1u << 20;

/// The file's keys and the flags they stand for, in flag order.
const std::vector<std::pair<std::string, Slot>>& field_slots() {
  static const std::vector<std::pair<std::string, Slot>> slots = {
      {"company", &PartnerRequestFields::company},
      {"contact_name", &PartnerRequestFields::contact_name},
      {"contact_email", &PartnerRequestFields::contact_email},
      {"contact_phone", &PartnerRequestFields::contact_phone},
      {"subdomain", &PartnerRequestFields::subdomain},
      {"custom_domain", &PartnerRequestFields::custom_domain},
      {"plan", &PartnerRequestFields::plan},
      {"primary_color", &PartnerRequestFields::primary_color},
      {"logo", &PartnerRequestFields::logo},
      {"notes", &PartnerRequestFields::notes}};
  return slots;
}

std::string flag_of(const std::string& key) {
  std::string flag = "--" + key;
  for (auto& c : flag)
    if (c == '_') c = '-';
  return flag;
}

std::string trim(const std::string& s) {
  auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

/// read_file_fields parses PATH as a JSON object of request fields; errors name the file, line or key.
PartnerRequestFields read_file_fields(const std::string& path) {
  check_input_size(path, "request file", max_request_file_bytes);
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw InvalidInputError("request file " + path + " not found or unreadable", "check the path given to --file");
  std::stringstream buffer;
  buffer << in.rdbuf();
  auto doc = parse_json_input(buffer.str(), "request file", path, max_request_file_bytes,
                              "fix the file; it must be one JSON object");
  if (!doc.is_object())
    throw InvalidInputError(path + ": not a JSON object", "write the request as {\"company\": ..., ...}");
  PartnerRequestFields fields;
  for (const auto& [key, value] : doc.items()) {
    auto slot = std::find_if(field_slots().begin(), field_slots().end(), [&](const auto& s) { return s.first == key; });
    if (slot == field_slots().end()) {
      std::string known;
      for (const auto& s : field_slots()) known += (known.empty() ? "" : ", ") + s.first;
      throw InvalidInputError(path + ": unknown key '" + key + "'", "known keys: " + known);
    }
    if (value.is_null()) continue;
    if (!value.is_string()) throw InvalidInputError(path + ": key '" + key + "' must be a string", "quote the value");
    fields.*(slot->second) = value.get<std::string>();
  }
  return fields;
}

/// merged: the file's fields overridden by the flags, trimmed; empty values count as absent.
PartnerRequestFields merged(const PartnerRequestSubmitOptions& options) {
  PartnerRequestFields out = options.file ? read_file_fields(*options.file) : PartnerRequestFields{};
  for (const auto& [key, slot] : field_slots()) {
    if (options.fields.*slot) out.*slot = options.fields.*slot;
    if (out.*slot) out.*slot = trim(*(out.*slot));
    if (out.*slot && (out.*slot)->empty()) out.*slot = std::nullopt;
  }
  return out;
}

std::string required(const PartnerRequestSubmitOptions& options, const PartnerRequestFields& fields,
                     const std::string& key) {
  auto slot =
      std::find_if(field_slots().begin(), field_slots().end(), [&](const auto& s) { return s.first == key; })->second;
  if (fields.*slot) return *(fields.*slot);
  if (options.file)
    throw InvalidInputError("missing " + key + " in " + *options.file,
                            "add \"" + key + "\" to the file or give " + flag_of(key));
  throw UsageError("missing " + flag_of(key), "give " + flag_of(key) + " or a --file with \"" + key + "\"");
}

/// check_phone reads the contact phone as campaign numbers are read (libphonenumber); it needs its country code.
std::string check_phone(const std::string& phone, const Session& session) {
  std::string e164;
  if (auto reading = PhoneReader({}, PhoneUse::contact).read(phone, e164); !reading.problem.empty())
    throw InvalidInputError(session.option("contact-phone") + " '" + phone + "' " + reading.problem,
                            "write it with its country code, e.g. +971 50 123 4567");
  return e164;
}

}  // namespace

Result run_partner_request_submit(const PartnerRequestSubmitOptions& options, Session& session) {
  auto fields = merged(options);
  auto company =
      check_display_name(flag_of("company"), required(options, fields, "company"), "give the company's name");
  auto contact_name =
      check_display_name(flag_of("contact_name"), required(options, fields, "contact_name"), "give the contact's name");
  auto email = check_email(session.option("contact-email"), required(options, fields, "contact_email"));
  auto subdomain_input = required(options, fields, "subdomain");
  if (fields.contact_phone) fields.contact_phone = check_phone(*fields.contact_phone, session);
  nlohmann::json branding = {{"company_name", company}};
  if (fields.primary_color)
    branding["primary_color"] = check_color(session.option("primary-color"), *fields.primary_color);
  if (fields.logo) branding["logo"] = check_logo_url(session.option("logo"), *fields.logo);
  auto platform = platform_domain(session);

  pqxx::work tx(session.database().ready());
  actor_of(tx, session);  // anyone may submit, but --as must name a real user
  auto plan = check_plan(tx, session.option("plan"), fields.plan.value_or("starter"));
  lock_names(tx);
  if (options.if_not_exists) {
    auto open = tx.exec_params(
        "SELECT id FROM partner_requests WHERE desired_subdomain = lower($1) AND contact_email = $2"
        " AND status IN ('pending', 'approved', 'provisioning') ORDER BY created_at LIMIT 1",
        subdomain_input, email);
    if (!open.empty()) {
      Result r;
      r.fields = request_fields(tx, open[0][0].as<std::string>());
      r.message = "partner request " + open[0][0].as<std::string>() + " for " + subdomain_input + " by " + email +
                  " is already open; nothing changed";
      return r;
    }
  }
  auto subdomain =
      require_available(check_subdomain_name(tx, session.option("subdomain"), subdomain_input, platform, {}));
  std::optional<std::string> custom;
  if (fields.custom_domain) {
    custom = require_available(
        check_custom_domain_name(tx, session.option("custom-domain"), *fields.custom_domain, platform, {}));
    auto allowed = tx.exec_params(
        "SELECT COALESCE((features->>'custom_domain')::boolean, false) FROM subscription_plans WHERE tier = $1", plan);
    if (!allowed[0][0].as<bool>())
      throw InvalidInputError(
          "plan " + plan + " does not include custom domains (" + session.option("custom-domain") + " " + *custom + ")",
          "choose a plan with the custom_domain feature, or leave the custom domain out");
  }
  auto id =
      tx.exec_params(
            "INSERT INTO partner_requests (company_name, contact_name, contact_email, contact_phone, desired_subdomain,"
            " custom_domain, plan_tier, branding, notes) VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9) RETURNING "
            "id",
            company, contact_name, email, fields.contact_phone, subdomain, custom, plan, branding.dump(),
            fields.notes)[0][0]
          .as<std::string>();
  record_audit(tx, {session.actor(), "partner_request.submit", "partner_request", id, std::nullopt, std::nullopt, "",
                    row_json(tx, "partner_requests", id), ""});
  Result r;
  r.fields = request_fields(tx, id);
  auto received = request_mail(tx, session, id, "partner_request_received");
  queue_mail(tx, session, received);
  if (options.mail.wanted()) {
    if (received.to.empty())
      throw ConflictError("no super admin has an e-mail address to notify of partner request " + id,
                          "add one with `wfa super-admin add EMAIL`, or leave out --render and --email");
    attach_mail(r, received, options.mail, session, {{"id", Cell(id)}});
  }
  return commit_or_roll_back(tx, std::move(r), options.dry_run,
                             "submitted partner request " + id + " for " + subdomain + "." + platform + " (pending)",
                             "the request for " + subdomain + "." + platform + " is valid");
}

}  // namespace wfa
