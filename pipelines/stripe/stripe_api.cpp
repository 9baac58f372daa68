// Stripe's form-encoded API through send_http: the same Idempotency-Key on every attempt, backoff between them.
#include "pipelines/stripe/stripe_api.hpp"

#include <thread>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/url_encoding.hpp"
#include "pipelines/providers/http.hpp"
#include "pipelines/providers/provider_client.hpp"

namespace wfa {

namespace {

constexpr int max_retries = 3;

std::string one_line(std::string text) {
  for (auto& c : text)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  if (text.size() > 300) text = text.substr(0, 300) + "...";
  return text;
}

}  // namespace

std::string form_encode(const FormFields& fields) {
  std::string out;
  for (const auto& [name, value] : fields) out += (out.empty() ? "" : "&") + url_escape(name) + "=" + url_escape(value);
  return out;
}

StripeAnswer stripe_post(const std::string& base_url, const std::string& secret_key, const std::string& path,
                         const FormFields& fields, const std::string& idempotency_key) {
  HttpRequest request;
  request.method = "POST";
  request.url = (base_url.empty() ? std::string("https://api.stripe.com") : base_url) + path;
  request.headers = {{"Authorization", "Bearer " + secret_key},
                     {"Content-Type", "application/x-www-form-urlencoded"},
                     {"Idempotency-Key", idempotency_key}};
  request.body = form_encode(fields);
  HttpResponse response;
  for (int attempt = 0;; ++attempt) {
    bool last = attempt == max_retries;
    try {
      response = send_http(request);
      if (!retryable_status(response.status) || last) break;
    } catch (const TemporaryError&) {
      if (last)
        throw TemporaryError("Stripe did not answer POST " + path, "try again; the same key makes no duplicate");
    }
    auto wait = retry_after_delay(response, std::chrono::system_clock::now());
    if (wait.count() < 0 || wait > std::chrono::seconds(10)) wait = std::chrono::milliseconds(250 << attempt);
    std::this_thread::sleep_for(wait);
  }
  StripeAnswer a{response.status, response.body, ""};
  if (response.status >= 400) {
    auto body = nlohmann::json::parse(response.body, nullptr, false);
    if (body.is_object() && body.contains("error") && body["error"].is_object() && body["error"].contains("message") &&
        body["error"]["message"].is_string())
      a.error = one_line(body["error"]["message"].get<std::string>());
    else
      a.error = "HTTP " + std::to_string(response.status);
  }
  return a;
}

}  // namespace wfa
