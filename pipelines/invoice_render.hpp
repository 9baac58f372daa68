#pragma once
/// Drawing an invoice with a layout of the invoice schema (templates/invoice/NAME.json). Pure: no database, no files.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "pipelines/pdf_document.hpp"
#include "pipelines/proposal_layout.hpp"

namespace wfa {

struct InvoiceContentLine {
  std::string description;
  std::int64_t quantity = 0, unit_amount = 0, amount = 0;
};

/// InvoiceContent is everything printed on an invoice; dates are already formatted, amounts in minor units.
struct InvoiceContent {
  std::string number, status;
  std::string brand_name, brand_color;   ///< brand_color as #RRGGBB
  std::shared_ptr<const PdfImage> logo;  ///< may be null
  std::string bill_to;                   ///< the workspace billed
  std::string issued, period_start, period_end;
  std::string currency;
  int exponent = 2;
  std::vector<InvoiceContentLine> lines;
  std::int64_t subtotal = 0, credits_applied = 0, tax = 0, total = 0, amount_due = 0;
  std::string tax_rate;  ///< "5%", "7.5%"
};

/// render_invoice draws CONTENT on the layout's invoice page; lines that do not fit above the totals continue on
/// further pages with the table's header repeated.
std::vector<RenderedPage> render_invoice(const ProposalLayout& layout, const InvoiceContent& content);

}  // namespace wfa
