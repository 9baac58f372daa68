// Prometheus text rendering of serve's counters.
#include "serve/metrics.hpp"

#include <cstdio>

namespace wfa::serve {

namespace {

constexpr long bounds_us[] = {100, 250, 500, 1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000, 1000000};
constexpr std::size_t bound_count = sizeof bounds_us / sizeof bounds_us[0];

std::string label(const std::string& value) {
  std::string out;
  for (char c : value) out += (c == '"' || c == '\\') ? std::string("\\") + c : c == '\n' ? "\\n" : std::string(1, c);
  return out;
}

}  // namespace

void Metrics::answered(const std::string& route, int status, std::chrono::microseconds took) {
  std::lock_guard lock(mutex_);
  ++requests_[{route, status}];
  auto& h = latency_[route];
  if (h.buckets.empty()) h.buckets.assign(bound_count, 0);
  for (std::size_t i = 0; i < bound_count; ++i)
    if (took.count() <= bounds_us[i]) ++h.buckets[i];
  ++h.count;
  h.sum_seconds += static_cast<double>(took.count()) / 1e6;
}

std::string Metrics::render(const std::string& extra) const {
  std::string out =
      "# HELP wfa_http_requests_total Requests answered, by route and status.\n"
      "# TYPE wfa_http_requests_total counter\n";
  std::lock_guard lock(mutex_);
  for (const auto& [key, n] : requests_)
    out += "wfa_http_requests_total{route=\"" + label(key.first) + "\",status=\"" + std::to_string(key.second) +
           "\"} " + std::to_string(n) + "\n";
  out +=
      "# HELP wfa_http_request_duration_seconds Time from a request's first byte to its answer.\n"
      "# TYPE wfa_http_request_duration_seconds histogram\n";
  char number[64];
  for (const auto& [route, h] : latency_) {
    auto r = label(route);
    for (std::size_t i = 0; i < bound_count; ++i) {
      std::snprintf(number, sizeof number, "%g", static_cast<double>(bounds_us[i]) / 1e6);
      out += "wfa_http_request_duration_seconds_bucket{route=\"" + r + "\",le=\"" + number + "\"} " +
             std::to_string(h.buckets[i]) + "\n";
    }
    out +=
        "wfa_http_request_duration_seconds_bucket{route=\"" + r + "\",le=\"+Inf\"} " + std::to_string(h.count) + "\n";
    std::snprintf(number, sizeof number, "%.6f", h.sum_seconds);
    out += "wfa_http_request_duration_seconds_sum{route=\"" + r + "\"} " + number + "\n";
    out += "wfa_http_request_duration_seconds_count{route=\"" + r + "\"} " + std::to_string(h.count) + "\n";
  }
  out +=
      "# HELP wfa_http_connections_open Connections open now.\n# TYPE wfa_http_connections_open gauge\n"
      "wfa_http_connections_open " +
      std::to_string(connections.load()) +
      "\n# HELP wfa_http_requests_in_flight Requests being answered now.\n"
      "# TYPE wfa_http_requests_in_flight gauge\nwfa_http_requests_in_flight " +
      std::to_string(in_flight.load()) + "\n";
  return out + extra;
}

}  // namespace wfa::serve
