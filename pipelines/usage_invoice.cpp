// The arithmetic of a usage invoice.
#include "pipelines/usage_invoice.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "pipelines/pricing.hpp"

namespace wfa {

namespace {

std::int64_t checked_product(std::int64_t a, std::int64_t b) {
  std::int64_t out = 0;
  if (__builtin_mul_overflow(a, b, &out))
    throw InvalidInputError("an invoice amount overflows (" + std::to_string(a) + " × " + std::to_string(b) + ")",
                            "check the workspace's minutes and rate");
  return out;
}

std::string minutes_text(std::int64_t n) { return std::to_string(n) + (n == 1 ? " minute" : " minutes"); }

}  // namespace

UsageInvoiceTerms usage_invoice_terms(const UsageMonth& m) {
  UsageInvoiceTerms t;
  t.billable_minutes = m.has_plan ? std::max<std::int64_t>(m.minutes - m.included_minutes, 0) : m.minutes;
  t.rate = m.workspace_rate > 0 ? m.workspace_rate : m.plan_rate;
  t.subtotal = checked_product(t.billable_minutes, t.rate);
  std::string what = "Voice minutes: " + minutes_text(m.minutes);
  if (m.has_plan) what += ", " + minutes_text(m.included_minutes) + " included";
  t.lines.push_back({what, t.billable_minutes, t.rate, t.subtotal});
  t.credits_applied = std::clamp<std::int64_t>(m.credit_cover, 0, t.subtotal);
  if (t.credits_applied > 0) t.lines.push_back({"Prepaid credit applied", 1, -t.credits_applied, -t.credits_applied});
  t.tax = half_up_share(t.subtotal - t.credits_applied, m.tax_bp);
  t.total = t.subtotal - t.credits_applied + t.tax;
  return t;
}

}  // namespace wfa
