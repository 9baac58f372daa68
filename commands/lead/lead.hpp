#pragma once
/// `wfa lead`: a workspace's leads, one per phone number (E.164), moved through the status pipeline
/// new → contacted → qualified → won | lost, owned by a member, with notes; created by hand, imported from CSV
/// or made from calls that need a follow-up or carry structured lead data.
#include <optional>
#include <string>
#include <vector>

#include "core/listing.hpp"
#include "commands/export/export.hpp"

namespace wfa {

class Session;

/// LeadFieldOptions are the fields create and update set; an unset field is left as it is.
struct LeadFieldOptions {
  std::optional<std::string> first_name;
  std::optional<std::string> last_name;
  std::optional<std::string> email;
  std::optional<std::string> company;
};

struct LeadCreateOptions {
  std::string phone;
  std::string workspace;  ///< id or PARTNER/SLUG
  LeadFieldOptions fields;
  std::optional<std::string> owner;            ///< e-mail or id of a member; default the acting user
  std::optional<std::string> default_country;  ///< ISO code for numbers without a country code
  bool dry_run = false;
};

struct LeadListOptions {
  std::string workspace;
  std::optional<std::string> status;
  std::optional<std::string> owner;  ///< e-mail or id
  Paging paging;
};

struct LeadShowOptions {
  std::string lead;  ///< id or phone number
  std::string workspace;
};

struct LeadUpdateOptions {
  std::string lead;
  std::string workspace;
  LeadFieldOptions fields;
  std::optional<std::string> status;
  bool dry_run = false;
};

struct LeadAssignOptions {
  std::string lead;
  std::string workspace;
  std::string owner;  ///< e-mail or id of a member
  bool dry_run = false;
};

struct LeadNoteOptions {
  std::string lead;
  std::string workspace;
  std::string text;
  bool dry_run = false;
};

struct LeadImportOptions {
  std::string file;
  std::string workspace;
  std::vector<std::string> map;
  std::vector<std::string> skip;
  std::optional<std::string> default_country;
  std::optional<std::string> owner;
  std::string encoding = "auto";
  bool dry_run = false;
};

/// LeadExportOptions: the export flags; --workspace is required.
struct LeadExportOptions : ExportOptions {};

Result run_lead_create(const LeadCreateOptions& options, Session& session);
Result run_lead_list(const LeadListOptions& options, Session& session);
Result run_lead_show(const LeadShowOptions& options, Session& session);
Result run_lead_update(const LeadUpdateOptions& options, Session& session);
Result run_lead_assign(const LeadAssignOptions& options, Session& session);
Result run_lead_note(const LeadNoteOptions& options, Session& session);
Result run_lead_import(const LeadImportOptions& options, Session& session);
/// run_lead_export writes the leads `lead list` would show the actor (crm:leads:export), oldest first.
Result run_lead_export(const LeadExportOptions& options, Session& session);

}  // namespace wfa
