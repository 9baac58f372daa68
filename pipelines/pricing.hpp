#pragma once
/// Proposal pricing in integer minor units: per duration, net, municipality fee (basis points of net,
/// rounded half up), upload fee (once per campaign), subtotal, VAT of the subtotal (half up), total.
#include <cstdint>
#include <optional>
#include <vector>

namespace wfa {

/// RateCardTerms are the prices of one location for one duration, in the card's currency.
struct RateCardTerms {
  int duration_weeks = 1;  ///< 1: net_rate is per week; N: a package price for exactly N weeks
  std::int64_t net_rate = 0;
  std::int64_t upload_fee = 0;
  std::int32_t municipality_fee_bp = 0;
};

/// PriceLine is one row of a proposal's financial table.
struct PriceLine {
  int weeks = 0;
  std::int64_t net = 0, municipality_fee = 0, upload_fee = 0, subtotal = 0, vat = 0, total = 0;
};

/// add_lines is A + B field by field in 128 bits; a sum beyond int64 is InvalidInputError (exit 6), never a wrap.
PriceLine add_lines(const PriceLine& a, const PriceLine& b);

/// CurrencyConversion turns AED minor units into another currency's: amount × rate_ppm / 10^6,
/// rescaled between minor-unit exponents and rounded half up. The identity when rate_ppm is 0.
struct CurrencyConversion {
  std::int64_t rate_ppm = 0;
  int from_exponent = 2;
  int to_exponent = 2;
  std::int64_t apply(std::int64_t minor) const;
};

/// price_line prices WEEKS: from a package card for exactly WEEKS if given, else weekly × WEEKS.
/// Net and upload fee are converted first; fees and VAT are computed in the target currency,
/// so every printed row adds up. VAT_BP is basis points (500 = 5 %).
PriceLine price_line(int weeks, const RateCardTerms& weekly, const std::optional<RateCardTerms>& package,
                     const CurrencyConversion& conversion, std::int32_t vat_bp);

/// half_up_share is AMOUNT × BP / 10000 rounded half up (amounts are never negative).
std::int64_t half_up_share(std::int64_t amount, std::int64_t bp);

}  // namespace wfa
