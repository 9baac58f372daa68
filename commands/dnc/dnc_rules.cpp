// Do-not-call scopes under the actor's rights, the phone reader, and the listed-anywhere condition.
#include "commands/dnc/dnc_rules.hpp"

#include <algorithm>

#include "core/audited_mutation.hpp"
#include "core/error.hpp"
#include "core/session.hpp"
#include "commands/campaign/campaign_rules.hpp"
#include "commands/tenancy/actor.hpp"
#include "pipelines/phone.hpp"

namespace wfa {

DncList dnc_list(pqxx::transaction_base& tx, const Session& session, const DncScope& s, std::string_view action) {
  DncList list;
  list.scope = s.scope;
  auto refuse = [&](const std::string& what) {
    throw UsageError("--scope " + s.scope + " " + what,
                     "give --scope workspace --workspace W, --scope partner --partner P, or --scope platform");
  };
  if (s.scope == "workspace") {
    if (!s.workspace || s.partner) refuse("needs --workspace (and no --partner)");
    list.workspace = workspace_for(tx, session, *s.workspace, "workspace:dnc:" + std::string(action));
    list.label = "workspace " + *s.workspace;
  } else if (s.scope == "partner") {
    if (!s.partner || s.workspace) refuse("needs --partner (and no --workspace)");
    list.partner = partner_for(tx, session, *s.partner, "partner:dnc:" + std::string(action));
    list.label = "partner " + *s.partner;
  } else if (s.scope == "platform") {
    if (s.partner || s.workspace) refuse("takes neither --workspace nor --partner");
    require_super_admin(actor_of(tx, session), "manage the platform's do-not-call list");
    list.label = "the platform";
  } else {
    refuse("is not one of workspace, partner, platform");
  }
  return list;
}

PhoneReader dnc_reader(const std::optional<std::string>& default_country, const Session& session) {
  return PhoneReader(phone_reader_for(default_country, session).default_country(), PhoneUse::contact);
}

std::vector<std::string> dnc_phones(const PhoneReader& reader, const std::vector<std::string>& raw) {
  std::vector<std::string> out;
  for (const auto& number : raw) {
    std::string e164;
    if (auto reading = reader.read(number, e164); !reading.problem.empty())
      throw InvalidInputError("PHONE '" + number + "': " + reading.problem,
                              "give the number with its country code, e.g. +971501234567, or --default-country");
    if (std::find(out.begin(), out.end(), e164) == out.end()) out.push_back(e164);
  }
  return out;
}

std::string phone_array(const std::vector<std::string>& phones) {
  std::string out = "{";
  for (std::size_t i = 0; i < phones.size(); ++i) out += (i ? "," : "") + phones[i];
  return out + "}";
}

std::string check_registry(const std::string& name) {
  bool ok = !name.empty() && name.size() <= 40 && name[0] != '_' && name[0] != '-';
  for (char c : name) ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-');
  if (!ok)
    throw InvalidInputError("--registry '" + name + "' is not a registry name",
                            "use up to 40 of a-z, 0-9, '_' and '-', e.g. uae-dncr or us-national");
  return name;
}

void audit_dnc(pqxx::dbtransaction& tx, const Session& session, const DncList& list, const std::string& action,
               const std::string& new_values) {
  std::optional<std::string> partner, workspace;
  if (list.workspace) {
    partner = list.workspace->partner_id;
    workspace = list.workspace->id;
  }
  if (list.partner) partner = list.partner->id;
  record_audit(tx, {session.actor(), action, "do_not_call", list.scope, partner, workspace, "", new_values, ""});
}

std::string dnc_listed_sql(const std::string& ws_sql, const std::string& phone_sql) {
  return "(EXISTS (SELECT 1 FROM do_not_call d WHERE d.workspace_id = " + ws_sql + " AND d.phone_e164 = " + phone_sql +
         ") OR EXISTS (SELECT 1 FROM do_not_call_registry g WHERE g.phone_e164 = " + phone_sql +
         " AND (g.partner_id IS NULL OR g.partner_id = (SELECT partner_id FROM workspaces WHERE id = " + ws_sql +
         "))))";
}

}  // namespace wfa
