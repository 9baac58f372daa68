// `wfa audit archive` and `wfa audit partitions`: the audit log's monthly partitions, made ahead and retired to files.
#include <regex>

#include <nlohmann/json.hpp>
#include <pqxx/result>
#include <pqxx/transaction>

#include "commands/audit/audit.hpp"
#include "core/audited_mutation.hpp"
#include "core/copy_out.hpp"
#include "core/database.hpp"
#include "core/digest.hpp"
#include "core/file_io.hpp"
#include "core/session.hpp"
#include "commands/tenancy/actor.hpp"

namespace wfa {

namespace {

/// archive_path puts MONTH (YYYY-MM) into OUT: in place of "{month}", else before the extension.
std::string archive_path(const std::string& out, const std::string& month) {
  if (auto at = out.find("{month}"); at != std::string::npos) return out.substr(0, at) + month + out.substr(at + 7);
  std::filesystem::path path(out);
  auto stem = path.stem().string() + "-" + month;
  return (path.parent_path() / (stem + path.extension().string())).string();
}

/// require_owner refuses unless the session's database role owns audit_log: only the owner may drop its months.
void require_owner(pqxx::transaction_base& tx) {
  auto row = tx.exec(
      "SELECT pg_has_role(current_user, c.relowner, 'USAGE'), pg_get_userbyid(c.relowner), current_user"
      " FROM pg_class c WHERE c.oid = 'audit_log'::regclass")[0];
  if (!row[0].as<bool>())
    throw PermissionError("database role " + row[2].as<std::string>() + " does not own the audit log",
                          "run the archive connected as " + row[1].as<std::string>() + ", the audit log's owner");
}

/// closed_months are the partitions of months before BEFORE (YYYY-MM-01), oldest first.
pqxx::result closed_months(pqxx::transaction_base& tx, const std::string& before) {
  return tx.exec_params(
      "SELECT c.relname, to_char(to_date(substr(c.relname, 11), 'YYYY_MM'), 'YYYY-MM') AS month"
      " FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
      " WHERE i.inhparent = 'audit_log'::regclass AND c.relname ~ '^audit_log_[0-9]{4}_[0-9]{2}$'"
      "   AND to_date(substr(c.relname, 11), 'YYYY_MM') < $1::date ORDER BY 1",
      before);
}

}  // namespace

Result run_audit_archive(const AuditArchiveOptions& o, Session& session) {
  static const std::regex month_shape("[0-9]{4}-(0[1-9]|1[0-2])");
  if (!std::regex_match(o.before, month_shape))
    throw InvalidInputError(session.option("before") + " '" + o.before + "' is not a month",
                            "write it as YYYY-MM, e.g. 2026-01 to archive every month before January 2026");
  require_super_admin(session, "archive the audit log");
  // Detaching and dropping a month is the schema owner's right, not the verb role's.
  session.database().ready();
  auto& conn = session.database().owner();
  std::string before = o.before + "-01";
  pqxx::result months;
  {
    pqxx::work tx(conn);
    require_owner(tx);
    if (tx.exec_params("SELECT $1::date > date_trunc('month', now() AT TIME ZONE 'UTC')::date", before)[0][0]
            .as<bool>())
      throw InvalidInputError(session.option("before") + " " + o.before + " is after the current month",
                              "only closed months can be archived: give this month or an earlier one");
    tx.exec("SELECT wfa_audit_partitions_ahead(3)");
    // Rows of closed months that DEFAULT took (no partition existed yet) get their month's partition first.
    tx.exec_params(
        "SELECT wfa_audit_month_partition(m) FROM (SELECT DISTINCT date_trunc('month', created_at AT TIME ZONE 'UTC')"
        "::date AS m FROM audit_log_default WHERE created_at < ($1::date::timestamp AT TIME ZONE 'UTC')) x",
        before);
    months = closed_months(tx, before);
    if (o.dry_run) {
      Table table{"archives", {"month", "file", "sha256", "rows"}, {}};
      for (const auto& m : months)
        table.rows.push_back(
            {Cell(m[1].c_str()), Cell(archive_path(o.out, m[1].c_str())), Cell::null(),
             Cell(tx.exec("SELECT count(*) FROM " + tx.quote_name(m[0].c_str()))[0][0].as<std::int64_t>())});
      Result r;
      r.message = "dry run: would archive " + std::to_string(table.rows.size()) + " month(s); nothing changed";
      r.tables.push_back(std::move(table));
      return r;
    }
    tx.commit();
  }
  Table table{"archives", {"month", "file", "sha256", "rows"}, {}};
  for (const auto& month_row : months) {
    std::string partition = month_row[0].as<std::string>(), month = month_row[1].as<std::string>();
    auto file = archive_path(o.out, month);
    pqxx::work tx(conn);
    // No row may reach the month while it is written out and dropped.
    tx.exec("LOCK TABLE " + tx.quote_name(partition) + " IN SHARE MODE");
    auto rows = tx.exec("SELECT count(*) FROM " + tx.quote_name(partition))[0][0].as<std::int64_t>();
    AtomicFileWriter writer(file);
    DigestingStream digesting(writer.stream());
    auto copied = copy_out(tx,
                           "COPY (SELECT * FROM " + tx.quote_name(partition) +
                               " ORDER BY created_at, id) TO STDOUT WITH (FORMAT csv, HEADER)",
                           digesting);
    digesting.flush();
    writer.commit();
    auto written = digesting.hex();
    auto read_back = sha256_file(file);
    if (read_back != written || copied != rows)
      throw TemporaryError(
          "archive " + file + " of " + month + " does not read back as written; " + month + " was kept",
          "check the disk, then run the archive again");
    tx.exec_params(
        "INSERT INTO audit_archives (month, file, sha256, row_count, archived_by) VALUES ($1::date, $2, $3, $4, $5)",
        month + "-01", std::filesystem::absolute(file).string(), written, rows, session.actor());
    record_audit(tx, {session.actor(), "audit.archive", "audit_month", month, std::nullopt, std::nullopt, "", "",
                      nlohmann::json{{"file", file}, {"sha256", written}, {"rows", rows}}.dump()});
    tx.exec("ALTER TABLE audit_log DETACH PARTITION " + tx.quote_name(partition));
    tx.exec("DROP TABLE " + tx.quote_name(partition));
    tx.commit();
    table.rows.push_back({Cell(month), Cell(file), Cell(written), Cell(rows)});
  }
  Result r;
  auto n = std::to_string(table.rows.size());
  if (table.rows.empty())
    r.message = "no closed month before " + o.before + " is left to archive; nothing to do";
  else
    r.message = "archived " + n + " month(s) and dropped them from the audit log";
  r.tables.push_back(std::move(table));
  return r;
}

Result run_audit_partitions(const AuditPartitionsOptions& o, Session& session) {
  if (o.ahead < 0 || o.ahead > 120)
    throw InvalidInputError(session.option("ahead") + " " + std::to_string(o.ahead) + " is out of range",
                            "give 0 to 120 months");
  pqxx::work tx(session.database().ready());
  require_super_admin(actor_of(tx, session), "make audit partitions");
  auto made = tx.exec_params("SELECT wfa_audit_partitions_ahead($1)", o.ahead)[0][0].as<std::int64_t>();
  auto parts = tx.exec(
      "SELECT c.relname AS partition, pg_get_expr(c.relpartbound, c.oid) AS bounds FROM pg_inherits i"
      " JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'audit_log'::regclass ORDER BY 1");
  Result r;
  r.tables.push_back(Table{"partitions", {"partition", "bounds"}, {}});
  for (const auto& p : parts) r.tables.back().rows.push_back({Cell(p[0].c_str()), Cell(p[1].c_str())});
  std::string what = std::to_string(made) + " monthly partition(s) of the audit log";
  if (o.dry_run) {
    tx.abort();
    r.message = "dry run: would make " + what + "; nothing changed";
    return r;
  }
  tx.commit();
  r.message = made == 0 ? "every month up to " + std::to_string(o.ahead) + " ahead has its partition; nothing to do"
                        : "made " + what;
  return r;
}

}  // namespace wfa
