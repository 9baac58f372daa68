#pragma once
/// `wfa currency`: the currencies wfa prices in (a table with minor-unit exponents) and their
/// exchange rates from AED, effective from a date until the next rate of the same currency.
#include <optional>
#include <string>

#include "core/listing.hpp"

namespace wfa {

class Session;

struct CurrencySetOptions {
  std::string code;
  std::string rate;                       ///< units of CODE per 1 AED, up to 6 decimals
  std::optional<std::string> valid_from;  ///< default today (UTC)
  std::optional<std::string> source;      ///< where the rate came from, e.g. "CBUAE 2026-01-05"
  bool dry_run = false;
};

struct CurrencyListOptions {
  std::optional<std::string> on;  ///< rates in force on this date; default today (UTC)
  Paging paging;
};

Result run_currency_set(const CurrencySetOptions& options, Session& session);
Result run_currency_list(const CurrencyListOptions& options, Session& session);

}  // namespace wfa
