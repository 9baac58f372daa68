#pragma once
/// The drawing blocks that proposal and invoice layouts share: placeholders, wrapped text, brand bar, tables, rules
/// and footers. Pure: a canvas in, marks on it out.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "pipelines/pdf_document.hpp"
#include "pipelines/proposal_layout.hpp"

namespace wfa {

/// Placeholders maps each {name} a layout's text may hold to its value.
using Placeholders = std::map<std::string, std::string, std::less<>>;

/// fill_placeholders replaces every known {name} in TEXT; unknown ones stay as written.
std::string fill_placeholders(const std::string& text, const Placeholders& values);

/// aligned_x is where a thing WIDTH wide starts under block B's align: its x, centred, or against the right margin.
double aligned_x(const PageCanvas& canvas, const LayoutBlock& b, double width, const ProposalLayout& layout);

/// text_floor is the distance from the top below which a page's text must not go: its first rule or footer.
double text_floor(const ProposalLayout& layout, const std::string& page);

/// wrap_text breaks TEXT at spaces into lines no wider than ROOM (a word longer than ROOM gets a line of its own).
std::vector<std::string> wrap_text(const PageCanvas& canvas, const LayoutBlock& b, const std::string& text,
                                   double room);

/// draw_lines draws LINES from block B's y, stopped above FLOOR and at its max_lines (the last kept line ends with an
/// ellipsis); returns how much taller than one line it came out.
double draw_lines(PageCanvas& canvas, const LayoutBlock& b, const ProposalLayout& layout,
                  std::vector<std::string> lines, double floor);

/// draw_brand_bar fills the top band with BRAND_COLOR, with LOGO (may be null) and TEXT in it.
void draw_brand_bar(PageCanvas& canvas, const LayoutBlock& b, const ProposalLayout& layout,
                    const std::string& brand_color, const std::shared_ptr<const PdfImage>& logo,
                    const std::string& text);

/// draw_table draws a header row in BRAND_COLOR and zebra-striped body ROWS; column 0 is left-aligned text, the others
/// right-aligned amounts.
void draw_table(PageCanvas& canvas, const LayoutBlock& b, const ProposalLayout& layout, const std::string& brand_color,
                const std::vector<std::vector<std::string>>& rows);

/// draw_rule_or_footer draws a rule block, or a footer block with LEFT and RIGHT already filled.
void draw_rule_or_footer(PageCanvas& canvas, const LayoutBlock& b, const ProposalLayout& layout,
                         const std::string& left, const std::string& right);

/// DrawBlock draws one block and returns how much taller than one line it came out (wrapped text).
using DrawBlock = std::function<double(PageCanvas&, const LayoutBlock&)>;

/// draw_layout_page draws the blocks of PAGE in layout order through DRAW, moving the blocks below a wrapped text
/// down by what it grew.
RenderedPage draw_layout_page(const ProposalLayout& layout, const std::string& page, const DrawBlock& draw);

}  // namespace wfa
