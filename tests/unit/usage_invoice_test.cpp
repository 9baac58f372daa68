// The usage invoice's arithmetic (wfa-billing(1)): billable minutes, the rate chosen, credit capped at the subtotal,
// tax rounded half up at the boundary, overflow refused.
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "pipelines/usage_invoice.hpp"

namespace wfa {
namespace {

TEST(UsageInvoice, WithoutAPlanEveryMinuteIsBilledAtTheWorkspaceRate) {
  auto t = usage_invoice_terms({.minutes = 120, .workspace_rate = 10, .plan_rate = 99});
  EXPECT_EQ(t.billable_minutes, 120);
  EXPECT_EQ(t.rate, 10) << "the workspace's own rate wins over the plan's";
  EXPECT_EQ(t.subtotal, 1200);
  ASSERT_EQ(t.lines.size(), 1u);
  EXPECT_EQ(t.lines[0].description, "Voice minutes: 120 minutes");
  EXPECT_EQ(t.total, 1200);
}

TEST(UsageInvoice, APlanBillsOnlyTheMinutesOverWhatItIncludesAtItsOverageRate) {
  auto t = usage_invoice_terms({.minutes = 130, .included_minutes = 100, .has_plan = true, .plan_rate = 7});
  EXPECT_EQ(t.billable_minutes, 30);
  EXPECT_EQ(t.subtotal, 210);
  EXPECT_EQ(t.lines[0].description, "Voice minutes: 130 minutes, 100 minutes included");
  auto under = usage_invoice_terms({.minutes = 40, .included_minutes = 100, .has_plan = true, .plan_rate = 7});
  EXPECT_EQ(under.billable_minutes, 0) << "never below zero";
  EXPECT_EQ(under.total, 0);
}

TEST(UsageInvoice, CreditIsCappedAtTheSubtotalAndTaxIsOnWhatRemains) {
  auto t = usage_invoice_terms({.minutes = 120, .workspace_rate = 10, .credit_cover = 500, .tax_bp = 500});
  EXPECT_EQ(t.credits_applied, 500);
  ASSERT_EQ(t.lines.size(), 2u);
  EXPECT_EQ(t.lines[1].amount, -500);
  EXPECT_EQ(t.tax, 35);
  EXPECT_EQ(t.total, 735);
  auto covered = usage_invoice_terms({.minutes = 1, .workspace_rate = 10, .credit_cover = 5000, .tax_bp = 500});
  EXPECT_EQ(covered.credits_applied, 10);
  EXPECT_EQ(covered.total, 0);
}

TEST(UsageInvoice, TaxRoundsHalfUpToAMinorUnit) {
  auto at = [](std::int64_t amount, std::int32_t bp) {
    return usage_invoice_terms({.minutes = amount, .workspace_rate = 1, .tax_bp = bp}).tax;
  };
  EXPECT_EQ(at(9, 500), 0);      // 0.45
  EXPECT_EQ(at(10, 500), 1);     // 0.5
  EXPECT_EQ(at(29, 500), 1);     // 1.45
  EXPECT_EQ(at(30, 500), 2);     // 1.5
  EXPECT_EQ(at(1, 10000), 1);    // 100 %
  EXPECT_EQ(at(1000, 725), 73);  // 72.5
  EXPECT_EQ(at(1000, 0), 0);
}

TEST(UsageInvoice, AnAmountThatOverflowsIsRefused) {
  EXPECT_THROW(usage_invoice_terms({.minutes = INT64_MAX / 2, .workspace_rate = 3}), InvalidInputError);
}

}  // namespace
}  // namespace wfa
