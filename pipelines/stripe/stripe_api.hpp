#pragma once
/// Stripe's API as wfa uses it: form-encoded POSTs with a Bearer secret key and an Idempotency-Key, retried on 409,
/// 429, 5xx and dropped connections with the same key (so a retry never makes a second object), answered as data. No
/// message of this module names the key.
#include <string>
#include <utility>
#include <vector>

namespace wfa {

/// StripeAnswer is Stripe's final answer: the HTTP status, the body, and for a refusal Stripe's error message.
struct StripeAnswer {
  long status = 0;
  std::string body;
  std::string error;  ///< error.message of a 4xx, one line
};

/// FormFields are the pairs of an application/x-www-form-urlencoded body, Stripe's bracket names as they are
/// ("line_items[0][price]").
using FormFields = std::vector<std::pair<std::string, std::string>>;

/// form_encode joins FIELDS as name=value&..., each percent-encoded.
std::string form_encode(const FormFields& fields);

/// stripe_post sends POST BASE_URL + PATH (BASE_URL empty: https://api.stripe.com) with FIELDS under IDEMPOTENCY_KEY,
/// up to 3 retries; no answer after them is TemporaryError (7), any answer is returned.
StripeAnswer stripe_post(const std::string& base_url, const std::string& secret_key, const std::string& path,
                         const FormFields& fields, const std::string& idempotency_key);

}  // namespace wfa
