// Loading and validating proposal layouts from JSON.
#include "pipelines/proposal_layout.hpp"

#include <algorithm>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/json_input.hpp"

namespace wfa {

namespace {

using json = nlohmann::json;

/// max_layout_bytes bounds a layout file: a few pages of blocks.
constexpr std::size_t max_layout_bytes = 1u << 20;

/// joined is LIST as "a, b and c".
std::string joined(const std::vector<std::string>& list, std::size_t count) {
  std::string out;
  for (std::size_t i = 0; i < count && i < list.size(); ++i)
    out += (i == 0 ? "" : i + 1 == std::min(count, list.size()) ? " and " : ", ") + list[i];
  return out;
}

/// Where names the JSON path of a value in error messages: "standard.json: pages.cover[2].font".
struct Where {
  const std::string& file;
  std::string path;
  [[noreturn]] void fail(const std::string& what, const std::string& hint) const {
    throw InvalidInputError(file + ": " + path + ": " + what, hint);
  }
};

double number(const json& object, const char* key, double fallback, const Where& where) {
  if (!object.contains(key)) return fallback;
  if (!object[key].is_number())
    Where{where.file, where.path + "." + key}.fail("is not a number", "write a number of points");
  return object[key].get<double>();
}

std::string text(const json& object, const char* key, const std::string& fallback, const Where& where) {
  if (!object.contains(key)) return fallback;
  if (!object[key].is_string()) Where{where.file, where.path + "." + key}.fail("is not a string", "quote the value");
  return object[key].get<std::string>();
}

}  // namespace

const LayoutSchema& proposal_schema() {
  static const LayoutSchema schema{
      {"cover", "financials", "summary"},
      2,
      {"brand_bar", "text", "photo", "location_list", "financial_table", "summary_table", "rule", "footer"}};
  return schema;
}

const LayoutSchema& invoice_schema() {
  static const LayoutSchema schema{
      {"invoice"}, 1, {"brand_bar", "text", "invoice_lines", "invoice_totals", "rule", "footer"}};
  return schema;
}

const std::vector<LayoutBlock>& ProposalLayout::blocks(const std::string& page) const {
  static const std::vector<LayoutBlock> none;
  auto it = pages_.find(page);
  return it == pages_.end() ? none : it->second;
}

std::shared_ptr<const ProposalLayout> ProposalLayout::load(const std::string& path, const LayoutSchema& schema) {
  auto layout = std::make_shared<ProposalLayout>();
  json doc = read_json_input(path, "layout", max_layout_bytes, "fix the layout file");
  Where root{path, "$"};
  if (!doc.is_object()) root.fail("is not an object", "a layout is a JSON object with page, fonts, colors and pages");
  const json page = doc.value("page", json::object());
  const json font_files = doc.value("fonts", json::object());
  const json color_values = doc.value("colors", json::object());
  const json durations = doc.value("durations_weeks", json::array({1, 2, 4, 8, 12, 26, 52}));
  const json page_blocks = doc.value("pages", json::object());
  layout->page_width_ = number(page, "width", 841.89, {path, "page"});
  layout->page_height_ = number(page, "height", 595.28, {path, "page"});
  layout->margin_ = number(page, "margin", 36, {path, "page"});

  std::map<std::string, int> fonts;
  for (const auto& [name, file] : font_files.items()) {
    if (!file.is_string()) Where{path, "fonts." + name}.fail("is not a file path", "give the path of a .ttf file");
    std::filesystem::path font = file.get<std::string>();
    if (font.is_relative()) font = std::filesystem::path(path).parent_path() / font;
    fonts[name] = layout->fonts_.add(font.string());
  }
  if (fonts.empty()) root.fail("has no fonts", "name at least one TrueType font under \"fonts\"");

  std::map<std::string, PdfColor> colors;
  for (const auto& [name, value] : color_values.items())
    colors[name] = PdfColor::hex(value.is_string() ? value.get<std::string>() : "", path + ": colors." + name);
  auto color_of = [&](const json& block, const char* key, const std::string& fallback, const Where& where) {
    auto name = text(block, key, fallback, where);
    if (name.rfind('#', 0) == 0) return PdfColor::hex(name, where.file + ": " + where.path + "." + key);
    auto it = colors.find(name);
    if (it == colors.end())
      Where{where.file, where.path + "." + key}.fail("names no colour '" + name + "'",
                                                     "define it under \"colors\" or write #RRGGBB");
    return it->second;
  };
  layout->zebra_ = color_of(doc, "zebra", "#EEF3F9", root);
  layout->header_text_ = color_of(doc, "header_text", "#FFFFFF", root);
  layout->brand_color_ = text(doc, "brand_color", "#0B5FA5", root);
  PdfColor::hex(layout->brand_color_, path + ": brand_color");
  layout->brand_name_ = text(doc, "brand_name", "", root);
  for (const auto& weeks : durations) {
    if (!weeks.is_number_integer() || weeks.get<int>() < 1 || weeks.get<int>() > 520)
      Where{path, "durations_weeks"}.fail("must list whole numbers of weeks from 1 to 520", "e.g. [1, 4, 12, 52]");
    layout->durations_.push_back(weeks.get<int>());
  }
  layout->vat_bp_ = static_cast<std::int32_t>(number(doc, "vat_percent", 5, root) * 100 + 0.5);

  for (const auto& [kind, list] : page_blocks.items()) {
    if (std::find(schema.pages.begin(), schema.pages.end(), kind) == schema.pages.end())
      Where{path, "pages." + kind}.fail("is not a page kind", "use " + joined(schema.pages, schema.pages.size()));
    auto& blocks = layout->pages_[kind];
    for (std::size_t i = 0; i < list.size(); ++i) {
      const auto& b = list[i];
      Where where{path, "pages." + kind + "[" + std::to_string(i) + "]"};
      LayoutBlock block;
      block.type = text(b, "type", "", where);
      if (std::find(schema.block_types.begin(), schema.block_types.end(), block.type) == schema.block_types.end())
        where.fail("unknown block type '" + block.type + "'",
                   "use one of " + joined(schema.block_types, schema.block_types.size()));
      auto font = text(b, "font", fonts.begin()->first, where);
      if (!fonts.count(font))
        Where{path, where.path + ".font"}.fail("names no font '" + font + "'", "define it under \"fonts\"");
      block.font = fonts[font];
      auto header = text(b, "header_font", font, where);
      if (!fonts.count(header))
        Where{path, where.path + ".header_font"}.fail("names no font '" + header + "'", "define it under \"fonts\"");
      block.header_font = fonts[header];
      block.text = text(b, "text", "", where);
      block.right = text(b, "right", "", where);
      block.size = number(b, "size", 10, where);
      block.x = number(b, "x", layout->margin_, where);
      block.y = number(b, "y", 0, where);
      block.height = number(b, "height", 0, where);
      block.width_pct = number(b, "width_pct", 60, where);
      block.line_width = number(b, "line_width", 0.8, where);
      block.row_height = number(b, "row_height", 22, where);
      auto max_lines = number(b, "max_lines", 0, where);
      if (max_lines < 0 || max_lines != static_cast<int>(max_lines))
        Where{path, where.path + ".max_lines"}.fail("is not a whole number of lines", "give 0 (no limit) or more");
      block.max_lines = static_cast<int>(max_lines);
      block.align = text(b, "align", "left", where);
      if (block.align != "left" && block.align != "center" && block.align != "right")
        Where{path, where.path + ".align"}.fail("is not left, center or right", "pick one");
      block.color = color_of(b, "color", colors.count("text") ? "text" : "#000000", where);
      const json columns = b.value("columns", json::array());
      for (const auto& column : columns) block.columns.push_back(column.get<std::string>());
      blocks.push_back(std::move(block));
    }
  }
  for (std::size_t i = 0; i < schema.required && i < schema.pages.size(); ++i)
    if (layout->blocks(schema.pages[i]).empty())
      Where{path, "pages." + schema.pages[i]}.fail("is missing",
                                                   "every such layout draws " + joined(schema.pages, schema.required));
  return layout;
}

}  // namespace wfa
