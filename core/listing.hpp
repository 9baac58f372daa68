#pragma once
/// Every list verb pages the same way: keyset pages (`--limit`, `--after CURSOR`), `--all` streamed from a
/// server-side cursor, and a total only when asked (`--count`). No OFFSET, no count(*) OVER ().
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"

#include "core/pqxx_fwd.hpp"

namespace wfa {

class Session;

/// Paging is the part of a list verb's options its flags fill (see add_paging in cli/command_cli.hpp).
struct Paging {
  static constexpr long default_limit = 100;
  long limit = default_limit;        ///< rows per page; 0 = every row, as --all
  bool all = false;                  ///< stream every row from the cursor on
  std::optional<std::string> after;  ///< the opaque next_cursor of an earlier page of the same list
  bool count = false;                ///< answer only how many rows match
};

/// SortKey is one column of a list's total order. The keys together must be unique and never NULL.
struct SortKey {
  std::string expression;  ///< SQL over the FROM clause, e.g. "w.created_at"
  std::string type;        ///< the SQL type the cursor's text casts back to, e.g. "timestamptz"
  bool descending = false;
};

/// ListQuery describes one list: what to select, from where, filtered how, in which total order.
class ListQuery {
 public:
  /// VERB names the list in cursors and hints ("workspace list"); TABLE is the JSON array's name.
  ListQuery(std::string verb, std::string table);

  /// select and from may hold "?" parameters too, bound to VALUES in order (a scope name, a subquery's filter).
  ListQuery& select(std::string columns, std::vector<std::optional<std::string>> values = {});
  ListQuery& from(std::string from_clause, std::vector<std::optional<std::string>> values = {});
  /// where adds a condition; each "?" in it is a parameter bound to VALUE. A filter that is not set passes nullopt
  /// and is skipped, so every query the planner sees names only the filters in use (and their indexes).
  ListQuery& where(const std::string& condition, std::optional<std::string> value);
  ListQuery& where(const std::string& condition);
  ListQuery& order_by(std::vector<SortKey> keys);
  /// The last N selected columns are for programs (ids, raw minor units): JSON shows them, text formats do not.
  ListQuery& machine_columns(std::size_t n);
  /// shape names the output columns and converts each fetched row to them, for cells computed in C++ (amounts
  /// formatted in major units); without it the selected columns are the output.
  ListQuery& shape(std::vector<std::string> columns, std::function<Row(const pqxx::row&)> convert);
  /// The message when the list is empty, e.g. "no workspaces".
  ListQuery& when_empty(std::string message);

  const std::string& verb() const { return verb_; }
  const std::string& table() const { return table_; }

  /// sql is the SELECT for one page: the selected columns, then the sort keys as _k0.._kN, keyset-filtered
  /// after CURSOR_VALUES when given, LIMIT when LIMIT > 0. Parameters are appended to PARAMS.
  std::string sql(const std::vector<std::string>* cursor_values, long limit,
                  std::vector<std::optional<std::string>>& params) const;
  /// copy_sql is the whole list as one SELECT for COPY, which binds no parameters: the selected columns only (no sort
  /// keys, no LIMIT) in the sort order, every value quoted by TX as a literal.
  std::string copy_sql(pqxx::transaction_base& tx) const;
  /// count_sql counts the rows every filter admits.
  std::string count_sql(std::vector<std::optional<std::string>>& params) const;
  /// identity is what a cursor binds to: the verb and every filter with its value.
  std::string identity() const;
  std::size_t key_count() const { return keys_.size(); }
  std::size_t machine_column_count() const { return machine_columns_; }
  const std::string& empty_message() const { return empty_message_; }
  const std::vector<std::string>& shaped_columns() const { return shaped_columns_; }
  /// columns_of names the output columns of fetched ROWS: the selected ones (sort keys dropped) or shape()'s.
  std::vector<std::string> columns_of(const pqxx::result& rows) const;
  /// row converts a fetched row to output cells (the selected fields before the sort keys, or through shape()).
  Row row(const pqxx::row& fetched) const;
  /// key_of is the text of a fetched row's sort keys, what a cursor holds.
  std::vector<std::string> key_of(const pqxx::row& fetched) const;

 private:
  std::string where_sql(std::vector<std::optional<std::string>>& params) const;

  std::string verb_, table_, select_, from_, empty_message_;
  std::vector<std::optional<std::string>> select_values_, from_values_;
  std::vector<std::pair<std::string, std::optional<std::string>>> conditions_;
  std::vector<SortKey> keys_;
  std::size_t machine_columns_ = 0;
  std::vector<std::string> shaped_columns_;
  std::function<Row(const pqxx::row&)> convert_;
};

/// list_rows answers one page of QUERY (or every row, or the count) as a Result whose table streams from a
/// server-side cursor inside TX; the Result keeps TX open until the front end has rendered it.
/// A malformed cursor, or one from another list or other filters, is invalid input naming --after.
Result list_rows(std::shared_ptr<pqxx::dbtransaction> tx, const ListQuery& query, const Paging& paging,
                 Session& session);

/// query_table runs QUERY whole, without a cursor: for a show verb that shares a list's columns (one row by id).
Table query_table(pqxx::transaction_base& tx, const ListQuery& query);

/// contains_pattern is the LIKE pattern that finds TEXT anywhere, LIKE's own wildcards in it matching themselves.
std::string contains_pattern(const std::string& text);

/// list_transaction opens the read-only transaction a list verb looks up its filters in and then streams from.
std::shared_ptr<pqxx::dbtransaction> list_transaction(Session& session);

}  // namespace wfa
