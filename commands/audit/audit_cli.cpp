// Flags of `wfa audit`.
#include "cli/command_cli.hpp"
#include "commands/audit/audit.hpp"
#include "cli/command_tree.hpp"

namespace wfa {

void register_audit(CLI::App& root, Dispatch& dispatch) {
  auto* audit = root.add_subcommand("audit", "Read the append-only audit log");
  audit->require_subcommand(1);
  auto opts = std::make_shared<AuditListOptions>();
  auto* list = audit->add_subcommand("list", "List audit entries, newest first");
  list->add_option("--partner", opts->partner, "Only entries of this partner (id or slug)");
  list->add_option("--workspace", opts->workspace, "Only entries of this workspace (id or PARTNER/SLUG)");
  list->add_option("--action", opts->action, "Only this action, or a prefix such as partner.*");
  list->add_option("--actor", opts->actor, "Only entries by this actor");
  list->add_option("--entity", opts->entity, "Only this entity: TYPE or TYPE:ID");
  list->add_option("--since", opts->since, "Only entries at or after this ISO 8601 time");
  list->add_option("--until", opts->until, "Only entries before this ISO 8601 time");
  list->add_option("--limit", opts->limit, "At most this many entries; 0 for all (default 100)");
  on_run(list, dispatch, [opts](Session& session) { return run_audit_list(*opts, session); });
}

}  // namespace wfa
