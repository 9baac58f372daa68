#pragma once
// Stripe objects and events as Stripe's current API shapes them (../shared/reference/providers.md §5), for the billing
// tests: a subscription with its items, an invoice under parent.subscription_details, checkout sessions, refunds.
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace wfa::stripe_test {

inline constexpr std::int64_t period_start = 1796083200;  // 2026-12-01T00:00:00Z
inline constexpr std::int64_t period_end = 1798761600;    // 2027-01-01T00:00:00Z

inline nlohmann::json event(const std::string& id, const std::string& type, std::int64_t created,
                            const nlohmann::json& object) {
  return {{"id", id},
          {"object", "event"},
          {"api_version", "2026-06-24.dahlia"},
          {"created", created},
          {"data", {{"object", object}}},
          {"livemode", false},
          {"pending_webhooks", 1},
          {"type", type}};
}

inline nlohmann::json metadata(const std::string& partner_id, const std::string& plan = "professional") {
  return {{"wfa_subject_type", "partner"}, {"wfa_subject_id", partner_id}, {"wfa_plan", plan}};
}

inline nlohmann::json subscription(const std::string& id, const std::string& status, const std::string& partner_id,
                                   const std::string& price = "price_pro", bool cancel_at_period_end = false) {
  return {{"id", id},
          {"object", "subscription"},
          {"customer", "cus_acme"},
          {"status", status},
          {"cancel_at_period_end", cancel_at_period_end},
          {"canceled_at", nullptr},
          {"trial_end", nullptr},
          {"created", period_start},
          {"metadata", metadata(partner_id)},
          {"items",
           {{"object", "list"},
            {"data", nlohmann::json::array({{{"id", "si_1"},
                                             {"price", {{"id", price}, {"unit_amount", 49900}}},
                                             {"current_period_start", period_start},
                                             {"current_period_end", period_end}}})}}}};
}

inline nlohmann::json invoice(const std::string& id, const std::string& status, const std::string& subscription_id,
                              std::int64_t total = 49900) {
  bool paid = status == "paid";
  return {{"id", id},
          {"object", "invoice"},
          {"customer", "cus_acme"},
          {"status", status},
          {"currency", "usd"},
          {"number", "ACME-" + id.substr(id.size() - 4)},
          {"subtotal", total},
          {"total", total},
          {"total_taxes", nlohmann::json::array()},
          {"amount_due", paid ? 0 : total},
          {"amount_paid", paid ? total : 0},
          {"amount_remaining", paid ? 0 : total},
          {"billing_reason", "subscription_cycle"},
          {"hosted_invoice_url", "https://invoice.stripe.com/i/" + id},
          {"parent", {{"type", "subscription_details"}, {"subscription_details", {{"subscription", subscription_id}}}}},
          {"period_start", period_start},
          {"period_end", period_end},
          {"status_transitions",
           {{"finalized_at", period_start + 60},
            {"paid_at", paid ? nlohmann::json(period_start + 120) : nlohmann::json()},
            {"voided_at", status == "void" ? nlohmann::json(period_start + 180) : nlohmann::json()}}},
          {"lines",
           {{"object", "list"},
            {"data", nlohmann::json::array({{{"id", "il_1"},
                                             {"description", "1 x Professional (at $499.00 / month)"},
                                             {"quantity", 1},
                                             {"amount", total},
                                             {"pricing", {{"unit_amount_decimal", std::to_string(total)}}},
                                             {"period", {{"start", period_start}, {"end", period_end}}}}})}}}};
}

inline nlohmann::json checkout_session(const std::string& partner_id, const std::string& subscription_id) {
  return {{"id", "cs_test_1"},
          {"object", "checkout.session"},
          {"mode", "subscription"},
          {"status", "complete"},
          {"customer", "cus_acme"},
          {"subscription", subscription_id},
          {"client_reference_id", partner_id},
          {"metadata", metadata(partner_id)}};
}

inline nlohmann::json refund(const std::string& charge) {
  return {{"id", charge},      {"object", "charge"},     {"amount", 49900},  {"amount_refunded", 10000},
          {"currency", "usd"}, {"customer", "cus_acme"}, {"refunded", false}};
}

}  // namespace wfa::stripe_test
