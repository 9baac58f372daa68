#include "core/listing.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "core/base64url.hpp"
#include "core/database.hpp"
#include "core/digest.hpp"
#include "core/json_input.hpp"
#include "core/rows.hpp"
#include "core/session.hpp"

namespace wfa {

namespace {

/// The first page comes back quickly; later fetches are larger so a long stream costs few round trips.
constexpr long first_fetch = 100, later_fetch = 2000;
/// A page this small is read by one plain query: no cursor to declare and close.
constexpr long direct_page = 1000;
constexpr const char* cursor_name = "wfa_list";
/// A cursor is the last row's sort key; one longer than this was not printed by a list.
constexpr std::size_t max_cursor_bytes = 64u << 10;

/// numbered replaces each "?" in CONDITION with the next parameter number.
std::string numbered(const std::string& condition, std::size_t& next) {
  std::string out;
  for (char c : condition) {
    if (c == '?')
      out += "$" + std::to_string(++next);
    else
      out += c;
  }
  return out;
}

std::string cursor_binding(const ListQuery& query) { return sha256_hex(query.identity()).substr(0, 16); }

std::string encode_cursor(const ListQuery& query, const std::vector<std::string>& values) {
  nlohmann::json array = nlohmann::json::array({cursor_binding(query)});
  for (const auto& v : values) array.push_back(v);
  return base64url_encode(array.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

/// decode_cursor returns the sort-key values of TEXT, or throws invalid input when it is not a cursor of QUERY.
std::vector<std::string> decode_cursor(const ListQuery& query, const std::string& text, Session& session) {
  auto fail = [&](const std::string& why) -> InvalidInputError {
    return InvalidInputError(
        session.option("after") + " '" + (text.size() > 40 ? text.substr(0, 40) + "…" : text) + "' " + why,
        "pass the next_cursor an earlier page of `wfa " + query.verb() + "` printed, with the same filters, or drop " +
            session.option("after"));
  };
  auto raw = base64url_decode(text);
  if (!raw) throw fail("is not a cursor");
  nlohmann::json array;
  try {
    array = parse_json_input(*raw, "cursor", session.option("after"), max_cursor_bytes, "");
  } catch (const InvalidInputError&) {
    throw fail("is not a cursor");
  }
  if (!array.is_array() || array.empty()) throw fail("is not a cursor");
  for (const auto& v : array)
    if (!v.is_string()) throw fail("is not a cursor");
  if (array[0].get<std::string>() != cursor_binding(query) || array.size() != query.key_count() + 1)
    throw fail("belongs to another list or to other filters");
  std::vector<std::string> values;
  for (std::size_t i = 1; i < array.size(); ++i) values.push_back(array[i].get<std::string>());
  return values;
}

/// CursorStream fetches a page from the server-side cursor in batches, holding back the row past the page to know
/// whether another page follows.
/// PageEnd is the stream of a page read whole: no more rows, only the cursor of the page after it.
class PageEnd : public RowStream {
 public:
  explicit PageEnd(std::string next_cursor) : next_cursor_(std::move(next_cursor)) {}
  bool next(std::vector<Row>& batch) override {
    batch.clear();
    return false;
  }
  std::string next_cursor() const override { return next_cursor_; }

 private:
  std::string next_cursor_;
};

class CursorStream : public RowStream {
 public:
  CursorStream(std::shared_ptr<pqxx::dbtransaction> tx, const ListQuery& query, long limit)
      : tx_(std::move(tx)), query_(query), limit_(limit) {}

  bool next(std::vector<Row>& batch) override { return fetch(later_fetch, batch); }
  std::string next_cursor() const override { return next_cursor_; }
  const std::vector<std::string>& column_names() const { return names_; }

  /// fetch moves up to COUNT rows from the server into BATCH; false when none came. The first call also learns
  /// the column names.
  bool fetch(long count, std::vector<Row>& batch) {
    batch.clear();
    if (done_) return false;
    auto rows = tx_->exec("FETCH " + std::to_string(count) + " FROM " + cursor_name);
    if (names_.empty()) names_ = query_.columns_of(rows);
    for (const auto& row : rows) {
      if (limit_ > 0 && emitted_ == limit_) {
        next_cursor_ = encode_cursor(query_, last_keys_);
        finish();
        return !batch.empty();
      }
      batch.push_back(query_.row(row));
      last_keys_ = query_.key_of(row);
      ++emitted_;
    }
    if (static_cast<long>(rows.size()) < count) finish();
    return !batch.empty();
  }

 private:
  /// The cursor closes with its transaction; no round trip is spent on CLOSE.
  void finish() { done_ = true; }

  std::shared_ptr<pqxx::dbtransaction> tx_;
  ListQuery query_;
  long limit_;
  std::vector<std::string> names_;
  long emitted_ = 0;
  bool done_ = false;
  std::vector<std::string> last_keys_;
  std::string next_cursor_;
};

}  // namespace

ListQuery::ListQuery(std::string verb, std::string table) : verb_(std::move(verb)), table_(std::move(table)) {
  empty_message_ = "no " + table_;
}

ListQuery& ListQuery::select(std::string columns, std::vector<std::optional<std::string>> values) {
  select_ = std::move(columns);
  select_values_ = std::move(values);
  return *this;
}

ListQuery& ListQuery::from(std::string from_clause, std::vector<std::optional<std::string>> values) {
  from_ = std::move(from_clause);
  from_values_ = std::move(values);
  return *this;
}

ListQuery& ListQuery::where(const std::string& condition, std::optional<std::string> value) {
  if (value) conditions_.emplace_back(condition, std::move(value));
  return *this;
}

ListQuery& ListQuery::where(const std::string& condition) {
  conditions_.emplace_back(condition, std::nullopt);
  return *this;
}

ListQuery& ListQuery::order_by(std::vector<SortKey> keys) {
  keys_ = std::move(keys);
  return *this;
}

ListQuery& ListQuery::machine_columns(std::size_t n) {
  machine_columns_ = n;
  return *this;
}

ListQuery& ListQuery::shape(std::vector<std::string> columns, std::function<Row(const pqxx::row&)> convert) {
  shaped_columns_ = std::move(columns);
  convert_ = std::move(convert);
  return *this;
}

std::vector<std::string> ListQuery::columns_of(const pqxx::result& rows) const {
  if (!shaped_columns_.empty()) return shaped_columns_;
  std::vector<std::string> names;
  auto selected = rows.columns() - static_cast<pqxx::row::size_type>(keys_.size());
  for (pqxx::row::size_type c = 0; c < selected; ++c) names.emplace_back(rows.column_name(c));
  return names;
}

Row ListQuery::row(const pqxx::row& fetched) const {
  return convert_ ? convert_(fetched) : to_row(fetched, fetched.size() - keys_.size());
}

std::vector<std::string> ListQuery::key_of(const pqxx::row& fetched) const {
  std::vector<std::string> key;
  auto first = fetched.size() - static_cast<pqxx::row::size_type>(keys_.size());
  for (auto k = first; k < fetched.size(); ++k) key.emplace_back(fetched[k].c_str());
  return key;
}

ListQuery& ListQuery::when_empty(std::string message) {
  empty_message_ = std::move(message);
  return *this;
}

std::string ListQuery::where_sql(std::vector<std::optional<std::string>>& params) const {
  std::string sql;
  for (const auto& [condition, value] : conditions_) {
    std::size_t next = params.size();
    sql += (sql.empty() ? " WHERE (" : " AND (") + numbered(condition, next) + ")";
    for (std::size_t i = params.size(); i < next; ++i) params.push_back(value);
  }
  return sql;
}

std::string ListQuery::sql(const std::vector<std::string>* cursor_values, long limit,
                           std::vector<std::optional<std::string>>& params) const {
  std::size_t next = params.size();
  std::string sql = "SELECT " + numbered(select_, next);
  params.insert(params.end(), select_values_.begin(), select_values_.end());
  for (std::size_t k = 0; k < keys_.size(); ++k) sql += ", " + keys_[k].expression + " AS _k" + std::to_string(k);
  sql += " FROM " + numbered(from_, next);
  params.insert(params.end(), from_values_.begin(), from_values_.end());
  sql += where_sql(params);
  if (cursor_values) {
    // Keys in one direction compare as a row, which an index on them serves; mixed directions expand to
    // (a after x) OR (a = x AND b after y) ...
    bool uniform = true;
    for (const auto& key : keys_) uniform = uniform && key.descending == keys_.front().descending;
    std::vector<std::string> values;
    for (std::size_t k = 0; k < keys_.size(); ++k) {
      params.emplace_back((*cursor_values)[k]);
      values.push_back("$" + std::to_string(params.size()) + "::" + keys_[k].type);
    }
    std::string keyset;
    if (uniform) {
      std::string left, right;
      for (std::size_t k = 0; k < keys_.size(); ++k) {
        left += (k ? ", " : "") + keys_[k].expression;
        right += (k ? ", " : "") + values[k];
      }
      keyset = "ROW(" + left + ") " + (keys_.front().descending ? "<" : ">") + " ROW(" + right + ")";
    } else {
      for (std::size_t k = 0; k < keys_.size(); ++k) {
        std::string term;
        for (std::size_t j = 0; j < k; ++j) term += keys_[j].expression + " = " + values[j] + " AND ";
        term += keys_[k].expression + (keys_[k].descending ? " < " : " > ") + values[k];
        keyset += (k ? " OR (" : "(") + term + ")";
      }
    }
    // The leading key's bound alone lets an index (or the outer side of a join) start at the cursor.
    if (keys_.size() > 1)
      keyset += ") AND (" + keys_[0].expression + (keys_[0].descending ? " <= " : " >= ") + values[0];
    sql += (sql.find(" WHERE (") == std::string::npos ? " WHERE (" : " AND (") + keyset + ")";
  }
  sql += " ORDER BY ";
  for (std::size_t k = 0; k < keys_.size(); ++k)
    sql += (k ? ", " : "") + keys_[k].expression + (keys_[k].descending ? " DESC" : "");
  if (limit > 0) sql += " LIMIT " + std::to_string(limit + 1);
  return sql;
}

std::string ListQuery::copy_sql(pqxx::transaction_base& tx) const {
  auto literal = [&tx](const std::string& text, const std::vector<std::optional<std::string>>& values,
                       std::size_t& next) {
    std::string out;
    for (char c : text) {
      if (c != '?') {
        out += c;
        continue;
      }
      const auto& value = values.at(next++);
      out += value ? tx.quote(*value) : "NULL";
    }
    return out;
  };
  std::size_t next = 0;
  std::string sql = "SELECT " + literal(select_, select_values_, next);
  next = 0;
  sql += " FROM " + literal(from_, from_values_, next);
  std::string where;
  for (const auto& [condition, value] : conditions_) {
    std::size_t count = static_cast<std::size_t>(std::count(condition.begin(), condition.end(), '?'));
    std::vector<std::optional<std::string>> values(count, value);
    next = 0;
    where += (where.empty() ? " WHERE (" : " AND (") + literal(condition, values, next) + ")";
  }
  sql += where + " ORDER BY ";
  for (std::size_t k = 0; k < keys_.size(); ++k)
    sql += (k ? ", " : "") + keys_[k].expression + (keys_[k].descending ? " DESC" : "");
  return sql;
}

std::string ListQuery::count_sql(std::vector<std::optional<std::string>>& params) const {
  std::size_t next = params.size();
  std::string sql = "SELECT count(*) FROM " + numbered(from_, next);
  params.insert(params.end(), from_values_.begin(), from_values_.end());
  return sql + where_sql(params);
}

std::string ListQuery::identity() const {
  std::string id = verb_;
  for (const auto& values : {select_values_, from_values_})
    for (const auto& value : values) id += '\x1f' + value.value_or("");
  for (const auto& [condition, value] : conditions_) id += '\x1f' + condition + '\x1e' + value.value_or("");
  for (const auto& key : keys_) id += '\x1f' + key.expression + (key.descending ? " desc" : "");
  return id;
}

Table query_table(pqxx::transaction_base& tx, const ListQuery& query) {
  std::vector<std::optional<std::string>> params;
  auto sql = query.sql(nullptr, 0, params);
  auto rows = tx.exec_params(sql, pqxx::prepare::make_dynamic_params(params));
  Table table;
  table.name = query.table();
  table.machine_columns = query.machine_column_count();
  table.columns = query.columns_of(rows);
  for (const auto& row : rows) table.rows.push_back(query.row(row));
  return table;
}

std::shared_ptr<pqxx::dbtransaction> list_transaction(Session& session) {
  return std::make_shared<pqxx::read_transaction>(session.read_database().ready());
}

Result list_rows(std::shared_ptr<pqxx::dbtransaction> tx, const ListQuery& query, const Paging& paging,
                 Session& session) {
  if (paging.limit < 0)
    throw InvalidInputError(session.option("limit") + " " + std::to_string(paging.limit) + " is negative",
                            "give the rows per page, or 0 (as " + session.option("all") + ") for every row");
  std::vector<std::optional<std::string>> params;
  Result r;
  if (paging.count) {
    auto sql = query.count_sql(params);
    auto total = tx->exec_params(sql, pqxx::prepare::make_dynamic_params(params))[0][0].as<std::int64_t>();
    r.fields = {{"count", Cell(total)}};
    r.message = std::to_string(total) + " " + query.table();
    return r;
  }
  std::optional<std::vector<std::string>> after;
  if (paging.after) after = decode_cursor(query, *paging.after, session);
  long limit = paging.all ? 0 : paging.limit;
  auto sql = query.sql(after ? &*after : nullptr, limit, params);
  Table table;
  table.name = query.table();
  table.machine_columns = query.machine_column_count();
  if (limit > 0 && limit <= direct_page) {
    auto rows = tx->exec_params(sql, pqxx::prepare::make_dynamic_params(params));
    table.columns = query.columns_of(rows);
    // The query asked for one row past the page: its presence says another page follows.
    auto shown = std::min<std::size_t>(rows.size(), static_cast<std::size_t>(limit));
    for (std::size_t i = 0; i < shown; ++i) table.rows.push_back(query.row(rows[static_cast<int>(i)]));
    std::string next;
    if (rows.size() > shown) next = encode_cursor(query, query.key_of(rows[static_cast<int>(shown) - 1]));
    table.more = std::make_shared<PageEnd>(next);
    if (table.rows.empty() && !after) r.message = query.empty_message();
    r.tables.push_back(std::move(table));
    return r;
  }
  tx->exec_params(std::string("DECLARE ") + cursor_name + " NO SCROLL CURSOR FOR " + sql,
                  pqxx::prepare::make_dynamic_params(params));
  auto stream = std::make_shared<CursorStream>(tx, query, limit);
  stream->fetch(limit > 0 ? std::min(limit + 1, first_fetch) : first_fetch, table.rows);
  table.columns = stream->column_names();
  table.more = stream;
  if (table.rows.empty() && !after) r.message = query.empty_message();
  r.tables.push_back(std::move(table));
  return r;
}

std::string contains_pattern(const std::string& text) {
  std::string pattern = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') pattern += '\\';
    pattern += c;
  }
  return pattern + "%";
}

}  // namespace wfa
