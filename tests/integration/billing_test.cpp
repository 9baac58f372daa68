// Plans, subscriptions, Stripe Checkout against the fake Stripe, and Stripe's events applied once each, in any order,
// through `wfa billing events apply` (serve's path is billing_serve_test.cpp).
#include <nlohmann/json.hpp>

#include "tests/integration/stripe_events_fixture.hpp"
#include "tests/support/fake_providers.hpp"
#include "tests/support/integration_fixture.hpp"

namespace wfa {
namespace {

using namespace stripe_test;
using json = nlohmann::json;

class Billing : public ::testing::Test, protected test::IntegrationFixture {
 protected:
  std::string acme;
  Billing() {
    add_partner("acme", "Acme");
    add_workspace("acme", "main", "Main");
    acme = partner_id("acme");
    EXPECT_EQ(run({"plan", "update", "professional", "--stripe-price", "price_pro"}).exit_code, 0);
    EXPECT_EQ(run({"plan", "update", "enterprise", "--stripe-price", "price_ent"}).exit_code, 0);
  }
  /// apply runs `billing events apply` on EVENT and returns its JSON answer.
  json apply(const json& e, int exit = 0) {
    return run_json({"billing", "events", "apply", file(e["id"].get<std::string>() + ".json", e.dump())}, exit);
  }
  std::string sub(const std::string& column) {
    return value("SELECT " + column + " FROM subscriptions WHERE subject_id = '" + acme + "'");
  }
};

TEST_F(Billing, PlansMoveFromPlanTiersIntoOneCatalogueThatPartnerVerbsRead) {
  auto plans = run_json({"plan", "list"})["plans"];
  ASSERT_EQ(plans.size(), 3u);
  EXPECT_EQ(plans[1]["tier"], "professional");
  EXPECT_EQ(plans[1]["price"], "499.00");
  EXPECT_EQ(plans[1]["price_minor"], 49900);
  EXPECT_EQ(plans[1]["included_minutes"], 10000) << "from the old resource limit monthly_minutes";
  EXPECT_EQ(value("SELECT count(*) FROM plan_tiers WHERE monthly_price_cents = 49900"), "1") << "the view reads it";

  auto created = run_json({"plan", "create", "team", "--name", "Team", "--price", "1,990.50", "--currency", "KWD",
                           "--period", "year", "--included-minutes", "3000", "--overage-rate", "0.015", "--feature",
                           "api_access=true", "--limit", "max_workspaces=7"});
  EXPECT_EQ(created["price_minor"], 1990500) << "KWD has 3 decimals";
  EXPECT_EQ(created["overage_minor_per_minute"], 15);
  EXPECT_EQ(created["resource_limits"]["max_workspaces"], 7);
  EXPECT_EQ(run({"plan", "create", "team", "--name", "Team"}).exit_code, 4);
  EXPECT_EQ(run({"plan", "create", "team", "--name", "Team", "--if-not-exists"}).exit_code, 0);
  EXPECT_EQ(run({"plan", "update", "team", "--price", "2000"}).exit_code, 0);
  EXPECT_EQ(run_json({"plan", "show", "team"})["price"], "2000.000");

  // A partner's plan change reads the new plan's limits from the catalogue.
  ASSERT_EQ(run({"partner", "update", "acme", "--plan", "team"}).exit_code, 0);
  EXPECT_EQ(value("SELECT resource_limits->>'max_workspaces' FROM partners WHERE slug = 'acme'"), "7");

  ASSERT_EQ(run({"billing", "subscription", "set", "--workspace", "acme/main", "--plan", "team"}).exit_code, 0);
  auto retired = run({"plan", "retire", "team"});
  ASSERT_EQ(retired.exit_code, 0) << retired.err;
  EXPECT_EQ(run_json({"plan", "list"})["plans"].size(), 3u) << "off offer";
  EXPECT_EQ(run_json({"plan", "list", "--retired"})["plans"].size(), 4u);
  EXPECT_EQ(run_json({"plan", "show", "team"})["subscriptions"], 1) << "its subscription keeps it";
  EXPECT_EQ(value("SELECT plan FROM subscriptions"), "team");
  EXPECT_EQ(value("SELECT plan_tier FROM partners WHERE slug = 'acme'"), "team");
  auto again = run({"billing", "subscription", "set", "acme", "--plan", "team"});
  EXPECT_EQ(again.exit_code, 6) << again.err;
  EXPECT_NE(again.err.find("retired"), std::string::npos) << again.err;
  EXPECT_EQ(run({"plan", "retire", "team"}).exit_code, 0) << "already retired: nothing to do";
  EXPECT_EQ(value("SELECT string_agg(action, ',' ORDER BY id) FROM audit_log WHERE entity_type = 'plan' AND"
                  " entity_id = 'team'"),
            "plan.create,plan.update,plan.retire");
}

TEST_F(Billing, ASubscriptionCarriesTheTrialThePartnersPlanAndAProratedChange) {
  auto set = run_json({"billing", "subscription", "set", "acme", "--plan", "enterprise", "--trial-days", "14"});
  EXPECT_EQ(set["status"], "trialing");
  EXPECT_EQ(set["proration_minor"], 0);
  EXPECT_EQ(value("SELECT plan_tier || ' ' || subscription_status || ' ' || (resource_limits->>'max_workspaces') ||"
                  " ' ' || (trial_ends_at > now() + interval '13 days') FROM partners WHERE slug = 'acme'"),
            "enterprise trialing 500 true");
  EXPECT_EQ(sub("(trial_end = current_period_end)::text"), "true");

  // Active for 10 of 30 days: moving down to professional credits two thirds of the difference.
  exec(
      "UPDATE subscriptions SET status = 'active', current_period_start = now() - interval '10 days',"
      " current_period_end = now() + interval '20 days'");
  auto changed = run_json({"billing", "subscription", "set", "acme", "--plan", "professional"});
  auto proration = changed["proration_minor"].get<std::int64_t>();
  EXPECT_GE(proration, -100000);
  EXPECT_LE(proration, -99990) << "(49900 - 199900) x 20/30, toward zero";
  EXPECT_EQ(value("SELECT plan_tier FROM partners WHERE slug = 'acme'"), "professional");
  EXPECT_EQ(value("SELECT metadata->>'proration_minor' FROM audit_log WHERE action = 'billing.subscription.set'"
                  " ORDER BY id DESC LIMIT 1"),
            std::to_string(proration));
  EXPECT_EQ(run({"billing", "subscription", "set", "acme", "--plan", "professional"}).exit_code, 0)
      << "already on it: nothing changed";

  ASSERT_EQ(run({"billing", "subscription", "cancel", "acme", "--yes"}).exit_code, 0);
  EXPECT_EQ(sub("status || ' ' || cancel_at_period_end"), "active true");
  ASSERT_EQ(run({"billing", "subscription", "resume", "acme"}).exit_code, 0);
  EXPECT_EQ(sub("status || ' ' || cancel_at_period_end"), "active false");
  ASSERT_EQ(run({"billing", "subscription", "cancel", "acme", "--now", "--yes"}).exit_code, 0);
  EXPECT_EQ(sub("status"), "canceled");
  EXPECT_EQ(value("SELECT subscription_status FROM partners WHERE slug = 'acme'"), "canceled");
  auto resumed = run({"billing", "subscription", "resume", "acme"});
  EXPECT_EQ(resumed.exit_code, 4) << resumed.err;
  auto shown = run_json({"billing", "subscription", "show", "acme"});
  EXPECT_EQ(shown["plan"], "professional");
  EXPECT_EQ(shown["subject"], "acme");

  ASSERT_EQ(run({"billing", "subscription", "set", "--workspace", "acme/main", "--plan", "starter"}).exit_code, 0);
  EXPECT_EQ(run_json({"billing", "subscription", "show", "--workspace", "acme/main"})["subject"], "acme/main");
  EXPECT_EQ(value("SELECT plan_tier FROM partners WHERE slug = 'acme'"), "professional")
      << "a workspace's plan leaves its partner's alone";
}

TEST_F(Billing, CheckoutMakesOneStripeSessionPerIdempotencyKeyAndPrintsItsUrlNeverTheKey) {
  const std::string key = "sk_test_51Fake0123456789abcdef";
  test::FakeProviders fake(std::map<std::string, std::string>{{"stripe", key}});
  env["WFA_STRIPE_API_BASE_URL"] = fake.base_url("stripe");
  ASSERT_EQ(run({"secret", "set", "stripe_api"}, key + "\n").exit_code, 0);
  std::vector<std::string> args = {"billing",
                                   "checkout",
                                   "acme",
                                   "--plan",
                                   "professional",
                                   "--success-url",
                                   "https://acme.example/thanks",
                                   "--cancel-url",
                                   "https://acme.example/plans"};
  auto first = run(args);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ((first.out + first.err).find(key), std::string::npos) << "the key is never printed";
  auto url = run_json(args)["url"].get<std::string>();
  EXPECT_EQ(url.rfind("https://checkout.stripe.com/c/pay/cs_test_", 0), 0u) << url;
  EXPECT_NE(first.out.find(url), std::string::npos) << "the same session the second time";
  auto requests = fake.requests();
  ASSERT_EQ(requests.size(), 2u);
  for (const auto& request : requests) {
    EXPECT_TRUE(request["authorized"].get<bool>()) << "Authorization: Bearer the platform's key";
    EXPECT_EQ(request["path"], "/v1/checkout/sessions");
    EXPECT_TRUE(request["idempotency_key"].is_string());
    EXPECT_EQ(request["idempotency_key"], requests[0]["idempotency_key"]);
    auto body = request["body"].get<std::string>();
    EXPECT_NE(body.find("line_items%5B0%5D%5Bprice%5D=price_pro"), std::string::npos) << body;
    EXPECT_NE(body.find("subscription_data%5Bmetadata%5D%5Bwfa_subject_id%5D=" + acme), std::string::npos) << body;
  }
  auto other =
      run_json({"billing", "checkout", "acme", "--plan", "enterprise", "--success-url", "https://acme.example/thanks",
                "--cancel-url", "https://acme.example/plans", "--idempotency-key", "checkout-acme-ent"});
  EXPECT_NE(other["url"], url);
  EXPECT_EQ(fake.requests()[2]["idempotency_key"], "checkout-acme-ent");
  EXPECT_EQ(value("SELECT count(*) FROM audit_log WHERE action = 'billing.checkout'"), "3");
  EXPECT_EQ(value("SELECT count(*) FROM audit_log WHERE metadata::text LIKE '%sk_test%'"), "0");
}

TEST_F(Billing, EachStripeEventTypeAppliesOnceAndChangesWhatItNames) {
  auto done = apply(event("evt_checkout", "checkout.session.completed", 1000, checkout_session(acme, "sub_1")));
  EXPECT_EQ(done["outcome"], "applied");
  EXPECT_EQ(sub("status || ' ' || plan || ' ' || stripe_subscription_id || ' ' || stripe_customer_id"),
            "incomplete professional sub_1 cus_acme");
  EXPECT_EQ(apply(event("evt_created", "customer.subscription.created", 1001,
                        subscription("sub_1", "active", acme)))["outcome"],
            "applied");
  EXPECT_EQ(sub("status || ' ' || extract(epoch FROM current_period_end)::bigint"), "active 1798761600");
  EXPECT_EQ(value("SELECT plan_tier || ' ' || subscription_status FROM partners WHERE slug = 'acme'"),
            "professional active");
  auto trial = subscription("sub_1", "trialing", acme);
  trial["trial_end"] = period_start + 3 * 86400;
  EXPECT_EQ(apply(event("evt_trial", "customer.subscription.trial_will_end", 1002, trial))["outcome"], "applied");
  EXPECT_EQ(sub("status || ' ' || (trial_end IS NOT NULL)"), "trialing true");
  auto upgraded = subscription("sub_1", "active", acme, "price_ent", true);
  EXPECT_EQ(apply(event("evt_updated", "customer.subscription.updated", 1003, upgraded))["outcome"], "applied");
  EXPECT_EQ(sub("plan || ' ' || cancel_at_period_end"), "enterprise true");
  EXPECT_EQ(value("SELECT plan_tier FROM partners WHERE slug = 'acme'"), "enterprise") << "the plan follows Stripe";

  EXPECT_EQ(apply(event("evt_fin", "invoice.finalized", 1010, invoice("in_0001", "open", "sub_1")))["outcome"],
            "applied");
  EXPECT_EQ(value("SELECT status || ' ' || amount_due || ' ' || currency || ' ' || source FROM invoices"),
            "open 49900 USD stripe");
  EXPECT_EQ(value("SELECT description || ' ' || quantity || ' ' || unit_amount || ' ' || amount FROM invoice_lines"),
            "1 x Professional (at $499.00 / month) 1 49900 49900");
  EXPECT_EQ(apply(event("evt_failed", "invoice.payment_failed", 1011, invoice("in_0001", "open", "sub_1")))["outcome"],
            "applied");
  EXPECT_EQ(value("SELECT payment_failures FROM invoices"), "1");
  EXPECT_EQ(apply(event("evt_paid", "invoice.paid", 1012, invoice("in_0001", "paid", "sub_1")))["outcome"], "applied");
  EXPECT_EQ(value("SELECT status || ' ' || amount_paid || ' ' || (paid_at IS NOT NULL) FROM invoices"),
            "paid 49900 true");
  EXPECT_EQ(apply(event("evt_void", "invoice.voided", 1013, invoice("in_0002", "void", "sub_1")))["outcome"],
            "applied");
  EXPECT_EQ(value("SELECT status || ' ' || (voided_at IS NOT NULL) FROM invoices WHERE stripe_invoice_id ="
                  " 'in_0002'"),
            "void true");
  auto refunded = apply(event("evt_refund", "charge.refunded", 1014, refund("ch_1")));
  EXPECT_EQ(refunded["outcome"], "recorded");
  EXPECT_NE(refunded["detail"].get<std::string>().find("credits"), std::string::npos);
  EXPECT_EQ(apply(event("evt_deleted", "customer.subscription.deleted", 1020,
                        subscription("sub_1", "active", acme)))["outcome"],
            "applied");
  EXPECT_EQ(sub("status"), "canceled");
  EXPECT_EQ(apply(event("evt_other", "customer.created", 1021, {{"id", "cus_2"}}))["outcome"], "ignored");

  EXPECT_EQ(count("payment_events"), 11);
  EXPECT_EQ(value("SELECT count(*) FROM audit_log WHERE action LIKE 'billing.%.stripe'"), "9");
  auto listed = run_json({"billing", "events", "list", "--outcome", "recorded"})["events"];
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0]["event_type"], "charge.refunded");
}

