#pragma once
/// SalesCatalog is a workspace's sales data read once before a proposal batch — branding,
/// locations with their photo, rate cards, currencies and exchange rates — so workers price and
/// draw without touching the database. build_proposal turns one request into printable content.
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/pqxx_fwd.hpp"
#include "commands/proposal/proposal_items.hpp"
#include "pipelines/proposal_render.hpp"

namespace wfa {

struct CatalogCard {
  RateCardTerms terms;
  std::string currency;
  std::chrono::sys_days valid_from;
  std::optional<std::chrono::sys_days> valid_to;
};

struct CatalogLocation {
  std::string key;
  std::string name;
  std::string photo_path;  ///< relative to the file store; empty when the location has no photo
  std::vector<CatalogCard> cards;
};

/// ProposalPhotos loads each photo file once per batch, from any worker; failures are remembered too.
class ProposalPhotos {
 public:
  explicit ProposalPhotos(std::filesystem::path root) : root_(std::move(root)) {}
  std::shared_ptr<const PdfImage> get(const std::string& relative_path, const std::string& location_key);

 private:
  std::filesystem::path root_;
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<const PdfImage>> images_;
  std::map<std::string, std::string> failures_;
};

struct SalesCatalog {
  std::string workspace_id;
  std::string workspace_ref;
  std::string brand_name;
  std::string brand_color;  ///< empty: the layout's default
  std::shared_ptr<const PdfImage> logo;
  std::map<std::string, CatalogLocation> locations;
  std::map<std::string, int> exponents;           ///< supported currencies
  std::map<std::string, std::int64_t> rates_ppm;  ///< per currency, the rate in force on the issue date
};

/// load_catalog reads everything a batch needs for WORKSPACE; rates are those in force on ISSUE_DATE; the partner's
/// logo is read from the file store at ROOT.
SalesCatalog load_catalog(pqxx::connection_base& conn, const std::string& workspace, std::chrono::sys_days issue_date,
                          const std::filesystem::path& root);

/// build_proposal prices REQUEST; a problem with it (unknown location, missing rate card or photo,
/// bad date, unsupported currency) is an error naming REQUEST.where, for the batch to report.
ProposalContent build_proposal(const SalesCatalog& catalog, const ProposalRequest& request,
                               const ProposalLayout& layout, ProposalPhotos& photos);

}  // namespace wfa
