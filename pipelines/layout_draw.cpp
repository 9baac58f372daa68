// Shared drawing of layout blocks: what proposals and invoices draw alike.
#include "pipelines/layout_draw.hpp"

#include <algorithm>

namespace wfa {

namespace {

/// fitted_size is SIZE, or the smaller size at which TEXT fits in ROOM.
double fitted_size(const PageCanvas& canvas, int font, double size, const std::string& text, double room) {
  double width = canvas.text_width(font, size, text);
  return width <= room || width <= 0 ? size : size * room / width;
}

/// cut keeps the first KEEP of LINES and ends the last with an ellipsis, dropping words until it fits ROOM.
void cut(const PageCanvas& canvas, const LayoutBlock& b, std::vector<std::string>& lines, std::size_t keep,
         double room) {
  if (lines.size() <= keep || keep == 0) return;
  lines.resize(keep);
  auto& last = lines.back();
  while (canvas.text_width(b.font, b.size, last + " …") > room && last.rfind(' ') != std::string::npos)
    last.erase(last.rfind(' '));
  last += " …";
}

}  // namespace

double aligned_x(const PageCanvas& canvas, const LayoutBlock& b, double width, const ProposalLayout& layout) {
  if (b.align == "center") return (canvas.width() - width) / 2;
  if (b.align == "right") return canvas.width() - layout.margin() - width;
  return b.x;
}

std::string fill_placeholders(const std::string& text, const Placeholders& values) {
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

double text_floor(const ProposalLayout& layout, const std::string& page) {
  double floor = layout.page_height();
  for (const auto& block : layout.blocks(page))
    if (block.type == "rule" || block.type == "footer") floor = std::min(floor, block.y);
  return floor;
}

std::vector<std::string> wrap_text(const PageCanvas& canvas, const LayoutBlock& b, const std::string& text,
                                   double room) {
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

double draw_lines(PageCanvas& canvas, const LayoutBlock& b, const ProposalLayout& layout,
                  std::vector<std::string> lines, double floor) {
  double room = canvas.width() - 2 * layout.margin();
  double line_height = b.size * 1.25;
  auto fit = floor > b.y ? static_cast<std::size_t>(std::max(1.0, (floor - b.y) / line_height)) : lines.size();
  cut(canvas, b, lines, std::min(fit, b.max_lines > 0 ? std::size_t(b.max_lines) : lines.size()), room);
  double y = canvas.height() - b.y;
  for (const auto& line : lines) {
    double size = fitted_size(canvas, b.font, b.size, line, room);  // a word longer than the page is set smaller
    canvas.text(aligned_x(canvas, b, canvas.text_width(b.font, size, line), layout), y, b.font, size, b.color, line);
    y -= line_height;
  }
  return line_height * double(lines.size() - 1);
}

void draw_brand_bar(PageCanvas& canvas, const LayoutBlock& b, const ProposalLayout& layout,
                    const std::string& brand_color, const std::shared_ptr<const PdfImage>& logo,
                    const std::string& text) {
  auto brand = PdfColor::hex(brand_color, "brand colour");
  double h = b.height > 0 ? b.height : 56;
  canvas.fill_rect(0, canvas.height() - h, canvas.width(), h, brand);
  double x = layout.margin();
  if (logo) {
    double lh = h * 0.64, lw = lh * logo->width / logo->height;
    canvas.image(logo, x, canvas.height() - h + (h - lh) / 2, lw, lh);
    x += lw + 12;
  }
  canvas.text(x, canvas.height() - h / 2 - b.size * 0.36, b.font, b.size, b.color, text);
}

void draw_table(PageCanvas& canvas, const LayoutBlock& b, const ProposalLayout& layout, const std::string& brand_color,
                const std::vector<std::vector<std::string>>& rows) {
  double left = layout.margin(), width = canvas.width() - 2 * layout.margin();
  std::size_t n = b.columns.size();
  double top = canvas.height() - b.y, pad = 6;
  double first = width * 0.16;  // the label column widens to its longest label, up to 40 % of the table
  for (const auto& row : rows) first = std::max(first, canvas.text_width(b.font, b.size, row.front()) + 2 * pad);
  first = std::min(first, width * 0.4);
  double other = n > 1 ? (width - first) / double(n - 1) : 0;
  auto brand = PdfColor::hex(brand_color, "brand colour");
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

void draw_rule_or_footer(PageCanvas& canvas, const LayoutBlock& b, const ProposalLayout& layout,
                         const std::string& left, const std::string& right) {
  double y = canvas.height() - b.y;
  if (b.type == "rule") {
    canvas.rule(layout.margin(), y, canvas.width() - layout.margin(), y, b.line_width, b.color);
    return;
  }
  canvas.text(layout.margin(), y, b.font, b.size, b.color, left);
  canvas.text(canvas.width() - layout.margin() - canvas.text_width(b.font, b.size, right), y, b.font, b.size, b.color,
              right);
}

RenderedPage draw_layout_page(const ProposalLayout& layout, const std::string& page, const DrawBlock& draw) {
  PageCanvas canvas(layout.fonts(), layout.page_width(), layout.page_height());
  double shift = 0;
  for (auto block : layout.blocks(page)) {
    if (block.type != "rule" && block.type != "footer" && block.type != "brand_bar") {
      block.y += shift;
      if (block.height > 0 && block.type == "photo") block.height = std::max(block.height - shift, 1.0);
    }
    shift += draw(canvas, block);
  }
  return canvas.finish();
}

}  // namespace wfa
