#pragma once
/// The voice providers wfa manages agents at: their names, default API addresses and the one read call that proves a
/// key works. No SQL and no CLI here: commands and the worker use the same clients.
#include <string>
#include <string_view>

#include "core/validation.hpp"
#include "pipelines/providers/http.hpp"

namespace wfa {

inline const Choices voice_providers = {"vapi", "retell", "synthflow"};

/// default_base_url is PROVIDER's public API (../shared/reference/providers.md §1.1, §2.1, §3.1).
std::string default_base_url(std::string_view provider);

/// key_check_path is the path of one authenticated, read-only GET that proves a key works: VAPI lists one assistant,
/// Retell reads the account's call concurrency, Synthflow lists one assistant.
std::string key_check_path(std::string_view provider);

/// KeyCheck is what a key check found: ok, refused (the provider rejected the key) or a one-line reason.
struct KeyCheck {
  bool ok = false;
  bool refused = false;
  std::string result;  ///< "ok (HTTP 200)", "refused (HTTP 401)", "HTTP 503"
};

/// read_key_check reads the response to the key check.
KeyCheck read_key_check(const HttpResponse& response);

}  // namespace wfa
