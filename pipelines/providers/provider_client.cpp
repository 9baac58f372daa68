// Retries with full jitter, Retry-After, the circuit breaker and the in-flight bound of a provider account.
#include "pipelines/providers/provider_client.hpp"

#include <condition_variable>
#include <ctime>
#include <map>
#include <optional>
#include <random>
#include <thread>

#include "core/digest.hpp"
#include "core/error.hpp"

namespace wfa {

namespace {

/// Slots bounds the requests in flight for one account.
class Slots {
 public:
  explicit Slots(int limit) : limit_(limit > 0 ? limit : 1), free_(limit_) {}
  /// widen raises the bound to LIMIT when that is more (a dispatcher sending many calls at once).
  void widen(int limit) {
    {
      std::lock_guard lock(mutex_);
      if (limit <= limit_) return;
      free_ += limit - limit_;
      limit_ = limit;
    }
    ready_.notify_all();
  }
  void acquire() {
    std::unique_lock lock(mutex_);
    ready_.wait(lock, [&] { return free_ > 0; });
    --free_;
  }
  void release() {
    {
      std::lock_guard lock(mutex_);
      ++free_;
    }
    ready_.notify_one();
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  int limit_, free_;
};

std::chrono::milliseconds jittered(const ClientPolicy& policy, int attempt) {
  thread_local std::mt19937_64 random{std::random_device{}()};
  auto ceiling = policy.backoff_base.count() << std::min(attempt, 20);
  ceiling = std::min<long long>(ceiling, policy.backoff_cap.count());
  return std::chrono::milliseconds(
      std::uniform_int_distribution<long long>(0, std::max<long long>(ceiling, 0))(random));
}

std::string status_text(long status) { return "HTTP " + std::to_string(status); }

}  // namespace

struct ProviderClient::Account {
  std::shared_ptr<CircuitBreaker> breaker = std::make_shared<CircuitBreaker>();
  std::shared_ptr<Slots> slots;
};

bool CircuitBreaker::allow(std::chrono::steady_clock::time_point now, const ClientPolicy& policy) {
  (void)policy;
  std::lock_guard lock(mutex_);
  if (state_ == State::closed) return true;
  if (state_ == State::open && now - opened_at_ >= cool_down_) state_ = State::half_open, trial_out_ = false;
  if (state_ == State::half_open && !trial_out_) return trial_out_ = true;
  return false;
}

void CircuitBreaker::succeeded() {
  std::lock_guard lock(mutex_);
  state_ = State::closed, failures_ = 0, trial_out_ = false;
}

void CircuitBreaker::failed(std::chrono::steady_clock::time_point now, const ClientPolicy& policy) {
  std::lock_guard lock(mutex_);
  ++failures_;
  if (state_ == State::half_open || failures_ >= policy.breaker_failures) {
    state_ = State::open, opened_at_ = now, cool_down_ = policy.breaker_cool_down, trial_out_ = false;
  }
}

CircuitBreaker::State CircuitBreaker::state() const {
  std::lock_guard lock(mutex_);
  return state_;
}

std::chrono::steady_clock::time_point CircuitBreaker::reopens_at() const {
  std::lock_guard lock(mutex_);
  return opened_at_ + cool_down_;
}

bool retryable_status(long status) { return status == 408 || status == 409 || status == 429 || status >= 500; }

std::chrono::milliseconds retry_after_delay(const HttpResponse& response, std::chrono::system_clock::time_point now) {
  using std::chrono::milliseconds;
  if (response.retry_after_ms) {
    char* end = nullptr;
    auto ms = std::strtod(response.retry_after_ms->c_str(), &end);
    if (end != response.retry_after_ms->c_str() && ms >= 0) return milliseconds(static_cast<long long>(ms));
  }
  if (!response.retry_after) return milliseconds(-1);
  const auto& text = *response.retry_after;
  char* end = nullptr;
  auto seconds = std::strtod(text.c_str(), &end);
  if (end != text.c_str() && *end == '\0' && seconds >= 0) return milliseconds(static_cast<long long>(seconds * 1000));
  std::tm tm{};  // an HTTP date: "Sun, 06 Nov 1994 08:49:37 GMT"
  if (strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm) == nullptr) return milliseconds(-1);
  auto at = std::chrono::system_clock::from_time_t(timegm(&tm));
  return std::max(milliseconds(0), std::chrono::duration_cast<milliseconds>(at - now));
}

ProviderClient::ProviderClient(std::string provider, std::string base_url, std::string api_key, ClientPolicy policy)
    : provider_(std::move(provider)),
      base_url_(std::move(base_url)),
      api_key_(std::move(api_key)),
      policy_(std::move(policy)),
      stats_(std::make_shared<ClientStats>()) {
  while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
  if (!policy_.sleep) policy_.sleep = [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); };
  if (!policy_.now) policy_.now = [] { return std::chrono::steady_clock::now(); };
  // One breaker and one in-flight bound per provider account, found by a digest of the key, never the key.
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<Account>> accounts;
  auto id = provider_ + "/" + sha256_hex(api_key_).substr(0, 16) + "/" + base_url_;
  std::lock_guard lock(mutex);
  auto& account = accounts[id];
  if (!account) {
    account = std::make_shared<Account>();
    account->slots = std::make_shared<Slots>(policy_.max_in_flight);
  }
  account->slots->widen(policy_.max_in_flight);
  account_ = account;
}

