#pragma once
/// An SMTP client on libcurl: STARTTLS required (or implicit TLS on port 465), AUTH, connect and command timeouts,
/// one connection reused across messages. Each send says whether the message was accepted, may be tried again,
/// was refused for good, or has an unknown outcome (the connection dropped after the whole message was sent).
#include <chrono>
#include <memory>
#include <string>

namespace wfa {

/// SmtpSettings say where and how to connect.
struct SmtpSettings {
  std::string host;
  int port = 587;
  std::string user;           ///< empty: no AUTH
  std::string password;       ///< never printed
  bool implicit_tls = false;  ///< TLS from the first byte (smtps, port 465); else STARTTLS
  bool require_tls = true;    ///< refuse to send when STARTTLS is not offered
  std::string ca_file;        ///< trust these CAs instead of the system's (a private relay, tests)
  std::chrono::seconds connect_timeout{10};
  std::chrono::seconds timeout{60};  ///< the longest one message may take, commands included
  std::string helo_domain;           ///< the name wfa gives in EHLO
};

/// SmtpOutcome is how one send ended.
struct SmtpOutcome {
  enum class Kind { sent, retry, failed, unknown } kind = Kind::retry;
  int code = 0;       ///< the server's last reply code (0: none)
  std::string reply;  ///< the server's last reply, or the connection error
};

class SmtpClient {
 public:
  explicit SmtpClient(SmtpSettings settings);
  ~SmtpClient();
  SmtpClient(const SmtpClient&) = delete;
  SmtpClient& operator=(const SmtpClient&) = delete;

  /// send gives MESSAGE (RFC 5322, CRLF line ends) to RECIPIENT with ENVELOPE_FROM as MAIL FROM; 5xx is failed,
  /// 4xx and connection errors before the end of DATA retry, a drop after the end of DATA is unknown.
  SmtpOutcome send(const std::string& envelope_from, const std::string& recipient, const std::string& message);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wfa
