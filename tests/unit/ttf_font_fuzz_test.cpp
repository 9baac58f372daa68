// A fuzz corpus over the real font: seeded mutations of the table directory, of each table, of the character map
// and glyph data, truncations and scattered edits. Each case is parsed, queried and subset (one in 16, and every
// crafted case, embedded into a PDF through PdfFonts as a layout does) and must load or throw InvalidInputError
// naming the font, within 2 s, never crash, hang or throw anything else.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <typeinfo>

#include "core/error.hpp"
#include "pipelines/pdf_document.hpp"
#include "tests/unit/ttf_font_bytes.hpp"

namespace wfa {
namespace {

using namespace test_font;
using Clock = std::chrono::steady_clock;

#if defined(__SANITIZE_ADDRESS__)
constexpr double slowdown = 4;  // ASan+UBSan builds run the same corpus against the same budgets, scaled
#else
constexpr double slowdown = 1;
#endif
/// Budgets: each case, and each TEST below (four of them, so the whole corpus stays under 20 s), in CPU seconds of
/// this thread: bounded work is the claim, and wall time on a shared machine also counts other processes.
constexpr double case_seconds = 2 * slowdown, test_seconds = 5 * slowdown;

/// cpu_seconds is the CPU time this thread has used.
double cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return double(t.tv_sec) + double(t.tv_nsec) / 1e9;
}

/// Watchdog aborts the test binary, naming the case, when one case runs for 30 s: a hang fails with its name
/// instead of waiting for ctest's timeout.
class Watchdog {
 public:
  Watchdog() : thread_([this] { watch(); }) {}
  ~Watchdog() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    wake_.notify_one();
    thread_.join();
  }
  void start(const std::string& name) {
    std::lock_guard lock(mutex_);
    name_ = name;
    started_ = Clock::now();
  }

 private:
  void watch() {
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, std::chrono::milliseconds(100), [this] { return stop_; }))
      if (Clock::now() - started_ > std::chrono::seconds(30)) {
        std::fprintf(stderr, "font case %s ran for 30 s\n", name_.c_str());
        std::abort();
      }
  }
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::string name_ = "(none)";
  Clock::time_point started_ = Clock::now();
  std::thread thread_;  ///< last, so it starts after what it reads
};

/// Code points a case looks up: the common set PdfFonts embeds, edges of the BMP and astral planes, and beyond.
std::vector<char32_t> probe_code_points() {
  std::vector<char32_t> out;
  for (char32_t cp = 0; cp < 0x250; ++cp) out.push_back(cp);
  for (char32_t cp : {0x2010u, 0x2026u, 0x20ACu, 0x2122u, 0xD800u, 0xFFFEu, 0xFFFFu, 0x10000u, 0x1D400u, 0x1D7FFu,
                      0x1F600u, 0x10FFFFu, 0x110000u, 0xFFFFFFFFu})
    out.push_back(cp);
  return out;
}

/// exercise does with a loaded font what embedding does: lookups, widths, Unicode, a subset.
void exercise(const TrueTypeFont& font, const std::string& name) {
  static const auto probes = probe_code_points();
  auto glyphs = font.glyph_count();
  ASSERT_GE(glyphs, 1) << name;
  std::vector<bool> used(glyphs);
  for (auto cp : probes) {
    auto glyph = font.glyph(cp);
    ASSERT_LT(glyph, glyphs) << name << " U+" << std::hex << std::uint32_t(cp);
    used[glyph] = true;
    EXPECT_GE(font.advance(glyph), 0) << name;
    (void)font.unicode(glyph);
  }
  for (std::size_t g = 0; g < glyphs; g += 61) used[g] = true;
  EXPECT_EQ(font.advance(0xFFFF), 0) << name;  // glyph ids are below glyph_count, itself at most 0xFFFF
  EXPECT_EQ(font.unicode(0xFFFF), 0u) << name;
  EXPECT_GE(font.subset(used).size(), 12u) << name;
  const auto& ps = font.postscript_name();
  EXPECT_TRUE(!ps.empty() && ps.size() <= 63 && ps.find_first_of(" ()[]{}<>/%#") == std::string::npos) << name;
}

