#pragma once
/// ProviderClient sends requests to one provider account the way its official SDKs do, and more carefully: retries on
/// 408/409/429/5xx and dropped connections with exponential backoff and full jitter, honouring Retry-After (seconds or
/// an HTTP date) and retry-after-ms; a circuit breaker per provider and API key (closed, open, half-open) so a failing
/// provider is not hammered; and a bound on requests in flight per account. No SQL, no CLI.
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "pipelines/providers/http.hpp"

namespace wfa {

/// ClientPolicy is how hard a client tries; the defaults mirror the providers' SDKs (providers.md §1.7, §2.8).
struct ClientPolicy {
  int max_retries = 3;                                 ///< after the first attempt
  std::chrono::milliseconds backoff_base{500};         ///< first retry waits up to this, doubling each time
  std::chrono::milliseconds backoff_cap{8000};         ///< no jittered wait is longer
  std::chrono::milliseconds max_retry_after{60000};    ///< a longer Retry-After is not waited out: the call fails
  int breaker_failures = 5;                            ///< consecutive failures that open the circuit
  std::chrono::milliseconds breaker_cool_down{30000};  ///< open this long, then one trial request (half-open)
  int max_in_flight = 16;                              ///< requests at once per provider account
  std::chrono::milliseconds timeout{30000};
  /// sleep waits between attempts; tests record the waits instead.
  std::function<void(std::chrono::milliseconds)> sleep;
  /// now is the breaker's clock; tests move it.
  std::function<std::chrono::steady_clock::time_point()> now;
};

/// CircuitBreaker counts consecutive failures of one provider account: closed lets everything through; open refuses
/// until the cool-down has passed; then half-open lets one trial through, whose outcome closes or reopens it.
class CircuitBreaker {
 public:
  enum class State { closed, open, half_open };
  /// allow says whether a request may go now; in half-open only the first caller gets true.
  bool allow(std::chrono::steady_clock::time_point now, const ClientPolicy& policy);
  void succeeded();
  void failed(std::chrono::steady_clock::time_point now, const ClientPolicy& policy);
  State state() const;
  /// reopens_at is when an open circuit lets a trial through.
  std::chrono::steady_clock::time_point reopens_at() const;

 private:
  mutable std::mutex mutex_;
  State state_ = State::closed;
  int failures_ = 0;
  bool trial_out_ = false;
  std::chrono::steady_clock::time_point opened_at_{};
  std::chrono::milliseconds cool_down_{0};
};

/// ClientStats counts what a client did, for sync summaries and the benchmark.
struct ClientStats {
  std::atomic<long> requests{0};  ///< attempts sent
  std::atomic<long> retries{0};
  std::atomic<long> refused_by_breaker{0};
};

/// Retry says whether ProviderClient::call may send a request again. A create-call POST is sent once (never): a retry
/// after a timeout could dial twice, so its caller looks the call up instead (pipelines/providers/outbound_call).
enum class Retry { allowed, never };

/// ProviderClient talks to PROVIDER at BASE_URL with API_KEY; copies share the account's breaker and limit.
class ProviderClient {
 public:
  ProviderClient(std::string provider, std::string base_url, std::string api_key, ClientPolicy policy = {});

  /// call sends METHOD PATH (relative to the base URL) with an optional JSON BODY and returns the final response:
  /// 2xx, or a 4xx the provider means (not 408/409/429). Exhausted retries, an open circuit, a Retry-After beyond
  /// the policy, or a dropped connection after the last retry are TemporaryError (exit 7), naming the provider.
  HttpResponse call(const std::string& method, const std::string& path, const std::string& body = "");
  /// call with Retry::never sends one attempt (unless the circuit is open: TemporaryError, nothing sent) and returns
  /// whatever HTTP status came back, 429 and 5xx included, for the caller to read; a dropped connection or a timeout
  /// is TemporaryError. Retry::allowed is the call above.
  HttpResponse call(const std::string& method, const std::string& path, const std::string& body, Retry retry);

  const std::string& provider() const { return provider_; }
  CircuitBreaker& breaker();
  ClientStats& stats() { return *stats_; }

 private:
  struct Account;
  std::string provider_, base_url_, api_key_;
  ClientPolicy policy_;
  std::shared_ptr<Account> account_;
  std::shared_ptr<ClientStats> stats_;
};

/// retry_after_delay reads Retry-After (delta seconds or an HTTP date, relative to NOW) or retry-after-ms; none
/// gives a negative duration.
std::chrono::milliseconds retry_after_delay(const HttpResponse& response, std::chrono::system_clock::time_point now);

/// retryable_status is 408, 409, 429 or 5xx.
bool retryable_status(long status);

}  // namespace wfa