TEST_F(Billing, AStripeCreditGrantIsAGrantRowOfItsSubjectsLedgerOnceAndAVoidTakesItBack) {
  auto ws = workspace_id("acme/main");
  auto grant = [&](const std::string& type, const std::string& id, long created) {
    json object{{"id", "credgr_1"},
                {"object", "billing.credit_grant"},
                {"customer", "cus_acme"},
                {"amount", {{"type", "monetary"}, {"monetary", {{"value", 2500}, {"currency", "usd"}}}}},
                {"metadata", {{"wfa_subject_type", "workspace"}, {"wfa_subject_id", ws}}}};
    return event(id, type, created, object);
  };
  EXPECT_EQ(apply(grant("billing.credit_grant.created", "evt_grant", 2000))["outcome"], "applied");
  EXPECT_EQ(value("SELECT reason || ' ' || amount_cents || ' ' || reference FROM workspace_credits"),
            "grant 2500 credgr_1");
  EXPECT_EQ(value("SELECT credit_balance_cents FROM workspaces WHERE slug = 'main'"), "2500");
  auto again = grant("billing.credit_grant.created", "evt_grant_again", 2001);  // a second event for the same grant
  EXPECT_EQ(apply(again)["outcome"], "applied");
  EXPECT_EQ(value("SELECT count(*) FROM workspace_credits"), "1") << "keyed by the grant, not the event";
  EXPECT_EQ(apply(grant("billing.credit_grant.updated", "evt_grant_upd", 2002))["outcome"], "ignored");
  EXPECT_EQ(apply(grant("billing.credit_grant.voided", "evt_grant_void", 2003))["outcome"], "applied");
  EXPECT_EQ(value("SELECT credit_balance_cents FROM workspaces WHERE slug = 'main'"), "0");
  EXPECT_EQ(value("SELECT count(*) FROM workspace_credits"), "2");
  EXPECT_EQ(run_json({"credits", "show", "acme/main"})["consistent"], true);
}

