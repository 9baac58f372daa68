#include <gtest/gtest.h>

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <stdexcept>
#include <thread>

#include <signal.h>

#include "core/cancellation.hpp"

namespace wfa {
namespace {

std::atomic<int> test_handler_calls{0};

void test_handler(int) { ++test_handler_calls; }

/// TestHandlers installs test_handler for SIGINT and SIGTERM, so a handler that was not restored is
/// caught by comparison instead of killing the test process, and puts the original ones back after.
class TestHandlers {
 public:
  TestHandlers() {
    struct sigaction action {};
    action.sa_handler = test_handler;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, &original_int_);
    sigaction(SIGTERM, &action, &original_term_);
    test_handler_calls = 0;
  }
  ~TestHandlers() {
    sigaction(SIGINT, &original_int_, nullptr);
    sigaction(SIGTERM, &original_term_, nullptr);
  }

 private:
  struct sigaction original_int_ {};
  struct sigaction original_term_ {};
};

void (*current_handler(int number))(int) {
  struct sigaction action {};
  sigaction(number, nullptr, &action);
  return action.sa_handler;
}

TEST(CancelTokenTest, StartsClearAndStaysCancelled) {
  CancelToken token;
  EXPECT_FALSE(token.cancelled());
  token.cancel();
  EXPECT_TRUE(token.cancelled());
  token.cancel();
  EXPECT_TRUE(token.cancelled());
}

TEST(CancelTokenTest, CancelFromAnotherThreadIsSeen) {
  CancelToken token;
  std::thread other([&] { token.cancel(); });
  other.join();
  EXPECT_TRUE(token.cancelled());
}

TEST(SignalCancellationTest, SignalRequestsCancellationForLinkedTokensOnly) {
  TestHandlers handlers;
  SignalCancellation signals;
  CancelToken linked(signals);
  CancelToken unlinked;
  EXPECT_FALSE(signals.requested());
  EXPECT_EQ(signals.signal_number(), 0);
  EXPECT_FALSE(linked.cancelled());

  std::raise(SIGTERM);

  EXPECT_TRUE(signals.requested());
  EXPECT_EQ(signals.signal_number(), SIGTERM);
  EXPECT_TRUE(linked.cancelled());
  EXPECT_FALSE(unlinked.cancelled());
  EXPECT_EQ(test_handler_calls.load(), 0) << "the previous handler must not see the signal";
}

TEST(SignalCancellationTest, KeepsTheFirstSignal) {
  TestHandlers handlers;
  SignalCancellation signals;
  std::raise(SIGINT);
  std::raise(SIGTERM);
  EXPECT_EQ(signals.signal_number(), SIGINT);
}

TEST(SignalCancellationTest, RestoresPreviousHandlers) {
  TestHandlers handlers;
  {
    SignalCancellation signals;
    EXPECT_NE(current_handler(SIGINT), test_handler);
    EXPECT_NE(current_handler(SIGTERM), test_handler);
    std::raise(SIGINT);
    EXPECT_TRUE(signals.requested());
  }
  EXPECT_EQ(current_handler(SIGINT), test_handler);
  EXPECT_EQ(current_handler(SIGTERM), test_handler);
  std::raise(SIGINT);
  EXPECT_EQ(test_handler_calls.load(), 1);
}

TEST(SignalCancellationTest, NewInstanceStartsWithoutRequest) {
  TestHandlers handlers;
  {
    SignalCancellation first;
    std::raise(SIGINT);
    ASSERT_TRUE(first.requested());
  }
  SignalCancellation second;
  EXPECT_FALSE(second.requested());
  EXPECT_EQ(second.signal_number(), 0);
}

TEST(SignalCancellationTest, OnlyOneInstanceAtATime) {
  TestHandlers handlers;
  SignalCancellation signals;
  EXPECT_THROW(SignalCancellation second, std::logic_error);
  EXPECT_NE(current_handler(SIGINT), test_handler);
  std::raise(SIGINT);
  EXPECT_TRUE(signals.requested()) << "the failed second instance must not disturb the first";
}

TEST(SignalCancellationDeathTest, SecondSignalTerminates) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        SignalCancellation signals;
        std::raise(SIGINT);
        std::raise(SIGINT);
        std::exit(0);
      },
      ::testing::KilledBySignal(SIGINT), "");
}

}  // namespace
}  // namespace wfa
