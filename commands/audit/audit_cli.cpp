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
  add_paging(list, opts->paging);
  on_run(list, dispatch, [opts](Session& session) { return run_audit_list(*opts, session); });

  auto show_o = std::make_shared<AuditShowOptions>();
  auto* show = audit->add_subcommand("show", "Show one audit entry whole: old and new values, metadata and origin");
  show->add_option("ID", show_o->id, "The entry's id (from audit list)")->required();
  on_run(show, dispatch, [show_o](Session& session) { return run_audit_show(*show_o, session); });

  auto archive_o = std::make_shared<AuditArchiveOptions>();
  auto* archive = audit->add_subcommand(
      "archive", "Write each closed month before --before to a file, verify it, record it, then drop the month");
  archive->add_option("--before", archive_o->before, "YYYY-MM: archive every month before this one")->required();
  archive
      ->add_option("--out", archive_o->out, "File per month: {month} becomes YYYY-MM (else added before the extension)")
      ->required();
  archive->add_flag("--dry-run", archive_o->dry_run, "List the months and row counts that would be archived");
  on_run(archive, dispatch, [archive_o](Session& session) { return run_audit_archive(*archive_o, session); });

  auto partitions_o = std::make_shared<AuditPartitionsOptions>();
  auto* partitions =
      audit->add_subcommand("partitions", "Make this month's and the next months' audit partitions (run monthly)");
  partitions->add_option("--ahead", partitions_o->ahead, "Months after this one to prepare (default 3)");
  partitions->add_flag("--dry-run", partitions_o->dry_run, "Show what would be made; change nothing");
  on_run(partitions, dispatch,
         [partitions_o](Session& session) { return run_audit_partitions(*partitions_o, session); });
}

}  // namespace wfa
