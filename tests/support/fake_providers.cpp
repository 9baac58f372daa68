// Starting, querying and stopping the fake provider server.
#include "tests/support/fake_providers.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <stdexcept>
#include <vector>

#include "pipelines/providers/http.hpp"
#include "tests/support/spawned_server.hpp"

namespace wfa::test {

namespace {

HttpResponse control(int port, const std::string& method, const std::string& path, const std::string& body = "") {
  HttpRequest request;
  request.method = method;
  request.url = "http://127.0.0.1:" + std::to_string(port) + path;
  request.body = body;
  request.headers = {{"Content-Type", "application/json"}};
  return send_http(request);
}

}  // namespace

FakeProviders::FakeProviders(const std::map<std::string, std::string>& keys) {
  std::vector<std::string> args = {"/usr/bin/python3",
                                   std::string(WFA_SOURCE_DIR) + "/tests/support/fake_providers.py"};
  for (const auto& [provider, key] : keys) args.push_back("--key"), args.push_back(provider + "=" + key);
  auto server = spawn_server(std::move(args), "the fake provider server");
  pid_ = server.pid;
  const auto& line = server.first_line;
  port_ = line.empty() ? 0 : std::stoi(line);
  if (port_ == 0) throw std::runtime_error("the fake provider server did not start");
}

FakeProviders::~FakeProviders() {
  if (pid_ > 0) {
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
}

std::string FakeProviders::base_url(const std::string& provider) const {
  return "http://127.0.0.1:" + std::to_string(port_) + "/" + provider + (provider == "synthflow" ? "/v2" : "");
}

nlohmann::json FakeProviders::requests() const {
  return nlohmann::json::parse(control(port_, "GET", "/__requests").body);
}

nlohmann::json FakeProviders::objects() const {
  return nlohmann::json::parse(control(port_, "GET", "/__objects").body);
}

void FakeProviders::inject(const nlohmann::json& faults) const { control(port_, "POST", "/__faults", faults.dump()); }

nlohmann::json FakeProviders::telegram_messages() const {
  return nlohmann::json::parse(control(port_, "GET", "/__telegram/messages").body);
}

void FakeProviders::telegram_send_faults(const nlohmann::json& faults) const {
  control(port_, "POST", "/__telegram/send_faults", faults.dump());
}

void FakeProviders::dial(const nlohmann::json& config) const { control(port_, "POST", "/__dial", config.dump()); }

nlohmann::json FakeProviders::dial_stats() const {
  return nlohmann::json::parse(control(port_, "GET", "/__dial/stats").body);
}

void FakeProviders::add_calls(const nlohmann::json& calls) const { control(port_, "POST", "/__calls", calls.dump()); }

void FakeProviders::add_numbers(const nlohmann::json& numbers) const {
  control(port_, "POST", "/__numbers", numbers.dump());
}

}  // namespace wfa::test
