#pragma once
/// FakeProviders runs tests/support/fake_providers.py (a fake VAPI, Retell and Synthflow on loopback) for one test and
/// stops it when the test ends.
#include <map>
#include <string>
#include <sys/types.h>

#include <nlohmann/json.hpp>

namespace wfa::test {

class FakeProviders {
 public:
  /// KEYS maps each provider to the API key the fake accepts.
  explicit FakeProviders(const std::map<std::string, std::string>& keys);
  ~FakeProviders();
  FakeProviders(const FakeProviders&) = delete;
  FakeProviders& operator=(const FakeProviders&) = delete;

  /// base_url is what WFA_<PROVIDER>_BASE_URL should be for PROVIDER.
  std::string base_url(const std::string& provider) const;
  /// requests lists every request the fake received (see fake_providers.py).
  nlohmann::json requests() const;
  /// objects is what each provider holds now.
  nlohmann::json objects() const;
  /// add_calls gives the providers call objects to list: {"vapi": [...], "retell": [...], "synthflow": [...]}.
  void add_calls(const nlohmann::json& calls) const;
  /// add_numbers gives the accounts numbers they already have: {"vapi": [...], "retell": [...], "synthflow": [...]}.
  void add_numbers(const nlohmann::json& numbers) const;
  /// inject queues FAULTS (a JSON array) for the requests to come.
  void inject(const nlohmann::json& faults) const;
  /// telegram_messages lists every sendMessage the fake Bot API took, with its arrival time in ms ("at").
  nlohmann::json telegram_messages() const;
  /// telegram_send_faults makes the next sendMessage calls fail as FAULTS say (see fake_providers.py).
  void telegram_send_faults(const nlohmann::json& faults) const;
  /// dial sets how created calls ring and end (duration_ms, outcomes, webhooks, refuse_over, reset_stats: see
  /// fake_providers.py).
  void dial(const nlohmann::json& config) const;
  /// dial_stats is {in_flight, max_in_flight, created, refused, calls: [...]}.
  nlohmann::json dial_stats() const;
  int port() const { return port_; }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

}  // namespace wfa::test
