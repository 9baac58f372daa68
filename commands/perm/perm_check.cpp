// `wfa perm check`: one question, or a batch of them answered in one process by one engine.
#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

#include <pqxx/transaction>

#include "core/session.hpp"
#include "core/database.hpp"
#include "commands/perm/perm.hpp"
#include "commands/perm/perm_engine.hpp"
#include "commands/tenancy/actor.hpp"
#include "commands/tenancy/permission_match.hpp"

namespace wfa {

namespace {

/// Question is one check as given: USER PERMISSION [TYPE:ID], from the command line or line LINE of a batch.
struct Question {
  std::string user;
  std::string permission;
  std::optional<RecordRef> record;
  long line = 0;
};

const std::vector<std::string> answer_columns = {"user", "user_id", "permission", "record", "allowed", "decision"};
const std::vector<std::string> explain_columns = {"required_level", "decided_by", "source",
                                                  "grant",          "expires_at", "reason"};

Cell text_or_null(const std::string& s) { return s.empty() ? Cell::null() : Cell(s); }

/// answer_cells is one answer in the order of answer_columns (+ explain_columns with EXPLAIN).
Row answer_cells(const Question& q, const PermUser& user, const Decision& d, bool explain) {
  Row row = {Cell(user.email),   Cell(user.id),
             Cell(q.permission), q.record ? Cell(q.record->text()) : Cell::null(),
             Cell(d.allowed),    Cell(d.allowed ? "allowed" : "denied")};
  if (explain) {
    row.push_back(q.record ? Cell(std::string(level_name(required_level(q.permission)))) : Cell::null());
    for (const auto* s : {&d.decided_by, &d.source, &d.grant}) row.push_back(text_or_null(*s));
    row.push_back(d.expires_at.empty() ? Cell::null() : Cell::time(d.expires_at));
    row.push_back(Cell(d.reason));
  }
  return row;
}

/// check_question refuses a malformed permission or record (exit 6), naming WHERE.
Question check_question(std::string user, std::string permission, const std::optional<std::string>& record,
                        const std::string& where, const Session& session) {
  if (!is_well_formed_permission(permission, false))
    throw InvalidInputError(
        where + "permission '" + permission + "' is malformed",
        "ask about a concrete module:resource:action of lowercase names; wildcards belong in grants only");
  Question q{std::move(user), std::move(permission), std::nullopt, 0};
  if (record) q.record = parse_record(where.empty() ? session.option("record") : where + "record", *record);
  return q;
}

std::vector<Question> read_batch(const std::string& path, const Session& session) {
  std::ifstream in(path);
  if (!in)
    throw InvalidInputError("cannot read the batch file " + path,
                            "give a readable file of USER PERMISSION [TYPE:ID] lines");
  std::vector<Question> out;
  std::string text;
  for (long line = 1; std::getline(in, text); ++line) {
    std::istringstream words(text);
    std::vector<std::string> parts;
    for (std::string w; words >> w;) parts.push_back(w);
    if (parts.empty() || parts[0][0] == '#') continue;
    std::string where = path + ":" + std::to_string(line) + ": ";
    if (parts.size() < 2 || parts.size() > 3)
      throw InvalidInputError(
          where + "expected USER PERMISSION [TYPE:ID], found " + std::to_string(parts.size()) + " words",
          "one check per line; # starts a comment");
    auto q = check_question(parts[0], parts[1], parts.size() == 3 ? std::optional<std::string>(parts[2]) : std::nullopt,
                            where, session);
    q.line = line;
    out.push_back(std::move(q));
  }
  return out;
}

}  // namespace

Result run_perm_check(const PermCheckOptions& o, Session& session) {
  bool batch = o.batch.has_value();
  if (batch && (!o.user.empty() || !o.permission.empty() || o.record))
    throw UsageError(session.option("batch") + " takes its checks from the file",
                     "give either USER PERMISSION [--record R] or --batch FILE");
  if (!batch && (o.user.empty() || o.permission.empty()))
    throw UsageError("a permission check needs USER and PERMISSION",
                     "e.g. wfa perm check bob@example.com workspace:leads:read --workspace acme/main");
  auto questions = batch ? read_batch(*o.batch, session)
                         : std::vector<Question>{check_question(o.user, o.permission, o.record, "", session)};

  auto& conn = session.read_database().ready();
  pqxx::read_transaction tx(conn);
  auto ws = find_workspace(tx, o.workspace);
  auto actor = actor_of(tx, session);
  auto asked = o.user;
  std::transform(asked.begin(), asked.end(), asked.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  if (batch || actor.is_operator() || (asked != actor.name && asked != actor.user_id))  // anyone may ask about self
    require_workspace(tx, actor, ws, o.workspace, "workspace:permissions:read");
  PermissionEngine engine(conn);
  std::unordered_map<std::string, PermUser> users;
  Table table{"checks", answer_columns, {}};
  if (o.explain) table.columns.insert(table.columns.end(), explain_columns.begin(), explain_columns.end());
  long denied = 0;
  Decision last;
  for (const auto& q : questions) {
    auto found = users.find(q.user);
    if (found == users.end()) {
      try {
        found = users.emplace(q.user, find_perm_user(tx, q.user)).first;
      } catch (const NotFoundError& e) {
        if (!batch) throw;
        throw NotFoundError(*o.batch + ":" + std::to_string(q.line) + ": " + e.what(), e.hint());
      }
    }
    last = engine.check(tx, ws.id, found->second.id, q.permission, q.record);
    if (!last.allowed) ++denied;
    table.rows.push_back(answer_cells(q, found->second, last, o.explain));
  }

  Result out;
  out.category = denied == 0 ? ErrorCategory::ok : ErrorCategory::permission;
  if (batch) {
    table.columns.insert(table.columns.begin(), "line");
    for (std::size_t i = 0; i < table.rows.size(); ++i)
      table.rows[i].insert(table.rows[i].begin(), Cell(std::int64_t{questions[i].line}));
    out.tables.push_back(std::move(table));
    out.message = std::to_string(questions.size()) + " checks: " + std::to_string(questions.size() - denied) +
                  " allowed, " + std::to_string(denied) + " denied";
    return out;
  }
  for (std::size_t i = 0; i < table.columns.size(); ++i) out.fields.emplace_back(table.columns[i], table.rows[0][i]);
  const auto& q = questions[0];
  out.message = users.at(q.user).email + (last.allowed ? " may " : " may not ") + q.permission +
                (q.record ? " on " + q.record->text() : "") + " in workspace " + o.workspace +
                (o.explain || !last.allowed ? ": " + last.reason : "");
  return out;
}

}  // namespace wfa
