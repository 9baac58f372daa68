// Proposal pages: placeholders filled from the content, blocks drawn in layout order.
#include "pipelines/proposal_render.hpp"

#include <algorithm>
#include <map>

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
  std::map<std::string, std::string, std::less<>> values = {
      {"id", s.content.id},
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
      {"pages", std::to_string(s.pages)}};
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto close = text[i] == '{' ? text.find('}', i) : std::string::npos;
    auto it =
        close == std::string::npos ? values.end() : values.find(std::string_view(text).substr(i + 1, close - i - 1));
    if (it == values.end()) {
      out += text[i];
      continue;
    }
    out += it->second;
    i = close;
  }
  return out;
}

double aligned_x(PageCanvas& canvas, const LayoutBlock& b, double width, const ProposalLayout& layout) {
  if (b.align == "center") return (canvas.width() - width) / 2;
  if (b.align == "right") return canvas.width() - layout.margin() - width;
  return b.x;
}

/// fitted_size is SIZE, or the smaller size at which TEXT fits in ROOM.
double fitted_size(const PageCanvas& canvas, int font, double size, const std::string& text, double room) {
  double width = canvas.text_width(font, size, text);
  return width <= room || width <= 0 ? size : size * room / width;
}

/// draw_table draws a header row in the brand colour and zebra-striped body rows; column 0 is
/// left-aligned text, the others right-aligned amounts.
void draw_table(PageCanvas& canvas, const LayoutBlock& b, const PageScope& s,
                const std::vector<std::vector<std::string>>& rows) {
  const auto& layout = s.layout;
  double left = layout.margin(), width = canvas.width() - 2 * layout.margin();
  std::size_t n = b.columns.size();
  double top = canvas.height() - b.y, pad = 6;
  double first = width * 0.16;  // the label column widens to its longest label, up to 40 % of the table
  for (const auto& row : rows) first = std::max(first, canvas.text_width(b.font, b.size, row.front()) + 2 * pad);
  first = std::min(first, width * 0.4);
  double other = n > 1 ? (width - first) / double(n - 1) : 0;
  auto brand = PdfColor::hex(s.content.brand_color, "brand colour");
  auto row_cells = [&](const std::vector<std::string>& cells, double y, int font, PdfColor color) {
    double baseline = y - b.row_height + (b.row_height - b.size * 0.72) / 2;
    for (std::size_t c = 0; c < n && c < cells.size(); ++c) {
      double cell_left = c == 0 ? left : left + first + other * double(c - 1);
      double cell_width = c == 0 ? first : other;
      // A value wider than its cell is set smaller until it fits, never over the next column.
      double size = fitted_size(canvas, font, b.size, cells[c], cell_width - 2 * pad);
      double x = c == 0 ? cell_left + pad : cell_left + cell_width - pad - canvas.text_width(font, size, cells[c]);
      canvas.text(x, baseline, font, size, color, cells[c]);
    }
  };
  canvas.fill_rect(left, top - b.row_height, width, b.row_height, brand);
  row_cells(b.columns, top, b.header_font, layout.header_text());
  for (std::size_t r = 0; r < rows.size(); ++r) {
    double y = top - b.row_height * double(r + 1);
    if (r % 2 == 1) canvas.fill_rect(left, y - b.row_height, width, b.row_height, layout.zebra());
    row_cells(rows[r], y, b.font, b.color);
  }
}

/// cut keeps the first LINES of TEXT's lines and ends the last with an ellipsis, dropping words until it fits ROOM.
void cut(const PageCanvas& canvas, const LayoutBlock& b, std::vector<std::string>& lines, std::size_t keep,
         double room) {
  if (lines.size() <= keep || keep == 0) return;
  lines.resize(keep);
  auto& last = lines.back();
  while (canvas.text_width(b.font, b.size, last + " …") > room && last.rfind(' ') != std::string::npos)
    last.erase(last.rfind(' '));
  last += " …";
}

