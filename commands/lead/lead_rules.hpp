#pragma once
/// Rules every lead verb shares: the status pipeline, finding a lead with the actor's rights on it, owners, the
/// checked field values, the upsert by phone that create and import go through, and leads made from calls.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/pqxx_fwd.hpp"
#include "core/result.hpp"
#include "core/validation.hpp"
#include "commands/tenancy/tenancy_lookup.hpp"

namespace wfa {

class Session;
class ListQuery;
class PhoneReader;
struct LeadFieldOptions;

inline const Choices lead_statuses = {"new", "contacted", "qualified", "won", "lost"};

/// transition_allowed: new → contacted → qualified → won, any open status → lost, and lost → contacted (reopen).
bool transition_allowed(std::string_view from, std::string_view to);
/// check_transition throws ConflictError (4) naming LEAD and both statuses unless transition_allowed.
void check_transition(const std::string& lead, const std::string& from, const std::string& to);

/// LeadRef is a found lead, with the workspace it was found in.
struct LeadRef {
  WorkspaceRef workspace;
  std::string label;  ///< the workspace as the user typed it
  std::string id;
  std::string phone;
  std::string status;
};

/// lead_for finds LEAD (an id or a phone number) in WORKSPACE for the session's actor: members of the workspace
/// pass the first check (exit 5 otherwise), an unknown lead is exit 3 (a malformed one 6), and then the actor needs
/// PERMISSION (crm:leads:ACTION) through a grant or their access to this lead (exit 5). LOCK takes the row FOR UPDATE.
LeadRef lead_for(pqxx::transaction_base& tx, const Session& session, const std::string& workspace,
                 const std::string& lead, std::string_view permission, bool lock = false);

/// lead_fields is one lead as output fields (the columns `lead list` shows, then ids, counts and times).
std::vector<std::pair<std::string, Cell>> lead_fields(pqxx::transaction_base& tx, const std::string& ws_id,
                                                      const std::string& id);

/// member_id returns the id of USER (e-mail or id), who must be a live member of WS or its partner (exit 3 unknown,
/// 6 without standing).
std::string member_id(pqxx::transaction_base& tx, const WorkspaceRef& ws, const std::string& label,
                      const std::string& user);

/// new_lead_owner is who owns the leads a verb creates: OWNER (a member, see member_id) when given, else the acting
/// user; nullopt for the operator without OWNER.
std::optional<std::string> new_lead_owner(pqxx::transaction_base& tx, const Session& session, const WorkspaceRef& ws,
                                          const std::string& label, const std::optional<std::string>& owner);

/// only_visible_leads limits QUERY (leads aliased l) to the leads the session's actor may read: every lead with a
/// grant of crm:leads:read (the operator, super admins, owners, admins), else those their record access reaches.
void only_visible_leads(pqxx::transaction_base& tx, const Session& session, const WorkspaceRef& ws, ListQuery& query);

/// LeadValues are a lead's checked fields; an unset field is not written (an update) or NULL (a new lead).
struct LeadValues {
  std::string phone;  ///< E.164
  std::optional<std::string> first_name, last_name, email, company;
  std::string attributes = "{}";  ///< a JSON object merged into the lead's attributes
};

/// check_lead_fields checks names (check_display_name) and the e-mail (check_email) of FIELDS into OUT.
void check_lead_fields(const LeadFieldOptions& fields, const Session& session, LeadValues& out);
/// read_lead_phone is RAW in E.164 through READER, or InvalidInputError naming FIELD with the reason.
std::string read_lead_phone(const PhoneReader& reader, std::string_view field, const std::string& raw);

/// LeadUpsert is what upsert_lead did.
struct LeadUpsert {
  std::string id;
  bool inserted = false;
};

/// upsert_lead inserts VALUES as a lead of SOURCE (manual | import) in WS, owned by OWNER_ID when given (registered in
/// record_owners), or, when a lead of that phone exists, sets the given fields on it (its owner stays).
LeadUpsert upsert_lead(pqxx::dbtransaction& tx, const WorkspaceRef& ws, const LeadValues& values,
                       const std::string& source, const std::optional<std::string>& owner_id, const std::string& actor);

/// leads_from_calls makes or links, inside a call merge's transaction, one lead per phone for every call of temporary
/// table call_changed that needs a follow-up or carries structured lead data (VAPI analysis.structuredData, Retell
/// call_analysis.custom_analysis_data); a new lead takes its names, company and a valid e-mail (email, emailAddress)
/// from that data and is owned by the owner of the call's agent (record_owners) while they have standing, else by no
/// one. A call links once (lead_calls), so a re-ingest changes nothing. Returns the number of leads created.
std::int64_t leads_from_calls(pqxx::transaction_base& tx);

}  // namespace wfa
