// Flags of `wfa knowledge`, and of `wfa agent link-knowledge|unlink-knowledge` (registered with the agent noun).
#include "cli/command_cli.hpp"
#include "cli/command_tree.hpp"
#include "commands/knowledge/knowledge.hpp"

namespace wfa {

namespace {

const char* workspace_help = "Workspace: id or PARTNER/SLUG";

}  // namespace

void register_knowledge(CLI::App& root, Dispatch& dispatch) {
  auto* knowledge = root.add_subcommand("knowledge", "Text, markdown and PDF documents agents draw on");
  knowledge->require_subcommand(1);

  auto add_o = std::make_shared<KnowledgeAddOptions>();
  auto* add = knowledge->add_subcommand("add", "Add a .txt, .md or .pdf document to the workspace's file store");
  add->add_option("FILE", add_o->file, "The document, at most 20 MiB")->required();
  add->add_option("--workspace", add_o->workspace, workspace_help)->required();
  add->add_option("--name", add_o->name, "Name agents' specs use (default: the file's name)");
  add->add_flag("--dry-run", add_o->dry_run, "Check the document and show it; change nothing");
  on_run(add, dispatch, [add_o](Session& session) { return run_knowledge_add(*add_o, session); });

  auto list_o = std::make_shared<KnowledgeListOptions>();
  auto* list = knowledge->add_subcommand("list", "List the workspace's documents and how many agents use each");
  list->add_option("--workspace", list_o->workspace, workspace_help)->required();
  add_paging(list, list_o->paging);
  on_run(list, dispatch, [list_o](Session& session) { return run_knowledge_list(*list_o, session); });

  auto show_o = std::make_shared<KnowledgeRefOptions>();
  auto* show = knowledge->add_subcommand("show", "Show one document");
  show->add_option("DOCUMENT", show_o->document, "Document name or id")->required();
  show->add_option("--workspace", show_o->workspace, workspace_help)->required();
  on_run(show, dispatch, [show_o](Session& session) { return run_knowledge_show(*show_o, session); });

  auto remove_o = std::make_shared<KnowledgeRefOptions>();
  auto* remove = knowledge->add_subcommand("remove", "Remove a document and drop it from every agent");
  remove->add_option("DOCUMENT", remove_o->document, "Document name or id")->required();
  remove->add_option("--workspace", remove_o->workspace, workspace_help)->required();
  remove->add_flag("-y,--yes", remove_o->yes, "Do not ask for confirmation (required when not on a terminal)");
  remove->add_flag("--dry-run", remove_o->dry_run, "Show what would be removed; change nothing");
  on_run(remove, dispatch, [remove_o](Session& session) { return run_knowledge_remove(*remove_o, session); });
}

void register_agent_knowledge(CLI::App& agent, Dispatch& dispatch) {
  for (bool link : {true, false}) {
    auto options = std::make_shared<AgentKnowledgeOptions>();
    auto* verb =
        agent.add_subcommand(link ? "link-knowledge" : "unlink-knowledge",
                             link ? "Let an agent use a knowledge document" : "Stop an agent using a document");
    verb->add_option("AGENT", options->agent, "Agent id or name")->required();
    verb->add_option("DOCUMENT", options->document, "Knowledge document name")->required();
    verb->add_option("--workspace", options->workspace, workspace_help)->required();
    verb->add_flag("--dry-run", options->dry_run, "Show the change; change nothing");
    on_run(verb, dispatch, [options, link](Session& session) {
      return link ? run_agent_link_knowledge(*options, session) : run_agent_unlink_knowledge(*options, session);
    });
  }
}

}  // namespace wfa
