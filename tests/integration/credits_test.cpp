// `wfa credits`: top-ups once per key, corrections, calls drawing the credit down through the ledger, each crossing
// acted on once (agents stop at zero under suspend_agents and start again after a top-up), a ledger no verb role can
// rewrite, and a balance equal to its ledger's sum after 1,000 random operations.
#include <random>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "tests/support/integration_fixture.hpp"

namespace wfa {
namespace {

using json = nlohmann::json;

class Credits : public ::testing::Test, protected test::IntegrationFixture {
 protected:
  Credits() {
    add_partner("acme", "Acme");
    add_workspace("acme", "main", "Main");
    add_user("olivia@acme.test", "Olivia");
    add_user("wendy@acme.test", "Wendy");
    add_partner_member("acme", "olivia@acme.test", "owner");
    add_workspace_member("acme/main", "wendy@acme.test", "owner");
    exec("UPDATE workspaces SET per_minute_rate_cents = 100");
    exec("INSERT INTO ai_agents (workspace_id, name, provider, config, external_agent_id) VALUES ('" +
         workspace_id("acme/main") + "', 'Vera', 'vapi', '{}', 'asst-vera')");
  }
  std::string balance() { return value("SELECT credit_balance_cents FROM workspaces WHERE slug = 'main'"); }
  std::string ledger_sum() { return value("SELECT coalesce(sum(amount_cents), 0) FROM workspace_credits"); }
  /// ingest counts one VAPI call of SECONDS for agent asst-vera (whole minutes at 1.00 a minute).
  void ingest(const std::string& id, int seconds) {
    auto start = std::string("2026-11-03T10:00:00Z");
    auto end = "2026-11-03T1" + std::to_string(seconds / 3600) + ":" + (seconds / 60 % 60 < 10 ? "0" : "") +
               std::to_string(seconds / 60 % 60) + ":" + (seconds % 60 < 10 ? "0" : "") + std::to_string(seconds % 60) +
               "Z";
    json call{{"id", id},          {"assistantId", "asst-vera"}, {"type", "outboundPhoneCall"},
              {"status", "ended"}, {"startedAt", start},         {"endedAt", end},
              {"cost", 0.1}};
    auto r = run({"calls", "ingest", "--provider", "vapi", "--file", file(id + ".ndjson", call.dump() + "\n")});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
};

TEST_F(Credits, ATopUpWithARepeatedKeyIsOneRowAndAnotherAmountUnderItIsRefused) {
  auto first = run_json({"credits", "topup", "acme/main", "50.00", "--key", "pay-1", "--reference", "pi_1"});
  EXPECT_EQ(first["balance_after_cents"], 5000) << first.dump();
  EXPECT_EQ(first["balance"], "50.00");
  auto again = run({"credits", "topup", "acme/main", "50", "--key", "pay-1"});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find("already added (key pay-1)"), std::string::npos) << again.err;
  EXPECT_EQ(value("SELECT count(*) FROM workspace_credits"), "1");
  auto other = run({"credits", "topup", "acme/main", "60", "--key", "pay-1"});
  EXPECT_EQ(other.exit_code, 4) << other.err;
  EXPECT_NE(other.err.find("key pay-1 was used for 50.00 (topup)"), std::string::npos) << other.err;
  auto adjusted = run_json({"credits", "adjust", "acme/main", "-5.25", "--note", "double-charged call"});
  EXPECT_EQ(adjusted["balance_after_cents"], 4475);
  EXPECT_EQ(balance(), "4475");
  auto shown = run_json({"credits", "show", "acme/main"});
  EXPECT_EQ(shown["ledger_sum_cents"], 4475);
  EXPECT_EQ(shown["consistent"], true);
  auto ledger = run_json({"credits", "ledger", "acme/main"})["entries"];
  ASSERT_EQ(ledger.size(), 2u);
  EXPECT_EQ(ledger[0]["reason"], "adjustment") << "newest first";
  EXPECT_EQ(ledger[0]["note"], "double-charged call");
  EXPECT_EQ(value("SELECT string_agg(action, ',' ORDER BY id) FROM audit_log WHERE action LIKE '%credit%'"),
            "workspace.credit_topup,workspace.credit_adjustment");
}

TEST_F(Credits, CallsDrawTheCreditDownThroughTheLedgerAndEachCrossingIsActedOnOnce) {
  ASSERT_EQ(run({"telegram", "bot", "set", "acme"}, "7123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw\n").exit_code, 0);
  ASSERT_EQ(run({"telegram", "sync-admins", "--group", "-100777", "--admins", file("admins.json", "[]"), "--workspace",
                 "acme/main"})
                .exit_code,
            0);
  ASSERT_EQ(run({"credits", "policy", "acme", "--low-balance", "3.00", "--at-zero", "suspend_agents"}).exit_code, 0);
  EXPECT_EQ(value("SELECT credit_state FROM workspaces"), "exhausted");
  ASSERT_EQ(run({"credits", "topup", "acme/main", "5.00"}).exit_code, 0);
  EXPECT_EQ(value("SELECT credit_state FROM workspaces"), "ok");
  ingest("call-1", 125);  // 3 minutes: 5.00 -> 2.00, under 3.00
  EXPECT_EQ(balance(), "200");
  EXPECT_EQ(value("SELECT reason || ' ' || amount_cents || ' ' || balance_after_cents FROM workspace_credits ORDER BY"
                  " id DESC LIMIT 1"),
            "usage -300 200");
  EXPECT_EQ(value("SELECT credit_state FROM workspaces"), "low");
  ingest("call-1", 125);
  EXPECT_EQ(value("SELECT count(*) FROM workspace_credits WHERE reason = 'usage'"), "1") << "a re-ingest charges once";
  ingest("call-2", 30);  // 1 minute: 2.00 -> 1.00, still low: no second notice
  EXPECT_EQ(value("SELECT count(*) FROM audit_log WHERE action = 'workspace.credit_low'"), "1");
  ingest("call-3", 90);  // 2 minutes: 1.00 -> -1.00, exhausted: the agent stops
  EXPECT_EQ(balance(), "-100");
  EXPECT_EQ(value("SELECT credit_state FROM workspaces"), "exhausted");
  EXPECT_EQ(value("SELECT is_active::text || ' ' || (suspended_for_credit_at IS NOT NULL)::text FROM ai_agents"),
            "false true");
  EXPECT_EQ(run_json({"credits", "show", "acme/main"})["agents_suspended"], 1);
  ASSERT_EQ(run({"credits", "topup", "acme/main", "10.00", "--key", "pay-2"}).exit_code, 0);
  EXPECT_EQ(value("SELECT credit_state FROM workspaces"), "ok");
  EXPECT_EQ(value("SELECT is_active::text || ' ' || (suspended_for_credit_at IS NULL)::text FROM ai_agents"),
            "true true")
      << "a top-up above zero starts the agents it stopped";
  EXPECT_EQ(value("SELECT string_agg(action, ',' ORDER BY id) FROM audit_log WHERE action IN ('workspace.credit_low',"
                  " 'workspace.credit_exhausted', 'workspace.credit_ok')"),
            "workspace.credit_exhausted,workspace.credit_ok,workspace.credit_low,workspace.credit_exhausted,"
            "workspace.credit_ok")
      << "the policy finds the empty workspace exhausted; the first top-up lifts it";
  EXPECT_EQ(balance(), ledger_sum());
  EXPECT_EQ(value("SELECT string_agg(text, ' | ' ORDER BY created_at, id) FROM notifications WHERE chat_id ="
                  " -100777"),
            "Credit has run out in Main (0.00); its agents are paused until a top-up. | Credit is low in Main: 2.00"
            " left. Top up to keep calls going. | Credit has run out in Main (-1.00); its agents are paused until a"
            " top-up.")
      << "one notice per crossing down, through the partner's bot to the workspace's group";
}

TEST_F(Credits, NoVerbRoleCanMoveABalanceOrRewriteTheLedgerBehindItsBack) {
  ASSERT_EQ(run({"credits", "topup", "acme/main", "5.00"}).exit_code, 0);
  auto refused = [&](const std::string& sql) {
    try {
      pqxx::connection c(db.url());
      pqxx::work tx(c);
      tx.exec("SET ROLE wfa_app");
      tx.exec(sql);
      tx.commit();
      return false;
    } catch (const std::exception&) {
      return true;
    }
  };
  EXPECT_TRUE(refused("UPDATE workspaces SET credit_balance_cents = 999999"));
  EXPECT_TRUE(refused("UPDATE workspace_credits SET amount_cents = 999999"));
  EXPECT_TRUE(refused("DELETE FROM workspace_credits"));
  EXPECT_FALSE(refused("UPDATE workspaces SET name = 'Main 2'")) << "other columns move freely";
  EXPECT_EQ(balance(), "500");
  EXPECT_EQ(ledger_sum(), "500");
}

TEST_F(Credits, TheBalanceEqualsTheLedgerAfterAThousandRandomOperationsFromTwoConnections) {
  auto ws = workspace_id("acme/main");
  auto operate = [&](unsigned seed) {
    std::mt19937 random(seed);
    pqxx::connection c(db.url());
    for (int i = 0; i < 500; ++i) {
      auto kind = random() % 4;
      auto amount = static_cast<long>(random() % 20000) - 9000;
      if (amount == 0) amount = 1;
      try {
        pqxx::work tx(c);
        tx.exec("SET LOCAL ROLE wfa_app");
        if (kind == 0)  // a top-up whose key repeats now and then
          tx.exec_params(
              "INSERT INTO workspace_credits (workspace_id, amount_cents, reason, idempotency_key, actor) VALUES"
              " ($1::uuid, $2, 'topup', $3, 't') ON CONFLICT (workspace_id, idempotency_key) DO NOTHING",
              ws, std::labs(amount), "k" + std::to_string(random() % 50));
        else if (kind == 1)
          tx.exec_params(
              "INSERT INTO workspace_credits (workspace_id, amount_cents, reason, actor) VALUES ($1::uuid, $2,"
              " 'usage', 't')",
              ws, amount);
        else if (kind == 2)  // a direct change, refused
          tx.exec_params("UPDATE workspaces SET credit_balance_cents = credit_balance_cents + $2 WHERE id = $1::uuid",
                         ws, amount);
        else if (random() % 2)  // a change rolled back
          tx.exec_params(
              "INSERT INTO workspace_credits (workspace_id, amount_cents, reason, actor) VALUES ($1::uuid, $2,"
              " 'adjustment', 't')",
              ws, amount);
        if (kind == 3) {
          tx.abort();
          continue;
        }
        tx.commit();
      } catch (const std::exception&) {
      }
    }
  };
  std::thread a(operate, 7), b(operate, 11);
  a.join();
  b.join();
  for (int i = 0; i < 5; ++i) ASSERT_EQ(run({"credits", "adjust", "acme/main", "1.01", "--note", "n"}).exit_code, 0);
  EXPECT_EQ(balance(), ledger_sum());
  EXPECT_EQ(run_json({"credits", "show", "acme/main"})["consistent"], true);
  EXPECT_GT(std::stol(value("SELECT count(*) FROM workspace_credits")), 300);
}

TEST_F(Credits, RightsFollowWhoSellsTheCredit) {
  auto as = [&](const std::string& who, std::vector<std::string> args) {
    args.insert(args.begin(), {"--as", who});
    return run(args);
  };
  EXPECT_EQ(as("wendy@acme.test", {"credits", "topup", "acme/main", "5"}).exit_code, 5)
      << "a workspace owner does not sell credit to itself";
  EXPECT_EQ(as("olivia@acme.test", {"credits", "topup", "acme/main", "5"}).exit_code, 0) << "its partner's owner does";
  EXPECT_EQ(as("olivia@acme.test", {"credits", "topup", "acme", "5"}).exit_code, 5)
      << "a partner's own credit comes from the platform";
  EXPECT_EQ(as("wendy@acme.test", {"credits", "show", "acme/main"}).exit_code, 0);
  auto policy = as("wendy@acme.test", {"credits", "policy", "acme/main", "--low-balance", "2"});
  EXPECT_EQ(policy.exit_code, 0) << policy.err;
  EXPECT_EQ(as("wendy@acme.test", {"credits", "ledger", "acme"}).exit_code, 5);
  EXPECT_EQ(run({"credits", "topup", "acme", "5"}).exit_code, 0) << "the operator";
  EXPECT_EQ(value("SELECT credit_balance_cents FROM partners"), "500");
}

TEST_F(Credits, BadInputIsOneLineWithItsExitCodeAndChangesNothing) {
  struct Case {
    std::vector<std::string> args;
    int code;
    std::string says;
  };
  const Case cases[] = {
      {{"credits", "topup", "acme/main", "abc"}, 6, "amount"},
      {{"credits", "topup", "acme/main", "-5"}, 6, "is negative"},
      {{"credits", "topup", "acme/main", "0"}, 6, "is zero"},
      {{"credits", "topup", "acme/main", "1.234"}, 6, "amount"},
      {{"credits", "topup", "acme/nope", "5"}, 3, "nope"},
      {{"credits", "topup", "nobody", "5"}, 3, "nobody"},
      {{"credits", "topup", "acme/main", "5", "--key", ""}, 6, "--key"},
      {{"credits", "adjust", "acme/main", "5"}, 2, "--note"},
      {{"credits", "policy", "acme/main", "--at-zero", "suspend_agents"}, 2, "partner's policy"},
      {{"credits", "policy", "acme", "--at-zero", "maybe"}, 2, "at-zero"},
      {{"credits", "policy", "acme"}, 2, "nothing to set"},
      {{"credits", "policy", "acme", "--low-balance", "x"}, 6, "--low-balance"},
      {{"credits", "ledger", "acme/main", "--reason", "gift"}, 2, "reason"},
  };
  for (const auto& c : cases) {
    auto r = run(c.args);
    EXPECT_EQ(r.exit_code, c.code) << c.args[1] << " " << c.args.back() << ": " << r.err;
    EXPECT_NE(r.err.find(c.says), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "one line: " << r.err;
  }
  EXPECT_EQ(value("SELECT count(*) FROM workspace_credits"), "0");
  EXPECT_EQ(balance(), "0");
}

}  // namespace
}  // namespace wfa
