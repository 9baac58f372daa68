// Text in every script: glyphs checked against the font's own presentation forms (independent of HarfBuzz), and the
// rendered proposal read back with pdftotext.
#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>
#include <regex>
#include <string>
#include <thread>
#include <atomic>

#include "core/file_io.hpp"
#include "core/process.hpp"
#include "pipelines/proposal_render.hpp"

namespace wfa {
namespace {

namespace fs = std::filesystem;
const std::string source = WFA_SOURCE_DIR;
const std::string dejavu = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

std::vector<std::uint16_t> ids(const ShapedText& text) {
  std::vector<std::uint16_t> out;
  for (const auto& g : text.glyphs) out.push_back(g.glyph);
  return out;
}

/// cmap_glyphs maps each code point of TEXT through FONT's cmap alone: the expected glyphs, in drawing order.
std::vector<std::uint16_t> cmap_glyphs(const TrueTypeFont& font, const std::u32string& text) {
  std::vector<std::uint16_t> out;
  for (auto cp : text) out.push_back(font.glyph(cp));
  return out;
}

// Sheen, reh, kaf, teh marbuta: sheen initial + reh final, then kaf initial + teh marbuta final, the last letter
// drawn leftmost.
const std::u32string sharika_visual = U"\uFE94\uFEDB\uFEAE\uFEB7";

TEST(TextShaping, ArabicIsJoinedAndDrawnRightToLeft) {
  PdfFonts fonts;
  int f = fonts.add(dejavu);
  auto shaped = fonts.shape(f, "شركة");
  EXPECT_FALSE(shaped.simple);
  EXPECT_TRUE(shaped.missing.empty());
  EXPECT_EQ(ids(shaped), cmap_glyphs(fonts.font(f), sharika_visual));
}

TEST(TextShaping, MixedArabicLatinDigitsAndBracketsInBidiOrder) {
  PdfFonts fonts;
  int f = fonts.add(dejavu);
  auto shaped = fonts.shape(f, "شركة ABC (دبي) 2025");
  // In a left-to-right line each Arabic word is reversed in place; Latin, brackets and digits keep their order.
  // Dubai: dal in its own form (it does not join left), beh initial, yeh final.
  EXPECT_EQ(ids(shaped), cmap_glyphs(fonts.font(f), sharika_visual + U" ABC (\uFEF2\uFE91\u062F) 2025"));
}

TEST(TextShaping, LatinStaysOnTheFastPathWithTheFontsOwnWidths) {
  PdfFonts fonts;
  int f = fonts.add(dejavu);
  auto shaped = fonts.shape(f, "Café Société");
  EXPECT_TRUE(shaped.simple);
  EXPECT_EQ(ids(shaped), cmap_glyphs(fonts.font(f), U"Café Société"));
  double width = 0;
  for (auto g : ids(shaped)) width += fonts.font(f).advance(g);
  EXPECT_DOUBLE_EQ(shaped.width, width);
}

TEST(TextShaping, CjkAndSymbolsComeFromFallbackFonts) {
  PdfFonts fonts;
  int f = fonts.add(dejavu);
  auto japanese = fonts.shape(f, "株式会社さくら");
  EXPECT_TRUE(japanese.missing.empty());
  ASSERT_EQ(japanese.glyphs.size(), 7u);
  int cjk = japanese.glyphs.front().font;
  EXPECT_NE(cjk, f);
  EXPECT_TRUE(fonts.is_fallback(cjk));
  EXPECT_EQ(ids(japanese), cmap_glyphs(fonts.font(cjk), U"株式会社さくら"));

  auto rocket = fonts.shape(f, "Launch \U0001F680");
  EXPECT_TRUE(rocket.missing.empty());
  EXPECT_EQ(rocket.glyphs.front().font, f);
  EXPECT_NE(rocket.glyphs.back().font, f);
  EXPECT_NE(rocket.glyphs.back().glyph, 0);
}

TEST(TextShaping, ACharacterNoFontHasIsReportedOnThePage) {
  PdfFonts fonts;
  int f = fonts.add(dejavu);
  auto shaped = fonts.shape(f, "x\U000F0041y\U000F0041");
  EXPECT_EQ(shaped.missing, U"\U000F0041");
  PageCanvas canvas(fonts, 300, 100);
  canvas.text(10, 50, f, 12, {}, "ok \U000F0041");
  EXPECT_EQ(canvas.finish().missing, U"\U000F0041");
}

TEST(TextShaping, ThreadsAddingFallbackFontsWhileOthersWritePdfs) {
  PdfFonts fonts;
  int f = fonts.add(dejavu);
  std::vector<std::thread> threads;
  std::atomic<int> pdfs{0};
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      const char* texts[] = {"株式会社", "Launch \U0001F680", "شركة", "x\U000F0041"};
      for (int i = 0; i < 50; ++i) {
        PageCanvas canvas(fonts, 300, 100);
        canvas.text(10, 50, f, 12, {}, texts[(t + i) % 4]);
        auto page = canvas.finish();
        std::vector<const RenderedPage*> list{&page};
        if (write_pdf(fonts, list, {"t", ""}).find("%%EOF") != std::string::npos) ++pdfs;
      }
    });
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(pdfs.load(), 200);
}

