// Flags of `wfa agent`.
#include "cli/command_cli.hpp"
#include "cli/command_tree.hpp"
#include "commands/agent/agent.hpp"
#include "commands/agent/agent_rules.hpp"
#include "commands/calls/call_flags_cli.hpp"
#include "pipelines/providers/provider.hpp"

namespace wfa {

namespace {

const char* workspace_help = "Workspace: id or PARTNER/SLUG";

void add_fields(CLI::App* verb, AgentFields& f) {
  verb->add_option("--spec", f.spec_file, "Agent spec (JSON), or - for standard input; flags override its fields");
  verb->add_option("--name", f.name, "Agent name, unique in the workspace");
  verb->add_option("--provider", f.provider, "vapi, retell or synthflow")->check(CLI::IsMember(voice_providers));
  verb->add_option("--voice-provider", f.voice_provider, "Voice provider, e.g. 11labs (VAPI), elevenlabs (Retell)");
  verb->add_option("--voice-id", f.voice_id, "Voice id at the voice provider");
  verb->add_option("--voice-model", f.voice_model, "Voice model, e.g. eleven_turbo_v2_5");
  verb->add_option("--model-provider", f.model_provider, "Model provider, e.g. openai (VAPI)");
  verb->add_option("--model", f.model, "Model, e.g. gpt-4.1");
  verb->add_option("--temperature", f.temperature, "Model temperature, 0 to 2");
  verb->add_option("--transcriber-provider", f.transcriber_provider, "Transcriber, e.g. deepgram");
  verb->add_option("--language", f.language, "Language, e.g. en or en-US");
  verb->add_option("--system-prompt", f.system_prompt, "System prompt");
  verb->add_option("--system-prompt-file", f.system_prompt_file, "File holding the system prompt");
  verb->add_option("--first-message", f.first_message, "What the agent says first");
  verb->add_option("--webhook-url", f.webhook_url, "https:// URL the provider sends call events to");
}

}  // namespace

void register_agent(CLI::App& root, Dispatch& dispatch) {
  auto* agent = root.add_subcommand("agent", "Voice agents at VAPI, Retell and Synthflow, and their sync");
  agent->require_subcommand(1);

  auto create_o = std::make_shared<AgentCreateOptions>();
  auto* create = agent->add_subcommand("create", "Create an agent from a spec file or flags");
  create->add_option("--workspace", create_o->workspace, workspace_help)->required();
  add_fields(create, create_o->fields);
  create->add_flag("--dry-run", create_o->dry_run, "Validate and show the agent; change nothing");
  on_run(create, dispatch, [create_o](Session& session) { return run_agent_create(*create_o, session); });

  auto update_o = std::make_shared<AgentUpdateOptions>();
  auto* update = agent->add_subcommand("update", "Change an agent's spec; it is synced at the next agent sync");
  update->add_option("AGENT", update_o->agent, "Agent id or name")->required();
  update->add_option("--workspace", update_o->workspace, workspace_help)->required();
  add_fields(update, update_o->fields);
  update->add_flag("--dry-run", update_o->dry_run, "Validate and show the change; change nothing");
  on_run(update, dispatch, [update_o](Session& session) { return run_agent_update(*update_o, session); });

  auto ref = [&](const char* name, const char* help, bool confirm, bool dry_run) {
    auto options = std::make_shared<AgentRefOptions>();
    auto* verb = agent->add_subcommand(name, help);
    verb->add_option("AGENT", options->agent, "Agent id or name")->required();
    verb->add_option("--workspace", options->workspace, workspace_help)->required();
    if (confirm)
      verb->add_flag("-y,--yes", options->yes, "Do not ask for confirmation (required when not on a terminal)");
    if (dry_run) verb->add_flag("--dry-run", options->dry_run, "Show the outcome; change nothing");
    return std::make_pair(verb, options);
  };
  auto [remove, remove_o] = ref("delete", "Delete an agent here and, at the next sync, at its provider", true, true);
  on_run(remove, dispatch, [o = remove_o](Session& session) { return run_agent_delete(*o, session); });
  auto [restore, restore_o] = ref("restore", "Bring back a deleted agent", false, true);
  on_run(restore, dispatch, [o = restore_o](Session& session) { return run_agent_restore(*o, session); });
  auto [show, show_o] = ref("show", "Show an agent, its spec and its sync state", false, false);
  on_run(show, dispatch, [o = show_o](Session& session) { return run_agent_show(*o, session); });
  auto [diff, diff_o] = ref("diff", "Compare the provider's live configuration with wfa's", false, false);
  on_run(diff, dispatch, [o = diff_o](Session& session) { return run_agent_diff(*o, session); });

  auto pull_o = std::make_shared<AgentPullOptions>();
  auto* pull = agent->add_subcommand("pull", "Adopt the agents a provider account has that wfa does not know");
  pull->add_option("--workspace", pull_o->workspace, workspace_help)->required();
  pull->add_option("--provider", pull_o->provider, "vapi, retell or synthflow")
      ->required()
      ->check(CLI::IsMember(voice_providers));
  pull->add_flag("--dry-run", pull_o->dry_run, "Show what would be adopted; change nothing");
  on_run(pull, dispatch, [pull_o](Session& session) { return run_agent_pull(*pull_o, session); });
  register_agent_knowledge(*agent, dispatch);

  auto list_o = std::make_shared<AgentListOptions>();
  auto* list = agent->add_subcommand("list", "List a workspace's agents and their sync state");
  list->add_option("--workspace", list_o->workspace, workspace_help)->required();
  list->add_option("--provider", list_o->provider, "Only agents at this provider")
      ->check(CLI::IsMember(voice_providers));
  list->add_option("--status", list_o->status, "Only agents in this sync state")
      ->check(CLI::IsMember(agent_sync_statuses));
  list->add_flag("--deleted", list_o->deleted, "List deleted agents instead");
  add_paging(list, list_o->paging);
  on_run(list, dispatch, [list_o](Session& session) { return run_agent_list(*list_o, session); });

  auto sync_o = std::make_shared<AgentSyncOptions>();
  auto* sync = agent->add_subcommand("sync", "Push agents to their providers: a plan, then the changes, crash-safe");
  sync->add_option("--workspace", sync_o->workspace, workspace_help);
  sync->add_option("--agent", sync_o->agent, "Only this agent (id or name), pushed even when nothing changed");
  sync->add_flag("--all", sync_o->all,
                 "Every agent, not only those needing a sync; without --workspace, every workspace's (super admins)");
  sync->add_option("--concurrency", sync_o->concurrency, "Agents pushed at once, 1 to 64 (default 8)");
  sync->add_flag("--dry-run", sync_o->dry_run, "Print the plan with each agent's field changes; send nothing");
  sync->add_flag("--enqueue", sync_o->enqueue,
                 "Plan here, then enqueue one agent.sync job per agent to push (one batch); return at once");
  on_run(sync, dispatch, [sync_o](Session& session) { return run_agent_sync(*sync_o, session); });

  auto test_o = std::make_shared<CallsStartOptions>();
  auto* test_call = agent->add_subcommand("test-call", "Place a test call to a number through the agent");
  add_call_flags(test_call, *test_o);
  on_run(test_call, dispatch, [test_o](Session& session) { return run_agent_test_call(*test_o, session); });
}

}  // namespace wfa