/// embed loads PATH through PdfFonts, draws text with it and writes a one-page PDF.
void embed(const std::string& path) {
  PdfFonts fonts;
  auto index = fonts.add(path);
  exercise(fonts.font(index), path);
  PageCanvas canvas(fonts, 200, 100);
  canvas.text(10, 50, index, 12, {}, "Fuzz wörld – 5 € ™ \xF0\x9D\x90\x80 \xF0\x9F\x98\x80");
  auto page = canvas.finish();
  EXPECT_EQ(write_pdf(fonts, {&page}, {"fuzz", ""}).rfind("%PDF", 0), 0u) << path;
}

/// Corpus runs cases against the budgets and counts how each ended.
class Corpus {
 public:
  explicit Corpus(const char* name) : name_(name), file_(std::string("fuzz-") + name + ".ttf") {}
  ~Corpus() {
    auto seconds = cpu_seconds() - start_;
    std::printf("%s: %d cases, %d loaded, %d refused; %.2f s, slowest %.3f s (%s)\n", name_, loaded_ + refused_,
                loaded_, refused_, seconds, slowest_, slowest_case_.c_str());
    EXPECT_LT(seconds, test_seconds) << name_;
    EXPECT_GT(loaded_, 0) << name_ << ": no case loaded, so nothing past the checks ran";
  }
  /// run parses BYTES as the font "fuzz/CORPUS/LABEL.ttf" and exercises it; every 16th case, and any with
  /// THROUGH_PDF, goes through a file, PdfFonts and write_pdf instead.
  void run(const std::string& label, const std::string& bytes, bool through_pdf = false) {
    auto name = std::string("fuzz/") + name_ + "/" + label + ".ttf";
    through_pdf = through_pdf || ++count_ % 16 == 0;
    watchdog_.start(name);
    auto start = cpu_seconds();
    try {
      if (through_pdf) {
        name = file_.write(bytes);
        embed(name);
      } else {
        exercise(*TrueTypeFont::from_bytes(bytes, name), name);
      }
      ++loaded_;
    } catch (const Error& e) {
      ++refused_;
      std::string message = e.what();
      EXPECT_EQ(e.category(), ErrorCategory::invalid_input) << name << ": " << message;
      EXPECT_NE(message.find("font " + name), std::string::npos) << message;
      EXPECT_TRUE(message.find("table") != std::string::npos || message.find("not a TrueType") != std::string::npos)
          << message;
      EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    } catch (const std::exception& e) {
      ADD_FAILURE() << name << " threw " << typeid(e).name() << ", not a wfa::Error: " << e.what();
    } catch (...) {
      ADD_FAILURE() << name << " threw something that is not an exception";
    }
    auto seconds = cpu_seconds() - start;
    EXPECT_LT(seconds, case_seconds) << name;
    if (seconds > slowest_) slowest_ = seconds, slowest_case_ = label;
  }

 private:
  const char* name_;
  FontTempFile file_;
  Watchdog watchdog_;
  double start_ = cpu_seconds();
  int count_ = 0, loaded_ = 0, refused_ = 0;
  double slowest_ = 0;
  std::string slowest_case_;
};

/// Mutator makes deterministic edits: std::mt19937's sequence is fixed by the standard (its distributions are not,
/// so none is used).
class Mutator {
 public:
  explicit Mutator(std::uint32_t seed) : rng_(seed) {}
  std::uint32_t below(std::size_t n) { return n == 0 ? 0 : std::uint32_t(rng_() % n); }
  /// value is a boundary value (0, 1, sign and width edges) half the time, a random one otherwise.
  std::uint32_t value() {
    static const std::uint32_t edges[] = {0,      1,      2,       0x7F,       0x80,       0xFF,      0x7FFF,
                                          0x8000, 0xFFFF, 0x10000, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF};
    return below(2) ? edges[below(std::size(edges))] : std::uint32_t(rng_());
  }
  /// edit changes FONT at AT: a flipped bit, a random byte, or a 16- or 32-bit value.
  void edit(std::string& font, std::size_t at) {
    if (at >= font.size()) return;
    switch (below(4)) {
      case 0:
        font[at] = char(font[at] ^ (1 << below(8)));
        break;
      case 1:
        font[at] = char(rng_());
        break;
      case 2:
        if (at + 2 <= font.size()) set16(font, at, value() & 0xFFFF);
        break;
      default:
        if (at + 4 <= font.size()) set32(font, at, value());
    }
  }
  /// edit_range makes 1 to 4 edits in FONT[START, START + LENGTH), half of them in its first 64 bytes.
  void edit_range(std::string& font, std::size_t start, std::size_t length) {
    for (std::size_t k = 0, edits = 1 + below(4); k < edits; ++k)
      edit(font, start + (below(2) ? below(std::min<std::size_t>(length, 64)) : below(length)));
  }

