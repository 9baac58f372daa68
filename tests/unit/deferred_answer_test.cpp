// serve's Deferred: an answer given by another thread reaches the server's continuation once, whichever comes first.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "serve/http_types.hpp"

namespace wfa::serve {
namespace {

HttpResponse answer(int status) {
  HttpResponse r;
  r.status = status;
  return r;
}

TEST(Deferred, AnAnswerGivenBeforeTheContinuationIsHandedOverWhenItComes) {
  Deferred d;
  d.complete(answer(201));
  int seen = 0, calls = 0;
  d.then([&](HttpResponse r) { seen = r.status, ++calls; });
  EXPECT_EQ(seen, 201);
  EXPECT_EQ(calls, 1);
}

TEST(Deferred, AContinuationWaitingForTheAnswerRunsOnTheThreadThatGivesIt) {
  for (int round = 0; round < 200; ++round) {
    Deferred d;
    std::atomic<int> calls{0};
    std::thread::id ran_on;
    std::thread giver([&] { d.complete(answer(200)); });
    d.then([&](HttpResponse r) {
      EXPECT_EQ(r.status, 200);
      ran_on = std::this_thread::get_id();
      ++calls;
    });
    auto giver_id = giver.get_id();
    giver.join();
    EXPECT_EQ(calls, 1) << "round " << round;
    EXPECT_TRUE(ran_on == giver_id || ran_on == std::this_thread::get_id());
  }
}

}  // namespace
}  // namespace wfa::serve
