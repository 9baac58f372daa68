// Knowledge documents in the file store, and their links to agents (the spec's "knowledge" list is the truth).
#include "commands/knowledge/knowledge.hpp"

#include <algorithm>
#include <filesystem>

#include <pqxx/except>
#include <pqxx/result>
#include <pqxx/transaction>

#include "commands/agent/agent_rules.hpp"
#include "commands/tenancy/actor.hpp"
#include "commands/tenancy/tenancy_lookup.hpp"
#include "core/audited_mutation.hpp"
#include "core/database.hpp"
#include "core/file_store.hpp"
#include "core/input_file.hpp"
#include "core/listing.hpp"
#include "core/rows.hpp"
#include "core/session.hpp"
#include "core/utf8.hpp"
#include "core/validation.hpp"

namespace wfa {

namespace fs = std::filesystem;

namespace {

/// max_document_bytes bounds a knowledge document (providers take files of this order).
constexpr std::size_t max_document_bytes = std::size_t(20) << 20;

ListQuery document_query(const std::string& workspace_id, const std::optional<std::string>& id) {
  ListQuery query("knowledge list", "documents");
  query
      .select(
          "d.name, d.media_type, d.bytes, (SELECT count(*) FROM agent_knowledge_documents k WHERE k.workspace_id ="
          " d.workspace_id AND k.document_id = d.id) AS agents, d.sha256, d.path, d.created_at, d.id")
      .from("knowledge_documents d")
      .where("d.workspace_id = ?::uuid", workspace_id)
      .where("d.id = ?::uuid", id)
      .order_by({{"lower(d.name)", "text"}, {"d.id", "uuid"}})
      .machine_columns(1);
  return query;
}

/// media_type_of tells a document's type from its extension, checked against its bytes.
std::string media_type_of(const std::string& file, const std::string& bytes) {
  auto ext = fs::path(file).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (ext == ".pdf") {
    if (bytes.rfind("%PDF-", 0) != 0)
      throw InvalidInputError(file + " is named .pdf but is not a PDF", "give the PDF itself");
    return "application/pdf";
  }
  if (ext != ".txt" && ext != ".md" && ext != ".markdown")
    throw InvalidInputError(file + " is not a text, markdown or PDF file", "give a .txt, .md or .pdf file");
  if (auto at = utf8_invalid_at(bytes); at != std::string::npos)
    throw InvalidInputError(file + " is not valid UTF-8 (byte " + std::to_string(at) + ")", "save it as UTF-8");
  return ext == ".txt" ? "text/plain" : "text/markdown";
}

struct Document {
  std::string id, name;
};

Document find_document(pqxx::transaction_base& tx, const std::string& workspace_id, const std::string& workspace,
                       const std::string& reference) {
  auto rows =
      tx.exec_params(std::string("SELECT id, name FROM knowledge_documents WHERE workspace_id = $1::uuid AND ") +
                         (is_uuid(reference) ? "id = $2::uuid" : "name = $2"),
                     workspace_id, reference);
  if (rows.empty())
    throw NotFoundError("no knowledge document '" + reference + "' in workspace " + workspace,
                        "list them with `wfa knowledge list --workspace " + workspace + "`");
  return {rows[0][0].as<std::string>(), rows[0][1].as<std::string>()};
}

/// save_spec stores AGENT's changed SPEC (a new version to sync) and relinks its documents from spec.knowledge.
void save_spec(pqxx::dbtransaction& tx, const Session& session, const WorkspaceRef& ws, const AgentRow& agent,
               const AgentSpec& spec, const std::string& action) {
  auto old = row_json(tx, "ai_agents", agent.id);
  tx.exec_params(
      "UPDATE ai_agents SET config = $3::jsonb, version = version + 1, needs_resync = true,"
      " sync_status = CASE WHEN sync_status = 'synced' THEN 'pending' ELSE sync_status END"
      " WHERE workspace_id = $1::uuid AND id = $2::uuid",
      ws.id, agent.id, spec.to_json());
  link_spec_knowledge(tx, ws.id, ws.slug, agent.id, spec);
  record_audit(tx, {session.actor(), action, "ai_agent", agent.id, ws.partner_id, ws.id, old,
                    row_json(tx, "ai_agents", agent.id), ""});
}

}  // namespace

Result run_knowledge_add(const KnowledgeAddOptions& o, Session& session) {
  auto bytes = read_input_file(o.file, "knowledge document", max_document_bytes);
  auto media = media_type_of(o.file, bytes);
  auto name = check_display_name(session.option("name"), o.name ? *o.name : fs::path(o.file).filename().string(),
                                 "e.g. faq.md");
  pqxx::work tx(session.database().ready());
  auto ws = workspace_for(tx, session, o.workspace, "workspace:knowledge:create");
  auto extension = media == "application/pdf" ? "pdf" : media == "text/plain" ? "txt" : "md";
  auto stored = o.dry_run ? blob_address("knowledge", bytes, extension)
                          : store_blob(file_store_root(session), "knowledge", bytes, extension);
  std::string id;
  try {
    id = tx.exec_params(
               "INSERT INTO knowledge_documents (workspace_id, name, media_type, path, sha256, bytes)"
               " VALUES ($1::uuid, $2, $3, $4, $5, $6) RETURNING id",
               ws.id, name, media, stored.relative_path, stored.sha256, static_cast<std::int64_t>(stored.bytes))[0][0]
             .as<std::string>();
  } catch (const pqxx::unique_violation&) {
    throw ConflictError("workspace " + o.workspace + " already has a knowledge document named '" + name + "'",
                        "give another --name, or remove the old one first");
  }
  record_audit(tx, {session.actor(), "knowledge.add", "knowledge_document", id, ws.partner_id, ws.id, "",
                    row_json(tx, "knowledge_documents", id), ""});
  Result r;
  r.fields = to_fields(query_table(tx, document_query(ws.id, id)));
  return commit_or_roll_back(tx, std::move(r), o.dry_run, "added knowledge document '" + name + "'",
                             "would add knowledge document '" + name + "'");
}

Result run_knowledge_list(const KnowledgeListOptions& o, Session& session) {
  auto tx = list_transaction(session);
  auto ws = workspace_for(*tx, session, o.workspace, "workspace:knowledge:read");
  auto query = document_query(ws.id, std::nullopt);
  query.when_empty("no knowledge documents in workspace " + o.workspace + "; add one with `wfa knowledge add FILE" +
                   " --workspace " + o.workspace + "`");
  return list_rows(tx, query, o.paging, session);
}

Result run_knowledge_show(const KnowledgeRefOptions& o, Session& session) {
  pqxx::read_transaction tx(session.read_database().ready());
  auto ws = workspace_for(tx, session, o.workspace, "workspace:knowledge:read");
  auto document = find_document(tx, ws.id, o.workspace, o.document);
  Result r;
  r.fields = to_fields(query_table(tx, document_query(ws.id, document.id)));
  return r;
}

Result run_knowledge_remove(const KnowledgeRefOptions& o, Session& session) {
  pqxx::work tx(session.database().ready());
  auto ws = workspace_for(tx, session, o.workspace, "workspace:knowledge:delete");
  auto document = find_document(tx, ws.id, o.workspace, o.document);
  if (!o.dry_run) session.confirm(o.yes, "remove knowledge document '" + document.name + "' from every agent");
  Result r;
  r.fields = to_fields(query_table(tx, document_query(ws.id, document.id)));
  for (const auto& row : tx.exec_params(
           "SELECT DISTINCT a.id FROM ai_agents a JOIN agent_knowledge_documents k ON k.workspace_id = a.workspace_id"
           " AND k.agent_id = a.id WHERE k.workspace_id = $1::uuid AND k.document_id = $2::uuid",
           ws.id, document.id)) {
    auto agent = find_agent(tx, ws.id, o.workspace, row[0].as<std::string>(), false, true);
    auto spec = agent.spec;
    spec.knowledge.erase(std::remove(spec.knowledge.begin(), spec.knowledge.end(), document.name),
                         spec.knowledge.end());
    save_spec(tx, session, ws, agent, spec, "agent.unlink_knowledge");
  }
  auto old = row_json(tx, "knowledge_documents", document.id);
  tx.exec_params("DELETE FROM knowledge_documents WHERE workspace_id = $1::uuid AND id = $2::uuid", ws.id, document.id);
  record_audit(
      tx, {session.actor(), "knowledge.remove", "knowledge_document", document.id, ws.partner_id, ws.id, old, "", ""});
  return commit_or_roll_back(tx, std::move(r), o.dry_run, "removed knowledge document '" + document.name + "'",
                             "would remove knowledge document '" + document.name + "'");
}

Result run_agent_link_knowledge(const AgentKnowledgeOptions& o, Session& session) {
  pqxx::work tx(session.database().ready());
  auto ws = workspace_for(tx, session, o.workspace, "workspace:agents:update");
  auto agent = find_agent(tx, ws.id, o.workspace, o.agent, false, true);
  auto document = find_document(tx, ws.id, o.workspace, o.document);
  Result r;
  auto spec = agent.spec;
  if (std::find(spec.knowledge.begin(), spec.knowledge.end(), document.name) != spec.knowledge.end()) {
    r.message = "agent '" + agent.name + "' already uses '" + document.name + "'; nothing changed";
    return r;
  }
  spec.knowledge.push_back(document.name);
  save_spec(tx, session, ws, agent, spec, "agent.link_knowledge");
  r.fields = {{"agent", Cell(agent.name)}, {"document", Cell(document.name)}, {"version", Cell(agent.version + 1)}};
  return commit_or_roll_back(tx, std::move(r), o.dry_run, "agent '" + agent.name + "' now uses '" + document.name + "'",
                             "would link '" + document.name + "' to agent '" + agent.name + "'");
}

Result run_agent_unlink_knowledge(const AgentKnowledgeOptions& o, Session& session) {
  pqxx::work tx(session.database().ready());
  auto ws = workspace_for(tx, session, o.workspace, "workspace:agents:update");
  auto agent = find_agent(tx, ws.id, o.workspace, o.agent, false, true);
  auto spec = agent.spec;
  auto it = std::find(spec.knowledge.begin(), spec.knowledge.end(), o.document);
  if (it == spec.knowledge.end())
    throw NotFoundError("agent '" + agent.name + "' does not use '" + o.document + "'",
                        "see its knowledge with `wfa agent show '" + agent.name + "' --workspace " + o.workspace + "`");
  spec.knowledge.erase(it);
  save_spec(tx, session, ws, agent, spec, "agent.unlink_knowledge");
  Result r;
  r.fields = {{"agent", Cell(agent.name)}, {"document", Cell(o.document)}, {"version", Cell(agent.version + 1)}};
  return commit_or_roll_back(tx, std::move(r), o.dry_run,
                             "agent '" + agent.name + "' no longer uses '" + o.document + "'",
                             "would unlink '" + o.document + "' from agent '" + agent.name + "'");
}

}  // namespace wfa
