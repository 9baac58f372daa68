// Flags of `wfa campaign`.
#include "cli/command_cli.hpp"
#include "commands/campaign/campaign.hpp"
#include "commands/campaign/campaign_rules.hpp"
#include "commands/campaign/recipient_flags_cli.hpp"
#include "cli/command_tree.hpp"

namespace wfa {

namespace {

const char* campaign_help = "Campaign: id or PARTNER/WORKSPACE/NAME, e.g. acme/main/spring";

void register_dialing(CLI::App* campaign, Dispatch& dispatch) {
  auto update_o = std::make_shared<CampaignUpdateOptions>();
  auto* update = campaign->add_subcommand("update", "Change a campaign's calling window, caps, pace and retries");
  update->add_option("CAMPAIGN", update_o->campaign, campaign_help)->required();
  update->add_option("--call-days", update_o->call_days, "Weekdays to call, e.g. mon,tue,wed,thu,fri (all: clear)");
  update->add_option("--call-from", update_o->call_from,
                     "Local time calls may start, HH:MM (\"\" with --call-to \"\": clear)");
  update->add_option("--call-to", update_o->call_to, "Local time calls stop by, HH:MM");
  update->add_option("--max-concurrent", update_o->max_concurrent, "Most live calls of this campaign");
  update->add_option("--calls-per-minute", update_o->calls_per_minute, "Most dials per minute");
  update->add_option("--retry", update_o->retries,
                     "OUTCOME=ATTEMPTS[@GAP_MINUTES] for no_answer, busy, voicemail or failed (repeatable)");
  update->add_option("--from-number", update_o->from_numbers,
                     "Caller id to rotate through (repeatable; a number the workspace owns; none: clear)");
  update->add_flag("--dry-run", update_o->dry_run, "Show the campaign as it would be; change nothing");
  on_run(update, dispatch, [update_o](Session& session) { return run_campaign_update(*update_o, session); });

  auto due_o = std::make_shared<CampaignDueOptions>();
  auto* due = campaign->add_subcommand("due", "Show whom the dialer would call now, and why not the others");
  due->add_option("CAMPAIGN", due_o->campaign, campaign_help)->required();
  due->add_option("--at", due_o->at, "Judge at this instant, ISO 8601 (default now)");
  due->add_option("--limit", due_o->limit, "Recipients to judge (default 100)");
  due->add_option("--after", due_o->after, "Continue after this recipient id (next_after of the last answer)");
  on_run(due, dispatch, [due_o](Session& session) { return run_campaign_due(*due_o, session); });

  auto stats_o = std::make_shared<CampaignStatsOptions>();
  auto* stats =
      campaign->add_subcommand("stats", "Show a campaign's results: outcomes, attempts, connect rate, minutes");
  stats->add_option("CAMPAIGN", stats_o->campaign, campaign_help)->required();
  on_run(stats, dispatch, [stats_o](Session& session) { return run_campaign_stats(*stats_o, session); });

  auto run_o = std::make_shared<CampaignRunOptions>();
  auto* run = campaign->add_subcommand("run", "Dial a campaign here until it ends; Ctrl-C pauses it");
  run->add_option("CAMPAIGN", run_o->campaign, campaign_help)->required();
  run->add_option("--concurrency", run_o->concurrency, "Provider requests in flight from here (default 32)");
  run->add_option("--for", run_o->for_seconds, "Stop after this many seconds; the campaign keeps running");
  run->add_flag("--force", run_o->force,
                "Dial beyond the campaign's own window and retries, never beyond the country's rules (audited)");
  on_run(run, dispatch, [run_o](Session& session) { return run_campaign_run(*run_o, session); });
}

void register_status_verbs(CLI::App* campaign, Dispatch& dispatch) {
  auto schedule_o = std::make_shared<CampaignStatusOptions>();
  auto* schedule = campaign->add_subcommand("schedule", "Set the calling window and schedule a draft campaign");
  schedule->add_option("CAMPAIGN", schedule_o->campaign, campaign_help)->required();
  schedule->add_option("--start", schedule_o->starts_at,
                       "Window start, ISO 8601 (no offset: the campaign's time zone)");
  schedule->add_option("--end", schedule_o->ends_at, "Window end, ISO 8601; cron expires the campaign after it");
  schedule->add_option("--timezone", schedule_o->timezone, "IANA time zone of the campaign, e.g. Asia/Dubai");
  schedule->add_flag("--now", schedule_o->now, "Start now (instead of --start)");
  schedule->add_option("--dispatchers", schedule_o->dispatchers,
                       "campaign.dispatch jobs queued for wfa worker (default 1; 0: dial with wfa campaign run)");
  schedule->add_flag("--dry-run", schedule_o->dry_run, "Show the scheduled campaign; change nothing");
  on_run(schedule, dispatch, [schedule_o](Session& session) { return run_campaign_schedule(*schedule_o, session); });

  struct Verb {
    const char* name;
    const char* help;
    Result (*run)(const CampaignStatusOptions&, Session&);
  };
  const Verb verbs[] = {
      {"pause", "Pause a scheduled or running campaign", run_campaign_pause},
      {"resume", "Resume a paused campaign (running, or scheduled before its window)", run_campaign_resume},
      {"cancel", "Cancel a campaign for good", run_campaign_cancel}};
  for (const auto& verb : verbs) {
    auto o = std::make_shared<CampaignStatusOptions>();
    auto* cmd = campaign->add_subcommand(verb.name, verb.help);
    cmd->add_option("CAMPAIGN", o->campaign, campaign_help)->required();
    if (verb.run == run_campaign_cancel)
      cmd->add_flag("-y,--yes", o->yes, "Do not ask for confirmation (required when not on a terminal)");
    if (verb.run == run_campaign_resume)
      cmd->add_option("--dispatchers", o->dispatchers,
                      "campaign.dispatch jobs queued for wfa worker (default 1; 0: dial with wfa campaign run)");
    cmd->add_flag("--dry-run", o->dry_run, "Show the result; change nothing");
    on_run(cmd, dispatch, [o, run = verb.run](Session& session) { return run(*o, session); });
  }
}

void register_import(CLI::App* campaign, Dispatch& dispatch) {
  auto o = std::make_shared<CampaignImportOptions>();
  auto* import =
      campaign->add_subcommand("import", "Import recipients from a CSV file (COPY speed, all-or-nothing by default)");
  import->add_option("CAMPAIGN", o->campaign, campaign_help)->required();
  import->add_option("FILE", o->file, "CSV file with a header row")->required();
  add_recipient_column_flags(import, o->map, o->skip, o->default_country);
  import->add_option("--delimiter", o->delimiter, "auto (default), ',', ';', tab or '|'");
  add_encoding_flag(import, o->encoding);
  import->add_flag("--allow-partial", o->allow_partial, "Import the valid rows even if some are rejected (exit 8)");
  import->add_option("--max-errors", o->max_errors,
                     "Fail when more than N rows (or P%) are rejected; implies --allow-partial");
  import->add_option("--reject-file", o->reject_file, "Write skipped rows here: line, reason, the original row");
  import->add_flag("--dry-run", o->dry_run, "Validate and count; import nothing");
  on_run(import, dispatch, [o](Session& session) { return run_campaign_import(*o, session); });
}

void register_recipients(CLI::App* campaign, Dispatch& dispatch) {
  auto* recipients = campaign->add_subcommand("recipients", "List, remove or export a campaign's recipients");
  recipients->require_subcommand(1);

  auto list_o = std::make_shared<RecipientsListOptions>();
  auto* list = recipients->add_subcommand("list", "List recipients in import order");
  list->add_option("CAMPAIGN", list_o->campaign, campaign_help)->required();
  list->add_option("--status", list_o->status, "Only recipients with this status")
      ->check(CLI::IsMember(recipient_statuses));
  add_paging(list, list_o->paging);
  on_run(list, dispatch, [list_o](Session& session) { return run_campaign_recipients_list(*list_o, session); });

  auto remove_o = std::make_shared<RecipientsRemoveOptions>();
  auto* remove = recipients->add_subcommand("remove", "Remove recipients by phone number");
  remove->add_option("CAMPAIGN", remove_o->campaign, campaign_help)->required();
  remove->add_option("PHONE", remove_o->phones, "Phone numbers (any format; normalised to E.164)")->required();
  remove->add_option("--default-country", remove_o->default_country, "Country of numbers without a country code");
  remove->add_flag("-y,--yes", remove_o->yes, "Do not ask for confirmation (required when not on a terminal)");
  remove->add_flag("--dry-run", remove_o->dry_run, "Show the recipients that would be removed; change nothing");
  on_run(remove, dispatch, [remove_o](Session& session) { return run_campaign_recipients_remove(*remove_o, session); });

  auto export_o = std::make_shared<RecipientsExportOptions>();
  auto* exp = recipients->add_subcommand("export", "Write all recipients as CSV");
  exp->add_option("CAMPAIGN", export_o->campaign, campaign_help)->required();
  exp->add_option("--out", export_o->out, "File to write (default: stdout)");
  on_run(exp, dispatch, [export_o](Session& session) { return run_campaign_recipients_export(*export_o, session); });
}

}  // namespace

void register_campaign(CLI::App& root, Dispatch& dispatch) {
  auto* campaign = root.add_subcommand("campaign", "Manage calling campaigns and import their recipients");
  campaign->require_subcommand(1);

  auto create_o = std::make_shared<CampaignCreateOptions>();
  auto* create = campaign->add_subcommand("create", "Create a draft campaign in a workspace");
  create->add_option("NAME", create_o->name, "Name, unique in the workspace (no '/')")->required();
  create->add_option("--workspace", create_o->workspace, "Workspace: id or PARTNER/SLUG")->required();
  create->add_option("--agent", create_o->agent, "Voice agent id that will place the calls");
  create->add_option("--timezone", create_o->timezone, "IANA time zone of the window (default UTC)");
  create->add_option("--start", create_o->starts_at, "Window start, ISO 8601 (no offset: the campaign's time zone)");
  create->add_option("--end", create_o->ends_at, "Window end, ISO 8601");
  create->add_flag("--if-not-exists", create_o->if_not_exists, "Succeed without change when the campaign exists");
  create->add_flag("--dry-run", create_o->dry_run, "Show the campaign that would be created; change nothing");
  on_run(create, dispatch, [create_o](Session& session) { return run_campaign_create(*create_o, session); });

  auto list_o = std::make_shared<CampaignListOptions>();
  auto* list = campaign->add_subcommand("list", "List campaigns with their recipient counts");
  list->add_option("--workspace", list_o->workspace, "Only campaigns of this workspace (id or PARTNER/SLUG)");
  list->add_option("--status", list_o->status, "Only campaigns with this status")
      ->check(CLI::IsMember(campaign_statuses));
  add_paging(list, list_o->paging);
  on_run(list, dispatch, [list_o](Session& session) { return run_campaign_list(*list_o, session); });

  auto show_o = std::make_shared<CampaignShowOptions>();
  auto* show = campaign->add_subcommand("show", "Show a campaign, its recipient count and its imports");
  show->add_option("CAMPAIGN", show_o->campaign, campaign_help)->required();
  on_run(show, dispatch, [show_o](Session& session) { return run_campaign_show(*show_o, session); });

  register_status_verbs(campaign, dispatch);
  register_dialing(campaign, dispatch);
  register_import(campaign, dispatch);
  register_recipients(campaign, dispatch);
}

}  // namespace wfa
