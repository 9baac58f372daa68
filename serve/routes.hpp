#pragma once
/// serve's routes: health, readiness, metrics and the Mini App API; the server calls one Routes for every request.
#include <functional>
#include <memory>
#include <string>

#include "serve/http_types.hpp"

namespace wfa {
class Session;
}

namespace wfa::serve {

class Metrics;
class Api;
class WebhookReceiver;

class Routes {
 public:
  /// GAUGES adds other components' lines (caches, pool, circuits) to /metrics.
  Routes(Session& session, Metrics& metrics, Api& api, WebhookReceiver& webhooks, std::function<std::string()> gauges);
  ~Routes();
  HttpResponse operator()(const HttpRequest& request);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wfa::serve
