#include "tests/support/integration_fixture.hpp"

#include <algorithm>
#include <fstream>
#include <optional>
#include <ostream>

#include <pqxx/nontransaction>

namespace wfa {

void PrintTo(ErrorCategory category, std::ostream* os) { *os << category_name(category); }

}  // namespace wfa

namespace wfa::test {

namespace {

/// split_workspace cuts PARTNER/SLUG in two.
std::pair<std::string, std::string> split_workspace(const std::string& workspace) {
  auto slash = workspace.find('/');
  return {workspace.substr(0, slash), slash == std::string::npos ? std::string() : workspace.substr(slash + 1)};
}

}  // namespace

ProcessResult IntegrationFixture::run(const std::vector<std::string>& args, const std::string& stdin_data) {
  return run_wfa(args, env, stdin_data);
}

nlohmann::json IntegrationFixture::run_json(std::vector<std::string> args, int exit) {
  args.insert(args.end(), {"-o", "json"});
  auto r = run(args);
  EXPECT_EQ(r.exit_code, exit) << r.err;
  auto doc = nlohmann::json::parse(r.out, nullptr, false);
  return doc.is_discarded() ? nlohmann::json() : doc;
}

long IntegrationFixture::count(const std::string& table) { return db.count(table); }

std::map<std::string, long> IntegrationFixture::counts() {
  std::map<std::string, long> out;
  for (const auto& t : counted_tables) out[t] = db.count(t);
  return out;
}

std::string IntegrationFixture::value(const std::string& sql) { return db.value(sql); }

void IntegrationFixture::exec(const std::string& sql) { db.exec(sql); }

pqxx::result IntegrationFixture::sql(const std::string& query) {
  pqxx::nontransaction tx(db.conn());
  return tx.exec(query);
}

std::string IntegrationFixture::file(const std::string& name, const std::string& content) {
  auto path = (dir.path() / name).string();
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

void IntegrationFixture::add_partner(const std::string& slug, const std::string& name, const std::string& limits) {
  pqxx::nontransaction tx(db.conn());
  tx.exec_params(
      "INSERT INTO partners (slug, name, plan_tier, resource_limits, features) VALUES ($1, $2, 'starter', $3::jsonb,"
      " '{\"custom_domain\": true}')",
      slug, name, limits);
}

void IntegrationFixture::add_workspace(const std::string& partner, const std::string& slug, const std::string& name) {
  pqxx::nontransaction tx(db.conn());
  tx.exec_params("INSERT INTO workspaces (partner_id, slug, name) SELECT id, $2, $3 FROM partners WHERE slug = $1",
                 partner, slug, name);
}

void IntegrationFixture::add_user(const std::string& email, const std::string& first_name,
                                  const std::string& last_name) {
  auto or_null = [](const std::string& s) { return s.empty() ? std::nullopt : std::optional<std::string>(s); };
  pqxx::nontransaction tx(db.conn());
  tx.exec_params("INSERT INTO users (email, first_name, last_name) VALUES ($1, $2, $3)", email, or_null(first_name),
                 or_null(last_name));
}

void IntegrationFixture::add_partner_member(const std::string& partner, const std::string& email,
                                            const std::string& role) {
  pqxx::nontransaction tx(db.conn());
  tx.exec_params(
      "INSERT INTO partner_members (partner_id, user_id, role) SELECT p.id, u.id, $3 FROM partners p, users u"
      " WHERE p.slug = $1 AND u.email = $2",
      partner, email, role);
}

void IntegrationFixture::add_workspace_member(const std::string& workspace, const std::string& email,
                                              const std::string& role) {
  auto [partner, slug] = split_workspace(workspace);
  pqxx::nontransaction tx(db.conn());
  tx.exec_params(
      "INSERT INTO workspace_members (workspace_id, user_id, role) SELECT w.id, u.id, $4"
      " FROM partners p JOIN workspaces w ON w.partner_id = p.id, users u"
      " WHERE p.slug = $1 AND w.slug = $2 AND u.email = $3",
      partner, slug, email, role);
}

std::string IntegrationFixture::partner_id(const std::string& slug) {
  pqxx::nontransaction tx(db.conn());
  auto rows = tx.exec_params("SELECT id FROM partners WHERE slug = $1", slug);
  return rows.empty() ? std::string() : rows[0][0].as<std::string>();
}

std::string IntegrationFixture::workspace_id(const std::string& workspace) {
  auto [partner, slug] = split_workspace(workspace);
  pqxx::nontransaction tx(db.conn());
  auto rows = tx.exec_params(
      "SELECT w.id FROM workspaces w JOIN partners p ON p.id = w.partner_id WHERE p.slug = $1 AND w.slug = $2", partner,
      slug);
  return rows.empty() ? std::string() : rows[0][0].as<std::string>();
}

std::string IntegrationFixture::user_id(const std::string& email) {
  pqxx::nontransaction tx(db.conn());
  auto rows = tx.exec_params("SELECT id FROM users WHERE email = $1", email);
  return rows.empty() ? std::string() : rows[0][0].as<std::string>();
}

Config IntegrationFixture::config(const std::string& actor, const std::string& as) const {
  std::map<std::string, std::string> flags{{"database_url", db.url()},
                                           {"database_owner_url", db.owner_url()},
                                           {"actor", actor},
                                           {"data_dir", dir.path().string()},
                                           {"migrations_dir", (source_dir() / "migrations").string()}};
  if (!as.empty()) flags["as"] = as;
  return Config::load(flags, [](const std::string&) { return std::optional<std::string>(); });
}

Session& IntegrationFixture::session(const std::string& actor) {
  auto& slot = sessions_[actor];
  if (!slot) slot = std::make_unique<Session>(config(actor));
  return *slot;
}

Session& IntegrationFixture::session_as(const std::string& email) {
  auto& slot = sessions_["--as " + email];
  if (!slot) slot = std::make_unique<Session>(config("tester@wfa.example", email));
  return *slot;
}

Failure failure(const std::function<void()>& call) {
  try {
    call();
  } catch (const Error& e) {
    return {e.category(), e.what(), e.hint()};
  } catch (const std::exception& e) {
    ADD_FAILURE() << "not a wfa::Error: " << e.what();
    return {ErrorCategory::unexpected, e.what(), ""};
  }
  return {};
}

Cell field(const Result& r, const std::string& name) {
  for (const auto& [key, cell] : r.fields)
    if (key == name) return cell;
  ADD_FAILURE() << "no field " << name;
  return Cell::null();
}

std::vector<std::string> column(const Table& table, const std::string& name) {
  auto at = std::find(table.columns.begin(), table.columns.end(), name);
  if (at == table.columns.end()) {
    ADD_FAILURE() << "no column " << name << " in " << table.name;
    return {};
  }
  auto i = static_cast<std::size_t>(at - table.columns.begin());
  std::vector<std::string> out;
  for (const auto& row : table.rows) out.push_back(i < row.size() ? row[i].to_text() : std::string());
  return out;
}

void expect_failure(const ProcessResult& r, int exit, const std::string& fragment) {
  EXPECT_EQ(r.exit_code, exit) << r.err;
  EXPECT_NE(r.err.find(fragment), std::string::npos) << "expected '" << fragment << "' in: " << r.err;
}

std::size_t lines(const std::string& s) { return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n')); }

}  // namespace wfa::test
