#pragma once
/// HTTPS requests to provider APIs through libcurl: one reused connection cache per thread, timeouts, no secret in any
/// message. Retries and circuit breaking are the caller's (provider_client); this is one attempt.
#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace wfa {

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;  ///< may carry secrets: never printed
  std::string body;
  std::chrono::milliseconds timeout{30000};
  std::chrono::milliseconds connect_timeout{10000};
};

struct HttpResponse {
  long status = 0;
  std::string body;
  std::optional<std::string> retry_after;     ///< the Retry-After header, as sent
  std::optional<std::string> retry_after_ms;  ///< Retell's retry-after-ms
};

/// NotSent is a request that never reached the provider (no connection could be made, or the client's circuit was
/// open): whatever it asked for did not happen, so it may be sent again without doing anything twice.
struct NotSent : TemporaryError {
  using TemporaryError::TemporaryError;
};

/// send_http performs REQUEST once. A failure to connect is NotSent; a timeout or a reset is TemporaryError, since
/// the provider may have acted; both name the method and the URL without its query. Any HTTP status is a response.
HttpResponse send_http(const HttpRequest& request);

}  // namespace wfa
