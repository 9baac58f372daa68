// SMTP through libcurl (see smtp_client.hpp).
#include "pipelines/smtp_client.hpp"

#include <curl/curl.h>

#include <cstring>

namespace wfa {

namespace {

/// Upload is the message being sent and how much of it curl has read.
struct Upload {
  const std::string* data = nullptr;
  std::size_t at = 0;
};

std::size_t read_message(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* up = static_cast<Upload*>(user);
  std::size_t n = std::min(size * count, up->data->size() - up->at);
  std::memcpy(buffer, up->data->data() + up->at, n);
  up->at += n;
  return n;
}

/// Replies are the server's last reply line and its last 4xx or 5xx one (QUIT's 221 may follow a refusal).
struct Replies {
  std::string last, last_error;
};

/// keep_reply records server lines, which curl hands to the header callback (one reply line per call).
std::size_t keep_reply(char* data, std::size_t size, std::size_t count, void* user) {
  std::string line(data, size * count);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  auto* replies = static_cast<Replies*>(user);
  if (!line.empty()) replies->last = line;
  if (!line.empty() && (line[0] == '4' || line[0] == '5')) replies->last_error = line;
  return size * count;
}

bool is_connection_error(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_WEIRD_SERVER_REPLY:
      return true;
    default:
      return false;
  }
}

}  // namespace

struct SmtpClient::Impl {
  SmtpSettings settings;
  CURL* curl = nullptr;
  Replies replies;
};

SmtpClient::SmtpClient(SmtpSettings settings) : impl_(std::make_unique<Impl>()) {
  impl_->settings = std::move(settings);
  curl_global_init(CURL_GLOBAL_DEFAULT);
}

SmtpClient::~SmtpClient() {
  if (impl_->curl != nullptr) curl_easy_cleanup(impl_->curl);
}

SmtpOutcome SmtpClient::send(const std::string& envelope_from, const std::string& recipient,
                             const std::string& message) {
  const auto& s = impl_->settings;
  if (impl_->curl == nullptr) impl_->curl = curl_easy_init();
  CURL* curl = impl_->curl;
  // The same handle keeps its connection between sends; settings are set again each time (reset would drop nothing).
  std::string url = std::string(s.implicit_tls ? "smtps://" : "smtp://") + s.host + ":" + std::to_string(s.port) + "/" +
                    s.helo_domain;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_USE_SSL, s.implicit_tls || s.require_tls ? CURLUSESSL_ALL : CURLUSESSL_TRY);
  if (!s.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, s.ca_file.c_str());
  if (!s.user.empty()) {
    curl_easy_setopt(curl, CURLOPT_USERNAME, s.user.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, s.password.c_str());
  }
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, static_cast<long>(s.connect_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, static_cast<long>(s.timeout.count()));
  // Also bounds each reply, the QUIT of a dropped connection included (curl's own default is 120 seconds).
  curl_easy_setopt(curl, CURLOPT_SERVER_RESPONSE_TIMEOUT, static_cast<long>(s.timeout.count()));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  std::string from = "<" + envelope_from + ">";
  curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from.c_str());
  curl_slist* rcpt = curl_slist_append(nullptr, ("<" + recipient + ">").c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
  Upload up{&message, 0};
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_message);
  curl_easy_setopt(curl, CURLOPT_READDATA, &up);
  curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()));
  impl_->replies = {};
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, keep_reply);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &impl_->replies);
  CURLcode rc = curl_easy_perform(curl);
  curl_slist_free_all(rcpt);
  long code = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
  SmtpOutcome out;
  out.code = static_cast<int>(code);
  out.reply = code >= 400 && !impl_->replies.last_error.empty() ? impl_->replies.last_error : impl_->replies.last;
  if (rc == CURLE_OK) {
    out.kind = SmtpOutcome::Kind::sent;
    return out;
  }
  // A failed handle may hold a half-closed connection: start the next send on a fresh one.
  curl_easy_cleanup(curl);
  impl_->curl = nullptr;
  bool whole_message_sent = up.at == message.size();
  bool setup_error = rc == CURLE_LOGIN_DENIED || rc == CURLE_USE_SSL_FAILED || rc == CURLE_PEER_FAILED_VERIFICATION;
  if (setup_error) {
    out.kind = SmtpOutcome::Kind::retry;  // the relay or wfa's settings are wrong, not the message
  } else if (code >= 500 && code < 600) {
    out.kind = SmtpOutcome::Kind::failed;
  } else if (code >= 400 && code < 500) {
    out.kind = SmtpOutcome::Kind::retry;
  } else if (whole_message_sent && is_connection_error(rc)) {
    out.kind = SmtpOutcome::Kind::unknown;
  } else {
    out.kind = SmtpOutcome::Kind::retry;
  }
  if (out.reply.empty() || code < 400) out.reply = curl_easy_strerror(rc);
  return out;
}

}  // namespace wfa
