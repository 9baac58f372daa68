// `wfa export`: every file read back by an independent reader (openpyxl for XLSX, Python's csv, nlohmann for JSON):
// typed cells, a frozen, styled header and an autofilter, quoting, Arabic text and the formula guard; rights refused
// before anything is written; bad flags one line with their exit status.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "tests/integration/export_fixture.hpp"

namespace wfa {
namespace {

using json = nlohmann::json;
using test::arabic_summary;
using Export = test::ExportFixture;

using test::call_header;

TEST_F(Export, CallsAsXlsxHaveTypedCellsAFrozenStyledHeaderAndAnAutofilter) {
  auto file = path("calls.xlsx");
  auto summary = run_json({"export", "calls", "--workspace", "acme/main", "--out", file});
  EXPECT_EQ(summary["rows"], 3) << summary.dump();
  EXPECT_EQ(summary["sheets"], 1);
  EXPECT_EQ(summary["format"], "xlsx");
  EXPECT_EQ(summary["bytes"], std::filesystem::file_size(file));
  auto book = read_back(file);
  ASSERT_EQ(book["sheets"].size(), 1u);
  const auto& sheet = book["sheets"][0];
  EXPECT_EQ(sheet["name"], "Calls");
  EXPECT_EQ(sheet["freeze"], "A2") << "the header row is frozen";
  EXPECT_EQ(sheet["filter"], "A1:L4") << "the autofilter covers the header and every row";
  EXPECT_TRUE(sheet["header_bold"]);
  EXPECT_TRUE(sheet["header_fill"]);
  EXPECT_GE(sheet["widths"]["A"].get<double>(), 36) << "a uuid fits its column";
  EXPECT_LE(sheet["widths"]["L"].get<double>(), 60) << "long text is capped";
  const auto& rows = sheet["rows"];
  ASSERT_EQ(rows.size(), 4u);
  for (std::size_t c = 0; c < call_header.size(); ++c) EXPECT_EQ(rows[0][c]["value"], call_header[c]);
  const auto& first = rows[1];
  EXPECT_EQ(first[0]["type"], "str");
  EXPECT_EQ(first[0]["value"].get<std::string>().size(), 36u);
  EXPECT_EQ(first[6]["value"], "+971501234567");
  EXPECT_EQ(first[7]["type"], "datetime");
  EXPECT_EQ(first[7]["value"], "2026-11-02 09:30:00.125000") << "UTC wall time to the millisecond";
  EXPECT_EQ(first[7]["format"], "yyyy-mm-dd hh:mm:ss");
  EXPECT_EQ(first[8]["value"], "2026-11-02 09:31:05.500000");
  EXPECT_EQ(first[9]["type"], "int");
  EXPECT_EQ(first[9]["value"], 65);
  EXPECT_EQ(first[10]["type"], "float");
  EXPECT_DOUBLE_EQ(first[10]["value"].get<double>(), 0.1235) << "123456 micro-dollars to 4 decimals";
  EXPECT_EQ(first[10]["format"], "0.0000");
  EXPECT_EQ(first[11]["value"], arabic_summary) << "quotes, commas, a line break and Arabic as they are";
  const auto& second = rows[2];
  EXPECT_EQ(second[3]["value"], "-abc") << "a string cell is never a formula: no guard in XLSX";
  EXPECT_EQ(second[6]["type"], "null");
  EXPECT_EQ(second[8]["type"], "null") << "NULL is an empty cell";
  EXPECT_EQ(second[11]["data_type"], "s");
  EXPECT_EQ(second[11]["value"], "=HYPERLINK(\"http://x.example\",\"y\")");
  EXPECT_DOUBLE_EQ(second[10]["value"].get<double>(), 1.5);
  EXPECT_EQ(rows[3][11]["type"], "null");
}

TEST_F(Export, CallsAsCsvParseBackWithQuotesArabicAndTheFormulaGuard) {
  auto file = path("calls.csv");
  auto r = run({"export", "calls", "--workspace", "acme/main", "--out", file});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("exported 3 calls to " + file), std::string::npos) << r.err;
  auto rows = read_back(file)["rows"];
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0], json(call_header));
  EXPECT_EQ(rows[1][6], "+971501234567") << "a phone number is data, not a formula";
  EXPECT_EQ(rows[1][7], "2026-11-02T09:30:00.125Z");
  EXPECT_EQ(rows[1][10], "0.1235");
  EXPECT_EQ(rows[1][11], arabic_summary);
  EXPECT_EQ(rows[2][3], "'-abc") << "guarded";
  EXPECT_EQ(rows[2][11], "'=HYPERLINK(\"http://x.example\",\"y\")") << "guarded";
  EXPECT_EQ(rows[2][8], "") << "NULL is an empty field";
  EXPECT_EQ(rows[2][10], "1.5000");
  // --raw turns the guard off, as for every CSV output; - is standard output with the same bytes.
  auto raw = run({"--raw", "export", "calls", "--workspace", "acme/main", "--format", "csv", "--out", "-"});
  ASSERT_EQ(raw.exit_code, 0) << raw.err;
  EXPECT_NE(raw.out.find("\"=HYPERLINK(\"\"http://x.example\"\",\"\"y\"\")\""), std::string::npos) << raw.out;
  auto piped = run({"export", "calls", "--workspace", "acme/main", "--format", "csv", "--out", "-"});
  EXPECT_EQ(piped.out, slurp(file));
  // --since and --until select by start time: [since, until).
  auto window = run({"export", "calls", "--workspace", "acme/main", "--since", "2026-11-03", "--until",
                     "2026-11-05T00:00:00Z", "--out", "-", "--format", "csv"});
  ASSERT_EQ(window.exit_code, 0) << window.err;
  EXPECT_EQ(test::lines(window.out), 2u) << window.out;
  EXPECT_NE(window.out.find("'-abc"), std::string::npos);
}

