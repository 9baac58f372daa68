#include "core/error.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

#include <pqxx/except>
#include <set>

using namespace wfa;

TEST(ErrorCategory, ExitCodesFollowTheSpec) {
  EXPECT_EQ(exit_code(ErrorCategory::ok), 0);
  EXPECT_EQ(exit_code(ErrorCategory::unexpected), 1);
  EXPECT_EQ(exit_code(ErrorCategory::usage), 2);
  EXPECT_EQ(exit_code(ErrorCategory::not_found), 3);
  EXPECT_EQ(exit_code(ErrorCategory::conflict), 4);
  EXPECT_EQ(exit_code(ErrorCategory::permission), 5);
  EXPECT_EQ(exit_code(ErrorCategory::invalid_input), 6);
  EXPECT_EQ(exit_code(ErrorCategory::temporary), 7);
  EXPECT_EQ(exit_code(ErrorCategory::batch_partial), 8);
  EXPECT_EQ(exit_code(ErrorCategory::lock_held), 9);
  EXPECT_EQ(exit_code(ErrorCategory::outcome_unknown), 10);
  EXPECT_EQ(exit_code(ErrorCategory::interrupted), 130);
}

TEST(ErrorCategory, TableListsEveryCodeOnce) {
  std::set<int> codes;
  for (const auto& info : exit_code_table()) {
    EXPECT_TRUE(codes.insert(exit_code(info.category)).second);
    EXPECT_FALSE(category_name(info.category).empty());
  }
  EXPECT_EQ(codes.size(), 12u);
}

TEST(Classify, MapsTheHierarchyAndLibpqxxErrors) {
  auto category_of = [](auto&& exception) { return classify(std::make_exception_ptr(exception)).category; };
  EXPECT_EQ(category_of(NotFoundError("x")), ErrorCategory::not_found);
  EXPECT_EQ(category_of(LockHeldError("x")), ErrorCategory::lock_held);
  EXPECT_EQ(category_of(pqxx::broken_connection("gone")), ErrorCategory::temporary);
  EXPECT_EQ(category_of(pqxx::in_doubt_error("?")), ErrorCategory::outcome_unknown);
  EXPECT_EQ(category_of(pqxx::statement_completion_unknown("?")), ErrorCategory::outcome_unknown);
  EXPECT_EQ(category_of(pqxx::serialization_failure("retry")), ErrorCategory::temporary);
  EXPECT_EQ(category_of(pqxx::unique_violation("ERROR:  duplicate key\nDETAIL:  Key (slug)=(a)", "INSERT", "23505")),
            ErrorCategory::conflict);
  EXPECT_EQ(category_of(pqxx::check_violation("bad", "INSERT", "23514")), ErrorCategory::invalid_input);
  EXPECT_EQ(category_of(pqxx::insufficient_privilege("no", "UPDATE", "42501")), ErrorCategory::permission);
  EXPECT_EQ(category_of(std::runtime_error("boom")), ErrorCategory::unexpected);
}

TEST(Classify, SaysItInWfasWordsAndKeepsTheLibrarysForWfaDebug) {
  auto violation = std::make_exception_ptr(pqxx::unique_violation(
      "ERROR:  duplicate key value violates unique constraint \"partners_slug_key\"\nDETAIL:  Key (slug)=(a).\n", "",
      "23505"));
  unsetenv("WFA_DEBUG");
  auto c = classify(violation);
  EXPECT_EQ(c.message, "it already exists (unique constraint partners_slug_key)");
  EXPECT_EQ(classify(std::make_exception_ptr(std::runtime_error("[json.exception.type_error.302] boom"))).message,
            "unexpected internal failure");
  EXPECT_EQ(classify(std::make_exception_ptr(pqxx::failure("Error writing to table: server closed"))).category,
            ErrorCategory::temporary);
  setenv("WFA_DEBUG", "1", 1);
  EXPECT_NE(classify(violation).message.find("[duplicate key value violates"), std::string::npos);
  unsetenv("WFA_DEBUG");
  auto hinted = classify(std::make_exception_ptr(InvalidInputError("bad row at f.csv:3", "fix the phone column")));
  EXPECT_EQ(hinted.message, "bad row at f.csv:3");
  EXPECT_EQ(hinted.hint, "fix the phone column");
}
