// Flags of `wfa mockup`.
#include "commands/sales/sales_rules.hpp"
#include "cli/command_cli.hpp"
#include "commands/mockup/mockup.hpp"
#include "cli/command_tree.hpp"

namespace wfa {

namespace {

const char* workspace_help = "Workspace of the location: id or PARTNER/SLUG, e.g. acme/main";

void add_target(CLI::App* cmd, FrameTarget& target) {
  cmd->add_option("LOCATION", target.location, "Location key")->required();
  cmd->add_option("--workspace", target.workspace, workspace_help)->required();
  cmd->add_option("--photo", target.photo, "Photo: day-gold, day-silver, night-gold or night-silver (default day-gold)")
      ->check(CLI::IsMember(photo_variants));
}

void register_frame(CLI::App* mockup, Dispatch& dispatch) {
  auto* frame = mockup->add_subcommand("frame", "Billboard frames (corners and effects) of location photos");
  frame->require_subcommand(1);

  auto set_o = std::make_shared<MockupFrameSetOptions>();
  auto* set = frame->add_subcommand("set", "Set a photo's frame corners and effects; every change bumps its version");
  add_target(set, set_o->target);
  set->add_option("--points", set_o->points,
                  "Corners \"x,y x,y x,y x,y\" in photo pixels, any order around the billboard")
      ->required();
  set->add_option("--brightness", set_o->brightness, "Added to each channel after contrast, -255..255 (default 0)");
  set->add_option("--contrast", set_o->contrast, "Channel gain, 0..4 (default 1)");
  set->add_option("--saturation", set_o->saturation, "HSV saturation scale, 0..4 (default 1)");
  set->add_option("--temperature", set_o->temperature,
                  "Warm (+) or cool (-): red x(1+t), blue x(1-t), -1..1 (default 0)");
  set->add_option("--blur", set_o->blur, "Depth blur: Gaussian sigma in px on the creative, 0..20 (default 0)");
  set->add_option("--feather", set_o->feather, "Soft edge width in px, 0..100 (default 8)");
  set->add_flag("--dry-run", set_o->dry_run, "Validate and show the frame; change nothing");
  on_run(set, dispatch, [set_o](Session& session) { return run_mockup_frame_set(*set_o, session); });

  auto list_o = std::make_shared<MockupFrameListOptions>();
  auto* list = frame->add_subcommand("list", "List the frames of a workspace's location photos");
  list->add_option("--workspace", list_o->workspace, workspace_help)->required();
  list->add_option("--location", list_o->location, "Only this location (key)");
  add_paging(list, list_o->paging);
  on_run(list, dispatch, [list_o](Session& session) { return run_mockup_frame_list(*list_o, session); });

  auto show_o = std::make_shared<MockupFrameShowOptions>();
  auto* show = frame->add_subcommand("show", "Show a photo's frame");
  add_target(show, show_o->target);
  on_run(show, dispatch, [show_o](Session& session) { return run_mockup_frame_show(*show_o, session); });

  auto remove_o = std::make_shared<MockupFrameRemoveOptions>();
  auto* remove = frame->add_subcommand("remove", "Remove a photo's frame");
  add_target(remove, remove_o->target);
  remove->add_flag("-y,--yes", remove_o->yes, "Do not ask for confirmation (required when not on a terminal)");
  remove->add_flag("--dry-run", remove_o->dry_run, "Show the frame that would be removed; change nothing");
  on_run(remove, dispatch, [remove_o](Session& session) { return run_mockup_frame_remove(*remove_o, session); });
}

}  // namespace

void register_mockup(CLI::App& root, Dispatch& dispatch) {
  auto* mockup = root.add_subcommand("mockup", "Billboard mockups: creatives composited into location photos");
  mockup->require_subcommand(1);
  register_frame(mockup, dispatch);

  auto gen_o = std::make_shared<MockupGenerateOptions>();
  auto* gen = mockup->add_subcommand("generate", "Make one mockup of a creative on a location photo");
  gen->add_option("LOCATION", gen_o->location, "Location key")->required();
  gen->add_option("--workspace", gen_o->workspace, workspace_help)->required();
  gen->add_option("--creative", gen_o->creative, "Creative image: JPEG or PNG (transparency respected)")->required();
  gen->add_option("--time-of-day", gen_o->time_of_day, "day or night (default day)")
      ->check(CLI::IsMember(times_of_day));
  gen->add_option("--finish", gen_o->finish, "gold or silver (default gold)")->check(CLI::IsMember(finishes));
  gen->add_option("--out", gen_o->out, "Also write the mockup JPEG to this file");
  gen->add_option("--quality", gen_o->quality, "JPEG quality 1..100 (default 90)");
  gen->add_flag("--no-cache", gen_o->no_cache, "Composite again even if an identical mockup is stored");
  on_run(gen, dispatch, [gen_o](Session& session) { return run_mockup_generate(*gen_o, session); });

  auto batch_o = std::make_shared<MockupBatchOptions>();
  auto* batch = mockup->add_subcommand("batch", "Make the mockups of a CSV manifest on a bounded worker pool");
  batch->add_option("MANIFEST", batch_o->manifest, "CSV with columns location,creative[,time_of_day,finish,out]")
      ->required();
  batch->add_option("--workspace", batch_o->workspace, workspace_help)->required();
  batch->add_option("--encoding", batch_o->encoding,
                    "Text encoding: auto (default: UTF-16 or UTF-8 by byte-order mark, else UTF-8), utf-8, utf-16, "
                    "windows-1252 or latin1");
  batch->add_option("--out", batch_o->out_dir, "Directory the mockups are written to (not with --enqueue)");
  batch->add_option("--workers", batch_o->workers, "Mockups made at once (default 2); memory grows with it");
  batch->add_option("--quality", batch_o->quality, "JPEG quality 1..100 (default 90)");
  batch->add_flag("--no-cache", batch_o->no_cache, "Composite every row even if identical mockups are stored");
  batch->add_flag("--enqueue", batch_o->enqueue,
                  "Split the manifest into jobs for `wfa worker` and return at once; the mockups land in the file "
                  "store");
  batch->add_option("--chunk-size", batch_o->chunk_size, "Rows per job with --enqueue (default 20)");
  on_run(batch, dispatch, [batch_o](Session& session) { return run_mockup_batch(*batch_o, session); });
}

}  // namespace wfa
