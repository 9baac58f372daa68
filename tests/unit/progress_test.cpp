#include <gtest/gtest.h>

#include <chrono>
#include <sstream>
#include <thread>
#include <vector>

#include "cli/progress.hpp"

namespace wfa {
namespace {

using namespace std::chrono_literals;
using TimePoint = std::chrono::steady_clock::time_point;

TEST(FormatProgressTest, FullLine) {
  EXPECT_EQ(format_progress("proposals", 120, 300, 1.40625, 3), "proposals  120/300  40%  85.3/s  ETA 2s  (3 failed)");
}

TEST(FormatProgressTest, UnknownTotalOmitsPercentageAndEta) {
  EXPECT_EQ(format_progress("scan", 50, std::nullopt, 2.0, 0), "scan  50  25.0/s");
  EXPECT_EQ(format_progress("scan", 50, std::nullopt, 2.0, 1), "scan  50  25.0/s  (1 failed)");
}

TEST(FormatProgressTest, NoTimeYetShowsDashes) {
  EXPECT_EQ(format_progress("scan", 0, 10, 0.0, 0), "scan  0/10  0%  -  ETA -");
  EXPECT_EQ(format_progress("scan", 0, std::nullopt, 0.0, 0), "scan  0  -");
  EXPECT_EQ(format_progress("scan", 0, 10, 3.0, 0), "scan  0/10  0%  0.0/s  ETA -");
}

TEST(FormatProgressTest, CompleteAndEdgeTotals) {
  EXPECT_EQ(format_progress("x", 10, 10, 5.0, 0), "x  10/10  100%  2.0/s  ETA 0s");
  EXPECT_EQ(format_progress("x", 0, 0, 0.0, 0), "x  0/0  100%  -  ETA 0s");
  EXPECT_EQ(format_progress("x", 299, 300, 1.0, 0), "x  299/300  99%  299.0/s  ETA 1s");
  EXPECT_EQ(format_progress("", 1, 2, 1.0, 0), "1/2  50%  1.0/s  ETA 1s");
}

TEST(FormatProgressTest, EtaUnits) {
  EXPECT_EQ(format_progress("x", 10, 1000, 10.0, 0), "x  10/1000  1%  1.0/s  ETA 16m30s");
  EXPECT_EQ(format_progress("x", 1, 4000, 1.0, 0), "x  1/4000  0%  1.0/s  ETA 1h06m");
  EXPECT_EQ(format_eta(0), "0s");
  EXPECT_EQ(format_eta(0.2), "1s");
  EXPECT_EQ(format_eta(2.4), "2s");
  EXPECT_EQ(format_eta(59.6), "1m00s");
  EXPECT_EQ(format_eta(65), "1m05s");
  EXPECT_EQ(format_eta(3720), "1h02m");
  EXPECT_EQ(format_eta(100 * 3600.0), "100h00m");
}

/// FakeClock drives the reporter's throttle without sleeping.
struct FakeClock {
  TimePoint now{};
  ProgressReporter::Clock clock() {
    return [this] { return now; };
  }
};

TEST(ProgressReporterTest, DisabledWritesNothing) {
  std::ostringstream err;
  {
    ProgressReporter progress(err, false);
    progress.start("proposals", 10);
    progress.update(5, 1);
    progress.update(10, 1);
    progress.finish();
    progress.start("again", std::nullopt);
  }
  EXPECT_EQ(err.str(), "");
}

TEST(ProgressReporterTest, ThrottlesRedrawsToEvery100ms) {
  std::ostringstream err;
  FakeClock fake;
  ProgressReporter progress(err, true, fake.clock());
  progress.start("items", 10);
  EXPECT_EQ(err.str(), "\ritems  0/10  0%  -  ETA -\x1b[K");
  err.str("");
  fake.now += 50ms;
  progress.update(1);
  EXPECT_EQ(err.str(), "");
  fake.now += 50ms;
  progress.update(2);
  EXPECT_EQ(err.str(), "\ritems  2/10  20%  20.0/s  ETA 1s\x1b[K");
}

TEST(ProgressReporterTest, FinalStateAlwaysDrawnThenCleared) {
  std::ostringstream err;
  FakeClock fake;
  ProgressReporter progress(err, true, fake.clock());
  progress.start("items", 4);
  err.str("");
  fake.now += 10ms;
  progress.update(4, 1);
  EXPECT_EQ(err.str(), "\ritems  4/4  100%  400.0/s  ETA 0s  (1 failed)\x1b[K");
  err.str("");
  progress.finish();
  EXPECT_EQ(err.str(), "\r\x1b[K");
  err.str("");
  progress.finish();
  progress.update(5);
  EXPECT_EQ(err.str(), "");
}

TEST(ProgressReporterTest, FinishDrawsAThrottledUpdate) {
  std::ostringstream err;
  FakeClock fake;
  ProgressReporter progress(err, true, fake.clock());
  progress.start("scan", std::nullopt);
  err.str("");
  fake.now += 20ms;
  progress.update(7);
  EXPECT_EQ(err.str(), "");
  progress.finish();
  EXPECT_EQ(err.str(), "\rscan  7  350.0/s\x1b[K\r\x1b[K");
}

TEST(ProgressReporterTest, DestructorClearsAnUnfinishedLine) {
  std::ostringstream err;
  {
    FakeClock fake;
    ProgressReporter progress(err, true, fake.clock());
    progress.start("scan", 3);
  }
  EXPECT_EQ(err.str(), "\rscan  0/3  0%  -  ETA -\x1b[K\r\x1b[K");
}

TEST(ProgressReporterTest, UpdatesFromManyThreads) {
  std::ostringstream err;
  ProgressReporter progress(err, true);
  progress.start("work", 4000);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&progress, t] {
      for (std::size_t i = 1; i <= 1000; ++i) progress.update(static_cast<std::size_t>(t) * 1000 + i);
    });
  for (auto& thread : threads) thread.join();
  progress.finish();
  std::string text = err.str();
  EXPECT_EQ(text.rfind("\r\x1b[K"), text.size() - 4);
  EXPECT_EQ(text.find("\rwork  0/4000"), 0U);
}

TEST(ProgressReporterTest, AnEstimatedTotalCanBeRefined) {
  std::ostringstream err;
  FakeClock fake;
  ProgressReporter progress(err, true, fake.clock());
  progress.start("rows", std::nullopt);
  EXPECT_EQ(err.str(), "\rrows  0  -\x1b[K");
  err.str("");
  fake.now += 100ms;
  progress.set_total(40);
  progress.update(10);
  EXPECT_EQ(err.str(), "\rrows  10/40  25%  100.0/s  ETA 1s\x1b[K");
  err.str("");
  progress.set_total(12);
  progress.update(12);
  EXPECT_EQ(err.str(), "\rrows  12/12  100%  120.0/s  ETA 0s\x1b[K");
}

}  // namespace
}  // namespace wfa
