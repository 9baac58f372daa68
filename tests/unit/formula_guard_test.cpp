#include "core/formula_guard.hpp"

#include <gtest/gtest.h>

namespace wfa {

TEST(FormulaGuard, GuardsWhatASpreadsheetWouldRunAndPassesNumbers) {
  for (const char* formula : {"=HYPERLINK(\"http://x\")", "+cmd", "-2+3", "@SUM(A1)", "\tx", "\rx", "=1"})
    EXPECT_EQ(formula_guarded(formula), std::string("'") + formula) << formula;
  for (const char* data : {"+971501234567", "-12.50", "+1", "-3,5", "Ana", "", "a=b", "'quoted"})
    EXPECT_EQ(formula_guarded(data), data) << data;
}

TEST(FormulaGuard, StrippingUndoesTheGuardOnly) {
  EXPECT_EQ(without_formula_guard("'=SUM(A1)"), "=SUM(A1)");
  EXPECT_EQ(without_formula_guard("'+971501234567"), "'+971501234567") << "a guard wfa never adds stays";
  EXPECT_EQ(without_formula_guard("'Tis"), "'Tis");
  EXPECT_EQ(without_formula_guard("="), "=");
  for (const char* text : {"=x", "@y", "-z", "plain", "+44 7911"})
    EXPECT_EQ(without_formula_guard(formula_guarded(text)), text) << text;
}

}  // namespace wfa
