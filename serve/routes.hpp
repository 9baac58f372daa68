#pragma once
/// serve's routes: health, readiness, metrics and the Mini App API; the server calls one Routes for every request.
#include <memory>

#include "serve/http_types.hpp"

namespace wfa {
class Session;
}

namespace wfa::serve {

class Metrics;
class DatabasePool;
class TelegramAuth;

class Routes {
 public:
  Routes(Session& session, Metrics& metrics, DatabasePool& pool, TelegramAuth& auth);
  ~Routes();
  HttpResponse operator()(const HttpRequest& request);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wfa::serve
