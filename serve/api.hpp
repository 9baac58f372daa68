#pragma once
/// The Mini App API (/api/...): each request authenticated by its initData, then answered through the verb library as
/// the caller, from the caches where a pool holds the answer. Another partner's workspace is 404, as if it were not.
#include <memory>

#include "serve/http_types.hpp"

namespace wfa {
class Config;
}

namespace wfa::serve {

class DatabasePool;
class TelegramAuth;
struct Caches;
class CircuitBreakers;

class Api {
 public:
  Api(const Config& settings, DatabasePool& pool, TelegramAuth& auth, Caches& caches, CircuitBreakers& circuits);
  ~Api();
  HttpResponse operator()(const HttpRequest& request);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wfa::serve
