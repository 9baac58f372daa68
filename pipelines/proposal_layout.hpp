#pragma once
/// ProposalLayout is a design loaded from templates/proposal/NAME.json (or templates/invoice/NAME.json under the
/// invoice schema): page size, fonts, colours, duration options and the blocks drawn on each kind of page. Layouts are
/// data, not code.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "pipelines/pdf_document.hpp"

namespace wfa {

/// LayoutBlock is one drawing instruction; y values are measured from the top of the page.
struct LayoutBlock {
  std::string type;     ///< one of its schema's block types: brand_bar, text, photo, financial_table, rule, footer…
  std::string text;     ///< with {placeholders}; for footer, the left text
  std::string right;    ///< footer: the right text
  int font = 0;         ///< index into the layout's fonts
  int header_font = 0;  ///< tables: the header row's font
  double size = 10;
  double x = 0, y = 0, height = 0, width_pct = 0, line_width = 0.8, row_height = 22;
  std::string align = "left";  ///< left, center, right
  int max_lines = 0;           ///< text: lines kept before the rest is cut with an ellipsis; 0 is no limit
  PdfColor color;
  std::vector<std::string> columns;  ///< table header labels
};

/// LayoutSchema is what a kind of document may put in its layout: its page kinds (the first REQUIRED of them must be
/// there) and block types.
struct LayoutSchema {
  std::vector<std::string> pages;
  std::size_t required = 1;
  std::vector<std::string> block_types;
};

/// proposal_schema: cover, financials (both required) and summary pages.
const LayoutSchema& proposal_schema();
/// invoice_schema: one invoice page, with invoice_lines and invoice_totals blocks.
const LayoutSchema& invoice_schema();

class ProposalLayout {
 public:
  /// load reads and validates PATH under SCHEMA; mistakes are InvalidInputError naming the file and the JSON path.
  static std::shared_ptr<const ProposalLayout> load(const std::string& path,
                                                    const LayoutSchema& schema = proposal_schema());

  const PdfFonts& fonts() const { return fonts_; }
  double page_width() const { return page_width_; }
  double page_height() const { return page_height_; }
  double margin() const { return margin_; }
  const std::vector<int>& durations() const { return durations_; }
  std::int32_t vat_bp() const { return vat_bp_; }
  const std::string& default_brand_color() const { return brand_color_; }
  const std::string& default_brand_name() const { return brand_name_; }
  PdfColor zebra() const { return zebra_; }
  PdfColor header_text() const { return header_text_; }
  /// blocks returns the blocks of a page kind: cover, financials or summary.
  const std::vector<LayoutBlock>& blocks(const std::string& page) const;

 private:
  PdfFonts fonts_;
  double page_width_ = 841.89, page_height_ = 595.28, margin_ = 36;
  std::vector<int> durations_;
  std::int32_t vat_bp_ = 500;
  std::string brand_color_ = "#0B5FA5", brand_name_;
  PdfColor zebra_, header_text_;
  std::map<std::string, std::vector<LayoutBlock>> pages_;
};

}  // namespace wfa