TEST_F(Export, CallsAsJsonAndNdjsonParseBackTyped) {
  auto file = path("calls.json");
  ASSERT_EQ(run({"export", "calls", "--workspace", "acme/main", "--out", file}).exit_code, 0);
  auto array = json::parse(slurp(file));
  ASSERT_TRUE(array.is_array());
  ASSERT_EQ(array.size(), 3u);
  EXPECT_EQ(array[0]["summary"], arabic_summary);
  EXPECT_EQ(array[0]["started_at"], "2026-11-02T09:30:00.125Z");
  EXPECT_TRUE(array[0]["duration_seconds"].is_number_integer());
  EXPECT_DOUBLE_EQ(array[0]["total_cost"].get<double>(), 0.1235);
  EXPECT_TRUE(array[1]["ended_at"].is_null());
  EXPECT_EQ(array[1]["summary"], "=HYPERLINK(\"http://x.example\",\"y\")") << "JSON is not for spreadsheets: no guard";
  auto nd = run({"export", "calls", "--workspace", "acme/main", "--format", "ndjson", "--out", "-"});
  ASSERT_EQ(nd.exit_code, 0) << nd.err;
  std::istringstream lines(nd.out);
  std::string line;
  std::size_t n = 0;
  while (std::getline(lines, line)) EXPECT_EQ(json::parse(line), array[n++]);
  EXPECT_EQ(n, 3u);
  // No rows: an empty array, a header-only CSV, an XLSX with its header.
  auto none =
      run({"export", "calls", "--workspace", "acme/main", "--since", "2030-01-01", "--format", "json", "--out", "-"});
  EXPECT_EQ(none.out, "[]\n");
  auto empty = path("empty.xlsx");
  ASSERT_EQ(run({"export", "calls", "--workspace", "acme/main", "--since", "2030-01-01", "--out", empty}).exit_code, 0);
  auto sheet = read_back(empty)["sheets"][0];
  EXPECT_EQ(sheet["rows"].size(), 1u);
  EXPECT_EQ(sheet["filter"], "A1:L1");
}

