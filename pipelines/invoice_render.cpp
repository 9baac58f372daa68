// Invoice pages: the shared blocks plus the invoice's lines and totals.
#include "pipelines/invoice_render.hpp"

#include <algorithm>

#include "pipelines/layout_draw.hpp"
#include "pipelines/money.hpp"

namespace wfa {

namespace {

struct InvoiceScope {
  const ProposalLayout& layout;
  const InvoiceContent& content;
  std::size_t from = 0, count = 0;  ///< the lines this page shows
  bool last = true;                 ///< the totals are drawn on the last page only
  int page = 1, pages = 1;
  double floor = 0;
};

std::string fill(const std::string& text, const InvoiceScope& s) {
  const auto& c = s.content;
  return fill_placeholders(text, {{"number", c.number},
                                  {"status", c.status},
                                  {"brand_name", c.brand_name},
                                  {"bill_to", c.bill_to},
                                  {"issued", c.issued},
                                  {"period_start", c.period_start},
                                  {"period_end", c.period_end},
                                  {"currency", c.currency},
                                  {"total", format_amount(c.total, c.exponent)},
                                  {"amount_due", format_amount(c.amount_due, c.exponent)},
                                  {"page", std::to_string(s.page)},
                                  {"pages", std::to_string(s.pages)}});
}

std::string signed_amount(std::int64_t v, int exponent) {
  return v < 0 ? "−" + format_amount(-v, exponent) : format_amount(v, exponent);
}

double draw_block(PageCanvas& canvas, const LayoutBlock& b, const InvoiceScope& s) {
  const auto& c = s.content;
  if (b.type == "brand_bar") {
    draw_brand_bar(canvas, b, s.layout, c.brand_color, c.logo, fill(b.text, s));
  } else if (b.type == "text") {
    return draw_lines(canvas, b, s.layout,
                      wrap_text(canvas, b, fill(b.text, s), canvas.width() - 2 * s.layout.margin()), s.floor);
  } else if (b.type == "invoice_lines") {
    std::vector<std::vector<std::string>> rows;
    for (std::size_t i = s.from; i < s.from + s.count && i < c.lines.size(); ++i) {
      const auto& l = c.lines[i];
      rows.push_back({l.description, std::to_string(l.quantity), signed_amount(l.unit_amount, c.exponent),
                      signed_amount(l.amount, c.exponent)});
    }
    draw_table(canvas, b, s.layout, c.brand_color, rows);
  } else if (b.type == "invoice_totals" && s.last) {
    std::vector<std::pair<std::string, std::string>> rows = {{"Subtotal", signed_amount(c.subtotal, c.exponent)}};
    if (c.credits_applied > 0) rows.emplace_back("Credit applied", signed_amount(-c.credits_applied, c.exponent));
    rows.emplace_back("Tax (" + c.tax_rate + ")", signed_amount(c.tax, c.exponent));
    rows.emplace_back("Total " + c.currency, signed_amount(c.total, c.exponent));
    rows.emplace_back("Amount due " + c.currency, signed_amount(c.amount_due, c.exponent));
    double right = canvas.width() - s.layout.margin(), y = canvas.height() - b.y;
    double label_x = right - (canvas.width() - 2 * s.layout.margin()) * b.width_pct / 100;
    for (std::size_t i = 0; i < rows.size(); ++i, y -= b.row_height) {
      int font = i + 2 >= rows.size() ? b.header_font : b.font;  // total and amount due in the heading font
      canvas.text(right - canvas.text_width(font, b.size, rows[i].second), y, font, b.size, b.color, rows[i].second);
      canvas.text(label_x, y, font, b.size, b.color, rows[i].first);
    }
  } else if (b.type == "rule" || b.type == "footer") {
    draw_rule_or_footer(canvas, b, s.layout, fill(b.text, s), fill(b.right, s));
  }
  return 0;
}

/// lines_per_page is how many lines fit between the lines table's header and the totals (or the footer).
std::size_t lines_per_page(const ProposalLayout& layout) {
  const auto& blocks = layout.blocks("invoice");
  auto table =
      std::find_if(blocks.begin(), blocks.end(), [](const LayoutBlock& b) { return b.type == "invoice_lines"; });
  if (table == blocks.end()) return SIZE_MAX;
  double limit = layout.page_height() - layout.margin();
  for (const auto& b : blocks)
    if (b.y > table->y && b.type != "brand_bar") limit = std::min(limit, b.y);
  auto fit = static_cast<long>((limit - table->y) / table->row_height) - 1;
  return static_cast<std::size_t>(std::max(fit, 1L));
}

}  // namespace

std::vector<RenderedPage> render_invoice(const ProposalLayout& layout, const InvoiceContent& content) {
  auto per_page = lines_per_page(layout);
  int pages = per_page == SIZE_MAX ? 1 : std::max(1, int((content.lines.size() + per_page - 1) / per_page));
  std::vector<RenderedPage> out;
  for (int k = 0; k < pages; ++k) {
    InvoiceScope scope{layout, content};
    scope.from = per_page == SIZE_MAX ? 0 : std::size_t(k) * per_page;
    scope.count = per_page == SIZE_MAX ? content.lines.size() : per_page;
    scope.last = k + 1 == pages, scope.page = k + 1, scope.pages = pages;
    scope.floor = text_floor(layout, "invoice");
    out.push_back(draw_layout_page(layout, "invoice", [&scope](PageCanvas& canvas, const LayoutBlock& b) {
      return draw_block(canvas, b, scope);
    }));
  }
  return out;
}

}  // namespace wfa
