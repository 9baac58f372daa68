// The status pipeline, lead lookups under the actor's rights, owners, field checks, the upsert by phone and the leads
// made from calls.
#include "commands/lead/lead_rules.hpp"

#include <nlohmann/json.hpp>
#include <pqxx/result>
#include <pqxx/transaction>

#include "core/error.hpp"
#include "core/listing.hpp"
#include "core/rows.hpp"
#include "core/session.hpp"
#include "commands/lead/lead.hpp"
#include "commands/perm/perm_rules.hpp"
#include "commands/perm/record_access.hpp"
#include "commands/tenancy/actor.hpp"
#include "pipelines/phone.hpp"

namespace wfa {

namespace {

/// next_statuses is where each status may move.
std::string_view next_statuses(std::string_view from) {
  if (from == "new") return "contacted, lost";
  if (from == "contacted") return "qualified, lost";
  if (from == "qualified") return "won, lost";
  if (from == "lost") return "contacted";
  return "";
}

}  // namespace

bool transition_allowed(std::string_view from, std::string_view to) {
  auto next = next_statuses(from);
  for (std::size_t at = 0; at < next.size();) {
    auto comma = next.find(", ", at);
    auto one = next.substr(at, comma == std::string_view::npos ? std::string_view::npos : comma - at);
    if (one == to) return true;
    if (comma == std::string_view::npos) break;
    at = comma + 2;
  }
  return false;
}

void check_transition(const std::string& lead, const std::string& from, const std::string& to) {
  if (transition_allowed(from, to)) return;
  auto next = next_statuses(from);
  throw ConflictError(
      "lead " + lead + " cannot move from " + from + " to " + to,
      next.empty() ? "a " + from + " lead is final" : "from " + from + " a lead moves to " + std::string(next));
}

LeadRef lead_for(pqxx::transaction_base& tx, const Session& session, const std::string& workspace,
                 const std::string& lead, std::string_view permission, bool lock) {
  LeadRef ref;
  ref.workspace = workspace_for(tx, session, workspace, "workspace:leads:read");
  ref.label = workspace;
  std::string column = "id::text";
  std::string key = lead;
  if (!is_uuid(lead)) {
    std::string e164;
    if (!PhoneReader().read(lead, e164).problem.empty())
      throw InvalidInputError("lead '" + lead + "' is neither a lead id (a UUID) nor a phone number",
                              "give the lead's id or its number with its country code, e.g. +971501234567");
    column = "phone_e164";
    key = e164;
  }
  auto rows = tx.exec_params("SELECT id, phone_e164, status FROM leads WHERE workspace_id = $1::uuid AND " + column +
                                 " = $2" + (lock ? " FOR UPDATE" : ""),
                             ref.workspace.id, key);
  if (rows.empty())
    throw NotFoundError("lead " + lead + " does not exist in workspace " + workspace,
                        "list them with `wfa lead list --workspace " + workspace + "`");
  ref.id = rows[0][0].as<std::string>();
  ref.phone = rows[0][1].as<std::string>();
  ref.status = rows[0][2].as<std::string>();
  require_workspace(tx, actor_of(tx, session), ref.workspace, workspace, permission, RecordRef{"lead", ref.id});
  return ref;
}

std::vector<std::pair<std::string, Cell>> lead_fields(pqxx::transaction_base& tx, const std::string& ws_id,
                                                      const std::string& id) {
  return to_fields(tx.exec_params(
      "SELECT l.id, l.phone_e164 AS phone, l.first_name, l.last_name, l.email, l.company, l.status, l.source,"
      " u.email AS owner, l.note_count AS notes, l.source_call_id, l.attributes::text AS attributes, l.workspace_id, " +
          utc_sql("l.created_at") + " AS created_at, " + utc_sql("l.updated_at") +
          " AS updated_at FROM leads l LEFT JOIN users u ON u.id = l.owner_user_id"
          " WHERE l.workspace_id = $1::uuid AND l.id = $2::uuid",
      ws_id, id));
}

std::string member_id(pqxx::transaction_base& tx, const WorkspaceRef& ws, const std::string& label,
                      const std::string& user) {
  auto found = find_perm_user(tx, user);
  require_standing(tx, ws, found, label);
  return found.id;
}

std::optional<std::string> new_lead_owner(pqxx::transaction_base& tx, const Session& session, const WorkspaceRef& ws,
                                          const std::string& label, const std::optional<std::string>& owner) {
  if (owner) return member_id(tx, ws, label, *owner);
  auto actor = actor_of(tx, session);
  if (actor.is_operator()) return std::nullopt;
  return actor.user_id;
}

void only_visible_leads(pqxx::transaction_base& tx, const Session& session, const WorkspaceRef& ws, ListQuery& query) {
  only_visible_records(tx, session, ws, query, "lead", "crm:leads:read", "l.workspace_id", "l.id::text");
}

void check_lead_fields(const LeadFieldOptions& f, const Session& session, LeadValues& out) {
  auto name = [&](const std::optional<std::string>& v, const char* option, std::optional<std::string>& into) {
    if (v) into = check_display_name(session.option(option), *v, "give one line of at most 200 characters");
  };
  name(f.first_name, "first-name", out.first_name);
  name(f.last_name, "last-name", out.last_name);
  name(f.company, "company", out.company);
  if (f.email) out.email = check_email(session.option("email"), *f.email);
}

std::string read_lead_phone(const PhoneReader& reader, std::string_view field, const std::string& raw) {
  std::string e164;
  auto reading = reader.read(raw, e164);
  if (!reading.problem.empty())
    throw InvalidInputError(std::string(field) + " '" + raw + "': " + reading.problem,
                            "give the number with its country code, e.g. +971501234567, or a default country");
  return e164;
}

LeadUpsert upsert_lead(pqxx::dbtransaction& tx, const WorkspaceRef& ws, const LeadValues& v, const std::string& source,
                       const std::optional<std::string>& owner_id, const std::string& actor) {
  auto text = [](const std::optional<std::string>& s) { return s ? s->c_str() : nullptr; };
  auto row = tx.exec_params(
      "INSERT INTO leads AS l (workspace_id, phone_e164, first_name, last_name, email, company, source, owner_user_id,"
      " attributes, created_by) VALUES ($1::uuid, $2, $3, $4, $5, $6, $7, $8::uuid, $9::jsonb, $10)"
      " ON CONFLICT (workspace_id, phone_e164) DO UPDATE SET first_name = COALESCE(EXCLUDED.first_name,"
      " l.first_name), last_name = COALESCE(EXCLUDED.last_name, l.last_name), email = COALESCE(EXCLUDED.email,"
      " l.email), company = COALESCE(EXCLUDED.company, l.company), attributes = l.attributes || EXCLUDED.attributes"
      " RETURNING id, xmax = 0",
      ws.id, v.phone, text(v.first_name), text(v.last_name), text(v.email), text(v.company), source, text(owner_id),
      v.attributes, actor)[0];
  LeadUpsert out{row[0].as<std::string>(), row[1].as<bool>()};
  if (out.inserted && owner_id) set_record_owner(tx, ws.id, {"lead", out.id}, *owner_id, actor);
  return out;
}

namespace {

/// The calls of call_changed that make or join a lead, with the phone they are for and their structured data.
constexpr const char* wanted_calls =
    "WITH data AS (SELECT c.workspace_id, c.id, c.agent_id, c.phone_number, c.requires_follow_up,"
    " COALESCE(c.metadata #> '{analysis,structuredData}', c.metadata #> '{call_analysis,custom_analysis_data}') AS d"
    " FROM call_changed ch JOIN conversations c ON c.workspace_id = ch.workspace_id AND c.id = ch.id),"
    " wanted AS (SELECT workspace_id, id, agent_id, CASE WHEN jsonb_typeof(d) = 'object' THEN d ELSE '{}' END AS d,"
    " CASE WHEN d->>'phone' ~ '^\\+[1-9][0-9]{6,14}$' THEN d->>'phone' ELSE phone_number END AS phone FROM data"
    " WHERE requires_follow_up OR (jsonb_typeof(d) = 'object' AND d <> '{}'))"
    " SELECT * FROM wanted WHERE phone ~ '^\\+[1-9][0-9]{6,14}$'";

/// name_from is the first of KEYS in the structured data that is one line of 1 to 200 characters, else NULL.
std::string name_from(const std::string& a, const std::string& b) {
  auto one = [](const std::string& key) {
    return "CASE WHEN char_length(d->>'" + key + "') BETWEEN 1 AND 200 AND d->>'" + key +
           "' !~ '[[:cntrl:]]' THEN d->>'" + key + "' END";
  };
  return "COALESCE(" + one(a) + ", " + one(b) + ")";
}

/// email_from is the first of KEYS in the structured data that is an e-mail address, lower-cased, else NULL: a
/// conservative ASCII subset of what check_email accepts (dot-atom name of at most 64 characters, hostname labels, a
/// top-level name of 2 or more letters, 254 characters in all).
std::string email_from(const std::string& a, const std::string& b) {
  auto one = [](const std::string& key) {
    auto v = "lower(d->>'" + key + "')";
    return "CASE WHEN char_length(" + v + ") <= 254 AND strpos(" + v + ", '@') BETWEEN 2 AND 65 AND " + v +
           " ~ '^[a-z0-9_%+-]+(\\.[a-z0-9_%+-]+)*@([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$' THEN " + v +
           " END";
  };
  return "COALESCE(" + one(a) + ", " + one(b) + ")";
}

/// agent_owner is the owner (record_owners, ai_agent) of the call's agent while they are a live user with standing in
/// the workspace (a live member of it or of its partner), else NULL.
constexpr const char* agent_owner =
    "(SELECT o.owner_user_id FROM record_owners o JOIN users u ON u.id = o.owner_user_id AND u.deleted_at IS NULL"
    " JOIN workspaces ws ON ws.id = o.workspace_id WHERE o.workspace_id = w.workspace_id AND o.record_type ="
    " 'ai_agent' AND o.record_id = w.agent_id::text AND (EXISTS (SELECT 1 FROM workspace_members m WHERE"
    " m.workspace_id = o.workspace_id AND m.user_id = o.owner_user_id AND m.removed_at IS NULL) OR EXISTS (SELECT 1"
    " FROM partner_members pm WHERE pm.partner_id = ws.partner_id AND pm.user_id = o.owner_user_id AND pm.removed_at"
    " IS NULL)))";

}  // namespace

std::int64_t leads_from_calls(pqxx::transaction_base& tx) {
  // One call of a phone makes its lead (a lead that exists is only linked), owned by the owner of the call's agent
  // (registered in record_owners) when it has one; every created lead is audited.
  auto made = tx.exec(
      "WITH w AS (" + std::string(wanted_calls) +
      "), made AS (INSERT INTO leads (workspace_id, phone_e164, first_name, last_name, email, company, source,"
      " source_call_id, owner_user_id, attributes, created_by) SELECT DISTINCT ON (workspace_id, phone) workspace_id,"
      " phone, " +
      name_from("first_name", "firstName") + ", " + name_from("last_name", "lastName") + ", " +
      email_from("email", "emailAddress") + ", " + name_from("company", "company_name") + ", 'call', id, " +
      agent_owner +
      ", d, 'calls' FROM w ORDER BY workspace_id, phone, id ON CONFLICT (workspace_id, phone_e164) DO"
      " NOTHING RETURNING workspace_id, id, phone_e164, source_call_id, owner_user_id),"
      " owned AS (INSERT INTO record_owners (workspace_id, record_type, record_id, owner_user_id, set_by) SELECT"
      " workspace_id, 'lead', id::text, owner_user_id, 'calls' FROM made WHERE owner_user_id IS NOT NULL)"
      " INSERT INTO audit_log (actor, partner_id, workspace_id, action, entity_type, entity_id, new_values, metadata)"
      " SELECT 'calls', ws.partner_id, m.workspace_id, 'lead.create', 'lead', m.id::text, jsonb_build_object('phone',"
      " m.phone_e164, 'source', 'call', 'source_call_id', m.source_call_id, 'owner_user_id', m.owner_user_id), '{}'"
      " FROM made m JOIN workspaces ws ON ws.id = m.workspace_id RETURNING 1");
  tx.exec("WITH w AS (" + std::string(wanted_calls) +
          ") INSERT INTO lead_calls (workspace_id, conversation_id, lead_id) SELECT w.workspace_id, w.id, l.id FROM w"
          " JOIN leads l ON l.workspace_id = w.workspace_id AND l.phone_e164 = w.phone"
          " ON CONFLICT (workspace_id, conversation_id) DO NOTHING");
  return static_cast<std::int64_t>(made.size());
}

}  // namespace wfa
