// Webhook signatures with OpenSSL's HMAC; every comparison goes through constant_time_equal.
#include "pipelines/webhooks/webhook_signatures.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <charconv>

#include "core/base64url.hpp"
#include "core/tokens.hpp"
#include "core/url_encoding.hpp"

namespace wfa {

namespace {

std::string hmac_raw(std::string_view key, std::string_view message) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(message.data()),
       message.size(), mac, &length);
  return std::string(reinterpret_cast<const char*>(mac), length);
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool whole_number(std::string_view text, std::int64_t& value) {
  if (text.empty() || text.size() > 18) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && end == text.data() + text.size();
}

SignatureCheck fail(std::string why) { return {false, std::move(why)}; }
SignatureCheck pass() { return {true, {}}; }

/// items splits "a=1,b=2" into name/value pairs at each comma and the first '=' of each part.
std::vector<std::pair<std::string_view, std::string_view>> items(std::string_view header) {
  std::vector<std::pair<std::string_view, std::string_view>> out;
  while (!header.empty()) {
    auto comma = header.find(',');
    auto part = header.substr(0, comma);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    auto eq = part.find('=');
    if (eq != std::string_view::npos) out.emplace_back(part.substr(0, eq), part.substr(eq + 1));
    if (comma == std::string_view::npos) break;
    header.remove_prefix(comma + 1);
  }
  return out;
}

}  // namespace

std::string hmac_sha256_hex(std::string_view key, std::string_view message) {
  return hex_encode(hmac_raw(key, message));
}

SignatureCheck check_telegram(const HeaderLookup& headers, std::string_view secret) {
  auto given = headers("X-Telegram-Bot-Api-Secret-Token");
  if (given.empty()) return fail("no X-Telegram-Bot-Api-Secret-Token header");
  return constant_time_equal(given, secret) ? pass() : fail("wrong secret token");
}

SignatureCheck check_vapi(const HeaderLookup& headers, std::string_view body, std::string_view secret) {
  if (auto signature = headers("X-Signature"); !signature.empty()) {
    auto timestamp = headers("X-Timestamp");
    if (timestamp.empty()) return fail("an X-Signature without X-Timestamp");
    if (signature.substr(0, 7) == "sha256=") signature.remove_prefix(7);
    auto expected = hmac_sha256_hex(secret, std::string(timestamp) + "." + std::string(body));
    return constant_time_equal(lower(signature), expected) ? pass() : fail("bad signature");
  }
  if (auto given = headers("X-Vapi-Secret"); !given.empty())
    return constant_time_equal(given, secret) ? pass() : fail("wrong secret");
  auto authorization = headers("Authorization");
  if (authorization.substr(0, 7) == "Bearer ")
    return constant_time_equal(authorization.substr(7), secret) ? pass() : fail("wrong secret");
  return fail("no X-Vapi-Secret, Authorization or X-Signature header");
}

SignatureCheck check_retell(const HeaderLookup& headers, std::string_view body, std::string_view api_key,
                            std::int64_t now_ms, std::int64_t tolerance_ms) {
  auto header = headers("X-Retell-Signature");
  if (header.empty()) return fail("no X-Retell-Signature header");
  std::string_view v, d;
  for (auto [name, value] : items(header)) {
    if (name == "v") v = value;
    if (name == "d") d = value;
  }
  std::int64_t sent_ms = 0;
  if (!whole_number(v, sent_ms) || d.size() != 64) return fail("X-Retell-Signature is not v=<ms>,d=<hex>");
  if (sent_ms < now_ms - tolerance_ms || sent_ms > now_ms + tolerance_ms) return fail("stale timestamp");
  auto expected = hmac_sha256_hex(api_key, std::string(body) + std::string(v));
  return constant_time_equal(lower(d), expected) ? pass() : fail("bad signature");
}

SignatureCheck check_synthflow(const HeaderLookup& headers, std::string_view call_id, std::string_view secret) {
  auto given = headers("Synthflow-Signature");
  if (given.empty()) given = headers("X-Synthflow-Signature");
  if (given.empty()) given = headers("HTTP_SYNTHFLOW_SIGNATURE");
  if (given.empty()) return fail("no Synthflow-Signature header");
  if (call_id.empty()) return fail("no call id to check the signature against");
  return constant_time_equal(given, base64_encode(hmac_raw(secret, call_id))) ? pass() : fail("bad signature");
}

SignatureCheck check_stripe(const HeaderLookup& headers, std::string_view body, std::string_view secret,
                            std::int64_t now_s, std::int64_t tolerance_s) {
  auto header = headers("Stripe-Signature");
  if (header.empty()) return fail("no Stripe-Signature header");
  std::string_view t;
  std::vector<std::string_view> v1;
  for (auto [name, value] : items(header)) {
    if (name == "t") t = value;
    if (name == "v1") v1.push_back(value);
  }
  std::int64_t sent = 0;
  if (!whole_number(t, sent) || v1.empty()) return fail("Stripe-Signature has no t= or no v1=");
  if (sent < now_s - tolerance_s) return fail("stale timestamp");
  auto expected = hmac_sha256_hex(secret, std::string(t) + "." + std::string(body));
  bool any = false;
  for (auto candidate : v1) any |= constant_time_equal(lower(candidate), expected);  // no early exit
  return any ? pass() : fail("bad signature");
}

SignatureCheck check_slack(const HeaderLookup& headers, std::string_view body, std::string_view secret,
                           std::int64_t now_s, std::int64_t tolerance_s) {
  auto timestamp = headers("X-Slack-Request-Timestamp");
  auto signature = headers("X-Slack-Signature");
  if (timestamp.empty() || signature.empty()) return fail("no X-Slack-Signature or X-Slack-Request-Timestamp header");
  std::int64_t sent = 0;
  if (!whole_number(timestamp, sent)) return fail("X-Slack-Request-Timestamp is not a number");
  if (sent < now_s - tolerance_s || sent > now_s + tolerance_s) return fail("stale timestamp");
  auto expected = "v0=" + hmac_sha256_hex(secret, "v0:" + std::string(timestamp) + ":" + std::string(body));
  return constant_time_equal(lower(signature), expected) ? pass() : fail("bad signature");
}

}  // namespace wfa
