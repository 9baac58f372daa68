// The export engine in process: XLSX sheets split at the row limit (a test-sized limit) with the header, freeze and
// autofilter repeated, and every kind of cell the engine writes, booleans included, read back by openpyxl.
#include <algorithm>

#include <pqxx/transaction>

#include "commands/export/export.hpp"
#include "commands/export/export_rules.hpp"
#include "tests/integration/export_fixture.hpp"

using namespace wfa;
using test::field;

namespace {

using SessionExport = test::ExportFixture;

TEST_F(SessionExport, SheetsSplitAtTheRowLimitWithTheHeaderRepeated) {
  exec(
      "INSERT INTO conversations (workspace_id, agent_id, provider, external_call_id, status, started_at)"
      " SELECT a.workspace_id, a.id, 'vapi', 'more-' || n, 'completed', '2026-12-01'::timestamptz + n * interval '1h'"
      " FROM ai_agents a, generate_series(1, 2) n WHERE a.external_agent_id = 'asst-main'");
  ExportCallsOptions o;
  o.workspace = "acme/main";
  o.out = path("split.xlsx");
  o.sheet_rows = 3;  // the header and two calls a sheet
  auto r = run_export_calls(o, session());
  EXPECT_EQ(field(r, "rows").as_integer(), 5);
  EXPECT_EQ(field(r, "sheets").as_integer(), 3);
  auto sheets = read_back(o.out)["sheets"];
  ASSERT_EQ(sheets.size(), 3u);
  const std::vector<std::string> names = {"Calls", "Calls 2", "Calls 3"};
  const std::vector<std::string> filters = {"A1:L3", "A1:L3", "A1:L2"};
  std::vector<std::string> started;
  for (std::size_t s = 0; s < 3; ++s) {
    EXPECT_EQ(sheets[s]["name"], names[s]);
    EXPECT_EQ(sheets[s]["freeze"], "A2");
    EXPECT_EQ(sheets[s]["filter"], filters[s]);
    EXPECT_TRUE(sheets[s]["header_bold"]);
    EXPECT_EQ(sheets[s]["rows"][0][0]["value"], "id") << "the header is repeated";
    for (std::size_t i = 1; i < sheets[s]["rows"].size(); ++i)
      started.push_back(sheets[s]["rows"][i][7]["value"].get<std::string>());
  }
  ASSERT_EQ(started.size(), 5u);
  EXPECT_TRUE(std::is_sorted(started.begin(), started.end())) << "the rows go on in order across sheets";
  // Exactly full: two rows fill the one sheet, and no empty sheet follows.
  o.out = path("full.xlsx");
  o.since = "2026-12-01";
  EXPECT_EQ(field(run_export_calls(o, session()), "sheets").as_integer(), 1);
  EXPECT_EQ(read_back(o.out)["sheets"].size(), 1u);
}

TEST_F(SessionExport, EveryKindOfCellIsTypedInXlsxAndSpelledInCsv) {
  auto tx = export_transaction(session());
  ListQuery rows("test export", "workspaces");
  rows.from("workspaces w").order_by({{"w.slug", "text"}});
  std::vector<ExportColumn> columns = {{"slug", "w.slug"},
                                       {"active", "w.slug = 'main'", ExportKind::boolean},
                                       {"created_at", "'2026-11-02 09:30:00.125+00'::timestamptz", ExportKind::time},
                                       {"day", "'2026-11-02'::date", ExportKind::date},
                                       {"letters", "length(w.slug)", ExportKind::integer},
                                       {"price", "-1234567", ExportKind::money, "3"},
                                       {"doc", "jsonb_build_object('slug', w.slug)", ExportKind::json},
                                       {"note", "'=1+1'", ExportKind::text},
                                       {"empty", "NULL::text", ExportKind::text}};
  ExportOptions o;
  o.out = path("kinds.xlsx");
  run_export(tx, {"workspace", "workspaces", "Workspaces", columns, rows}, export_target(o, session()), o, session());
  auto sheet = read_back(o.out)["sheets"][0]["rows"];
  ASSERT_EQ(sheet.size(), 3u);
  const auto& main = sheet[1];
  EXPECT_EQ(main[0]["value"], "main");
  EXPECT_EQ(main[1]["type"], "bool");
  EXPECT_EQ(main[1]["value"], true);
  EXPECT_EQ(sheet[2][1]["value"], false);
  EXPECT_EQ(main[2]["type"], "datetime");
  EXPECT_EQ(main[2]["value"], "2026-11-02 09:30:00.125000");
  EXPECT_EQ(main[3]["format"], "yyyy-mm-dd");
  EXPECT_EQ(main[4]["type"], "int");
  EXPECT_EQ(main[4]["value"], 4);
  EXPECT_DOUBLE_EQ(main[5]["value"].get<double>(), -1234.567);
  EXPECT_EQ(main[5]["format"], "0.000");
  EXPECT_EQ(nlohmann::json::parse(main[6]["value"].get<std::string>())["slug"], "main");
  EXPECT_EQ(main[7]["value"], "=1+1");
  EXPECT_EQ(main[7]["data_type"], "s") << "text, never a formula";
  EXPECT_EQ(main[8]["type"], "null");

  tx.reset();  // one transaction at a time on the session's connection
  auto csv_tx = export_transaction(session());
  o.out = path("kinds.csv");
  run_export(csv_tx, {"workspace", "workspaces", "Workspaces", columns, rows}, export_target(o, session()), o,
             session());
  auto csv = read_back(o.out)["rows"];
  EXPECT_EQ(csv[1], nlohmann::json({"main", "true", "2026-11-02T09:30:00.125Z", "2026-11-02", "4", "-1234.567",
                                    "{\"slug\": \"main\"}", "'=1+1", ""}));
  EXPECT_EQ(csv[2][1], "false");
}

}  // namespace
