#pragma once
/// serve's HTTP/1.1 server on Boost.Beast and Asio: event-driven keep-alive (an idle connection holds no thread),
/// TCP_NODELAY, a real listen backlog, header and body limits, read and idle timeouts, and a graceful stop (no new
/// connections, requests in flight answered, idle connections closed). A handler answers on the I/O thread when it can
/// without waiting; one that must wait (the database) is run again on a pool of blocking threads, so a slow query
/// never stalls the connections an I/O thread serves.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "serve/http_types.hpp"

namespace wfa::serve {

struct ServerOptions {
  std::string address = "127.0.0.1";
  unsigned short port = 8080;     ///< 0 picks a free port (see HttpServer::port)
  unsigned threads = 0;           ///< 0: one per core
  unsigned blocking_threads = 0;  ///< for handlers that wait; 0: two per I/O thread
  int backlog = 4096;
  std::size_t header_limit = 16 * 1024;
  std::size_t body_limit = 1024 * 1024;
  std::chrono::seconds read_timeout{15};   ///< to receive a whole request once it started
  std::chrono::seconds idle_timeout{75};   ///< a keep-alive connection with no request
  std::chrono::seconds drain_timeout{30};  ///< stop: how long requests in flight may take
};

/// ServerEvents lets the owner count what the server does (metrics, access log); all optional.
struct ServerEvents {
  std::function<void(const HttpRequest&, const HttpResponse&, std::chrono::microseconds, std::size_t bytes)> answered;
  std::function<void(int delta)> connections;  ///< +1 opened, -1 closed
  std::function<void(int delta)> in_flight;
};

using Handler = std::function<HttpResponse(const HttpRequest&)>;

class HttpServer {
 public:
  /// Binds and listens at once (an address in use is Error temporary naming it); serving starts with run().
  HttpServer(ServerOptions options, Handler handler, ServerEvents events = {});
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  unsigned short port() const;
  /// run serves until stop() or SIGTERM/SIGINT, then drains; returns once every connection is closed.
  void run();
  /// stop begins the graceful stop from any thread.
  void stop();

 private:
  friend class Session;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wfa::serve
