#pragma once
/// What serve's routes see and answer: a request already read and bounded, a response to write. No Beast here, so
/// route code compiles without the networking headers.
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wfa::serve {

struct HttpRequest {
  std::string method;  ///< GET, POST, ...
  std::string path;    ///< the target before '?', percent-encoding kept
  std::string query;   ///< after '?', or empty
  std::string body;
  std::string client;      ///< the peer's address
  std::string request_id;  ///< X-Request-Id when sane, else made here
  std::vector<std::pair<std::string, std::string>> headers;
  /// may_block: the handler may wait (on the database); false on an I/O thread, where only cached answers are given.
  bool may_block = true;
  /// header is the first value of NAME (any case), or empty.
  std::string_view header(std::string_view name) const;
};

class Deferred;

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string route;  ///< the route pattern that answered, for logs and metrics (never the raw target)
  /// retry_blocking: the answer needs to wait; ask again with may_block on a thread that may (the server does).
  bool retry_blocking = false;
  /// deferred: the answer comes later from another thread (a group commit); the server writes it then, and no thread
  /// waits for it meanwhile.
  std::shared_ptr<Deferred> deferred;
};

/// Deferred is one answer given later: complete() once, from any thread; then() is the server's, also once. Whichever
/// comes second runs the continuation.
class Deferred {
 public:
  void complete(HttpResponse response);
  void then(std::function<void(HttpResponse)> continuation);

 private:
  std::mutex mutex_;
  std::optional<HttpResponse> ready_;
  std::function<void(HttpResponse)> continuation_;
};

/// json_error is the body of every error answer: {"error": {"category": ..., "message": ...}}.
HttpResponse json_error(int status, std::string_view category, std::string_view message);

}  // namespace wfa::serve