/// wrap breaks TEXT at spaces into lines no wider than ROOM (a word longer than ROOM gets a line of its own).
std::vector<std::string> wrap(const PageCanvas& canvas, const LayoutBlock& b, const std::string& text, double room) {
  std::vector<std::string> lines;
  std::string line;
  std::size_t at = 0;
  while (at <= text.size()) {
    auto space = text.find(' ', at);
    auto word = text.substr(at, space == std::string::npos ? std::string::npos : space - at);
    auto candidate = line.empty() ? word : line + " " + word;
    if (!line.empty() && canvas.text_width(b.font, b.size, candidate) > room) {
      lines.push_back(line);
      line = word;
    } else {
      line = candidate;
    }
    if (space == std::string::npos) break;
    at = space + 1;
  }
  lines.push_back(line);
  return lines;
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
    auto brand = PdfColor::hex(s.content.brand_color, "brand colour");
    double h = b.height > 0 ? b.height : 56;
    canvas.fill_rect(0, canvas.height() - h, canvas.width(), h, brand);
    double x = layout.margin();
    if (s.content.logo) {
      double lh = h * 0.64, lw = lh * s.content.logo->width / s.content.logo->height;
      canvas.image(s.content.logo, x, canvas.height() - h + (h - lh) / 2, lw, lh);
      x += lw + 12;
    }
    canvas.text(x, canvas.height() - h / 2 - b.size * 0.36, b.font, b.size, b.color, fill(b.text, s));
  } else if (b.type == "text" || b.type == "location_list") {
    std::vector<std::string> lines;
    double room = canvas.width() - 2 * layout.margin();
    if (b.type == "text")
      lines = wrap(canvas, b, fill(b.text, s), room);
    else
      for (const auto& l : s.content.locations) lines.push_back(l.key + "  " + l.name);
    // Text stops above the page's rule or footer, and at the block's max_lines: the rest is cut with an ellipsis.
    double line_height = b.size * 1.25;
    auto fit = s.floor > b.y ? static_cast<std::size_t>(std::max(1.0, (s.floor - b.y) / line_height)) : lines.size();
    cut(canvas, b, lines, std::min(fit, b.max_lines > 0 ? std::size_t(b.max_lines) : lines.size()), room);
    double y = canvas.height() - b.y;
    for (const auto& line : lines) {
      double size = fitted_size(canvas, b.font, b.size, line, room);  // a word longer than the page is set smaller
      canvas.text(aligned_x(canvas, b, canvas.text_width(b.font, size, line), layout), y, b.font, size, b.color, line);
      y -= b.size * 1.25;
    }
    if (b.type == "text") return b.size * 1.25 * double(lines.size() - 1);
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
    draw_table(canvas, b, s, rows);
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
    draw_table(canvas, b, s,
               {rows.begin() + static_cast<std::ptrdiff_t>(from), rows.begin() + static_cast<std::ptrdiff_t>(to)});
  } else if (b.type == "rule") {
    double y = canvas.height() - b.y;
    canvas.rule(layout.margin(), y, canvas.width() - layout.margin(), y, b.line_width, b.color);
  } else if (b.type == "footer") {
    double y = canvas.height() - b.y;
    canvas.text(layout.margin(), y, b.font, b.size, b.color, fill(b.text, s));
    auto right = fill(b.right, s);
    canvas.text(canvas.width() - layout.margin() - canvas.text_width(b.font, b.size, right), y, b.font, b.size, b.color,
                right);
  }
  return 0;
}

RenderedPage draw_page(const std::string& kind, PageScope scope) {
  PageCanvas canvas(scope.layout.fonts(), scope.layout.page_width(), scope.layout.page_height());
  scope.floor = scope.layout.page_height();
  for (const auto& block : scope.layout.blocks(kind))
    if (block.type == "rule" || block.type == "footer") scope.floor = std::min(scope.floor, block.y);
  double shift = 0;
  for (auto block : scope.layout.blocks(kind)) {
    if (block.type != "rule" && block.type != "footer" && block.type != "brand_bar") {
      block.y += shift;
      if (block.height > 0 && block.type == "photo") block.height = std::max(block.height - shift, 1.0);
    }
    shift += draw_block(canvas, block, scope);
  }
  return canvas.finish();
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
