// Finding agents and building their specs from spec files and flags.
#include "commands/agent/agent_rules.hpp"

#include <pqxx/result>
#include <pqxx/transaction>

#include "core/error.hpp"
#include "core/input_file.hpp"
#include "core/session.hpp"
#include "core/utf8.hpp"
#include "core/validation.hpp"

namespace wfa {

namespace {

constexpr std::size_t max_spec_file_bytes = std::size_t(1) << 20;

}  // namespace

AgentRow find_agent(pqxx::transaction_base& tx, const std::string& workspace_id, const std::string& workspace,
                    const std::string& reference, bool deleted, bool lock) {
  auto by_id = is_uuid(reference);
  auto rows = tx.exec_params(
      std::string("SELECT id, name, provider, config::text, version, deleted_at IS NOT NULL FROM ai_agents") +
          " WHERE workspace_id = $1::uuid AND " + (by_id ? "id = $2::uuid" : "lower(name) = lower($2)") +
          (deleted ? " AND deleted_at IS NOT NULL ORDER BY deleted_at DESC LIMIT 1" : " AND deleted_at IS NULL") +
          (lock ? " FOR UPDATE" : ""),
      workspace_id, reference);
  if (rows.empty())
    throw NotFoundError(
        std::string(deleted ? "no deleted agent '" : "no agent '") + reference + "' in workspace " + workspace,
        "list them with `wfa agent list --workspace " + workspace + (deleted ? " --deleted`" : "`"));
  AgentRow row;
  row.id = rows[0][0].as<std::string>();
  row.name = rows[0][1].as<std::string>();
  row.provider = rows[0][2].as<std::string>();
  row.spec = parse_agent_spec(rows[0][3].as<std::string>(), "agent " + row.name);
  row.version = rows[0][4].as<int>();
  row.deleted = rows[0][5].as<bool>();
  return row;
}

void link_spec_knowledge(pqxx::transaction_base& tx, const std::string& workspace_id, const std::string& workspace,
                         const std::string& agent_id, const AgentSpec& spec) {
  tx.exec_params("DELETE FROM agent_knowledge_documents WHERE workspace_id = $1::uuid AND agent_id = $2::uuid",
                 workspace_id, agent_id);
  for (const auto& name : spec.knowledge) {
    auto linked = tx.exec_params(
        "INSERT INTO agent_knowledge_documents (workspace_id, agent_id, document_id) SELECT $1::uuid, $2::uuid, id"
        " FROM knowledge_documents WHERE workspace_id = $1::uuid AND name = $3 ON CONFLICT DO NOTHING RETURNING 1",
        workspace_id, agent_id, name);
    if (linked.empty() &&
        tx.exec_params("SELECT 1 FROM knowledge_documents WHERE workspace_id = $1::uuid AND name = $2", workspace_id,
                       name)
            .empty())
      throw NotFoundError("knowledge: no document '" + name + "' in workspace " + workspace,
                          "add it with `wfa knowledge add FILE --workspace " + workspace + "`");
  }
}

void apply_fields(const AgentFields& f, AgentSpec& spec, const Session& session) {
  std::string where = "flags";
  if (f.spec_file) {
    spec = parse_agent_spec(read_input_file(*f.spec_file, "agent spec", max_spec_file_bytes), *f.spec_file);
    where = *f.spec_file;
  }
  auto set = [](const std::optional<std::string>& value, std::string& field) {
    if (value) field = *value;
  };
  set(f.name, spec.name);
  set(f.provider, spec.provider);
  set(f.voice_provider, spec.voice_provider);
  set(f.voice_id, spec.voice_id);
  set(f.voice_model, spec.voice_model);
  set(f.model_provider, spec.model_provider);
  set(f.model, spec.model);
  if (f.temperature) spec.temperature = *f.temperature;
  set(f.transcriber_provider, spec.transcriber_provider);
  set(f.language, spec.language);
  set(f.system_prompt, spec.system_prompt);
  if (f.system_prompt_file) {
    spec.system_prompt = read_input_file(*f.system_prompt_file, "system prompt", max_spec_file_bytes);
    if (utf8_invalid_at(spec.system_prompt) != std::string::npos)
      throw InvalidInputError(
          session.option("system-prompt-file") + " " + *f.system_prompt_file + " is not valid UTF-8",
          "save it as UTF-8");
  }
  set(f.first_message, spec.first_message);
  set(f.webhook_url, spec.webhook_url);
  if (f.name) spec.name = check_display_name(session.option("name"), spec.name, "e.g. \"Front desk\"");
  if (!f.spec_file) where = spec.name.empty() ? std::string("the agent") : "agent '" + spec.name + "'";
  check_agent_spec(spec, where);
}

}  // namespace wfa