 private:
  std::mt19937 rng_;
};

/// TableInfo is a table of the real font as the directory lists it.
struct TableInfo {
  std::string tag;
  TableEntry entry;
};

std::vector<TableInfo> tables(const std::string& font) {
  std::vector<TableInfo> out;
  for (std::size_t i = 0, n = get16(font, 4); i < n; ++i) {
    std::string tag = font.substr(12 + 16 * i, 4);
    out.push_back({tag, table_entry(font, tag.c_str())});
  }
  return out;
}

TEST(TrueTypeFontFuzz, DirectoryEditsAndTruncations) {
  Corpus corpus("directory");
  Mutator mutate(27);
  const auto& real = real_font();
  auto listed = tables(real);
  for (int i = 0; i < 400; ++i) {
    auto font = real;
    auto record = listed[mutate.below(listed.size())].entry.record;
    switch (mutate.below(5)) {
      case 0:  // numTables
        set16(font, 4, mutate.value() & 0xFFFF);
        break;
      case 1:  // the tag of another record: one table twice, one missing
        set32(font, record, get32(font, listed[mutate.below(listed.size())].entry.record));
        break;
      case 2:
        set32(font, record + 8, mutate.below(2) ? mutate.value() : get32(font, record + 8) + mutate.below(64) - 32);
        break;
      case 3:
        set32(font, record + 12, mutate.below(2) ? mutate.value() : get32(font, record + 12) + mutate.below(64) - 32);
        break;
      default:
        mutate.edit_range(font, 0, 12 + 16 * listed.size());
    }
    corpus.run("directory-" + std::to_string(i), font);
  }
  std::vector<std::size_t> lengths;
  for (std::size_t n = 0; n <= 64; ++n) lengths.push_back(n);
  for (std::size_t k = 1; k < 100; ++k) lengths.push_back(real.size() * k / 100);
  for (const auto& table : listed)
    for (auto edge : {table.entry.offset, table.entry.offset + table.entry.length})
      for (auto n : {edge - 1, edge, edge + 1}) lengths.push_back(n);
  for (auto n : lengths) corpus.run("truncated-" + std::to_string(n), real.substr(0, n));
}

TEST(TrueTypeFontFuzz, EditsInEachTable) {
  Corpus corpus("tables");
  Mutator mutate(2027);
  const auto& real = real_font();
  const std::string parsed[] = {"head", "hhea", "maxp", "hmtx", "cmap", "loca", "glyf", "name", "OS/2", "post"};
  for (const auto& table : tables(real)) {
    bool read = std::find(std::begin(parsed), std::end(parsed), table.tag) != std::end(parsed);
    for (int i = 0, n = read ? 70 : 10; i < n; ++i) {
      auto font = real;
      mutate.edit_range(font, table.entry.offset, table.entry.length);
      corpus.run(table.tag + "-" + std::to_string(i), font);
    }
  }
}

