// `wfa usage reset|report|show`: a month closed once per workspace however often and concurrently it runs, a kill -9
// half-way leaves whole workspaces and the rerun finishes, and the months read back.
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "tests/support/integration_fixture.hpp"

namespace wfa {
namespace {

using json = nlohmann::json;

class Usage : public ::testing::Test, protected test::IntegrationFixture {
 protected:
  Usage() {
    add_partner("acme", "Acme");
    add_workspace("acme", "main", "Main");
    add_workspace("acme", "side", "Side");
    exec("UPDATE workspaces SET current_month_minutes = 120, current_month_cost_micros = 900000");
  }
  std::string counters() {
    return value(
        "SELECT string_agg(slug || ' ' || current_month_minutes || ' ' || current_month_cost_micros, ', '"
        " ORDER BY slug) FROM workspaces");
  }
};

TEST_F(Usage, AMonthIsClosedOncePerWorkspaceAndReadsBack) {
  auto first = run_json({"usage", "reset", "--period", "2026-11"});
  EXPECT_EQ(first["workspaces_closed"], 2) << first.dump();
  EXPECT_EQ(first["minutes"], 240);
  EXPECT_EQ(counters(), "main 0 0, side 0 0");
  exec("UPDATE workspaces SET current_month_minutes = 7 WHERE slug = 'main'");  // December's first calls
  auto again = run_json({"usage", "reset", "--period", "2026-11"});
  EXPECT_EQ(again["workspaces_closed"], 0);
  EXPECT_EQ(again["closed_before"], 2);
  EXPECT_EQ(counters(), "main 7 0, side 0 0") << "a second run zeroes nothing";
  EXPECT_EQ(value("SELECT count(*) FROM usage_periods"), "2");
  auto report = run_json({"usage", "report", "--period", "2026-11"})["periods"];
  ASSERT_EQ(report.size(), 2u);
  EXPECT_EQ(report[0]["minutes"], 120);
  EXPECT_EQ(report[0]["cost_micros"], 900000);
  EXPECT_EQ(report[0]["included_minutes"], 0) << "no plan of its own: nothing included, no overage";
  EXPECT_EQ(report[0]["overage_minutes"], 0);
  auto shown = run_json({"usage", "show", "acme/main", "--period", "2026-11"});
  EXPECT_EQ(shown["state"], "closed");
  EXPECT_EQ(run_json({"usage", "show", "acme/main"})["minutes"], 7);
  auto csv = run({"-o", "csv", "usage", "report"});
  EXPECT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_NE(csv.out.find("2026-11,acme,acme/main,120"), std::string::npos) << csv.out;
  EXPECT_EQ(run({"usage", "show", "acme/main", "--period", "2026-10"}).exit_code, 3);
}

TEST_F(Usage, AConcurrentRunExitsNineAndAKilledRunIsFinishedByTheNext) {
  for (int i = 0; i < 400; ++i) add_workspace("acme", "w" + std::to_string(i), "W" + std::to_string(i));
  exec("UPDATE workspaces SET current_month_minutes = 5");
  // Hold the run lock as another run would: a second run exits 9 and changes nothing.
  pqxx::connection holder(db.url());
  pqxx::nontransaction(holder).exec("SELECT pg_advisory_lock(hashtext('wfa.usage.reset'))");
  auto blocked = run({"usage", "reset", "--period", "2026-11"});
  EXPECT_EQ(blocked.exit_code, 9) << blocked.err;
  EXPECT_EQ(value("SELECT count(*) FROM usage_periods"), "0");
  pqxx::nontransaction(holder).exec("SELECT pg_advisory_unlock(hashtext('wfa.usage.reset'))");

  auto pid = test::spawn_wfa({"usage", "reset", "--period", "2026-11"}, env);
  for (int i = 0; i < 400 && value("SELECT count(*) FROM usage_periods") == "0"; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
  auto closed = std::stoi(value("SELECT count(*) FROM usage_periods"));
  EXPECT_LT(closed, 402) << "killed half-way";
  EXPECT_EQ(value("SELECT count(*) FROM workspaces w WHERE (current_month_minutes = 0) <> EXISTS (SELECT 1 FROM"
                  " usage_periods u WHERE u.workspace_id = w.id)"),
            "0")
      << "each workspace closed and zeroed, or neither";
  auto rerun = run_json({"usage", "reset", "--period", "2026-11"});
  EXPECT_EQ(rerun["workspaces_closed"], 402 - closed);
  EXPECT_EQ(value("SELECT count(*) FROM usage_periods"), "402");
  EXPECT_EQ(value("SELECT sum(minutes) FROM usage_periods"), "2010") << "every workspace's 5 minutes once";
}

TEST_F(Usage, BadInputAndRights) {
  struct Case {
    std::vector<std::string> args;
    int code;
    std::string says;
  };
  const Case cases[] = {
      {{"usage", "reset", "--period", "2026-13"}, 6, "is not a month"},
      {{"usage", "reset", "--period", "2099-01"}, 6, "has not begun"},
      {{"usage", "report", "--period", "nov"}, 6, "is not a month"},
      {{"usage", "show", "acme/nope"}, 3, "nope"},
  };
  for (const auto& c : cases) {
    auto r = run(c.args);
    EXPECT_EQ(r.exit_code, c.code) << r.err;
    EXPECT_NE(r.err.find(c.says), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
  add_user("viv@acme.test", "Viv");
  add_workspace_member("acme/main", "viv@acme.test", "viewer");
  EXPECT_EQ(run({"--as", "viv@acme.test", "usage", "reset"}).exit_code, 5);
  EXPECT_EQ(run({"--as", "viv@acme.test", "usage", "show", "acme/main"}).exit_code, 0);
  EXPECT_EQ(run({"--as", "viv@acme.test", "usage", "show", "acme/side"}).exit_code, 5);
  EXPECT_EQ(value("SELECT count(*) FROM usage_periods"), "0");
}

}  // namespace
}  // namespace wfa
