// Starting, reading and stopping the loopback SMTP server of the mail tests.
#include "tests/support/smtp_sink.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <stdexcept>

#include "core/process.hpp"
#include "tests/support/spawned_server.hpp"

namespace wfa::test {

namespace {

const std::string script = std::string(WFA_SOURCE_DIR) + "/tests/support/smtp_sink.py";

}  // namespace

SmtpSink::SmtpSink(std::filesystem::path dir, SinkBehaviour behaviour) : dir_(std::move(dir)) {
  std::filesystem::create_directories(dir_ / "received");
  auto made = run_process({"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                           (dir_ / "key.pem").string(), "-out", (dir_ / "cert.pem").string(), "-days", "1", "-subj",
                           "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"});
  if (made.exit_code != 0) throw std::runtime_error("openssl could not make a certificate: " + made.err);
  start(std::move(behaviour));
}

SmtpSink::~SmtpSink() { stop(); }

void SmtpSink::start(SinkBehaviour behaviour) {
  std::vector<std::string> args = {"/usr/bin/python3",
                                   script,
                                   "serve",
                                   "--dir",
                                   (dir_ / "received").string(),
                                   "--cert",
                                   (dir_ / "cert.pem").string(),
                                   "--key",
                                   (dir_ / "key.pem").string(),
                                   "--user",
                                   "wfa",
                                   "--password",
                                   "sink-secret",
                                   "--port",
                                   std::to_string(port_),
                                   "--delay",
                                   std::to_string(behaviour.delay)};
  for (const auto& a : behaviour.reject) args.insert(args.end(), {"--reject", a});
  for (const auto& a : behaviour.tempfail) args.insert(args.end(), {"--tempfail", a});
  for (const auto& a : behaviour.hang) args.insert(args.end(), {"--hang", a});
  auto server = spawn_server(std::move(args), "the SMTP sink");
  pid_ = server.pid;
  const auto& line = server.first_line;
  port_ = line.empty() ? 0 : std::stoi(line);
  if (port_ == 0) throw std::runtime_error("the SMTP sink did not start");
}

void SmtpSink::stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
}

std::map<std::string, std::string> SmtpSink::env() const {
  std::ofstream(dir_ / "password") << "sink-secret\n";
  return {{"WFA_SMTP_HOST", "127.0.0.1"},
          {"WFA_SMTP_PORT", std::to_string(port_)},
          {"WFA_SMTP_USER", "wfa"},
          {"WFA_SMTP_PASSWORD_FILE", (dir_ / "password").string()},
          {"WFA_SMTP_CA_FILE", (dir_ / "cert.pem").string()},
          {"WFA_SMTP_TIMEOUT", "3"}};
}

nlohmann::json SmtpSink::messages() const {
  auto r = run_process({"/usr/bin/python3", script, "read", (dir_ / "received").string()});
  if (r.exit_code != 0) throw std::runtime_error("reading the SMTP sink failed: " + r.err);
  return nlohmann::json::parse(r.out);
}

}  // namespace wfa::test