TEST_F(Billing, TheSameEventTwiceChangesThingsOnce) {
  auto created = event("evt_once", "customer.subscription.created", 1001, subscription("sub_1", "active", acme));
  ASSERT_EQ(apply(created)["outcome"], "applied");
  auto audits = value("SELECT count(*) FROM audit_log");
  auto updated_at = sub("updated_at");
  auto second = run({"billing", "events", "apply", file("again.json", created.dump())});
  EXPECT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.err.find("was applied before"), std::string::npos) << second.err;
  EXPECT_EQ(value("SELECT count(*) FROM audit_log"), audits);
  EXPECT_EQ(sub("updated_at"), updated_at);
  EXPECT_EQ(count("payment_events"), 1);
  auto paid = event("evt_paid_once", "invoice.paid", 1010, invoice("in_0001", "paid", "sub_1"));
  apply(paid);
  apply(paid);
  EXPECT_EQ(count("invoices"), 1);
  EXPECT_EQ(count("invoice_lines"), 1);
}

TEST_F(Billing, AnUpdateBeforeItsCreateAndAnOlderUpdateAfterANewerOneEndInTheNewestState) {
  auto newer = subscription("sub_1", "active", acme, "price_pro", true);
  ASSERT_EQ(apply(event("evt_upd", "customer.subscription.updated", 2000, newer))["outcome"], "applied");
  EXPECT_EQ(sub("status || ' ' || cancel_at_period_end"), "active true") << "made from the update's own object";
  auto late_create =
      apply(event("evt_new", "customer.subscription.created", 1000, subscription("sub_1", "incomplete", acme)));
  EXPECT_EQ(late_create["outcome"], "stale");
  EXPECT_EQ(sub("status || ' ' || cancel_at_period_end"), "active true");

  auto audits = value("SELECT count(*) FROM audit_log");
  auto older = apply(event("evt_old", "customer.subscription.updated", 1500,
                           subscription("sub_1", "past_due", acme, "price_ent", false)));
  EXPECT_EQ(older["outcome"], "stale");
  EXPECT_EQ(sub("status || ' ' || plan || ' ' || cancel_at_period_end"), "active professional true");
  EXPECT_EQ(value("SELECT count(*) FROM audit_log"), audits) << "nothing changed, nothing audited";
  EXPECT_EQ(sub("extract(epoch FROM stripe_updated)::bigint"), "2000");

  // Invoices: paid before finalized (same second) stays paid.
  ASSERT_EQ(apply(event("evt_ip", "invoice.paid", 3000, invoice("in_0001", "paid", "sub_1")))["outcome"], "applied");
  EXPECT_EQ(apply(event("evt_if", "invoice.finalized", 3000, invoice("in_0001", "open", "sub_1")))["outcome"], "stale");
  EXPECT_EQ(value("SELECT status FROM invoices"), "paid");
}

}  // namespace
}  // namespace wfa
