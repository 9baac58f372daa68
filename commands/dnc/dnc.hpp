#pragma once
/// `wfa dnc`: do-not-call lists. A workspace keeps its own (numbers added by hand, imported, or by a call that ended
/// in an opt-out or a refusal); a partner and the platform keep lists of their own, such as a national registry
/// (the UAE's DNCR, the US national list) imported from its files. A number on any list that reaches a workspace is
/// never dialed from it.
#include <optional>
#include <string>
#include <vector>

#include "core/listing.hpp"

namespace wfa {

class Session;

/// DncScope names one list: --scope workspace (with --workspace), partner (with --partner) or platform.
struct DncScope {
  std::string scope = "workspace";
  std::optional<std::string> workspace;
  std::optional<std::string> partner;
};

struct DncAddOptions {
  DncScope list;
  std::vector<std::string> phones;
  std::optional<std::string> default_country;
  std::optional<std::string> note;
  std::string registry = "manual";  ///< partner and platform lists: the registry the numbers come from
  bool dry_run = false;
};

struct DncImportOptions {
  DncScope list;
  std::string file;
  std::optional<std::string> column;  ///< the phone column; default the first phone-like header
  std::optional<std::string> default_country;
  std::string registry = "import";
  std::string encoding = "auto";
  bool dry_run = false;
};

struct DncListOptions {
  DncScope list;
  std::optional<std::string> registry;
  Paging paging;
};

struct DncRemoveOptions {
  DncScope list;
  std::vector<std::string> phones;
  std::optional<std::string> default_country;
  bool dry_run = false;
};

struct DncCheckOptions {
  std::string phone;
  std::string workspace;
  std::optional<std::string> default_country;
};

Result run_dnc_add(const DncAddOptions& options, Session& session);
/// run_dnc_import loads a CSV file's numbers into one list with COPY, all or nothing: one bad number refuses the file.
Result run_dnc_import(const DncImportOptions& options, Session& session);
Result run_dnc_list(const DncListOptions& options, Session& session);
Result run_dnc_remove(const DncRemoveOptions& options, Session& session);
/// run_dnc_check says which lists that reach WORKSPACE hold PHONE (its own, its partner's, the platform's).
Result run_dnc_check(const DncCheckOptions& options, Session& session);

}  // namespace wfa
