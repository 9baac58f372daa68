#pragma once
/// serve's counters for /metrics (Prometheus text format 0.0.4): requests by route and status, latency histograms,
/// connections open and requests in flight.
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace wfa::serve {

class Metrics {
 public:
  void answered(const std::string& route, int status, std::chrono::microseconds took);
  std::atomic<long> connections{0};
  std::atomic<long> in_flight{0};
  /// render is the text /metrics answers, with EXTRA lines (other components' gauges) appended.
  std::string render(const std::string& extra = "") const;

 private:
  struct Histogram {
    std::vector<long> buckets;  ///< cumulative counts per bound in bounds_us
    long count = 0;
    double sum_seconds = 0;
  };
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, long> requests_;
  std::map<std::string, Histogram> latency_;
};

}  // namespace wfa::serve
