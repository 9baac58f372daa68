// Flags of `wfa lead`.
#include "cli/command_cli.hpp"
#include "cli/command_tree.hpp"
#include "commands/campaign/recipient_flags_cli.hpp"
#include "commands/export/export_flags_cli.hpp"
#include "commands/lead/lead.hpp"
#include "commands/lead/lead_rules.hpp"

namespace wfa {

namespace {

const char* const workspace_help = "Workspace: id or PARTNER/SLUG, e.g. acme/main";
const char* const lead_help = "Lead: its id or its phone number (E.164, e.g. +971501234567)";

void add_fields(CLI::App* command, LeadFieldOptions& f) {
  command->add_option("--first-name", f.first_name, "First name");
  command->add_option("--last-name", f.last_name, "Last name");
  command->add_option("--email", f.email, "E-mail address");
  command->add_option("--company", f.company, "Company");
}

void register_changes(CLI::App* lead, Dispatch& dispatch) {
  auto update_o = std::make_shared<LeadUpdateOptions>();
  auto* update = lead->add_subcommand("update", "Change a lead's fields or move it along the status pipeline");
  update->add_option("LEAD", update_o->lead, lead_help)->required();
  update->add_option("--workspace", update_o->workspace, workspace_help)->required();
  add_fields(update, update_o->fields);
  update->add_option("--status", update_o->status, "new, contacted, qualified, won or lost (only allowed moves)")
      ->check(CLI::IsMember(lead_statuses));
  update->add_flag("--dry-run", update_o->dry_run, "Show the lead as it would be; change nothing");
  on_run(update, dispatch, [update_o](Session& session) { return run_lead_update(*update_o, session); });

  auto assign_o = std::make_shared<LeadAssignOptions>();
  auto* assign = lead->add_subcommand("assign", "Make a member the lead's owner");
  assign->add_option("LEAD", assign_o->lead, lead_help)->required();
  assign->add_option("--workspace", assign_o->workspace, workspace_help)->required();
  assign->add_option("--owner", assign_o->owner, "The new owner: e-mail or id of a member")->required();
  assign->add_flag("--dry-run", assign_o->dry_run, "Show the lead as it would be; change nothing");
  on_run(assign, dispatch, [assign_o](Session& session) { return run_lead_assign(*assign_o, session); });

  auto note_o = std::make_shared<LeadNoteOptions>();
  auto* note = lead->add_subcommand("note", "Add a note to a lead");
  note->add_option("LEAD", note_o->lead, lead_help)->required();
  note->add_option("TEXT", note_o->text, "The note, at most 4000 characters")->required();
  note->add_option("--workspace", note_o->workspace, workspace_help)->required();
  note->add_flag("--dry-run", note_o->dry_run, "Check the note; change nothing");
  on_run(note, dispatch, [note_o](Session& session) { return run_lead_note(*note_o, session); });
}

void register_import(CLI::App* lead, Dispatch& dispatch) {
  auto o = std::make_shared<LeadImportOptions>();
  auto* import = lead->add_subcommand("import", "Create or update leads from a CSV file, by phone (all-or-nothing)");
  import->add_option("FILE", o->file, "CSV file with a header row")->required();
  import->add_option("--workspace", o->workspace, workspace_help)->required();
  add_recipient_column_flags(import, o->map, o->skip, o->default_country);
  import->add_option("--owner", o->owner, "Owner of the new leads: e-mail or id of a member (default: you)");
  add_encoding_flag(import, o->encoding);
  import->add_flag("--dry-run", o->dry_run, "Validate and count; import nothing");
  on_run(import, dispatch, [o](Session& session) { return run_lead_import(*o, session); });

  auto export_o = std::make_shared<LeadExportOptions>();
  auto* exp = lead->add_subcommand("export", "Write the leads you may see to XLSX, CSV or JSON, oldest first");
  add_export_flags(exp, *export_o, "leads created");
  exp->get_option("--workspace")->required();
  on_run(exp, dispatch, [export_o](Session& session) { return run_lead_export(*export_o, session); });
}

}  // namespace

void register_lead(CLI::App& root, Dispatch& dispatch) {
  auto* lead = root.add_subcommand("lead", "Manage a workspace's leads: status pipeline, owners, notes, CSV import");
  lead->require_subcommand(1);

  auto create_o = std::make_shared<LeadCreateOptions>();
  auto* create = lead->add_subcommand("create", "Create a lead (one per phone number in a workspace)");
  create->add_option("PHONE", create_o->phone, "Phone number, with its country code or --default-country")->required();
  create->add_option("--workspace", create_o->workspace, workspace_help)->required();
  add_fields(create, create_o->fields);
  create->add_option("--owner", create_o->owner, "Owner: e-mail or id of a member (default: you)");
  create->add_option("--default-country", create_o->default_country,
                     "Country of a number without a country code (ISO code, e.g. AE)");
  create->add_flag("--dry-run", create_o->dry_run, "Show the lead; create nothing");
  on_run(create, dispatch, [create_o](Session& session) { return run_lead_create(*create_o, session); });

  auto list_o = std::make_shared<LeadListOptions>();
  auto* list = lead->add_subcommand("list", "List the leads you may see, oldest first");
  list->add_option("--workspace", list_o->workspace, workspace_help)->required();
  list->add_option("--status", list_o->status, "Only leads with this status")->check(CLI::IsMember(lead_statuses));
  list->add_option("--owner", list_o->owner, "Only leads of this owner: e-mail or id");
  add_paging(list, list_o->paging);
  on_run(list, dispatch, [list_o](Session& session) { return run_lead_list(*list_o, session); });

  auto show_o = std::make_shared<LeadShowOptions>();
  auto* show = lead->add_subcommand("show", "Show a lead and its notes");
  show->add_option("LEAD", show_o->lead, lead_help)->required();
  show->add_option("--workspace", show_o->workspace, workspace_help)->required();
  on_run(show, dispatch, [show_o](Session& session) { return run_lead_show(*show_o, session); });

  register_changes(lead, dispatch);
  register_import(lead, dispatch);
}

}  // namespace wfa
