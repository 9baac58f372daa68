#pragma once
/// What every `wfa export` verb shares: the columns and their kinds, the format and the output, --since/--until, and
/// the engine that streams the rows with COPY into CSV, JSON, NDJSON or an XLSX workbook.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/listing.hpp"
#include "core/pqxx_fwd.hpp"
#include "core/result.hpp"
#include "core/validation.hpp"
#include "commands/tenancy/tenancy_lookup.hpp"

namespace wfa {

class Session;
struct ExportOptions;

inline const Choices export_formats = {"xlsx", "csv", "json", "ndjson"};

/// ExportKind is what a column holds, which decides its cells in each format.
enum class ExportKind {
  uuid,     ///< a uuid: its 16 bytes formatted by wfa
  code,     ///< slugs, statuses, codes: text no one typed, never formula-guarded
  text,     ///< free text (names, summaries, phone numbers): formula-guarded in CSV
  integer,  ///< a number of things
  money,    ///< an amount in minor units, shown in major units with its currency's decimals
  time,     ///< timestamptz: RFC 3339 UTC with milliseconds, an Excel date-time in XLSX
  date,     ///< date: YYYY-MM-DD, an Excel date in XLSX
  boolean,
  json,  ///< jsonb: embedded in JSON, its text elsewhere
};

/// ExportColumn is one column: its name (the header, the JSON key), its SQL over the export's FROM clause and kind.
struct ExportColumn {
  std::string name;
  std::string sql;
  ExportKind kind = ExportKind::code;
  std::string exponent = "0";  ///< money: the decimal exponent of the minor unit (a number, or SQL per row)
  int max_decimals = 6;        ///< money: shown with min(exponent, max_decimals) decimals
};

/// ExportPlan is one export: its columns and its rows (a ListQuery with the FROM clause, the filters and the order;
/// its select is set per format), and what its job's payload needs.
struct ExportPlan {
  std::string noun;    ///< what a row is, for messages: "call"
  std::string plural;  ///< "calls"
  std::string sheet;   ///< the XLSX sheet's name, e.g. "Calls"
  std::vector<ExportColumn> columns;
  ListQuery rows;
  std::string verb{};  ///< the export: calls, usage, recipients, proposals, audit or invoices
  std::vector<std::pair<std::string, std::optional<std::string>>> own{};  ///< the verb's own options (partner, …)
};

/// ExportTarget is the format and the output, checked before anything is read.
struct ExportTarget {
  std::string format;
  std::string out;
  bool to_stdout() const { return out == "-"; }
};

/// export_target checks O's format (default: --out's extension) and output: none, an unknown format and XLSX to
/// standard output are UsageError (2).
ExportTarget export_target(const ExportOptions& o, Session& session);

/// export_transaction is the read-only transaction an export checks rights in and streams from, in UTC.
std::shared_ptr<pqxx::dbtransaction> export_transaction(Session& session);

/// ExportWindow is --since and --until as RFC 3339 UTC instants.
struct ExportWindow {
  std::optional<std::string> since, until;
};
/// export_window reads O's --since and --until (RFC 3339 or YYYY-MM-DD, UTC when no offset is given): a value that
/// is no time, or a since not before until, is InvalidInputError (6).
ExportWindow export_window(pqxx::dbtransaction& tx, Session& session, const ExportOptions& o);
/// within adds the window to QUERY as COLUMN >= since and COLUMN < until.
void within(ListQuery& query, const ExportWindow& window, const std::string& column);

/// workspace_scope limits ROWS to O's workspace (the uuid expression COLUMN) when one is given, after requiring
/// PERMISSION there; without one, exporting every workspace's rows (WHAT, e.g. "export every workspace's calls") is
/// for super admins, unless SCOPED says another filter (a campaign) chose the workspace. Returns the workspace given.
std::optional<WorkspaceRef> workspace_scope(pqxx::dbtransaction& tx, Session& session, const ExportOptions& o,
                                            ListQuery& rows, const std::string& column, std::string_view permission,
                                            const std::string& what, bool scoped = false);

/// run_export streams PLAN's rows in TARGET's format: to a temporary file renamed over the output once complete,
/// or to standard output through Result::stream. A progress display counts the rows; an interruption (130) leaves
/// no file. With O's enqueue it enqueues PLAN's export job instead (enqueue_export).
Result run_export(std::shared_ptr<pqxx::dbtransaction> tx, ExportPlan plan, const ExportTarget& target,
                  const ExportOptions& o, Session& session);

}  // namespace wfa
