#pragma once
/// `wfa rate-card`: what a location costs per duration option and validity window, in integer
/// minor units of a supported currency; windows of one location and duration never overlap.
#include <optional>
#include <string>

#include "core/listing.hpp"

namespace wfa {

class Session;

struct RateCardSetOptions {
  std::string location;
  std::string workspace;                            ///< id or PARTNER/SLUG
  std::optional<std::string> net_rate;              ///< major units; required for a new card
  std::optional<std::string> upload_fee;            ///< major units, once per campaign
  std::optional<std::string> municipality_fee_pct;  ///< percent of net, up to 2 decimals
  int duration_weeks = 1;
  std::optional<std::string> currency;  ///< default AED (or the existing card's)
  std::string valid_from;               ///< YYYY-MM-DD
  std::optional<std::string> valid_to;  ///< inclusive; default open-ended
  bool dry_run = false;
};

struct RateCardImportOptions {
  std::string file;
  std::string encoding = "auto";  ///< csv_encoding's names
  std::string workspace;
  std::optional<std::string> valid_from;  ///< for rows without valid_from; default today (UTC)
  bool dry_run = false;
};

struct RateCardListOptions {
  std::string workspace;
  std::optional<std::string> location;
  std::optional<std::string> on;  ///< only cards in force on this date
  Paging paging;
};

Result run_rate_card_set(const RateCardSetOptions& options, Session& session);
Result run_rate_card_import(const RateCardImportOptions& options, Session& session);
Result run_rate_card_list(const RateCardListOptions& options, Session& session);

}  // namespace wfa
