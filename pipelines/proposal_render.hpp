#pragma once
/// Drawing a priced proposal with a layout: a cover, a financials page per location and, for a
/// combined proposal over several locations, a summary page. Pure: no database, no files.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "pipelines/pdf_document.hpp"
#include "pipelines/pricing.hpp"
#include "pipelines/proposal_layout.hpp"

namespace wfa {

/// ProposalLocation is one priced location: names, photo, and a price line per duration option.
struct ProposalLocation {
  std::string key;
  std::string name;
  std::shared_ptr<const PdfImage> photo;  ///< may be null: the photo block is then left empty
  std::vector<PriceLine> lines;
  std::int64_t weekly_net = 0;  ///< for the rate-card line, in the proposal's currency
  std::int64_t upload_fee = 0;
  PriceLine campaign;  ///< the price of the whole campaign (weeks of the proposal)
};

/// ProposalContent is everything printed on a proposal; dates are already formatted.
struct ProposalContent {
  std::string id;
  std::string client;
  std::string brand_name;
  std::string brand_color;               ///< #RRGGBB
  std::shared_ptr<const PdfImage> logo;  ///< may be null
  std::string start_date, end_date;
  int weeks = 0;
  std::string currency;
  int exponent = 2;
  std::vector<ProposalLocation> locations;
};

/// render_proposal draws CONTENT: cover + financials for one location; cover + financials per
/// location + summary when there are several.
std::vector<RenderedPage> render_proposal(const ProposalLayout& layout, const ProposalContent& content);

}  // namespace wfa
