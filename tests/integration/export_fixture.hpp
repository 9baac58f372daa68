#pragma once
/// The world of the export tests: partner acme with workspaces main and side, a viewer and an admin of main, a
/// stranger, and four calls (three in main) with quotes, line breaks, Arabic, a formula and NULLs; and the readers
/// that read an export back.
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/process.hpp"
#include "tests/support/integration_fixture.hpp"

namespace wfa::test {

inline const std::string arabic_summary = "He said \"hi\", then left.\nنعم، أنا موجود — Zoë & <co>";

struct ExportFixture : ::testing::Test, IntegrationFixture {
  ExportFixture() {
    add_partner("acme", "Acme");
    add_workspace("acme", "main", "Main");
    add_workspace("acme", "side", "Side");
    add_user("viewer@acme.test");
    add_user("wsadmin@acme.test");
    add_user("stranger@else.test");
    add_workspace_member("acme/main", "viewer@acme.test", "viewer");
    add_workspace_member("acme/main", "wsadmin@acme.test", "admin");
    exec(
        "INSERT INTO ai_agents (workspace_id, name, provider, config, external_agent_id) SELECT id, 'Reception',"
        " 'vapi', '{}', 'asst-' || slug FROM workspaces");
    exec(
        "INSERT INTO conversations (workspace_id, agent_id, provider, external_call_id, direction, status,"
        " phone_number, started_at, ended_at, duration_seconds, summary, total_cost_micros)"
        " SELECT w.id, a.id, 'vapi', v.ext, v.dir, v.status, v.phone, v.started::timestamptz, v.ended::timestamptz,"
        " v.duration, v.summary, v.cost FROM (VALUES"
        " ('main', 'call-1', 'outbound', 'completed', '+971501234567', '2026-11-02 09:30:00.125+00',"
        "  '2026-11-02 09:31:05.5+00', 65, " +
        quoted(arabic_summary) +
        ", 123456),"
        " ('main', '-abc', 'inbound', 'no_answer', NULL, '2026-11-03 10:00:00+00', NULL, 0,"
        "  '=HYPERLINK(\"http://x.example\",\"y\")', 1500000),"
        " ('main', 'call-3', 'web', 'completed', '+12025550123', '2026-11-05 00:00:00+00', '2026-11-05 00:30:00+00',"
        "  1800, NULL, 0),"
        " ('side', 'call-side', 'outbound', 'completed', '+971500000000', '2026-11-04 00:00:00+00', NULL, 5, 'side',"
        "  1)) v(ws, ext, dir, status, phone, started, ended, duration, summary, cost)"
        " JOIN workspaces w ON w.slug = v.ws JOIN ai_agents a ON a.workspace_id = w.id");
  }

  static std::string quoted(const std::string& text) {
    std::string out = "'";
    for (char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
    return out + "'";
  }

  std::string path(const std::string& name) const { return (dir.path() / name).string(); }

  /// read_back reads FILE with tests/support/export_reader.py (openpyxl or Python's csv).
  nlohmann::json read_back(const std::string& file) {
    auto r = run_process(
        {"/usr/bin/python3", (test::source_dir() / "tests" / "support" / "export_reader.py").string(), file});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return nlohmann::json::parse(r.out);
  }

  std::string slurp(const std::string& file) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
};

inline const std::vector<std::string> call_header = {
    "id",           "workspace_id", "provider", "external_call_id", "direction",  "status",
    "phone_number", "started_at",   "ended_at", "duration_seconds", "total_cost", "summary"};

}  // namespace wfa::test
