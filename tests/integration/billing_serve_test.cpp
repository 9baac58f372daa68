// Stripe's events through the real server: a signed delivery is stored, then applied by the processor exactly once;
// a redelivery changes nothing and an update that arrives before its create still ends in the newest state.
#include <chrono>
#include <ctime>
#include <string>
#include <thread>

#include "pipelines/webhooks/webhook_signatures.hpp"
#include "tests/integration/serve_fixture.hpp"
#include "tests/integration/stripe_events_fixture.hpp"

namespace wfa {
namespace {

using namespace serve_test;
using namespace stripe_test;

class BillingServe : public Serve {
 protected:
  std::string acme;
  const std::string secret = "whsec_billing_test";
  BillingServe() {
    add_partner("acme", "Acme");
    acme = partner_id("acme");
    EXPECT_EQ(run({"secret", "set", "stripe_webhook"}, secret + "\n").exit_code, 0);
    EXPECT_EQ(run({"plan", "update", "professional", "--stripe-price", "price_pro"}).exit_code, 0);
    EXPECT_EQ(run({"plan", "update", "enterprise", "--stripe-price", "price_ent"}).exit_code, 0);
  }
  /// deliver posts EVENT signed with the platform's secret, as Stripe would, and expects its 2xx.
  std::string deliver(const json& e) {
    auto body = e.dump();
    auto t = std::to_string(std::time(nullptr));
    Connection c(port);
    c.send(
        "POST /webhooks/stripe HTTP/1.1\r\nHost: hooks.test\r\nContent-Type: application/json\r\nStripe-Signature: t=" +
        t + ",v1=" + hmac_sha256_hex(secret, t + "." + body) + "\r\nContent-Length: " + std::to_string(body.size()) +
        "\r\n\r\n" + body);
    auto response = c.response();
    EXPECT_EQ(status_of(response), 200) << response;
    return response;
  }
  /// settled waits until every stored Stripe event has been processed.
  bool settled() {
    for (int i = 0; i < 400; ++i) {
      if (value("SELECT count(*) FROM webhook_events WHERE provider = 'stripe' AND status = 'received'") == "0")
        return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }
  std::string sub(const std::string& column) {
    return value("SELECT " + column + " FROM subscriptions WHERE subject_id = '" + acme + "'");
  }
};

TEST_F(BillingServe, EveryStripeEventTypeDeliveredToServeIsAppliedOnce) {
  deliver(event("evt_s_checkout", "checkout.session.completed", 1000, checkout_session(acme, "sub_1")));
  deliver(event("evt_s_created", "customer.subscription.created", 1001, subscription("sub_1", "trialing", acme)));
  ASSERT_TRUE(settled()) << log_text();
  EXPECT_EQ(sub("status || ' ' || stripe_subscription_id"), "trialing sub_1");
  deliver(event("evt_s_trial", "customer.subscription.trial_will_end", 1002, subscription("sub_1", "trialing", acme)));
  deliver(event("evt_s_updated", "customer.subscription.updated", 1003,
                subscription("sub_1", "active", acme, "price_ent")));
  deliver(event("evt_s_fin", "invoice.finalized", 1010, invoice("in_0001", "open", "sub_1")));
  deliver(event("evt_s_failed", "invoice.payment_failed", 1011, invoice("in_0001", "open", "sub_1")));
  deliver(event("evt_s_paid", "invoice.paid", 1012, invoice("in_0001", "paid", "sub_1")));
  deliver(event("evt_s_void", "invoice.voided", 1013, invoice("in_0002", "void", "sub_1")));
  deliver(event("evt_s_refund", "charge.refunded", 1014, refund("ch_1")));
  ASSERT_TRUE(settled()) << log_text();
  EXPECT_EQ(sub("status || ' ' || plan"), "active enterprise");
  EXPECT_EQ(value("SELECT plan_tier || ' ' || subscription_status FROM partners WHERE slug = 'acme'"),
            "enterprise active");
  EXPECT_EQ(value("SELECT string_agg(stripe_invoice_id || ' ' || status || ' ' || payment_failures, ', ' ORDER BY"
                  " stripe_invoice_id) FROM invoices"),
            "in_0001 paid 1, in_0002 void 0");
  EXPECT_EQ(value("SELECT outcome FROM payment_events WHERE event_id = 'evt_s_refund'"), "recorded");

  auto again = deliver(event("evt_s_paid", "invoice.paid", 1012, invoice("in_0001", "paid", "sub_1")));
  EXPECT_EQ(json::parse(body_of(again))["duplicate"], true);
  deliver(event("evt_s_deleted", "customer.subscription.deleted", 1020, subscription("sub_1", "active", acme)));
  ASSERT_TRUE(settled()) << log_text();
  EXPECT_EQ(sub("status"), "canceled");
  EXPECT_EQ(value("SELECT string_agg(DISTINCT status, ',') FROM webhook_events WHERE provider = 'stripe'"),
            "processed");
  EXPECT_EQ(count("payment_events"), 10);
  EXPECT_EQ(value("SELECT count(*) FROM audit_log WHERE action LIKE 'billing.%.stripe'"), "9");
}

TEST_F(BillingServe, AnUpdateBeforeItsCreateEndsInTheNewestStateAndAnOlderUpdateChangesNothing) {
  deliver(event("evt_o_upd", "customer.subscription.updated", 2000,
                subscription("sub_9", "active", acme, "price_pro", true)));
  ASSERT_TRUE(settled()) << log_text();
  deliver(event("evt_o_new", "customer.subscription.created", 1000, subscription("sub_9", "incomplete", acme)));
  deliver(event("evt_o_old", "customer.subscription.updated", 1500, subscription("sub_9", "past_due", acme)));
  ASSERT_TRUE(settled()) << log_text();
  EXPECT_EQ(sub("status || ' ' || cancel_at_period_end"), "active true");
  EXPECT_EQ(value("SELECT string_agg(outcome, ',' ORDER BY event_created) FROM payment_events"), "stale,stale,applied");
}

}  // namespace
}  // namespace wfa
