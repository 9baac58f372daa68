// Integer pricing arithmetic; 128-bit intermediates so large amounts cannot overflow.
#include "pipelines/pricing.hpp"

#include "core/error.hpp"

namespace wfa {

namespace {

__int128 power_of_ten(int n) {
  __int128 p = 1;
  for (int i = 0; i < n; ++i) p *= 10;
  return p;
}

std::int64_t narrow(__int128 value) {
  if (value > INT64_MAX || value < 0)
    throw InvalidInputError("a proposal amount is out of range", "check the rate card and the exchange rate");
  return static_cast<std::int64_t>(value);
}

}  // namespace

PriceLine add_lines(const PriceLine& a, const PriceLine& b) {
  auto add = [](std::int64_t x, std::int64_t y) { return narrow(static_cast<__int128>(x) + y); };
  PriceLine sum;
  sum.weeks = a.weeks;
  sum.net = add(a.net, b.net), sum.municipality_fee = add(a.municipality_fee, b.municipality_fee);
  sum.upload_fee = add(a.upload_fee, b.upload_fee), sum.subtotal = add(a.subtotal, b.subtotal);
  sum.vat = add(a.vat, b.vat), sum.total = add(a.total, b.total);
  return sum;
}

std::int64_t half_up_share(std::int64_t amount, std::int64_t bp) {
  return narrow((static_cast<__int128>(amount) * bp + 5000) / 10000);
}

std::int64_t CurrencyConversion::apply(std::int64_t minor) const {
  if (rate_ppm == 0) return minor;
  __int128 numerator = static_cast<__int128>(minor) * rate_ppm * power_of_ten(to_exponent);
  __int128 denominator = power_of_ten(from_exponent) * 1000000;
  return narrow((numerator * 2 + denominator) / (denominator * 2));
}

PriceLine price_line(int weeks, const RateCardTerms& weekly, const std::optional<RateCardTerms>& package,
                     const CurrencyConversion& conversion, std::int32_t vat_bp) {
  const auto& card = package ? *package : weekly;
  PriceLine line;
  line.weeks = weeks;
  line.net = conversion.apply(package ? package->net_rate : narrow(static_cast<__int128>(weekly.net_rate) * weeks));
  line.municipality_fee = half_up_share(line.net, card.municipality_fee_bp);
  line.upload_fee = conversion.apply(card.upload_fee);
  line.subtotal = narrow(static_cast<__int128>(line.net) + line.municipality_fee + line.upload_fee);
  line.vat = half_up_share(line.subtotal, vat_bp);
  line.total = narrow(static_cast<__int128>(line.subtotal) + line.vat);
  return line;
}

}  // namespace wfa
