#pragma once
/// A workspace's month as an invoice: the usage line, the credit that already paid for part of it, tax and total.
/// Pure integer arithmetic in minor units; wfa-billing(1) states the rules this implements.
#include <cstdint>
#include <string>
#include <vector>

namespace wfa {

/// UsageMonth is what the invoice of one workspace's month is made from.
struct UsageMonth {
  std::int64_t minutes = 0;           ///< billable minutes of the month (each call rounded up to a whole minute)
  std::int64_t included_minutes = 0;  ///< what the workspace's plan includes; 0 without a plan
  bool has_plan = false;              ///< the workspace had an active plan when its month was closed
  std::int64_t workspace_rate = 0;    ///< the workspace's own per-minute rate; 0 when it has none
  std::int64_t plan_rate = 0;         ///< the plan's overage rate per minute
  std::int64_t credit_cover = 0;      ///< what prepaid credit paid of the month's usage draws
  std::int32_t tax_bp = 0;            ///< the partner's invoice tax rate in basis points
};

struct InvoiceLineTerms {
  std::string description;
  std::int64_t quantity = 0, unit_amount = 0, amount = 0;
};

struct UsageInvoiceTerms {
  std::vector<InvoiceLineTerms> lines;  ///< the usage line, then the credit line (negative) when credit paid any
  std::int64_t billable_minutes = 0, rate = 0;
  std::int64_t subtotal = 0;         ///< usage before credit
  std::int64_t credits_applied = 0;  ///< at most the subtotal
  std::int64_t tax = 0;              ///< of subtotal − credits, rounded half up
  std::int64_t total = 0;            ///< subtotal − credits + tax
};

/// usage_invoice_terms: billable minutes are the minutes over the plan's included ones (all of them without a plan);
/// the rate is the workspace's own when it has one, else the plan's overage rate. Amounts that overflow are
/// InvalidInputError.
UsageInvoiceTerms usage_invoice_terms(const UsageMonth& month);

}  // namespace wfa
