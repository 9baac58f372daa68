// Bad input to every plan and billing verb: one stderr line naming what is wrong and where, the documented exit code,
// nothing changed; and the rights each verb needs (exit 5 for anyone without them).
#include <algorithm>

#include <nlohmann/json.hpp>

#include "tests/integration/stripe_events_fixture.hpp"
#include "tests/support/fake_providers.hpp"
#include "tests/support/integration_fixture.hpp"

namespace wfa {
namespace {

using namespace stripe_test;
using json = nlohmann::json;

class BillingInput : public ::testing::Test, protected test::IntegrationFixture {
 protected:
  BillingInput()
      : test::IntegrationFixture(
            {"subscription_plans", "subscriptions", "invoices", "payment_events", "audit_log", "platform_secrets"}) {
    add_partner("acme", "Acme");
    add_workspace("acme", "main", "Main");
    add_user("owner@acme.test");
    add_partner_member("acme", "owner@acme.test", "owner");
    add_user("member@acme.test");
    add_partner_member("acme", "member@acme.test", "member");
  }
  /// refused runs ARGS, expects EXIT, one line on stderr holding WORDS, and no table changed.
  void refused(const std::vector<std::string>& args, int exit, const std::string& words,
               const std::string& input = "") {
    auto before = counts();
    auto r = run(args, input);
    EXPECT_EQ(r.exit_code, exit) << r.err;
    EXPECT_NE(r.err.find(words), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "one line: " << r.err;
    EXPECT_EQ(counts(), before) << "nothing changed";
  }
};

TEST_F(BillingInput, PlanVerbsNameTheValueThatIsWrong) {
  refused({"plan", "show", "gold"}, 3, "no plan gold");
  refused({"plan", "create", "Gold", "--name", "Gold"}, 6, "'Gold' is not a plan name");
  refused({"plan", "create", "gold"}, 2, "needs a display name");
  refused({"plan", "create", "gold", "--name", "Gold", "--price", "9.999"}, 6, "--price");
  refused({"plan", "create", "gold", "--name", "Gold", "--currency", "XYZ"}, 6, "'XYZ' is not a known currency");
  refused({"plan", "create", "gold", "--name", "Gold", "--period", "week"}, 2, "week");
  refused({"plan", "create", "gold", "--name", "Gold", "--included-minutes", "-1"}, 6, "--included-minutes -1");
  refused({"plan", "create", "gold", "--name", "Gold", "--limit", "max_users=lots"}, 6, "max_users 'lots'");
  refused({"plan", "create", "gold", "--name", "Gold", "--feature", "sso=maybe"}, 6, "sso 'maybe'");
  refused({"plan", "create", "gold", "--name", "Line\nbreak"}, 6, "--name");
  refused({"plan", "create", "starter", "--name", "Starter"}, 4, "plan starter already exists");
  refused({"plan", "update", "starter"}, 2, "nothing to update for plan starter");
  refused({"plan", "update", "gold", "--price", "1"}, 3, "no plan gold");
  refused({"plan", "update", "starter", "--stripe-price", "price with spaces"}, 6, "is not a Stripe price id");
  ASSERT_EQ(run({"plan", "update", "starter", "--stripe-price", "price_s"}).exit_code, 0);
  refused({"plan", "update", "professional", "--stripe-price", "price_s"}, 4, "belongs to plan starter");
  refused({"plan", "retire", "gold"}, 3, "no plan gold");
  refused({"plan", "list", "--after", "bogus"}, 6, "--after");
}

TEST_F(BillingInput, SubscriptionVerbsNameTheSubjectThePlanOrTheDays) {
  refused({"billing", "subscription", "show"}, 2, "whose subscription");
  refused({"billing", "subscription", "show", "acme", "--workspace", "acme/main"}, 2, "not both");
  refused({"billing", "subscription", "show", "ghost"}, 3, "ghost");
  refused({"billing", "subscription", "show", "--workspace", "acme/ghost"}, 3, "acme/ghost");
  refused({"billing", "subscription", "show", "acme"}, 3, "partner acme has no subscription");
  refused({"billing", "subscription", "set", "acme", "--plan", "gold"}, 3, "'gold' is not a plan");
  refused({"billing", "subscription", "set", "acme", "--plan", "starter", "--trial-days", "0"}, 6, "--trial-days 0");
  refused({"billing", "subscription", "set", "acme", "--plan", "starter", "--trial-days", "x"}, 2, "--trial-days");
  refused({"billing", "subscription", "cancel", "acme", "--yes"}, 3, "has no subscription");
  refused({"billing", "subscription", "resume", "acme"}, 3, "has no subscription");
  ASSERT_EQ(run({"billing", "subscription", "set", "acme", "--plan", "starter"}).exit_code, 0);
  refused({"billing", "subscription", "set", "acme", "--plan", "professional", "--trial-days", "7"}, 6,
          "applies to a new subscription");
  refused({"billing", "subscription", "cancel", "acme"}, 2, "--yes");
  exec("UPDATE subscriptions SET stripe_subscription_id = 'sub_x'");
  refused({"billing", "subscription", "set", "acme", "--plan", "professional"}, 4, "kept by Stripe");
  refused({"billing", "subscription", "cancel", "acme", "--yes"}, 4, "kept by Stripe");
}

TEST_F(BillingInput, CheckoutNeedsAKeyAPriceAPageAndAStripeThatAgrees) {
  refused({"billing", "checkout", "acme", "--plan", "professional"}, 6, "has no Stripe price");
  ASSERT_EQ(run({"plan", "update", "professional", "--stripe-price", "price_pro"}).exit_code, 0);
  refused({"billing", "checkout", "acme", "--plan", "professional"}, 3, "Stripe API key is not set");
  const std::string key = "sk_test_51Fake0123456789abcdef";
  ASSERT_EQ(run({"secret", "set", "stripe_api"}, key + "\n").exit_code, 0);
  refused({"billing", "checkout", "acme", "--plan", "professional"}, 2, "public_url");
  refused({"billing", "checkout", "acme", "--plan", "professional", "--success-url", "http://acme.example/ok",
           "--cancel-url", "https://acme.example/no"},
          6, "--success-url");
  refused({"billing", "checkout", "acme", "--plan", "professional", "--idempotency-key", "has space"}, 6,
          "--idempotency-key");
  test::FakeProviders fake(std::map<std::string, std::string>{{"stripe", "sk_test_another_account_key"}});
  env["WFA_STRIPE_API_BASE_URL"] = fake.base_url("stripe");
  env["WFA_PUBLIC_URL"] = "https://hooks.acme.test";
  auto r = run({"billing", "checkout", "acme", "--plan", "professional"});
  EXPECT_EQ(r.exit_code, 6) << r.err;
  EXPECT_NE(r.err.find("Stripe refused the platform's API key"), std::string::npos) << r.err;
  EXPECT_EQ((r.out + r.err).find(key), std::string::npos) << "the key never appears, not even in an error";
  fake.inject(json::array({{{"provider", "stripe"}, {"status", 503}, {"times", 10}}}));
  auto down = run({"billing", "checkout", "acme", "--plan", "professional"});
  EXPECT_EQ(down.exit_code, 7) << down.err;
  EXPECT_EQ(value("SELECT count(*) FROM audit_log WHERE action = 'billing.checkout'"), "0");
}

TEST_F(BillingInput, EventsApplyRefusesWhatIsNotAStripeEventAndKeepsNothing) {
  refused({"billing", "events", "apply", "missing.json"}, 3, "missing.json");
  refused({"billing", "events", "apply", file("broken.json", "{\"id\": ")}, 6, "broken.json");
  refused({"billing", "events", "apply", file("array.json", "[]")}, 6, "is not an event object");
  auto no_created = json{{"id", "evt_1"}, {"object", "event"}, {"type", "invoice.paid"}, {"data", {{"object", {}}}}};
  refused({"billing", "events", "apply", file("no_created.json", no_created.dump())}, 6, "has no created time");
  auto odd =
      event("evt_odd", "customer.subscription.updated", 1000, subscription("sub_1", "frozen", partner_id("acme")));
  refused({"billing", "events", "apply", file("odd.json", odd.dump())}, 6, "status 'frozen'");
  refused({"billing", "events", "list", "--outcome", "lost"}, 2, "lost");
}

TEST_F(BillingInput, OnlyTheRightActorsMayReadOrChangeBilling) {
  refused({"plan", "create", "gold", "--name", "Gold", "--as", "owner@acme.test"}, 5, "owner@acme.test");
  refused({"plan", "update", "starter", "--price", "1", "--as", "owner@acme.test"}, 5, "owner@acme.test");
  refused({"plan", "retire", "starter", "--as", "owner@acme.test"}, 5, "owner@acme.test");
  EXPECT_EQ(run({"plan", "list", "--as", "member@acme.test"}).exit_code, 0) << "anyone reads the catalogue";
  refused({"billing", "subscription", "set", "acme", "--plan", "starter", "--as", "owner@acme.test"}, 5,
          "owner@acme.test");
  refused(
      {"billing", "subscription", "set", "--workspace", "acme/main", "--plan", "starter", "--as", "member@acme.test"},
      5, "member@acme.test");
  ASSERT_EQ(run({"billing", "subscription", "set", "--workspace", "acme/main", "--plan", "starter", "--as",
                 "owner@acme.test"})
                .exit_code,
            0)
      << "a partner's owner sets its workspaces' plans";
  ASSERT_EQ(run({"billing", "subscription", "set", "acme", "--plan", "starter"}).exit_code, 0);
  EXPECT_EQ(run({"billing", "subscription", "show", "acme", "--as", "member@acme.test"}).exit_code, 0);
  refused({"billing", "subscription", "cancel", "acme", "--yes", "--as", "member@acme.test"}, 5, "member@acme.test");
  refused({"billing", "checkout", "acme", "--plan", "starter", "--as", "member@acme.test"}, 5, "member@acme.test");
  auto e = event("evt_r", "charge.refunded", 1000, refund("ch_1"));
  refused({"billing", "events", "apply", file("e.json", e.dump()), "--as", "owner@acme.test"}, 5, "owner@acme.test");
  refused({"billing", "events", "list", "--as", "owner@acme.test"}, 5, "owner@acme.test");
  EXPECT_EQ(run({"billing", "subscription", "cancel", "acme", "--yes", "--as", "owner@acme.test"}).exit_code, 0);
}

}  // namespace
}  // namespace wfa
