// The schema stays ready for Citus: ARCHITECTURE.md gives every table a role, and the catalog must agree.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <regex>

#include <pqxx/pqxx>

#include "tests/support/test_cluster.hpp"

using namespace wfa;

namespace {

using Roles = std::map<std::string, std::string>;

/// documented_roles reads the "## Citus layout" list of ARCHITECTURE.md: "- `table`: role ...".
Roles documented_roles() {
  std::ifstream in(test::source_dir() / "ARCHITECTURE.md");
  static const std::regex line("^- `([a-z_]+)`: (distributed|reference|local)\\b.*");
  Roles roles;
  bool in_section = false;
  for (std::string text; std::getline(in, text);) {
    if (text.rfind("## ", 0) == 0) in_section = text == "## Citus layout";
    std::smatch m;
    if (in_section && std::regex_match(text, m, line)) roles[m[1]] = m[2];
  }
  return roles;
}

/// violations lists, one line each, where the catalog breaks the layout ROLES describe.
std::vector<std::string> violations(pqxx::transaction_base& tx, const Roles& roles) {
  std::vector<std::string> out;
  auto role_of = [&](const std::string& table) {
    auto it = roles.find(table);
    return it == roles.end() ? std::string() : it->second;
  };
  auto dist_column = [](const std::string& table) { return table == "workspaces" ? "id" : "workspace_id"; };
  auto tables = tx.exec(
      "SELECT c.relname FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')"
      " AND NOT c.relispartition ORDER BY 1");
  for (const auto& row : tables) {
    std::string table = row[0].c_str();
    auto role = role_of(table);
    if (role.empty()) {
      out.push_back(table + ": has no Citus role in ARCHITECTURE.md");
      continue;
    }
    if (role != "distributed") continue;
    std::string column = dist_column(table);
    auto has = tx.exec_params(
        "SELECT a.attnotnull FROM pg_attribute a WHERE a.attrelid = $1::regclass AND a.attname = $2 AND NOT "
        "a.attisdropped",
        table, column);
    if (has.empty() || !has[0][0].as<bool>()) out.push_back(table + ": no NOT NULL " + column);
    // Primary key and every unique constraint or unique index must contain the distribution column.
    auto uniques = tx.exec_params(
        "SELECT i.indexrelid::regclass::text, bool_or(a.attname = $2) FROM pg_index i"
        " LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)"
        " WHERE i.indrelid = $1::regclass AND i.indisunique GROUP BY 1",
        table, column);
    for (const auto& u : uniques)
      if (u[1].is_null() || !u[1].as<bool>())
        out.push_back(table + ": unique index " + u[0].c_str() + " lacks " + column);
    bool has_pk =
        !tx.exec_params("SELECT 1 FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'p'", table).empty();
    if (!has_pk) out.push_back(table + ": no primary key");
  }
  // Foreign keys: distributed -> distributed carries both distribution columns at the same position;
  // reference and local tables never point at a distributed one.
  auto fks = tx.exec(
      "SELECT k.conname, k.conrelid::regclass::text, k.confrelid::regclass::text,"
      " array_position(array(SELECT a.attname::text FROM unnest(k.conkey) WITH ORDINALITY u(n, o)"
      "   JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.n ORDER BY u.o), 'workspace_id'),"
      " array(SELECT a.attname::text FROM unnest(k.confkey) WITH ORDINALITY u(n, o)"
      "   JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.n ORDER BY u.o)::text"
      " FROM pg_constraint k WHERE k.contype = 'f' AND k.connamespace = 'public'::regnamespace ORDER BY 1");
  for (const auto& fk : fks) {
    std::string name = fk[0].c_str(), from = fk[1].c_str(), to = fk[2].c_str();
    if (role_of(to) != "distributed") continue;
    if (role_of(from) != "distributed") {
      out.push_back(from + ": foreign key " + name + " points at distributed " + to + " from a " + role_of(from) +
                    " table");
      continue;
    }
    auto referenced = std::string(fk[4].c_str());  // e.g. {workspace_id,id}
    auto position = fk[3].is_null() ? -1 : fk[3].as<int>();
    std::vector<std::string> parts;
    std::stringstream list(referenced.substr(1, referenced.size() - 2));
    for (std::string part; std::getline(list, part, ',');) parts.push_back(part);
    if (position < 1 || static_cast<std::size_t>(position) > parts.size() ||
        parts[static_cast<std::size_t>(position) - 1] != dist_column(to))
      out.push_back(from + ": foreign key " + name + " to " + to + " does not pair workspace_id with " +
                    dist_column(to));
  }
  return out;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

}  // namespace

TEST(CitusLayout, EveryTableHasADocumentedRoleAndTheCatalogKeepsIt) {
  auto roles = documented_roles();
  ASSERT_GT(roles.size(), 30u) << "ARCHITECTURE.md lost its Citus layout";
  test::TestDatabase db;
  pqxx::work tx(db.conn());
  auto found = violations(tx, roles);
  EXPECT_TRUE(found.empty()) << joined(found);
  for (const auto& [table, role] : roles)
    EXPECT_FALSE(tx.exec_params("SELECT to_regclass($1)", table)[0][0].is_null())
        << table << " is in ARCHITECTURE.md but not in the schema";
}

TEST(CitusLayout, ABrokenTableIsCaught) {
  auto roles = documented_roles();
  test::TestDatabase db;
  pqxx::work tx(db.conn());
  tx.exec(
      "CREATE TABLE broken_notes (id uuid PRIMARY KEY, workspace_id uuid NOT NULL REFERENCES workspaces (id),"
      " other_workspace uuid CONSTRAINT broken_notes_other_fkey REFERENCES workspaces (id), title text UNIQUE)");
  tx.exec("CREATE TABLE broken_catalogue (id int PRIMARY KEY, workspace_id uuid REFERENCES workspaces (id))");
  tx.exec("CREATE TABLE unlisted (id int PRIMARY KEY)");
  roles["broken_notes"] = "distributed";
  roles["broken_catalogue"] = "reference";
  auto text = joined(violations(tx, roles));
  EXPECT_NE(text.find("broken_notes: unique index broken_notes_pkey lacks workspace_id"), std::string::npos) << text;
  EXPECT_NE(text.find("broken_notes: unique index broken_notes_title_key lacks workspace_id"), std::string::npos)
      << text;
  EXPECT_NE(text.find("broken_notes: foreign key broken_notes_other_fkey to workspaces does not pair"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("broken_notes_workspace_id_fkey"), std::string::npos) << "a paired key is fine: " << text;
  EXPECT_NE(text.find("broken_catalogue: foreign key"), std::string::npos) << text;
  EXPECT_NE(text.find("unlisted: has no Citus role"), std::string::npos) << text;
}
