// TrueTypeFont on real and crafted hostile fonts: each violation of a font's own limits is one InvalidInputError
// naming the file and the table, in bounded time, never a crash; every installed DejaVu font still loads.
#include <gtest/gtest.h>

#include <ctime>
#include <filesystem>
#include <string>

#include "core/error.hpp"
#include "pipelines/pdf_document.hpp"
#include "pipelines/proposal_layout.hpp"
#include "tests/unit/ttf_font_bytes.hpp"

namespace wfa {
namespace {

using namespace test_font;

/// cpu_now is this thread's CPU time: the bounds below are on work done, which other processes cannot stretch.
double cpu_now() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return double(t.tv_sec) + double(t.tv_nsec) / 1e9;
}

double seconds_since(double start) { return cpu_now() - start; }

/// refusal loads FONT from a file through PdfFonts, as a layout does, and returns the one-line message of the
/// InvalidInputError it must throw within a second; WHERE must appear in it ("'maxp' table").
std::string refusal(const std::string& font, const std::string& where) {
  FontTempFile file("crafted.ttf");
  const auto& path = file.write(font);
  auto start = cpu_now();
  PdfFonts fonts;
  std::string message = "(accepted)";
  try {
    fonts.add(path);
  } catch (const InvalidInputError& e) {
    message = e.what();
  }
  EXPECT_LT(seconds_since(start), 1.0) << message;
  EXPECT_NE(message.find("font " + path + ": "), std::string::npos) << message;
  EXPECT_NE(message.find(where), std::string::npos) << message;
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  return message;
}

/// embed_all loads the font at PATH through PdfFonts, embeds its common set as write_pdf would and subsets it
/// to every glyph, composites and all.
void embed_all(const std::string& path) {
  PdfFonts fonts;
  auto index = fonts.add(path);
  const auto& font = fonts.font(index);
  EXPECT_GT(fonts.embed(index, empty_glyph_set(font.glyph_count()))->font_file_length, 0u) << path;
  auto subset = font.subset(std::vector<bool>(font.glyph_count(), true));
  EXPECT_EQ(glyph_offsets(subset).size(), font.glyph_count() + std::size_t(1)) << path;
  EXPECT_GT(table_entry(subset, "glyf").length, 0u) << path;
}

/// instruction_bytes counts the TrueType instruction bytes left in FONT's glyphs, and its hinting tables.
std::size_t instruction_bytes(const std::string& font) {
  std::size_t total = 0;
  for (const char* tag : {"fpgm", "prep", "cvt "}) try {
      total += table_entry(font, tag).length;
    } catch (const std::runtime_error&) {
    }
  auto offsets = glyph_offsets(font);
  for (std::size_t g = 0; g + 1 < offsets.size(); ++g) {
    if (offsets[g + 1] <= offsets[g]) continue;
    auto at = offsets[g];
    if (auto contours = get16(font, at); contours < 0x8000) {
      total += get16(font, at + 10 + 2 * contours);
      continue;
    }
    for (std::uint32_t flags = 0x20; flags & 0x20;) {
      flags = get16(font, at + 10);
      at += 4 + ((flags & 1) ? 4 : 2) + ((flags & 8) ? 2 : (flags & 0x40) ? 4 : (flags & 0x80) ? 8 : 0);
      if (!(flags & 0x20) && (flags & 0x100)) total += 1 + get16(font, at + 10);
    }
  }
  return total;
}

TEST(TrueTypeFont, SubsetsCarryNoHintingBytecode) {
  const auto& font_bytes = real_font();
  ASSERT_GT(instruction_bytes(font_bytes), 1000u) << "the real font is expected to be hinted";
  FontTempFile file("hinted.ttf");
  PdfFonts fonts;
  const auto& font = fonts.font(fonts.add(file.write(font_bytes)));
  auto subset = font.subset(std::vector<bool>(font.glyph_count(), true));
  EXPECT_EQ(instruction_bytes(subset), 0u);
  EXPECT_EQ(glyph_offsets(subset).size(), font.glyph_count() + std::size_t(1));
}

TEST(TrueTypeFont, NoGlyphsIsRefusedNotACrash) {
  auto font = real_font();
  set16(font, table_entry(font, "maxp").offset + 4, 0);
  EXPECT_NE(refusal(font, "'maxp' table").find("numGlyphs 0"), std::string::npos);
}

TEST(TrueTypeFont, LayoutNamingAHostileFontFailsWithExitStatus6) {
  auto font = real_font();
  set16(font, table_entry(font, "maxp").offset + 4, 0);
  FontTempFile font_file("layout-font.ttf"), layout_file("layout.json");
  auto layout = read_file(std::string(WFA_SOURCE_DIR) + "/templates/proposal/standard.json", "layout");
  auto quoted = "\"" + real_font_path + "\"";
  auto font_path = font_file.write(font);
  layout.replace(layout.find(quoted), quoted.size(), "\"" + font_path + "\"");
  try {
    ProposalLayout::load(layout_file.write(layout));
    FAIL() << "a layout with a font without glyphs loaded";
  } catch (const Error& e) {
    EXPECT_EQ(exit_code(e.category()), 6) << e.what();
    EXPECT_NE(std::string(e.what()).find(font_path + ": 'maxp' table"), std::string::npos) << e.what();
  }
}

TEST(TrueTypeFont, HugeGlyphCountIsRefusedByTheMetricsItWouldNeed) {
  auto font = real_font();
  set16(font, table_entry(font, "maxp").offset + 4, 0xFFFF);
  refusal(font, "'hmtx' table");
}

TEST(TrueTypeFont, SmallGlyphCountIsRefusedByTheMetricsAndTheCharacterMap) {
  auto font = real_font();
  set16(font, table_entry(font, "maxp").offset + 4, 100);
  refusal(font, "'hhea' table");
  set16(font, table_entry(font, "hhea").offset + 34, 100);
  refusal(font, "'cmap' table");
}

TEST(TrueTypeFont, DirectoryEntriesMustLieInsideTheFileOnce) {
  auto font = real_font();
  set32(font, table_entry(font, "glyf").record + 12, std::uint32_t(font.size()));
  EXPECT_NE(refusal(font, "table directory").find("'glyf'"), std::string::npos);
  font = real_font();
  set32(font, table_entry(font, "gasp").record, get32(font, table_entry(font, "fpgm").record));
  EXPECT_NE(refusal(font, "table directory").find("twice"), std::string::npos);
  font = real_font();
  set16(font, 4, 0xFFFF);
  refusal(font, "table directory");
}

TEST(TrueTypeFont, HeadFieldsMustBeInRange) {
  auto font = real_font();
  set16(font, table_entry(font, "head").offset + 18, 0);
  refusal(font, "'head' table");
  font = real_font();
  set16(font, table_entry(font, "head").offset + 50, 2);
  refusal(font, "'head' table");
}

TEST(TrueTypeFont, LocaMustPointInsideGlyfInOrder) {
  auto font = real_font();
  auto loca = table_entry(font, "loca");
  set32(font, loca.offset + 4 * 5, table_entry(font, "glyf").length + 4);
  EXPECT_NE(refusal(font, "'loca' table").find("past the end of 'glyf'"), std::string::npos);
  font = real_font();
  set32(font, loca.offset + 4 * 5, table_entry(font, "glyf").length);
  EXPECT_NE(refusal(font, "'loca' table").find("is below entry 5"), std::string::npos);
}

TEST(TrueTypeFont, CompositeGlyphsMayNotUseThemselvesOrMissingGlyphs) {
  auto font = real_font();
  auto offsets = glyph_offsets(font);
  auto composite = composite_glyphs(font).at(0);
  set16(font, offsets[composite] + 12, composite);
  EXPECT_NE(refusal(font, "'glyf' table").find("uses itself"), std::string::npos);
  set16(font, offsets[composite] + 12, 0xFFFF);
  EXPECT_NE(refusal(font, "'glyf' table").find("past the font's"), std::string::npos);
}

TEST(TrueTypeFont, CompositeCyclesAndDeepNestingAreRefused) {
  auto font = real_font();
  auto offsets = glyph_offsets(font);
  auto composites = composite_glyphs(font);
  set16(font, offsets[composites[0]] + 12, composites[1]);
  set16(font, offsets[composites[1]] + 12, composites[0]);
  EXPECT_NE(refusal(font, "'glyf' table").find("in a cycle"), std::string::npos);
  font = real_font();
  auto chain = std::size_t(TrueTypeFont::max_component_depth) + 2;
  for (std::size_t k = 0; k + 1 < chain; ++k) set16(font, offsets[composites[k]] + 12, composites[k + 1]);
  EXPECT_NE(refusal(font, "'glyf' table").find("more than 16 deep"), std::string::npos);
}

TEST(TrueTypeFont, GlyphOutlinesMustFitTheirBytes) {
  auto font = real_font();
  auto offsets = glyph_offsets(font);
  std::size_t simple = 0;
  while (offsets[simple + 1] == offsets[simple] || get16(font, offsets[simple]) >= 0x8000) ++simple;
  set16(font, offsets[simple] + 10 + 2 * get16(font, offsets[simple]), 0xFFFF);  // instructionLength
  EXPECT_NE(refusal(font, "'glyf' table").find("runs past its end"), std::string::npos);
}

TEST(TrueTypeFont, CmapSubtablesMustLieInsideTheTable) {
  auto font = real_font();
  auto cmap = table_entry(font, "cmap");
  set32(font, cmap.offset + 8, cmap.length);
  refusal(font, "'cmap' table");
  font = real_font();
  set32(font, cmap.offset + get32(font, cmap.offset + 8 + 8 * 4) + 4, 0x7FFFFFFF);  // (3,10) format 12 length
  refusal(font, "'cmap' table");
}

TEST(TrueTypeFont, Format12GroupsMustAscendWithinUnicodeAndTheGlyphs) {
  auto font = real_font();
  auto glyphs = std::to_string(get16(font, table_entry(font, "maxp").offset + 4));
  replace_table(font, "cmap", format12_cmap(1, [](std::size_t) { return CmapGroup{0x10000, 0x10FFFF, 1}; }));
  EXPECT_NE(refusal(font, "'cmap' table").find("past the font's " + glyphs + " glyphs"), std::string::npos);
  font = real_font();
  replace_table(font, "cmap", format12_cmap(5000, [](std::size_t) { return CmapGroup{0, 0x10FFFF, 0}; }));
  EXPECT_NE(refusal(font, "'cmap' table").find("group 0 "), std::string::npos);
  font = real_font();
  replace_table(font, "cmap", format12_cmap(5000, [](std::size_t) { return CmapGroup{0, 100, 0}; }));
  EXPECT_NE(refusal(font, "'cmap' table").find("group 1 "), std::string::npos);
  font = real_font();
  replace_table(font, "cmap", format12_cmap(1, [](std::size_t) { return CmapGroup{0x110000, 0x110000, 1}; }));
  refusal(font, "'cmap' table");
}

TEST(TrueTypeFont, MillionsOfFormat12GroupsCostUnderASecond) {
  auto font = real_font();
  auto glyphs = get16(font, table_entry(font, "maxp").offset + 4);
  auto one_each = [&](std::size_t i) {
    return CmapGroup{std::uint32_t(i), std::uint32_t(i), std::uint32_t(i % glyphs)};
  };
  replace_table(font, "cmap", format12_cmap(0x110000, one_each));
  FontTempFile file("many-groups.ttf");
  auto start = cpu_now();
  auto parsed = TrueTypeFont::load(file.write(font));
  EXPECT_LT(seconds_since(start), 1.0);
  EXPECT_EQ(parsed->glyph(0x10FFFF), 0x10FFFF % glyphs);
  EXPECT_EQ(parsed->glyph(0x41), 0x41);
  EXPECT_EQ(parsed->unicode(5), 5u);
  font = real_font();
  replace_table(font, "cmap", format12_cmap(2'000'000, one_each));
  EXPECT_NE(refusal(font, "'cmap' table").find("past U+10FFFF"), std::string::npos);
}

TEST(TrueTypeFont, Format4SegmentsMustAscend) {
  auto font = real_font();
  replace_table(font, "cmap", format4_cmap(8000, 0, 0xFFFE));
  EXPECT_NE(refusal(font, "'cmap' table").find("to glyph"), std::string::npos);
  font = real_font();
  replace_table(font, "cmap", format4_cmap(8000, 0, 100));
  EXPECT_NE(refusal(font, "'cmap' table").find("segment 1 "), std::string::npos);
}

TEST(TrueTypeFont, NameRecordsMustLieInsideTheTable) {
  auto font = real_font();
  auto name = table_entry(font, "name");
  set16(font, name.offset + 6 + 8, 0xFFFF);  // the first record's length
  refusal(font, "'name' table");
}

TEST(TrueTypeFont, PostScriptNameIsAPlainPdfName) {
  auto font = real_font();
  auto name = table_entry(font, "name");
  std::size_t at = 0;
  for (std::size_t record = name.offset + 6; !at; record += 12)  // the first PostScript name, Macintosh bytes
    if (get16(font, record + 6) == 6) at = name.offset + get16(font, name.offset + 4) + get16(font, record + 10);
  ASSERT_EQ(font.substr(at, 10), "DejaVuSans");
  font.replace(at, 10, "A) /B<<%#C");
  FontTempFile file("Hostile Name (1).ttf");
  auto parsed = TrueTypeFont::load(file.write(font));
  EXPECT_EQ(parsed->postscript_name(), "ABC");
  font.replace(at, 10, " ()[]{}<>/");
  EXPECT_EQ(TrueTypeFont::from_bytes(font, "/fonts/My Font (v2).ttf")->postscript_name(), "MyFontv2");
}

TEST(TrueTypeFont, OnlyRegularFilesAreRead) {
  auto start = cpu_now();
  EXPECT_THROW(TrueTypeFont::load("/dev/zero"), InvalidInputError);
  EXPECT_THROW(TrueTypeFont::load(::testing::TempDir()), InvalidInputError);
  EXPECT_LT(seconds_since(start), 1.0);
}

TEST(TrueTypeFont, EveryInstalledDejaVuFontLoadsAndEmbeds) {
  int fonts = 0;
  for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(real_font_path).parent_path()))
    if (entry.path().extension() == ".ttf") embed_all(entry.path().string()), ++fonts;
  EXPECT_GT(fonts, 0);
}

}  // namespace
}  // namespace wfa
