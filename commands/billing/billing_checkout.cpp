// `wfa billing checkout`: a Stripe Checkout session for a partner and plan, made once per Idempotency-Key; the
// subscription itself arrives with Stripe's events (checkout.session.completed, customer.subscription.*).
#include <nlohmann/json.hpp>
#include <pqxx/binarystring>
#include <pqxx/result>
#include <pqxx/transaction>

#include "commands/billing/billing.hpp"
#include "commands/billing/billing_rules.hpp"
#include "commands/secret/secret.hpp"
#include "commands/secret/secret_keys.hpp"
#include "commands/tenancy/actor.hpp"
#include "core/audited_mutation.hpp"
#include "core/config.hpp"
#include "core/database.hpp"
#include "core/digest.hpp"
#include "core/error.hpp"
#include "core/secret_box.hpp"
#include "core/session.hpp"
#include "core/url.hpp"
#include "core/utc_time.hpp"
#include "pipelines/stripe/stripe_api.hpp"

namespace wfa {

namespace {

/// checkout_url is the page Stripe sends the buyer back to: the option, else public_url's /billing/checkout/WHAT.
std::string checkout_url(Session& session, const std::optional<std::string>& given, const std::string& option,
                         const std::string& what) {
  auto hint = "give " + session.option(option) + " https://... or set public_url";
  if (given) return check_https_url(session.option(option), *given, hint);
  auto base = session.settings().value("public_url");
  if (base.empty()) throw UsageError("where does Stripe send the buyer " + what + "? no " + option + " given", hint);
  while (!base.empty() && base.back() == '/') base.pop_back();
  return check_https_url("public_url", base + "/billing/checkout/" + what, hint);
}

void check_idempotency_key(Session& session, const std::string& key) {
  bool printable = !key.empty() && key.size() <= 255;
  for (char c : key) printable = printable && c > 0x20 && c < 0x7f;
  if (!printable)
    throw InvalidInputError(session.option("idempotency-key") + " is not 1 to 255 printable characters without spaces",
                            "leave it out to have one derived, or give e.g. checkout-acme-2026-12");
}

}  // namespace

Result run_billing_checkout(const BillingCheckoutOptions& o, Session& session) {
  if (o.idempotency_key) check_idempotency_key(session, *o.idempotency_key);
  std::string api_key, customer;
  PartnerRef partner;
  PlanTerms plan;
  {
    pqxx::work tx(session.database().ready());
    partner = partner_for(tx, session, o.partner, "partner:billing:update");
    refuse_if_partner_deleted(tx, partner.id, "start a checkout");
    plan = plan_terms(tx, session.option("plan"), o.plan, true);
    if (!plan.stripe_price_id)
      throw InvalidInputError("plan " + plan.tier + " has no Stripe price to check out",
                              "set one with `wfa plan update " + plan.tier + " --stripe-price price_...`");
    auto rows = tx.exec_params(
        "SELECT stripe_customer_id FROM subscriptions WHERE subject_type = 'partner' AND subject_id = $1::uuid AND"
        " stripe_customer_id IS NOT NULL",
        partner.id);
    if (!rows.empty()) customer = rows[0][0].as<std::string>();
    auto secret = tx.exec("SELECT value FROM platform_secrets WHERE name = 'stripe_api'");
    if (secret.empty())
      throw NotFoundError("the platform's Stripe API key is not set",
                          "a super admin sets it with `wfa secret set stripe_api`");
    api_key = secret_keyring(session, tx)
                  .open(pqxx::binarystring(secret[0][0]).str(), platform_secret_context("stripe_api"),
                        "the stripe_api secret");
    tx.commit();
  }
  auto success = checkout_url(session, o.success_url, "success-url", "success");
  auto cancel = checkout_url(session, o.cancel_url, "cancel-url", "cancel");
  FormFields fields = {{"mode", "subscription"},         {"line_items[0][price]", *plan.stripe_price_id},
                       {"line_items[0][quantity]", "1"}, {"success_url", success},
                       {"cancel_url", cancel},           {"client_reference_id", partner.id}};
  for (const auto& prefix : {std::string("metadata"), std::string("subscription_data[metadata]")}) {
    fields.emplace_back(prefix + "[wfa_subject_type]", "partner");
    fields.emplace_back(prefix + "[wfa_subject_id]", partner.id);
    fields.emplace_back(prefix + "[wfa_plan]", plan.tier);
  }
  if (!customer.empty()) fields.emplace_back("customer", customer);
  // The same partner, plan and pages on one UTC day make the same key, so a rerun gets the same session from Stripe.
  auto key = o.idempotency_key.value_or("wfa-checkout-" +
                                        sha256_hex(partner.id + "\n" + plan.tier + "\n" + *plan.stripe_price_id + "\n" +
                                                   success + "\n" + cancel + "\n" + utc_now_text().substr(0, 10))
                                            .substr(0, 32));
  StripeAnswer answer;
  try {
    answer =
        stripe_post(session.settings().value("stripe_api_base_url"), api_key, "/v1/checkout/sessions", fields, key);
  } catch (...) {
    wipe_secret(api_key);
    throw;
  }
  wipe_secret(api_key);
  if (answer.status == 401 || answer.status == 403)
    throw InvalidInputError("Stripe refused the platform's API key (HTTP " + std::to_string(answer.status) + ")",
                            "set the secret key of the right account with `wfa secret set stripe_api`");
  if (answer.status >= 500 || answer.status == 429)
    throw TemporaryError("Stripe could not make the checkout session (HTTP " + std::to_string(answer.status) + ")",
                         "try again; the same key makes no duplicate");
  if (answer.status >= 400)
    throw InvalidInputError("Stripe refused the checkout session for plan " + plan.tier + ": " + answer.error,
                            "check the plan's Stripe price with `wfa plan show " + plan.tier + "`");
  auto body = nlohmann::json::parse(answer.body, nullptr, false);
  if (!body.is_object() || !body.contains("url") || !body["url"].is_string() || !body.contains("id") ||
      !body["id"].is_string())
    throw TemporaryError("Stripe's answer to the checkout session has no id or url", "try again");
  auto id = body["id"].get<std::string>(), url = body["url"].get<std::string>();
  pqxx::work tx(session.database().ready());
  record_audit(
      tx, {session.actor(), "billing.checkout", "checkout_session", id, partner.id, std::nullopt, "",
           nlohmann::json{{"plan", plan.tier}, {"url", url}}.dump(), nlohmann::json{{"idempotency_key", key}}.dump()});
  tx.commit();
  Result r;
  r.fields = {{"partner", Cell(partner.slug)},
              {"plan", Cell(plan.tier)},
              {"session_id", Cell(id)},
              {"url", Cell(url)},
              {"idempotency_key", Cell(key)}};
  if (body.contains("expires_at") && body["expires_at"].is_number_integer())
    r.fields.emplace_back("expires_at",
                          Cell::time(utc_text(body["expires_at"].get<std::int64_t>() * 1000).substr(0, 19) + "Z"));
  return r;
}

}  // namespace wfa
