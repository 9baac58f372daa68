// Reading a workspace's sales data for proposals, and pricing one request against it.
#include "commands/proposal/proposal_catalog.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>
#include <pqxx/connection>
#include <pqxx/result>
#include <pqxx/transaction>

#include "core/error.hpp"
#include "commands/partner/partner_rules.hpp"
#include "commands/tenancy/tenancy_lookup.hpp"
#include "pipelines/calendar.hpp"
#include "core/file_io.hpp"

namespace wfa {

namespace {

std::optional<std::chrono::sys_days> optional_date(const pqxx::field& field) {
  if (field.is_null()) return std::nullopt;
  return parse_date(field.c_str(), "rate card date");
}

/// card_for finds LOCATION's card for DURATION weeks in force on DAY, if any.
const CatalogCard* card_for(const CatalogLocation& location, int duration, std::chrono::sys_days day) {
  for (const auto& card : location.cards)
    if (card.terms.duration_weeks == duration && card.valid_from <= day && (!card.valid_to || *card.valid_to >= day))
      return &card;
  return nullptr;
}

}  // namespace

std::shared_ptr<const PdfImage> ProposalPhotos::get(const std::string& relative_path, const std::string& location_key) {
  std::lock_guard lock(mutex_);
  if (auto it = images_.find(relative_path); it != images_.end()) return it->second;
  if (auto it = failures_.find(relative_path); it != failures_.end())
    throw InvalidInputError(it->second, "replace it with `wfa location photo add`");
  auto path = root_ / relative_path;
  try {
    auto image = make_pdf_image(read_file(path, "photo of location " + location_key), "photo " + path.string());
    return images_[relative_path] = image;
  } catch (const Error& e) {
    failures_[relative_path] = e.what();
    throw;
  }
}

SalesCatalog load_catalog(pqxx::connection_base& conn, const std::string& workspace, std::chrono::sys_days issue_date,
                          const std::filesystem::path& root) {
  pqxx::read_transaction tx(conn);
  SalesCatalog catalog;
  auto ref = find_workspace(tx, workspace);
  catalog.workspace_id = ref.id;
  auto partner = tx.exec_params("SELECT slug FROM partners WHERE id = $1::uuid", ref.partner_id);
  catalog.workspace_ref = partner[0][0].as<std::string>() + "/" + ref.slug;
  auto brand = partner_brand(tx, ref.partner_id, root);
  catalog.brand_name = brand.name;
  catalog.brand_color = brand.color;
  catalog.logo = brand.logo;
  auto locations = tx.exec_params(
      "SELECT l.location_key, l.display_name, COALESCE(ph.path, ''), l.is_active FROM locations l"
      " LEFT JOIN LATERAL (SELECT p.path FROM location_photos p WHERE p.location_id = l.id"
      "   ORDER BY (p.time_of_day = 'day') DESC, (p.finish = 'gold') DESC LIMIT 1) ph ON true"
      " WHERE l.workspace_id = $1::uuid",
      ref.id);
  for (const auto& row : locations) {
    if (!row[3].as<bool>()) continue;
    catalog.locations[row[0].as<std::string>()] = {
        row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<std::string>(), {}};
  }
  auto cards = tx.exec_params(
      "SELECT l.location_key, c.duration_weeks, c.net_rate, c.upload_fee, c.municipality_fee_bp, c.currency,"
      " c.valid_from::text, c.valid_to::text FROM rate_cards c JOIN locations l ON l.id = c.location_id"
      " WHERE l.workspace_id = $1::uuid ORDER BY l.location_key, c.duration_weeks, c.valid_from",
      ref.id);
  for (const auto& row : cards) {
    auto it = catalog.locations.find(row[0].as<std::string>());
    if (it == catalog.locations.end()) continue;
    it->second.cards.push_back(
        {{row[1].as<int>(), row[2].as<std::int64_t>(), row[3].as<std::int64_t>(), row[4].as<std::int32_t>()},
         row[5].as<std::string>(),
         parse_date(row[6].c_str(), "valid_from"),
         optional_date(row[7])});
  }
  for (const auto& row : tx.exec("SELECT code, exponent FROM currencies"))
    catalog.exponents[row[0].as<std::string>()] = row[1].as<int>();
  auto rates = tx.exec_params(
      "SELECT DISTINCT ON (currency) currency, rate_ppm FROM currency_rates WHERE valid_from <= $1::date"
      " ORDER BY currency, valid_from DESC",
      iso_date(issue_date));
  for (const auto& row : rates) catalog.rates_ppm[row[0].as<std::string>()] = row[1].as<std::int64_t>();
  return catalog;
}

ProposalContent build_proposal(const SalesCatalog& catalog, const ProposalRequest& request,
                               const ProposalLayout& layout, ProposalPhotos& photos) {
  const auto& at = request.where;
  if (!request.error.empty())
    throw InvalidInputError(at + ": " + request.error, "fix the row and run the batch again with --resume");
  auto start = parse_date(request.start, at + ": start_date");
  ProposalContent content;
  content.id = request.id;
  content.client = request.client;
  content.brand_name = catalog.brand_name.empty() ? layout.default_brand_name() : catalog.brand_name;
  content.brand_color = catalog.brand_color.empty() ? layout.default_brand_color() : catalog.brand_color;
  content.logo = catalog.logo;
  content.weeks =
      request.weeks ? *request.weeks : *std::max_element(layout.durations().begin(), layout.durations().end());
  content.start_date = long_date(start);
  content.end_date = long_date(start + std::chrono::days(7 * content.weeks - 1));
  for (const auto& key : request.locations) {
    auto found = catalog.locations.find(key);
    if (found == catalog.locations.end())
      throw NotFoundError(at + ": unknown location '" + key + "' in workspace " + catalog.workspace_ref,
                          "add it with `wfa location add` or `wfa location import`, or fix the key");
    const auto& location = found->second;
    const auto* weekly = card_for(location, 1, start);
    if (!weekly)
      throw NotFoundError(at + ": location '" + key + "' has no weekly rate card valid on " + iso_date(start),
                          "set one with `wfa rate-card set " + key + " --valid-from DATE ...`");
    if (content.currency.empty()) {
      content.currency = request.currency.value_or(weekly->currency);
      for (auto& c : content.currency) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);  // "usd" is USD
    }
    if (!catalog.exponents.count(content.currency))
      throw InvalidInputError(at + ": currency '" + content.currency + "' is not supported", "see `wfa currency list`");
    content.exponent = catalog.exponents.at(content.currency);
    CurrencyConversion conversion;
    if (content.currency != weekly->currency) {
      if (weekly->currency != "AED")
        throw InvalidInputError(
            at + ": rate card of '" + key + "' is in " + weekly->currency + "; proposals convert only from AED",
            "price the proposal in " + weekly->currency);
      auto rate = catalog.rates_ppm.find(content.currency);
      if (rate == catalog.rates_ppm.end())
        throw NotFoundError(at + ": no exchange rate from AED to " + content.currency,
                            "set one with `wfa currency set " + content.currency + " --rate R`");
      conversion = {rate->second, catalog.exponents.at("AED"), content.exponent};
    }
    if (location.photo_path.empty())
      throw NotFoundError(at + ": location '" + key + "' has no photo",
                          "add one with `wfa location photo add " + key + " FILE`");
    std::shared_ptr<const PdfImage> photo;
    try {
      photo = photos.get(location.photo_path, key);
    } catch (const Error& e) {
      throw Error(e.category(), at + ": " + e.what(), e.hint());
    }
    ProposalLocation out{key,
                         location.name,
                         photo,
                         {},
                         conversion.apply(weekly->terms.net_rate),
                         conversion.apply(weekly->terms.upload_fee),
                         {}};
    auto price = [&](int weeks) {
      const auto* package = weeks == 1 ? nullptr : card_for(location, weeks, start);
      std::optional<RateCardTerms> terms;
      if (package) terms = package->terms;
      return price_line(weeks, weekly->terms, terms, conversion, layout.vat_bp());
    };
    for (int weeks : layout.durations()) out.lines.push_back(price(weeks));
    out.campaign = price(content.weeks);
    // A campaign length outside the standard options gets its own row, so the quoted price is in the table.
    if (std::find(layout.durations().begin(), layout.durations().end(), content.weeks) == layout.durations().end()) {
      auto at = std::find_if(out.lines.begin(), out.lines.end(),
                             [&](const PriceLine& line) { return line.weeks > content.weeks; });
      out.lines.insert(at, out.campaign);
    }
    content.locations.push_back(std::move(out));
  }
  return content;
}

}  // namespace wfa
