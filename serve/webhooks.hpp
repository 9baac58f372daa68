#pragma once
/// serve's webhook routes (POST /webhooks/vapi|retell|synthflow/ENDPOINT): the endpoint names the integration whose
/// secret checks the raw body; a verified delivery is committed to webhook_events (group commit across concurrent
/// requests) before the 2xx; processing follows on a thread of its own, exactly once, and picks up after a restart
/// whatever was stored but not processed.
#include <memory>

#include "serve/http_types.hpp"

namespace wfa {
class Config;
}

namespace wfa::serve {

struct Caches;

class WebhookReceiver {
 public:
  WebhookReceiver(const Config& settings, Caches& caches);
  ~WebhookReceiver();
  /// operator() answers a /webhooks/ request; it waits on the database, so it asks for a blocking thread.
  HttpResponse operator()(const HttpRequest& request);
  /// render is the receiver's lines for /metrics.
  std::string render() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wfa::serve
