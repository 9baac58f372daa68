#pragma once
/// SmtpSink runs tests/support/smtp_sink.py (aiosmtpd on loopback: STARTTLS on a throwaway certificate, AUTH) for one
/// test, stores what it receives in a directory and reads it back with Python's email package.
#include <filesystem>
#include <map>
#include <string>
#include <sys/types.h>
#include <vector>

#include <nlohmann/json.hpp>

namespace wfa::test {

/// SinkBehaviour says which recipients the sink refuses (550), defers (451) or never answers after DATA.
struct SinkBehaviour {
  std::vector<std::string> reject, tempfail, hang;
  double delay = 0;  ///< seconds before each DATA reply
};

class SmtpSink {
 public:
  /// DIR holds the certificate and, under DIR/received, the messages; the server starts at once.
  explicit SmtpSink(std::filesystem::path dir, SinkBehaviour behaviour = {});
  ~SmtpSink();
  SmtpSink(const SmtpSink&) = delete;
  SmtpSink& operator=(const SmtpSink&) = delete;

  /// stop ends the server (its port stays this sink's); start starts it again on the same port.
  void stop();
  void start(SinkBehaviour behaviour = {});
  /// env is what WFA_SMTP_* should be for wfa to send here.
  std::map<std::string, std::string> env() const;
  /// messages are what it received, oldest first (see smtp_sink.py read).
  nlohmann::json messages() const;
  int port() const { return port_; }

 private:
  std::filesystem::path dir_;
  pid_t pid_ = -1;
  int port_ = 0;
};

}  // namespace wfa::test
