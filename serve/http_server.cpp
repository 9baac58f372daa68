// The HTTP/1.1 server: one strand per connection on a shared io_context, Beast's parser with limits, a graceful stop.
#include "serve/http_server.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <thread>
#include <vector>

#include "core/error.hpp"

namespace wfa::serve {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

namespace {

std::string new_request_id() {
  thread_local std::mt19937_64 random{std::random_device{}()};
  static const char* digits = "0123456789abcdef";
  std::string id(16, '0');
  auto bits = random();
  for (auto& c : id) c = digits[bits & 15], bits >>= 4;
  return id;
}

/// usable_request_id keeps a caller's X-Request-Id only when it is short and plain (it goes into the logs).
bool usable_request_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') return false;
  return true;
}

}  // namespace

class Session;

struct HttpServer::Impl {
  ServerOptions options;
  Handler handler;
  ServerEvents events;
  net::io_context ioc;
  std::unique_ptr<net::thread_pool> blocking;
  tcp::acceptor acceptor;
  net::signal_set signals;
  net::steady_timer drain_timer;
  std::atomic<bool> stopping{false};
  std::mutex mutex;
  std::map<Session*, std::weak_ptr<Session>> sessions;

  Impl(ServerOptions o, Handler h, ServerEvents e)
      : options(std::move(o)),
        handler(std::move(h)),
        events(std::move(e)),
        ioc(static_cast<int>(options.threads)),
        blocking(std::make_unique<net::thread_pool>(options.blocking_threads)),
        acceptor(ioc),
        signals(ioc, SIGINT, SIGTERM),
        drain_timer(ioc) {}

  void accept();
  void begin_stop();
  void session_ended(Session* session);
};

/// Session is one connection: read a request (header, then body), answer it, and again while it is kept alive.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, HttpServer::Impl& server) : stream_(std::move(socket)), server_(server) {
    beast::error_code ec;
    auto peer = stream_.socket().remote_endpoint(ec);
    if (!ec) client_ = peer.address().to_string();
    stream_.socket().set_option(tcp::no_delay(true), ec);
  }
  ~Session() {
    if (server_.events.connections) server_.events.connections(-1);
    server_.session_ended(this);
  }

  void start() {
    if (server_.events.connections) server_.events.connections(+1);
    read_header();
  }

  /// close_if_idle ends a connection that waits for a request with nothing received (the graceful stop).
  void close_if_idle() {
    if (idle_ && buffer_.size() == 0) close();
  }

  beast::tcp_stream& stream() { return stream_; }

 private:
  void read_header() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(server_.options.header_limit));
    parser_->body_limit(server_.options.body_limit);
    idle_ = true;
    if (server_.stopping && buffer_.size() == 0) return close();
    stream_.expires_after(server_.options.idle_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
  }

  void on_header(beast::error_code ec) {
    idle_ = false;
    if (ec) return fail(ec);
    started_ = std::chrono::steady_clock::now();
    stream_.expires_after(server_.options.read_timeout);
    auto& header = parser_->get();
    auto expect = header[http::field::expect];
    if (beast::iequals(expect, "100-continue") && !parser_->is_done()) {
      static const std::string go_on = "HTTP/1.1 100 Continue\r\n\r\n";
      net::async_write(stream_, net::buffer(go_on), [self = shared_from_this()](beast::error_code e, std::size_t) {
        if (e) return self->close();
        self->read_body();
      });
      return;
    }
    read_body();
  }

  void read_body() {
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_request(ec); });
  }

  void fail(beast::error_code ec) {
    if (ec == http::error::header_limit) return answer_error(431, "the request's headers are too large");
    if (ec == http::error::body_limit) return answer_error(413, "the request's body is too large");
    // Any other parse error is a request that is not HTTP/1.1; a connection that went or timed out is just closed.
    if (ec.category() == make_error_code(http::error::bad_method).category() && ec != http::error::end_of_stream &&
        ec != http::error::partial_message)
      return answer_error(400, "the request is not valid HTTP/1.1");
    close();
  }

  void answer_error(int status, std::string_view message) {
    HttpRequest request;
    request.client = client_;
    request.request_id = new_request_id();
    request.method = "-";
    auto response = json_error(status, "invalid_input", message);
    response.route = "(malformed)";
    write(request, std::move(response), false);
  }

  void on_request(beast::error_code ec) {
    if (ec) return fail(ec);
    auto message = parser_->release();
    HttpRequest request;
    request.method = std::string(message.method_string());
    auto target = std::string(message.target());
    auto q = target.find('?');
    request.path = target.substr(0, q);
    if (q != std::string::npos) request.query = target.substr(q + 1);
    request.body = std::move(message.body());
    request.client = client_;
    for (const auto& field : message) request.headers.emplace_back(field.name_string(), field.value());
    auto given = request.header("x-request-id");
    request.request_id = usable_request_id(given) ? std::string(given) : new_request_id();
    bool keep_alive = message.keep_alive();
    if (server_.events.in_flight) server_.events.in_flight(+1);
    request.may_block = false;
    auto response = answer(request);
    if (response.deferred) {
      // Given later by another thread: written on this connection's strand when it comes; the guard keeps the I/O
      // threads running until then.
      auto job = std::make_shared<HttpRequest>(std::move(request));
      auto guard =
          std::make_shared<net::executor_work_guard<net::io_context::executor_type>>(server_.ioc.get_executor());
      response.deferred->then([self = shared_from_this(), job, keep_alive, guard](HttpResponse given) {
        auto out = std::make_shared<HttpResponse>(std::move(given));
        net::post(self->stream_.get_executor(),
                  [self, job, out, keep_alive, guard] { self->finish(*job, std::move(*out), keep_alive); });
      });
      return;
    }
    if (!response.retry_blocking) return finish(request, std::move(response), keep_alive);
    // The answer must wait: run the handler again on the blocking pool, then write on this connection's strand. The
    // guard keeps the I/O threads running (a graceful stop included) until the answer is written.
    auto job = std::make_shared<HttpRequest>(std::move(request));
    job->may_block = true;
    net::post(*server_.blocking,
              [self = shared_from_this(), job, keep_alive, guard = net::make_work_guard(server_.ioc)] {
                auto response = std::make_shared<HttpResponse>(self->answer(*job));
                net::post(self->stream_.get_executor(),
                          [self, job, response, keep_alive] { self->finish(*job, std::move(*response), keep_alive); });
              });
  }

  HttpResponse answer(const HttpRequest& request) {
    try {
      return server_.handler(request);
    } catch (const std::exception&) {
      auto response = json_error(500, "unexpected", "the server failed to answer; the request id is in its log");
      response.route = "(failed)";
      return response;
    }
  }

  void finish(const HttpRequest& request, HttpResponse&& response, bool keep_alive) {
    if (server_.events.in_flight) server_.events.in_flight(-1);
    write(request, std::move(response), keep_alive && !server_.stopping);
  }

  void write(const HttpRequest& request, HttpResponse&& response, bool keep_alive) {
    auto out = std::make_shared<http::response<http::string_body>>(static_cast<http::status>(response.status), 11);
    out->set(http::field::content_type, response.content_type);
    out->set("X-Request-Id", request.request_id);
    out->set("X-Content-Type-Options", "nosniff");
    out->set("Referrer-Policy", "no-referrer");
    out->set(http::field::cache_control, "no-store");
    for (const auto& [name, value] : response.headers) out->set(name, value);
    out->keep_alive(keep_alive);
    out->body() = std::move(response.body);
    out->prepare_payload();
    auto bytes = out->body().size();
    if (server_.events.answered)
      server_.events.answered(
          request, response,
          std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started_), bytes);
    http::async_write(stream_, *out, [self = shared_from_this(), out, keep_alive](beast::error_code ec, std::size_t) {
      if (ec || !keep_alive) return self->close();
      self->read_header();
    });
  }

  void close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.close();
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  HttpServer::Impl& server_;
  std::string client_;
  bool idle_ = true;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