TEST(TrueTypeFontFuzz, EditsInCharacterMapsAndGlyphs) {
  Corpus corpus("cmap-glyf");
  Mutator mutate(3027);
  const auto& real = real_font();
  auto cmap = table_entry(real, "cmap");
  auto format12 = cmap.offset + get32(real, cmap.offset + 8 + 8 * 4);  // the (3,10) subtable
  for (int i = 0; i < 150; ++i) {
    auto font = real;
    mutate.edit_range(font, format12, 16 + 12 * 8);
    corpus.run("format12-" + std::to_string(i), font);
  }
  auto format4_only = real;  // (0,4) and (3,10) renamed: the (3,1) format 4 subtable is the one read
  set16(format4_only, cmap.offset + 4 + 8 * 1, 9);
  set16(format4_only, cmap.offset + 6 + 8 * 4, 9);
  corpus.run("format4-only", format4_only, true);
  auto format4 = cmap.offset + get32(real, cmap.offset + 8 + 8 * 3), format4_length = get16(real, format4 + 2);
  for (int i = 0; i < 200; ++i) {
    auto font = format4_only;
    mutate.edit_range(font, format4, format4_length);
    corpus.run("format4-" + std::to_string(i), font);
  }
  auto offsets = glyph_offsets(real);
  auto composites = composite_glyphs(real);
  for (int i = 0; i < 300; ++i) {
    auto font = real;
    auto g = i % 2 ? composites[mutate.below(composites.size())] : mutate.below(offsets.size() - 1);
    mutate.edit_range(font, offsets[g], std::max<std::size_t>(offsets[g + 1] - offsets[g], 2));
    corpus.run("glyph-" + std::to_string(g) + "-" + std::to_string(i), font);
  }
}

TEST(TrueTypeFontFuzz, ScatteredEditsAndCraftedFonts) {
  Corpus corpus("scattered");
  Mutator mutate(4027);
  const auto& real = real_font();
  for (int i = 0; i < 300; ++i) {
    auto font = real;
    for (std::size_t k = 0, edits = 1 + mutate.below(16); k < edits; ++k) mutate.edit(font, mutate.below(font.size()));
    corpus.run("scattered-" + std::to_string(i), font);
  }
  auto maxp = table_entry(real, "maxp").offset, hhea = table_entry(real, "hhea").offset;
  auto offsets = glyph_offsets(real);
  auto composites = composite_glyphs(real);
  auto crafted = [&](const std::string& name, auto change) {
    auto font = real;
    change(font);
    corpus.run(name, font, true);
  };
  crafted("real", [](std::string&) {});
  for (std::uint32_t glyphs : {0u, 1u, 2u, 100u, 0xFFFFu})
    crafted("num-glyphs-" + std::to_string(glyphs), [&](std::string& f) { set16(f, maxp + 4, glyphs); });
  crafted("num-glyphs-1-one-metric", [&](std::string& f) { set16(f, maxp + 4, 1), set16(f, hhea + 34, 1); });
  crafted("no-metrics", [&](std::string& f) { set16(f, hhea + 34, 0); });
  crafted("loca-past-glyf", [&](std::string& f) { set32(f, table_entry(f, "loca").offset + 40, 0x7FFFFFF0); });
  crafted("composite-uses-itself", [&](std::string& f) { set16(f, offsets[composites[0]] + 12, composites[0]); });
  crafted("composite-uses-glyph-65535", [&](std::string& f) { set16(f, offsets[composites[0]] + 12, 0xFFFF); });
  crafted("composite-cycle", [&](std::string& f) {
    set16(f, offsets[composites[0]] + 12, composites[1]), set16(f, offsets[composites[1]] + 12, composites[0]);
  });
  crafted("format12-all-of-unicode", [](std::string& f) {
    replace_table(f, "cmap", format12_cmap(1, [](std::size_t) { return CmapGroup{0, 0x10FFFF, 0}; }));
  });
  crafted("format12-overlapping", [](std::string& f) {
    replace_table(f, "cmap", format12_cmap(100'000, [](std::size_t) { return CmapGroup{0x20, 0x7E, 3}; }));
  });
  crafted("format12-declares-4g-groups", [](std::string& f) {
    auto cmap = format12_cmap(1, [](std::size_t) { return CmapGroup{0x41, 0x41, 36}; });
    set32(cmap, 12 + 12, 0xFFFFFFFF);
    replace_table(f, "cmap", cmap);
  });
  crafted("format4-overlapping", [](std::string& f) { replace_table(f, "cmap", format4_cmap(8000, 0x20, 0x7E)); });
}

}  // namespace
}  // namespace wfa