std::string inflate(const std::string& deflated) {
  std::string out(deflated.size() * 20 + 4096, '\0');
  uLongf size = out.size();
  EXPECT_EQ(uncompress(reinterpret_cast<Bytef*>(out.data()), &size, reinterpret_cast<const Bytef*>(deflated.data()),
                       deflated.size()),
            Z_OK);
  out.resize(size);
  return out;
}

/// drawn_glyphs lists every glyph id a content stream shows, in drawing order, as 4-digit hex.
std::string drawn_glyphs(const std::string& content) {
  std::string out;
  static const std::regex token("<([0-9A-F]{4}(?:[0-9A-F]{4})*)>");
  for (std::sregex_iterator it(content.begin(), content.end(), token), end; it != end; ++it) out += (*it)[1].str();
  return out;
}

std::string hex_glyphs(const std::vector<std::uint16_t>& glyphs) {
  std::string out;
  char buffer[8];
  for (auto g : glyphs) std::snprintf(buffer, sizeof buffer, "%04X", g), out += buffer;
  return out;
}

/// without_bidi_marks drops the embedding marks pdftotext wraps right-to-left runs in.
std::string without_bidi_marks(std::string text) {
  for (const char* mark : {"\u202A", "\u202B", "\u202C", "\u202D", "\u202E", "\u200E", "\u200F"})
    for (auto at = text.find(mark); at != std::string::npos; at = text.find(mark)) text.erase(at, 3);
  return text;
}

class ProposalScripts : public ::testing::Test {
 protected:
  std::shared_ptr<const ProposalLayout> layout = ProposalLayout::load(source + "/templates/proposal/standard.json");
  fs::path dir = fs::temp_directory_path() / ("wfa-shaping-" + std::to_string(::getpid()));

  void SetUp() override { fs::create_directories(dir); }
  void TearDown() override { fs::remove_all(dir); }

  /// render draws a one-location proposal for CLIENT at LOCATION and returns its pages.
  std::vector<RenderedPage> render(const std::string& client, const std::string& location) {
    ProposalContent content{
        "PR-1", client, "Skyline Outdoor Media", "#0B5FA5", nullptr, "06 Jan 2025", "29 Dec 2025", 52, "AED", 2, {}};
    ProposalLocation place{"DXB-001", location, nullptr, {}, 1500000, 100000, {}};
    for (int weeks : layout->durations())
      place.lines.push_back(price_line(weeks, {1, 1500000, 100000, 500}, std::nullopt, {}, layout->vat_bp()));
    place.campaign = place.lines.back();
    content.locations.push_back(place);
    return render_proposal(*layout, content);
  }

  /// text writes PAGES as a PDF, checks it with qpdf and returns what pdftotext reads from it.
  std::string text(const std::vector<RenderedPage>& pages) {
    std::vector<const RenderedPage*> list;
    for (const auto& page : pages) list.push_back(&page);
    auto path = dir / "p.pdf";
    write_file_atomic(path, write_pdf(layout->fonts(), list, {"Proposal", ""}));
    EXPECT_EQ(run_process({"qpdf", "--check", path.string()}).exit_code, 0);
    return without_bidi_marks(run_process({"pdftotext", path.string(), "-"}).out);
  }
};

TEST_F(ProposalScripts, EachScriptReadsBackInLogicalOrder) {
  for (std::string client :
       {"شركة النور للإعلان", "株式会社さくら広告", "Café Sunrise \U0001F680 ★", "Ελληνική Διαφήμιση"}) {
    auto pages = render(client, client);
    EXPECT_TRUE(pages.front().missing.empty()) << client;
    auto read = text(pages);
    EXPECT_NE(read.find(client), std::string::npos) << client << "\n" << read;
  }
}

TEST_F(ProposalScripts, ArabicClientIsDrawnRightToLeftWithJoinedForms) {
  auto pages = render("شركة ABC (دبي) 2025", "Sheikh Zayed Road");
  int bold = 0;  // the cover's client line is bold
  while (layout->fonts().font(bold).postscript_name() != "DejaVuSans-Bold") ++bold;
  const auto& font = layout->fonts().font(bold);
  auto drawn = drawn_glyphs(inflate(pages.front().content));
  auto visual = hex_glyphs(cmap_glyphs(font, sharika_visual + U" ABC (\uFEF2\uFE91\u062F) 2025"));
  EXPECT_NE(drawn.find(visual), std::string::npos) << drawn;
  // pdftotext moves the neutral characters around a right-to-left run (its reorderText gives them to the run), but
  // every word comes back in logical order.
  auto read = text(pages);
  std::size_t at = 0;
  for (std::string word : {"شركة", "ABC", "دبي", "2025"}) {
    auto found = read.find(word, at);
    ASSERT_NE(found, std::string::npos) << word << "\n" << read;
    at = found + word.size();
  }
}

}  // namespace
}  // namespace wfa
