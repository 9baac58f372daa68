#pragma once
/// What the dnc verbs and the dialer share: resolving a --scope to one list with the actor's rights on it, and the
/// SQL condition that a number is on a list reaching a workspace.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/pqxx_fwd.hpp"
#include "commands/dnc/dnc.hpp"
#include "commands/tenancy/tenancy_lookup.hpp"

namespace wfa {

class PhoneReader;

/// DncList is one resolved list: a workspace's (workspace set), a partner's (partner set) or the platform's.
struct DncList {
  std::string scope;
  std::optional<WorkspaceRef> workspace;
  std::optional<PartnerRef> partner;
  std::string label;  ///< "workspace acme/main", "partner acme", "the platform"
};

/// dnc_list resolves SCOPE for the session's actor and ACTION (read, create or delete): workspace:dnc:ACTION,
/// partner:dnc:ACTION, or a super admin for the platform's list (exit 5 otherwise). A scope without its --workspace or
/// --partner, or with the other one, is a usage error (2).
DncList dnc_list(pqxx::transaction_base& tx, const Session& session, const DncScope& scope, std::string_view action);

/// dnc_reader is the phone reader of the dnc verbs: any line (not only the ones a campaign dials), numbers without
/// a country code read in DEFAULT_COUNTRY (checked, exit 6).
PhoneReader dnc_reader(const std::optional<std::string>& default_country, const Session& session);

/// dnc_phones reads RAW numbers into E.164, in order without repeats; the first bad one is InvalidInputError.
std::vector<std::string> dnc_phones(const PhoneReader& reader, const std::vector<std::string>& raw);

/// phone_array is E.164 numbers as a PostgreSQL text[] literal (their characters need no quoting).
std::string phone_array(const std::vector<std::string>& phones);

/// check_registry accepts a registry name (up to 40 of a-z, 0-9, '_', '-'); exit 6 naming --registry otherwise.
std::string check_registry(const std::string& name);

/// audit_dnc writes the audit row of ACTION (dnc.add, dnc.import, dnc.remove) on LIST with NEW_VALUES (JSON text).
void audit_dnc(pqxx::dbtransaction& tx, const Session& session, const DncList& list, const std::string& action,
               const std::string& new_values);

/// dnc_listed_sql is a SQL condition: the E.164 text expression PHONE_SQL is on a do-not-call list that reaches the
/// workspace whose uuid is the expression WS_SQL (its own, its partner's or the platform's).
std::string dnc_listed_sql(const std::string& ws_sql, const std::string& phone_sql);

}  // namespace wfa
