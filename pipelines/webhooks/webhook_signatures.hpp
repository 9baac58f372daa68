#pragma once
/// Webhook signature checks, one per provider (providers.md §1.6, §2.7, §3.4, §4.3, §5, §6), each over the raw body
/// bytes as received and compared in constant time. A check answers whether the delivery holds and, when not, why in
/// words that name no secret.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace wfa {

/// HeaderLookup answers a request header's value by name (any case), or empty.
using HeaderLookup = std::function<std::string_view(std::string_view name)>;

struct SignatureCheck {
  bool ok = false;
  std::string problem;  ///< e.g. "stale timestamp", "bad signature", "no X-Retell-Signature header"
};

/// check_telegram: X-Telegram-Bot-Api-Secret-Token equals SECRET.
SignatureCheck check_telegram(const HeaderLookup& headers, std::string_view secret);

/// check_vapi: the server secret VAPI sends as x-vapi-secret (the legacy inline secret, or a Bearer credential set to
/// that header without prefix) or as Authorization: Bearer SECRET; or, when the X-Signature header is present, its
/// HMAC credential's default plan: hex HMAC-SHA256 of "{x-timestamp}.{body}" (an optional "sha256=" prefix).
SignatureCheck check_vapi(const HeaderLookup& headers, std::string_view body, std::string_view secret);

/// check_retell: x-retell-signature "v=<ms>,d=<hex>" is HMAC-SHA256(API key, body + ms) and ms within TOLERANCE_MS of
/// NOW_MS.
SignatureCheck check_retell(const HeaderLookup& headers, std::string_view body, std::string_view api_key,
                            std::int64_t now_ms, std::int64_t tolerance_ms = 300000);

/// check_synthflow: Synthflow-Signature (or X-Synthflow-Signature) is base64 HMAC-SHA256(secret, CALL_ID). It does
/// not cover the body, so what the body says must be fetched again where it matters.
SignatureCheck check_synthflow(const HeaderLookup& headers, std::string_view call_id, std::string_view secret);

/// check_stripe: Stripe-Signature "t=..,v1=..[,v1=..]": any v1 is HMAC-SHA256(secret, "t.body"), and t is not older
/// than TOLERANCE_S (several v1 while a secret rolls; future timestamps pass, as Stripe's libraries let them).
SignatureCheck check_stripe(const HeaderLookup& headers, std::string_view body, std::string_view secret,
                            std::int64_t now_s, std::int64_t tolerance_s = 300);

/// check_slack: X-Slack-Signature "v0=<hex>" of "v0:ts:body" with X-Slack-Request-Timestamp within TOLERANCE_S.
SignatureCheck check_slack(const HeaderLookup& headers, std::string_view body, std::string_view secret,
                           std::int64_t now_s, std::int64_t tolerance_s = 300);

/// hmac_sha256_hex is lowercase hex HMAC-SHA256(KEY, MESSAGE) (for tests and tools that sign).
std::string hmac_sha256_hex(std::string_view key, std::string_view message);

}  // namespace wfa
