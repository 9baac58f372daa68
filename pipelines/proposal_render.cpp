// Proposal pages: placeholders filled from the content, blocks drawn in layout order.
#include "pipelines/proposal_render.hpp"

#include <algorithm>
#include <map>

#include "pipelines/layout_draw.hpp"
#include "pipelines/money.hpp"

namespace wfa {

namespace {

/// PageScope is what placeholders resolve to on one page.
struct PageScope {
  const ProposalLayout& layout;
  const ProposalContent& content;
  const ProposalLocation* location;
  int page = 1, pages = 1;
  std::size_t summary_from = 0, summary_count = SIZE_MAX;  ///< the summary rows this page shows
  double floor = 0;  ///< distance from the top below which text must not go: the page's first rule or footer
};

std::string duration_label(int weeks) { return std::to_string(weeks) + (weeks == 1 ? " week" : " weeks"); }

std::string fill(const std::string& text, const PageScope& s) {
  auto money = [&](std::int64_t v) { return format_amount(v, s.content.exponent); };
  std::string names;
  for (const auto& l : s.content.locations) names += (names.empty() ? "" : ", ") + l.name;
  const auto* loc = s.location ? s.location : &s.content.locations.front();
  return fill_placeholders(text, {{"id", s.content.id},
                                  {"client", s.content.client},
                                  {"brand_name", s.content.brand_name},
                                  {"location", loc->name},
                                  {"location_key", loc->key},
                                  {"locations", names},
                                  {"location_count", std::to_string(s.content.locations.size())},
                                  {"start_date", s.content.start_date},
                                  {"end_date", s.content.end_date},
                                  {"weeks", std::to_string(s.content.weeks)},
                                  {"currency", s.content.currency},
                                  {"net_rate_week", money(loc->weekly_net)},
                                  {"upload_fee", money(loc->upload_fee)},
                                  {"page", std::to_string(s.page)},
                                  {"pages", std::to_string(s.pages)}});
}

std::vector<std::string> amounts(const std::string& label, const PriceLine& l, int exponent) {
  return {label,
          format_amount(l.net, exponent),
          format_amount(l.municipality_fee, exponent),
          format_amount(l.upload_fee, exponent),
          format_amount(l.subtotal, exponent),
          format_amount(l.vat, exponent),
          format_amount(l.total, exponent)};
}

/// draw_block draws B and returns how much taller than one line it came out (wrapped text), which
/// moves the blocks below it down.
double draw_block(PageCanvas& canvas, const LayoutBlock& b, const PageScope& s) {
  const auto& layout = s.layout;
  if (b.type == "brand_bar") {
    draw_brand_bar(canvas, b, layout, s.content.brand_color, s.content.logo, fill(b.text, s));
  } else if (b.type == "text") {
    return draw_lines(canvas, b, layout, wrap_text(canvas, b, fill(b.text, s), canvas.width() - 2 * layout.margin()),
                      s.floor);
  } else if (b.type == "location_list") {
    std::vector<std::string> lines;
    for (const auto& l : s.content.locations) lines.push_back(l.key + "  " + l.name);
    draw_lines(canvas, b, layout, lines, s.floor);
  } else if (b.type == "photo") {
    const auto* loc = s.location ? s.location : &s.content.locations.front();
    if (!loc->photo) return 0;
    double w = canvas.width() * b.width_pct / 100, h = w * loc->photo->height / loc->photo->width;
    if (b.height > 0 && h > b.height) h = b.height, w = h * loc->photo->width / loc->photo->height;
    canvas.image(loc->photo, aligned_x(canvas, b, w, layout), canvas.height() - b.y - h, w, h);
  } else if (b.type == "financial_table") {
    std::vector<std::vector<std::string>> rows;
    for (const auto& line : s.location->lines)
      rows.push_back(amounts(duration_label(line.weeks), line, s.content.exponent));
    draw_table(canvas, b, layout, s.content.brand_color, rows);
  } else if (b.type == "summary_table") {
    std::vector<std::vector<std::string>> rows;
    PriceLine sum;
    for (const auto& l : s.content.locations) {
      rows.push_back(amounts(l.name, l.campaign, s.content.exponent));
      sum = add_lines(sum, l.campaign);
    }
    rows.push_back(amounts("", sum, s.content.exponent));
    rows.back().front() = fill(b.text.empty() ? "Total" : b.text, s);
    auto from = std::min(s.summary_from, rows.size());
    auto to = s.summary_count == SIZE_MAX ? rows.size() : std::min(rows.size(), from + s.summary_count);
    draw_table(canvas, b, layout, s.content.brand_color,
               {rows.begin() + static_cast<std::ptrdiff_t>(from), rows.begin() + static_cast<std::ptrdiff_t>(to)});
  } else if (b.type == "rule" || b.type == "footer") {
    draw_rule_or_footer(canvas, b, layout, fill(b.text, s), fill(b.right, s));
  }
  return 0;
}

RenderedPage draw_page(const std::string& kind, PageScope scope) {
  scope.floor = text_floor(scope.layout, kind);
  return draw_layout_page(scope.layout, kind,
                          [&scope](PageCanvas& canvas, const LayoutBlock& b) { return draw_block(canvas, b, scope); });
}

/// summary_rows_per_page is how many body rows of the summary table fit above the blocks drawn below it (the rule
/// and footer), its header row repeated on every page.
std::size_t summary_rows_per_page(const ProposalLayout& layout) {
  const auto& blocks = layout.blocks("summary");
  auto table =
      std::find_if(blocks.begin(), blocks.end(), [](const LayoutBlock& b) { return b.type == "summary_table"; });
  if (table == blocks.end()) return SIZE_MAX;
  double limit = layout.page_height() - layout.margin();
  for (const auto& b : blocks)
    if (b.y > table->y && b.type != "brand_bar") limit = std::min(limit, b.y);
  auto fit = static_cast<long>((limit - table->y - table->row_height / 2) / table->row_height) - 1;
  return static_cast<std::size_t>(std::max(fit, 1L));
}

}  // namespace

std::vector<RenderedPage> render_proposal(const ProposalLayout& layout, const ProposalContent& content) {
  bool summary = content.locations.size() > 1 && !layout.blocks("summary").empty();
  // The summary continues on further pages, its header repeated, when its rows (one per location and the total)
  // do not fit on one.
  auto per_page = summary_rows_per_page(layout);
  auto summary_rows = content.locations.size() + 1;
  int summary_pages = !summary ? 0 : per_page == SIZE_MAX ? 1 : int((summary_rows + per_page - 1) / per_page);
  int pages = 1 + int(content.locations.size()) + summary_pages;
  std::vector<RenderedPage> out;
  out.push_back(draw_page("cover", {layout, content, &content.locations.front(), 1, pages}));
  for (const auto& location : content.locations)
    out.push_back(draw_page("financials", {layout, content, &location, int(out.size()) + 1, pages}));
  for (int k = 0; k < summary_pages; ++k) {
    PageScope scope{layout, content, nullptr, int(out.size()) + 1, pages};
    if (per_page != SIZE_MAX) scope.summary_from = std::size_t(k) * per_page, scope.summary_count = per_page;
    out.push_back(draw_page("summary", scope));
  }
  return out;
}

}  // namespace wfa
