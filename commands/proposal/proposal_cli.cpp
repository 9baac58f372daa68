// Flags of `wfa proposal`.
#include "cli/command_cli.hpp"
#include "commands/proposal/proposal.hpp"
#include "cli/command_tree.hpp"

namespace wfa {

void register_proposal(CLI::App& root, Dispatch& dispatch) {
  auto* proposal =
      root.add_subcommand("proposal", "Generate priced proposal PDFs for clients, one at a time or in batches");
  proposal->require_subcommand(1);
  const char* workspace_help = "Workspace: id or PARTNER/SLUG, e.g. acme/main";
  const char* layout_help = "Layout: a name in templates/proposal (default standard) or a .json file";

  auto generate_o = std::make_shared<ProposalGenerateOptions>();
  auto* generate = proposal->add_subcommand("generate", "Write a proposal per location, or one combined proposal");
  generate->add_option("--workspace", generate_o->workspace, workspace_help)->required();
  generate->add_option("--client", generate_o->client, "Client name printed on the proposal")->required();
  generate->add_option("--location", generate_o->locations, "Location keys, comma-separated")
      ->required()
      ->delimiter(',');
  generate->add_option("--start", generate_o->start, "Campaign start date, YYYY-MM-DD")->required();
  generate->add_flag("--combined", generate_o->combined, "One proposal over all locations, with a summary page");
  generate->add_option("--currency", generate_o->currency,
                       "Currency to price in (default: the rate card's); see wfa currency list");
  generate->add_option("--weeks", generate_o->weeks, "Campaign length in weeks (default: the longest duration option)");
  generate->add_option("--id", generate_o->id, "Proposal id (default PR-YEAR-NNNNN, the workspace's next number)");
  generate->add_flag("--overwrite", generate_o->overwrite,
                     "Let --id replace the logged proposal of another client with that id");
  generate->add_option("--out", generate_o->out_dir, "Directory the PDFs are written to")->required();
  generate->add_option("--layout", generate_o->layout, layout_help);
  on_run(generate, dispatch, [generate_o](Session& session) { return run_proposal_generate(*generate_o, session); });

  auto batch_o = std::make_shared<ProposalBatchOptions>();
  auto* batch = proposal->add_subcommand("batch", "Write the proposals of a CSV or JSON file on a bounded worker pool");
  batch->add_option("FILE", batch_o->file, "Batch file: .csv with a header, or .json (an array of objects)")
      ->required();
  batch->add_option("--encoding", batch_o->encoding,
                    "Text encoding: auto (default: UTF-16 or UTF-8 by byte-order mark, else UTF-8), utf-8, utf-16, "
                    "windows-1252 or latin1");
  batch->add_option("--workspace", batch_o->workspace, workspace_help)->required();
  batch->add_option("--out", batch_o->out_dir, "Directory the PDFs are written to (not with --enqueue)");
  batch->add_option("--workers", batch_o->workers, "Proposals rendered at once (default 3)");
  batch->add_option("--combined-pdf", batch_o->combined_pdf, "Also write all proposals, in file order, into this PDF");
  batch->add_flag("--resume", batch_o->resume, "Skip proposals already written and logged with the same content");
  batch->add_flag("--overwrite", batch_o->overwrite,
                  "Let explicit proposal_ids replace the logged proposals of other clients with those ids");
  batch->add_option("--layout", batch_o->layout, layout_help);
  batch->add_flag("--enqueue", batch_o->enqueue,
                  "Split the batch into jobs for `wfa worker` and return at once; the PDFs land in the file store");
  batch->add_option("--chunk-size", batch_o->chunk_size, "Rows per job with --enqueue (default 20)");
  on_run(batch, dispatch, [batch_o](Session& session) { return run_proposal_batch(*batch_o, session); });

  auto list_o = std::make_shared<ProposalListOptions>();
  auto* list = proposal->add_subcommand("list", "List the proposals logged for a workspace, newest first");
  list->add_option("--workspace", list_o->workspace, workspace_help)->required();
  list->add_option("--client", list_o->client, "Only clients whose name contains this text");
  add_paging(list, list_o->paging);
  on_run(list, dispatch, [list_o](Session& session) { return run_proposal_list(*list_o, session); });
}

}  // namespace wfa
