// `wfa billing invoice run|list|show|pdf|void`: one invoice per workspace and closed month however often, concurrently
// or interrupted the run is, the amounts of wfa-billing(1), the PDF read back, and who may see or void what.
#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "core/process.hpp"
#include "tests/support/integration_fixture.hpp"

namespace wfa {
namespace {

using json = nlohmann::json;
namespace fs = std::filesystem;

class Invoice : public ::testing::Test, protected test::IntegrationFixture {
 protected:
  Invoice() {
    add_partner("acme", "Acme");
    add_workspace("acme", "main", "Main");  // its own rate, part paid by credit
    add_workspace("acme", "side", "Side");  // a plan with included minutes and an overage rate
    add_workspace("acme", "free", "Free");  // billing-exempt
    add_workspace("acme", "idle", "Idle");  // no minutes
    exec("UPDATE partners SET invoice_tax_bp = 500");
    exec(
        "INSERT INTO subscription_plans (tier, display_name, price_minor, currency, included_minutes,"
        " overage_minor_per_minute) VALUES ('minutes100', 'Minutes 100', 4900, 'USD', 100, 7)");
    exec(
        "INSERT INTO subscriptions (subject_type, subject_id, partner_id, plan, status) SELECT 'workspace', w.id,"
        " w.partner_id, 'minutes100', 'active' FROM workspaces w WHERE slug = 'side'");
    exec("UPDATE workspaces SET per_minute_rate_cents = 10 WHERE slug = 'main'");
    exec("UPDATE workspaces SET is_billing_exempt = true WHERE slug = 'free'");
    exec(
        "UPDATE workspaces SET current_month_minutes = CASE slug WHEN 'idle' THEN 0 WHEN 'side' THEN 130 ELSE 120 END");
    // main's November: 500 of credit topped up, then calls drew 1,200; credit paid 500 of it.
    exec(
        "INSERT INTO workspace_credits (workspace_id, amount_cents, reason, actor, created_at) SELECT id, 500, 'topup',"
        " 'test', '2026-11-03T10:00:00Z' FROM workspaces WHERE slug = 'main'");
    exec(
        "INSERT INTO workspace_credits (workspace_id, amount_cents, reason, reference, actor, created_at) SELECT id,"
        " -1200, 'usage', 'calls: test', 'calls', '2026-11-20T10:00:00Z' FROM workspaces WHERE slug = 'main'");
    auto closed = run({"usage", "reset", "--period", "2026-11"});
    EXPECT_EQ(closed.exit_code, 0) << closed.err;
  }
  fs::path pdf_of(const std::string& number) {
    auto file = dir.path() / (number + ".pdf");
    auto written = run({"billing", "invoice", "pdf", number, "--out", file.string()});
    EXPECT_EQ(written.exit_code, 0) << written.err;
    return file;
  }
};

TEST_F(Invoice, ARunWritesOneInvoicePerBillableWorkspaceWithTheDocumentedAmounts) {
  auto first = run_json({"billing", "invoice", "run", "--period", "2026-11"});
  EXPECT_EQ(first["invoices_created"], 2) << first.dump();
  auto again = run_json({"billing", "invoice", "run", "--period", "2026-11"});
  EXPECT_EQ(again["invoices_created"], 0) << "a second run writes nothing";
  EXPECT_EQ(value("SELECT count(*) FROM invoices"), "2");
  // main: 120 min × 10 = 1,200; credit paid 500; tax 5% of 700 = 35; total 735.
  EXPECT_EQ(value("SELECT concat_ws(' ', subtotal, credits_applied, tax, total, amount_due, i.status, currency) FROM"
                  " invoices i JOIN workspaces w ON w.id = i.subject_id WHERE w.slug = 'main'"),
            "1200 500 35 735 735 open USD");
  // side: 130 − 100 included = 30 × 7 = 210; tax 5% of 210 = 10.5, half up to 11; total 221.
  EXPECT_EQ(value("SELECT concat_ws(' ', subtotal, credits_applied, tax, total) FROM invoices i JOIN workspaces w ON"
                  " w.id = i.subject_id WHERE w.slug = 'side'"),
            "210 0 11 221");
  EXPECT_EQ(value("SELECT string_agg(number, ',' ORDER BY number) FROM invoices"), "acme-202611-1,acme-202611-2")
      << "numbers run without gaps per partner";
  auto shown = run_json({"billing", "invoice", "show", "acme-202611-1"});
  EXPECT_EQ(shown["period"], "2026-11") << shown.dump();
  ASSERT_EQ(shown["lines"].size(), shown["subject"] == "acme/main" ? 2u : 1u) << shown.dump();
  auto list = run_json({"billing", "invoice", "list", "--partner", "acme", "--status", "open"})["invoices"];
  EXPECT_EQ(list.size(), 2u);
  EXPECT_EQ(value("SELECT count(*) FROM audit_log WHERE action = 'invoice.create'"), "2");
  // Voiding: once, then nothing to do; a void invoice is not written again by a run.
  auto voided = run({"billing", "invoice", "void", "acme-202611-1", "--reason", "test", "--yes"});
  EXPECT_EQ(voided.exit_code, 0) << voided.err;
  EXPECT_EQ(value("SELECT status || ' ' || amount_due FROM invoices WHERE number = 'acme-202611-1'"), "void 0");
  EXPECT_EQ(run({"billing", "invoice", "void", "acme-202611-1", "--yes"}).exit_code, 0);
  EXPECT_EQ(run_json({"billing", "invoice", "run", "--period", "2026-11"})["invoices_created"], 0);
}

TEST_F(Invoice, TaxRoundsHalfUpAtTheBoundary) {
  // 9 minutes × 1 = 9 at 5% is 0.45 → 0; 10 at 5% is 0.5 → 1.
  exec("UPDATE workspaces SET per_minute_rate_cents = 1");
  exec("UPDATE usage_periods SET minutes = 9 WHERE workspace_id = (SELECT id FROM workspaces WHERE slug = 'side')");
  exec("DELETE FROM subscriptions");
  exec("DELETE FROM workspace_credits");
  exec("UPDATE usage_periods SET minutes = 10 WHERE workspace_id = (SELECT id FROM workspaces WHERE slug = 'main')");
  EXPECT_EQ(run_json({"billing", "invoice", "run", "--period", "2026-11"})["invoices_created"], 2);
  EXPECT_EQ(value("SELECT string_agg(w.slug || ' ' || i.subtotal || ' ' || i.tax, ', ' ORDER BY w.slug) FROM invoices"
                  " i JOIN workspaces w ON w.id = i.subject_id"),
            "main 10 1, side 9 0");
  auto set = run({"partner", "update", "acme", "--invoice-tax-rate", "7.25"});
  EXPECT_EQ(set.exit_code, 0) << set.err;
  EXPECT_EQ(value("SELECT invoice_tax_bp FROM partners WHERE slug = 'acme'"), "725");
  EXPECT_EQ(run({"partner", "update", "acme", "--invoice-tax-rate", "101"}).exit_code, 6);
}

TEST_F(Invoice, TheInvoicePdfReadsBack) {
  run_json({"billing", "invoice", "run", "--period", "2026-11"});
  auto number = value("SELECT number FROM invoices i JOIN workspaces w ON w.id = i.subject_id WHERE w.slug = 'main'");
  auto pdf = pdf_of(number);
  EXPECT_EQ(run_process({"qpdf", "--check", pdf.string()}).exit_code, 0);
  auto text = run_process({"pdftotext", "-layout", pdf.string(), "-"}).out;
  for (const char* expected :
       {"Invoice acme-202611-", "Main (acme/main)", "2026-11-01", "2026-11-30", "Voice minutes: 120 minutes", "12.00",
        "Prepaid credit applied", "−5.00", "Tax (5.00%)", "0.35", "7.35"})
    EXPECT_NE(text.find(expected), std::string::npos) << expected << "\n" << text;
  auto bad = run({"billing", "invoice", "pdf", number, "--out", pdf.string(), "--layout", "nope"});
  EXPECT_EQ(bad.exit_code, 3) << bad.err;
}

TEST_F(Invoice, AConcurrentRunExitsNineAndAKilledRunIsFinishedByTheNext) {
  for (int i = 0; i < 300; ++i) add_workspace("acme", "w" + std::to_string(i), "W" + std::to_string(i));
  exec("UPDATE workspaces SET per_minute_rate_cents = 3, current_month_minutes = 4 WHERE slug LIKE 'w%'");
  EXPECT_EQ(run({"usage", "reset", "--period", "2026-11"}).exit_code, 0);
  pqxx::connection holder(db.url());
  pqxx::nontransaction(holder).exec("SELECT pg_advisory_lock(hashtext('wfa.billing.invoice_run'))");
  auto blocked = run({"--quiet", "billing", "invoice", "run", "--period", "2026-11"});
  EXPECT_EQ(blocked.exit_code, 9) << blocked.err;
  EXPECT_EQ(blocked.out, "");
  EXPECT_EQ(std::count(blocked.err.begin(), blocked.err.end(), '\n'), 1)
      << "cron's failure is one line: " << blocked.err;
  EXPECT_EQ(value("SELECT count(*) FROM invoices"), "0");
  pqxx::nontransaction(holder).exec("SELECT pg_advisory_unlock(hashtext('wfa.billing.invoice_run'))");

  auto pid = test::spawn_wfa({"billing", "invoice", "run", "--period", "2026-11"}, env);
  for (int i = 0; i < 400 && value("SELECT count(*) FROM invoices") == "0"; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
  auto written = std::stoi(value("SELECT count(*) FROM invoices"));
  EXPECT_LT(written, 302) << "killed half-way";
  EXPECT_EQ(value("SELECT count(*) FROM invoices i WHERE NOT EXISTS (SELECT 1 FROM invoice_lines l WHERE"
                  " l.invoice_id = i.id)"),
            "0")
      << "an invoice is written with its lines or not at all";
  auto rerun = run_json({"billing", "invoice", "run", "--period", "2026-11"});
  EXPECT_EQ(rerun["invoices_created"], 302 - written);
  auto quiet = run({"--quiet", "billing", "invoice", "run", "--period", "2026-11"});
  EXPECT_EQ(quiet.exit_code, 0) << quiet.err;
  EXPECT_EQ(quiet.out + quiet.err, "") << "cron's success prints nothing";
  EXPECT_EQ(value("SELECT count(*) FROM invoices"), "302");
  EXPECT_EQ(value("SELECT count(DISTINCT subject_id) FROM invoices"), "302");
  EXPECT_EQ(value("SELECT max(split_part(number, '-', 3)::int) FROM invoices"), "302") << "no gaps, no repeats";
}

TEST_F(Invoice, BadInputAndRights) {
  struct Case {
    std::vector<std::string> args;
    int code;
    std::string says;
  };
  const Case cases[] = {
      {{"billing", "invoice", "run", "--period", "2026-13"}, 6, "is not a month"},
      {{"billing", "invoice", "show", "acme-202611-99"}, 3, "not found"},
      {{"billing", "invoice", "list", "--status", "late"}, 2, "late"},
      {{"partner", "update", "acme", "--invoice-tax-rate", "five"}, 6, "invoice-tax-rate"},
  };
  for (const auto& c : cases) {
    auto r = run(c.args);
    EXPECT_EQ(r.exit_code, c.code) << r.err;
    EXPECT_NE(r.err.find(c.says), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
  run_json({"billing", "invoice", "run", "--period", "2026-11"});
  auto main_number =
      value("SELECT number FROM invoices i JOIN workspaces w ON w.id = i.subject_id WHERE w.slug = 'main'");
  auto side_number =
      value("SELECT number FROM invoices i JOIN workspaces w ON w.id = i.subject_id WHERE w.slug = 'side'");
  add_user("viv@acme.test", "Viv");
  add_workspace_member("acme/main", "viv@acme.test", "owner");
  EXPECT_EQ(run({"--as", "viv@acme.test", "billing", "invoice", "run"}).exit_code, 5);
  EXPECT_EQ(run({"--as", "viv@acme.test", "billing", "invoice", "show", main_number}).exit_code, 0);
  EXPECT_EQ(run({"--as", "viv@acme.test", "billing", "invoice", "show", side_number}).exit_code, 5);
  auto seen = run_json({"--as", "viv@acme.test", "billing", "invoice", "list"})["invoices"];
  ASSERT_EQ(seen.size(), 1u) << seen.dump();
  EXPECT_EQ(seen[0]["subject"], "acme/main");
  EXPECT_EQ(run({"--as", "viv@acme.test", "billing", "invoice", "void", main_number, "--yes"}).exit_code, 5);
  EXPECT_EQ(run({"--as", "viv@acme.test", "partner", "update", "acme", "--invoice-tax-rate", "0"}).exit_code, 5);
  exec("UPDATE invoices SET status = 'paid' WHERE number = '" + side_number + "'");
  EXPECT_EQ(run({"billing", "invoice", "void", side_number, "--yes"}).exit_code, 4);
}

}  // namespace
}  // namespace wfa
