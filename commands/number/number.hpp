#pragma once
/// `wfa number`: a workspace's phone numbers, each at one voice provider account (the workspace's integration): issued
/// by the provider in an area code, imported (Twilio, Vonage or Telnyx keys, or a BYO SIP trunk, credentials read from
/// a file or standard input and stored sealed), or adopted by the provider's id; routed to one agent for inbound
/// calls, and released. One number belongs to one workspace across the platform; max_phone_numbers caps a workspace.
#include <optional>
#include <string>

#include "core/listing.hpp"

namespace wfa {

class Session;

struct NumberListOptions {
  std::string workspace;  ///< id or PARTNER/SLUG
  std::optional<std::string> provider;
  std::optional<std::string> status;  ///< active (default) or released; "all" for both
  Paging paging;
};

struct NumberCreateOptions {
  std::string workspace;
  std::string provider;
  std::string area_code;
  bool dry_run = false;
};

struct NumberImportOptions {
  std::string workspace;
  std::string provider;
  std::string number;  ///< E.164 (or national to default_country)
  std::string source;  ///< twilio, vonage, telnyx or sip
  std::optional<std::string> termination_uri;
  std::optional<std::string> provider_workspace;  ///< Synthflow: the id of its workspace the number joins
  std::string credentials_file = "-";             ///< JSON object; "-" is standard input
  std::optional<std::string> default_country;
  bool dry_run = false;
};

struct NumberAdoptOptions {
  std::string workspace;
  std::string provider;
  std::string provider_id;  ///< VAPI's id, Retell's E.164 number, Synthflow's slug
  bool dry_run = false;
};

struct NumberAssignOptions {
  std::string workspace;
  std::string number;  ///< E.164, wfa's id or the provider's id
  std::string agent;   ///< assign: id or name
  bool dry_run = false;
};

struct NumberReleaseOptions {
  std::string workspace;
  std::string number;
  bool yes = false;
  bool dry_run = false;
};

Result run_number_list(const NumberListOptions& options, Session& session);
/// run_number_create asks the provider for a new number in an area code (VAPI, Retell; Synthflow is UsageError).
Result run_number_create(const NumberCreateOptions& options, Session& session);
/// run_number_import imports a number the workspace owns at a carrier or behind a SIP trunk; credentials sealed.
Result run_number_import(const NumberImportOptions& options, Session& session);
/// run_number_adopt takes over a number the workspace's provider account already has, by the provider's id.
Result run_number_adopt(const NumberAdoptOptions& options, Session& session);
/// run_number_assign routes the number's inbound calls to an agent of the same provider, at the provider too.
Result run_number_assign(const NumberAssignOptions& options, Session& session);
/// run_number_unassign stops routing the number's inbound calls to its agent.
Result run_number_unassign(const NumberAssignOptions& options, Session& session);
/// run_number_release deletes the number at the provider and marks it released, freeing it for any workspace.
Result run_number_release(const NumberReleaseOptions& options, Session& session);

}  // namespace wfa