void HttpServer::Impl::accept() {
  acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
    if (ec) {
      if (!stopping && acceptor.is_open()) accept();  // e.g. too many open files: keep serving the others
      return;
    }
    auto session = std::make_shared<Session>(std::move(socket), *this);
    {
      std::lock_guard lock(mutex);
      sessions[session.get()] = session;
    }
    session->start();
    if (!stopping) accept();
  });
}

void HttpServer::Impl::begin_stop() {
  if (stopping.exchange(true)) return;
  net::post(ioc, [this] {
    beast::error_code ec;
    acceptor.close(ec);
    signals.cancel(ec);
    std::vector<std::shared_ptr<Session>> live;
    {
      std::lock_guard lock(mutex);
      for (auto& [raw, weak] : sessions)
        if (auto s = weak.lock()) live.push_back(std::move(s));
      if (sessions.empty()) return;
    }
    for (auto& s : live) net::post(s->stream().get_executor(), [s] { s->close_if_idle(); });
    drain_timer.expires_after(options.drain_timeout);
    drain_timer.async_wait([this](beast::error_code e) {
      if (!e) ioc.stop();  // requests still running after the drain timeout are cut
    });
  });
}

void HttpServer::Impl::session_ended(Session* session) {
  std::lock_guard lock(mutex);
  sessions.erase(session);
  if (stopping && sessions.empty()) net::post(ioc, [this] { drain_timer.cancel(); });
}

HttpServer::HttpServer(ServerOptions options, Handler handler, ServerEvents events) {
  if (options.threads == 0) options.threads = std::max(1u, std::thread::hardware_concurrency());
  if (options.blocking_threads == 0) options.blocking_threads = options.threads * 2;
  impl_ = std::make_unique<Impl>(std::move(options), std::move(handler), std::move(events));
  auto& o = impl_->options;
  beast::error_code ec;
  auto address = net::ip::make_address(o.address, ec);
  if (ec) throw UsageError("--listen " + o.address + " is not an IP address", "give ADDRESS:PORT, e.g. 0.0.0.0:8080");
  tcp::endpoint endpoint(address, o.port);
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(o.backlog, ec);
  if (ec)
    throw TemporaryError("cannot listen on " + o.address + ":" + std::to_string(o.port) + ": " + ec.message(),
                         "free the port or choose another with --listen");
}

HttpServer::~HttpServer() = default;

unsigned short HttpServer::port() const { return impl_->acceptor.local_endpoint().port(); }

void HttpServer::run() {
  auto& impl = *impl_;
  impl.signals.async_wait([&impl](beast::error_code ec, int) {
    if (!ec) impl.begin_stop();
  });
  impl.accept();
  std::vector<std::thread> threads;
  for (unsigned i = 1; i < impl.options.threads; ++i) threads.emplace_back([&impl] { impl.ioc.run(); });
  impl.ioc.run();
  for (auto& t : threads) t.join();
  impl.blocking->join();
}

void HttpServer::stop() { impl_->begin_stop(); }

std::string_view HttpRequest::header(std::string_view name) const {
  for (const auto& [key, value] : headers)
    if (beast::iequals(beast::string_view(key.data(), key.size()), beast::string_view(name.data(), name.size())))
      return value;
  return {};
}

}  // namespace wfa::serve