CircuitBreaker& ProviderClient::breaker() { return *account_->breaker; }

HttpResponse ProviderClient::call(const std::string& method, const std::string& path, const std::string& body) {
  return call(method, path, body, Retry::allowed);
}

HttpResponse ProviderClient::call(const std::string& method, const std::string& path, const std::string& body,
                                  Retry retry) {
  HttpRequest request;
  request.method = method;
  request.url = base_url_ + path;
  request.body = body;
  request.timeout = policy_.timeout;
  request.headers = {{"Authorization", "Bearer " + api_key_}, {"Accept", "application/json"}};
  if (!body.empty()) request.headers.emplace_back("Content-Type", "application/json");
  std::string last_problem;
  bool any_sent = false;  // no attempt reached the provider: nothing happened there
  for (int attempt = 0;; ++attempt) {
    if (!account_->breaker->allow(policy_.now(), policy_)) {
      ++stats_->refused_by_breaker;
      auto wait = std::chrono::duration_cast<std::chrono::seconds>(account_->breaker->reopens_at() - policy_.now());
      auto message = "the " + provider_ + " circuit is open after repeated failures; no request is sent for " +
                     std::to_string(std::max<long long>(wait.count(), 0)) + " s more";
      auto hint = "wait for the provider to recover, then run the command again";
      if (any_sent) throw TemporaryError(message, hint);
      throw NotSent(message, hint);
    }
    std::optional<HttpResponse> response;
    bool sent = true;
    account_->slots->acquire();
    ++stats_->requests;
    try {
      response = send_http(request);
    } catch (const NotSent& e) {
      last_problem = e.what();
      sent = false;
    } catch (const TemporaryError& e) {
      last_problem = e.what();
    }
    account_->slots->release();
    any_sent = any_sent || sent;
    if (response && !retryable_status(response->status)) {
      // A 4xx the provider means is an answer about the request, not a sign of an unhealthy provider.
      account_->breaker->succeeded();
      return *response;
    }
    account_->breaker->failed(policy_.now(), policy_);
    if (response && retry == Retry::never) return *response;
    if (response)
      last_problem = provider_ + " answered " + method + " " + path.substr(0, path.find('?')) + " with " +
                     status_text(response->status);
    if ((attempt >= policy_.max_retries || retry == Retry::never) && !any_sent)
      throw NotSent(last_problem + (attempt > 0 ? " (after " + std::to_string(attempt) + " retries)" : ""),
                    "run the command again later; what succeeded is kept");
    if (attempt >= policy_.max_retries || retry == Retry::never)
      throw TemporaryError(last_problem + (attempt > 0 ? " (after " + std::to_string(attempt) + " retries)" : ""),
                           "run the command again later; what succeeded is kept");
    auto delay = jittered(policy_, attempt);
    if (response) {
      auto asked = retry_after_delay(*response, std::chrono::system_clock::now());
      if (asked > policy_.max_retry_after)
        throw TemporaryError(provider_ + " asks to wait " + std::to_string(asked.count() / 1000) + " s before " +
                                 method + " " + path.substr(0, path.find('?')),
                             "run the command again after that");
      if (asked.count() >= 0) delay = asked;
    }
    ++stats_->retries;
    policy_.sleep(delay);
  }
}

}  // namespace wfa