TEST_F(Export, RightsAreCheckedAsTheListVerbsDoAndARefusalWritesNothing) {
  auto file = path("refused.xlsx");
  { std::ofstream(file) << "before"; }
  auto viewer = run({"--as", "viewer@acme.test", "export", "calls", "--workspace", "acme/main", "--out", file});
  test::expect_failure(viewer, 5, "workspace:calls:export");
  EXPECT_EQ(test::lines(viewer.err), 1u) << viewer.err;
  EXPECT_EQ(slurp(file), "before") << "a refused export leaves the file as it was";
  EXPECT_EQ(run({"--as", "wsadmin@acme.test", "export", "calls", "--workspace", "acme/main", "--out", file}).exit_code,
            0);
  test::expect_failure(run({"--as", "wsadmin@acme.test", "export", "calls", "--out", path("all.csv")}), 5,
                       "super admin");
  EXPECT_FALSE(std::filesystem::exists(path("all.csv")));
  test::expect_failure(run({"--as", "stranger@else.test", "export", "audit", "--out", path("audit.csv")}), 5,
                       "super admin");
  test::expect_failure(
      run({"--as", "stranger@else.test", "export", "usage", "--partner", "acme", "--out", path("usage.csv")}), 5,
      "partner acme");
  test::expect_failure(
      run({"--as", "stranger@else.test", "export", "invoices", "--workspace", "acme/main", "--out", path("i.csv")}), 5,
      "partner acme");
  // A list without a filter shows what the user may read: a stranger's usage export is empty, a viewer's has main.
  exec(
      "INSERT INTO usage_periods (workspace_id, period, minutes, cost_micros, calls, charged_cents, reset_by)"
      " SELECT id, '2026-11-01', 10, 123456, 2, 90, 'test' FROM workspaces");
  auto stranger = run_json({"--as", "stranger@else.test", "export", "usage", "--out", path("u1.csv")});
  EXPECT_EQ(stranger["rows"], 0);
  auto seen = run_json({"--as", "viewer@acme.test", "export", "usage", "--out", path("u2.csv")});
  EXPECT_EQ(seen["rows"], 1);
}

TEST_F(Export, BadFlagsAreOneLineWithTheirExitStatus) {
  struct Case {
    std::vector<std::string> args;
    int exit;
    std::string says;
  };
  const std::vector<Case> cases = {
      {{"export", "calls", "--workspace", "acme/main", "--out", path("x.txt")}, 2, "which format?"},
      {{"export", "calls", "--workspace", "acme/main", "--format", "pdf", "--out", path("x.pdf")}, 2, "--format"},
      {{"export", "calls", "--workspace", "acme/main", "--format", "xlsx", "--out", "-"}, 2, "standard output"},
      {{"export", "calls", "--workspace", "acme/main"}, 2, "--out"},
      {{"export", "calls", "--workspace", "acme/main", "--since", "yesterday", "--out", path("x.csv")},
       6,
       "--since 'yesterday'"},
      {{"export", "calls", "--workspace", "acme/main", "--until", "2026-02-30", "--out", path("x.csv")},
       6,
       "--until '2026-02-30' is not a valid time"},
      {{"export", "calls", "--workspace", "acme/main", "--since", "2026-12-01", "--until", "2026-11-01", "--out",
        path("x.csv")},
       6,
       "is not before"},
      {{"export", "calls", "--workspace", "acme/nowhere", "--out", path("x.csv")}, 3, "acme/nowhere"},
      {{"export", "recipients", "--campaign", "acme/main/none", "--out", path("x.csv")}, 3, "none"},
  };
  for (const auto& c : cases) {
    auto r = run(c.args);
    test::expect_failure(r, c.exit, c.says);
    EXPECT_EQ(test::lines(r.err), 1u) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
  }
  EXPECT_FALSE(std::filesystem::exists(path("x.csv")));
}

TEST_F(Export, UsageProposalsAuditAndInvoicesHaveTheirTypes) {
  exec(
      "INSERT INTO usage_periods (workspace_id, period, minutes, cost_micros, calls, charged_cents, reset_by, reset_at)"
      " SELECT id, '2026-10-01', 10, 123456, 2, 90, 'test', '2026-11-01 00:10:00+00' FROM workspaces WHERE"
      " slug = 'main'");
  exec(
      "INSERT INTO proposals_log (workspace_id, proposal_id, client_name, location_keys, start_date, end_date,"
      " currency, total, file_path, sha256, bytes, pages, created_by, created_at) SELECT w.id, v.pid, v.client,"
      " ARRAY['DXB-001','DXB-002'], '2027-01-01', '2027-01-31', v.cur, v.total, '/srv/p.pdf', repeat('a', 64), 1000,"
      " 2, 'test', v.at::timestamptz FROM workspaces w, (VALUES ('P-1', 'Al Noor', 'KWD', 1234567, '2026-11-01'),"
      " ('P-2', '@evil', 'JPY', 5000, '2026-11-02')) v(pid, client, cur, total, at) WHERE w.slug = 'main'");
  exec(
      "INSERT INTO invoices (source, subject_type, subject_id, partner_id, number, currency, subtotal, tax, total,"
      " amount_due, status, issued_at) SELECT 'usage', 'workspace', w.id, w.partner_id, 'INV-1', 'AED', 10000, 500,"
      " 10500, 10500, 'open', '2026-11-01' FROM workspaces w WHERE w.slug = 'main'");
  ASSERT_EQ(run({"workspace", "update", "acme/main", "--name", "Main two"}).exit_code, 0);  // an audit entry

  ASSERT_EQ(run({"export", "usage", "--workspace", "acme/main", "--out", path("usage.xlsx")}).exit_code, 0);
  auto usage = read_back(path("usage.xlsx"))["sheets"][0]["rows"];
  ASSERT_EQ(usage.size(), 2u);
  EXPECT_EQ(usage[1][0]["type"], "datetime");
  EXPECT_EQ(usage[1][0]["value"], "2026-10-01 00:00:00.000000");
  EXPECT_EQ(usage[1][0]["format"], "yyyy-mm-dd");
  EXPECT_EQ(usage[1][2]["value"], "acme/main");
  EXPECT_EQ(usage[1][3]["value"], 10);
  EXPECT_DOUBLE_EQ(usage[1][7]["value"].get<double>(), 0.1235);
  EXPECT_DOUBLE_EQ(usage[1][8]["value"].get<double>(), 0.9);
  EXPECT_EQ(usage[1][8]["format"], "0.00");
  EXPECT_EQ(run_json({"export", "usage", "--workspace", "acme/main", "--since", "2026-10-31T23:00:00Z", "--out",
                      path("u.csv")})["rows"],
            1)
      << "a month is in the window when any of it is";

  auto proposals = path("proposals.xlsx");
  ASSERT_EQ(run({"export", "proposals", "--workspace", "acme/main", "--out", proposals}).exit_code, 0);
  auto rows = read_back(proposals)["sheets"][0]["rows"];
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1][3]["value"], "DXB-001,DXB-002");
  EXPECT_EQ(rows[1][4]["format"], "yyyy-mm-dd");
  EXPECT_DOUBLE_EQ(rows[1][7]["value"].get<double>(), 1234.567) << "KWD has 3 decimals";
  EXPECT_EQ(rows[1][7]["format"], "0.000");
  EXPECT_EQ(rows[2][7]["value"], 5000) << "JPY has none";
  EXPECT_EQ(rows[2][7]["format"], "0");
  EXPECT_EQ(rows[1][8]["value"], 2);
  ASSERT_EQ(run({"export", "proposals", "--workspace", "acme/main", "--out", path("p.csv")}).exit_code, 0);
  auto csv = read_back(path("p.csv"))["rows"];
  EXPECT_EQ(csv[1][7], "1234.567");
  EXPECT_EQ(csv[2][7], "5000");
  EXPECT_EQ(csv[2][2], "'@evil");
  EXPECT_EQ(csv[1][4], "2027-01-01");

  auto invoices = path("invoices.xlsx");
  ASSERT_EQ(run({"export", "invoices", "--partner", "acme", "--out", invoices}).exit_code, 0);
  rows = read_back(invoices)["sheets"][0]["rows"];
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1][5]["value"], "acme/main");
  EXPECT_DOUBLE_EQ(rows[1][9]["value"].get<double>(), 105.0);
  EXPECT_EQ(rows[1][9]["format"], "0.00");
  EXPECT_EQ(rows[1][14]["type"], "datetime");
  EXPECT_EQ(rows[1][17]["value"], 0);

  auto audit = run({"export", "audit", "--workspace", "acme/main", "--format", "ndjson", "--out", "-"});
  ASSERT_EQ(audit.exit_code, 0) << audit.err;
  auto entry = json::parse(audit.out.substr(0, audit.out.find('\n')));
  EXPECT_EQ(entry["action"], "workspace.update");
  EXPECT_TRUE(entry["new_values"].is_object()) << "JSON columns are embedded";
  EXPECT_TRUE(entry["id"].is_number_integer());
  auto audit_xlsx = path("audit.xlsx");
  ASSERT_EQ(run({"export", "audit", "--workspace", "acme/main", "--out", audit_xlsx}).exit_code, 0);
  rows = read_back(audit_xlsx)["sheets"][0]["rows"];
  EXPECT_EQ(rows[1][0]["type"], "int");
  EXPECT_EQ(rows[1][10]["type"], "str") << "a JSON value is its text";
  EXPECT_EQ(json::parse(rows[1][10]["value"].get<std::string>())["name"], "Main two");
}

}  // namespace
}  // namespace wfa
