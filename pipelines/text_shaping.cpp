// Text shaping for PDF pages: FriBidi orders a line, HarfBuzz shapes each run, fontconfig finds fallback fonts.
#include "pipelines/text_shaping.hpp"

#include <fontconfig/fontconfig.h>
#include <fribidi.h>
#include <hb.h>

#include <algorithm>
#include <cstring>

#include "core/error.hpp"
#include "pipelines/utf8.hpp"

namespace wfa {

namespace {

/// Code points every document gets glyphs for, so most documents share one cached subset.
constexpr std::pair<char32_t, char32_t> common_ranges[] = {{0x20, 0x7E},     {0xA0, 0x17F},    {0x2010, 0x2027},
                                                           {0x2030, 0x203A}, {0x20AC, 0x20AC}, {0x2122, 0x2122}};

/// simple_limit: below it a character needs no shaping when the font has it (Latin, no combining marks, no RTL).
constexpr char32_t simple_limit = 0x300;

std::shared_ptr<const FontFace> make_face(std::shared_ptr<const TrueTypeFont> font) {
  auto face = std::make_shared<FontFace>();
  auto data = font->data();
  hb_blob_t* blob =
      hb_blob_create(data.data(), static_cast<unsigned>(data.size()), HB_MEMORY_MODE_READONLY, nullptr, nullptr);
  hb_face_t* hb_face = hb_face_create(blob, 0);
  hb_font_t* hb_font = hb_font_create(hb_face);
  hb_font_make_immutable(hb_font);  // immutable fonts may shape on many threads at once
  hb_face_destroy(hb_face);
  hb_blob_destroy(blob);
  face->shaper = std::shared_ptr<hb_font_t>(hb_font, hb_font_destroy);
  face->common = empty_glyph_set(font->glyph_count());
  for (auto [first, last] : common_ranges)
    for (char32_t cp = first; cp <= last; ++cp) glyph_set_add(face->common, font->glyph(cp));
  face->font = std::move(font);
  return face;
}

/// FallbackCandidate is a font fontconfig offers, in its order of preference for sans-serif text.
struct FallbackCandidate {
  std::string path;
  FcCharSet* chars;  ///< owned for the life of the process, like the list
};

/// fallback_candidates lists the single-face TrueType fonts fontconfig knows, best sans-serif match first.
const std::vector<FallbackCandidate>& fallback_candidates() {
  static const std::vector<FallbackCandidate> list = [] {
    std::vector<FallbackCandidate> out;
    if (!FcInit()) return out;
    FcPattern* pattern = FcNameParse(reinterpret_cast<const FcChar8*>("sans-serif"));
    FcConfigSubstitute(nullptr, pattern, FcMatchPattern);
    FcDefaultSubstitute(pattern);
    FcResult result = FcResultNoMatch;
    FcFontSet* set = FcFontSort(nullptr, pattern, FcFalse, nullptr, &result);
    for (int i = 0; set && i < set->nfont; ++i) {
      FcChar8* file = nullptr;
      FcChar8* format = nullptr;
      FcCharSet* chars = nullptr;
      int index = 0;
      if (FcPatternGetString(set->fonts[i], FC_FILE, 0, &file) != FcResultMatch ||
          FcPatternGetString(set->fonts[i], FC_FONTFORMAT, 0, &format) != FcResultMatch ||
          FcPatternGetCharSet(set->fonts[i], FC_CHARSET, 0, &chars) != FcResultMatch)
        continue;
      FcPatternGetInteger(set->fonts[i], FC_INDEX, 0, &index);
      // TrueTypeFont reads glyf outlines from single-face files: collections and CFF fonts are not candidates.
      if (index != 0 || std::strcmp(reinterpret_cast<const char*>(format), "TrueType") != 0) continue;
      out.push_back({reinterpret_cast<const char*>(file), FcCharSetCopy(chars)});
    }
    if (set) FcFontSetDestroy(set);
    FcPatternDestroy(pattern);
    return out;
  }();
  return list;
}

/// cached_face loads a system font once per process; a file that does not load gives null.
std::shared_ptr<const FontFace> cached_face(const std::string& path) {
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<const FontFace>> faces;
  std::lock_guard lock(mutex);
  auto [it, added] = faces.try_emplace(path);
  if (added) try {
      it->second = make_face(TrueTypeFont::load(path));
    } catch (const Error&) {
      it->second = nullptr;
    }
  return it->second;
}

hb_unicode_funcs_t* unicode() { return hb_unicode_funcs_get_default(); }

/// follows_previous: a combining mark, joiner or variation selector is drawn with the character before it.
bool follows_previous(char32_t cp) {
  auto category = hb_unicode_general_category(unicode(), cp);
  return category == HB_UNICODE_GENERAL_CATEGORY_NON_SPACING_MARK ||
         category == HB_UNICODE_GENERAL_CATEGORY_ENCLOSING_MARK ||
         category == HB_UNICODE_GENERAL_CATEGORY_SPACING_MARK || category == HB_UNICODE_GENERAL_CATEGORY_FORMAT;
}

bool specific(hb_script_t script) {
  return script != HB_SCRIPT_COMMON && script != HB_SCRIPT_INHERITED && script != HB_SCRIPT_UNKNOWN &&
         script != HB_SCRIPT_INVALID;
}

/// Run is a stretch of the line with one font, one bidi level and one script.
struct Run {
  std::size_t start = 0, end = 0;
  int font = 0;
  FriBidiLevel level = 0;
  hb_script_t script = HB_SCRIPT_INVALID;
};

/// reorder_runs puts RUNS (in logical order) into visual order: rule L2 of the bidi algorithm, applied to whole runs.
void reorder_runs(std::vector<Run>& runs) {
  FriBidiLevel highest = 0, lowest_odd = 255;
  for (const auto& r : runs) {
    highest = std::max(highest, r.level);
    if (r.level % 2 == 1) lowest_odd = std::min(lowest_odd, r.level);
  }
  for (int level = highest; level >= lowest_odd && level > 0; --level)
    for (std::size_t i = 0; i < runs.size();) {
      if (runs[i].level < level) {
        ++i;
        continue;
      }
      auto j = i;
      while (j < runs.size() && runs[j].level >= level) ++j;
      std::reverse(runs.begin() + static_cast<std::ptrdiff_t>(i), runs.begin() + static_cast<std::ptrdiff_t>(j));
      i = j;
    }
}

}  // namespace

std::shared_ptr<const FontFace> load_face(const std::string& path) { return make_face(TrueTypeFont::load(path)); }

int PdfFonts::fallback(char32_t cp) const {
  std::lock_guard lock(mutex_);
  if (auto it = fallbacks_.find(cp); it != fallbacks_.end()) return it->second;
  int found = -1;
  for (const auto& candidate : fallback_candidates()) {
    if (!FcCharSetHasChar(candidate.chars, cp)) continue;
    auto loaded = cached_face(candidate.path);
    if (!loaded || loaded->font->glyph(cp) == 0) continue;
    auto count = count_.load();
    for (std::size_t i = 0; i < count && found < 0; ++i)
      if (faces_[i] == loaded) found = static_cast<int>(i);
    if (found < 0 && count < max_fonts) {
      faces_[count] = loaded;
      count_.store(count + 1, std::memory_order_release);
      found = static_cast<int>(count);
    }
    break;
  }
  fallbacks_.emplace(cp, found);
  return found;
}

void PdfFonts::remember_glyph_text(int font, std::uint16_t glyph, std::u32string text) const {
  std::lock_guard lock(mutex_);
  glyph_text_[static_cast<std::size_t>(font)].try_emplace(glyph, std::move(text));
}

ShapedText PdfFonts::shape(int font, std::string_view text) const {
  std::u32string cps;
  cps.reserve(text.size());
  bool simple = true;
  const auto& face = this->font(font);
  for (std::size_t i = 0; i < text.size();) {
    cps.push_back(next_code_point(text, i));
    simple = simple && cps.back() < simple_limit && face.glyph(cps.back()) != 0;
  }
  if (!simple) return shape_complex(font, cps);
  ShapedText out;
  out.glyphs.reserve(cps.size());
  for (auto cp : cps) {
    auto glyph = face.glyph(cp);
    out.glyphs.push_back({font, glyph, face.advance(glyph)});
    out.width += out.glyphs.back().advance;
  }
  return out;
}

ShapedText PdfFonts::shape_complex(int primary, const std::u32string& text) const {
  ShapedText out;
  out.simple = false;
  auto n = text.size();
  std::vector<int> font_of(n, primary);
  for (std::size_t i = 0; i < n; ++i) {
    auto cp = text[i];
    if (i > 0 && follows_previous(cp) && this->font(font_of[i - 1]).glyph(cp) != 0) {
      font_of[i] = font_of[i - 1];
    } else if (this->font(primary).glyph(cp) != 0) {
      font_of[i] = primary;
    } else if (i > 0 && !specific(hb_unicode_script(unicode(), cp)) && this->font(font_of[i - 1]).glyph(cp) != 0) {
      font_of[i] = font_of[i - 1];  // spaces and punctuation stay in the run they sit in
    } else if (auto f = fallback(cp); f >= 0) {
      font_of[i] = f;
    } else if (i > 0 && follows_previous(cp)) {
      font_of[i] = font_of[i - 1];  // an ignorable character no font draws is not missing
    } else if (out.missing.find(cp) == std::u32string::npos) {
      out.missing += cp;
    }
  }

  std::vector<FriBidiCharType> types(n);
  std::vector<FriBidiBracketType> brackets(n);
  std::vector<FriBidiLevel> levels(n, 0);
  const auto* chars = reinterpret_cast<const FriBidiChar*>(text.data());
  auto length = static_cast<FriBidiStrIndex>(n);
  fribidi_get_bidi_types(chars, length, types.data());
  fribidi_get_bracket_types(chars, length, types.data(), brackets.data());
  // Layouts are left-to-right documents: an Arabic name sits in an English line as it would in a word processor, and
  // readers that extract text left to right (pdftotext) give the string back in its logical order.
  FriBidiParType direction = FRIBIDI_PAR_LTR;
  if (fribidi_get_par_embedding_levels_ex(types.data(), brackets.data(), length, &direction, levels.data()) == 0)
    std::fill(levels.begin(), levels.end(), FriBidiLevel(0));

  std::vector<Run> runs;
  for (std::size_t i = 0; i < n; ++i) {
    auto script = hb_unicode_script(unicode(), text[i]);
    bool joins = !runs.empty() && runs.back().font == font_of[i] && runs.back().level == levels[i] &&
                 (!specific(script) || !specific(runs.back().script) || runs.back().script == script);
    if (!joins) runs.push_back({i, i, font_of[i], levels[i], HB_SCRIPT_INVALID});
    runs.back().end = i + 1;
    if (specific(script) && !specific(runs.back().script)) runs.back().script = script;
  }
  reorder_runs(runs);

  hb_buffer_t* buffer = hb_buffer_create();
  for (const auto& run : runs) {
    const auto& face = *faces_[static_cast<std::size_t>(run.font)];
    hb_buffer_clear_contents(buffer);
    hb_buffer_add_codepoints(buffer, reinterpret_cast<const hb_codepoint_t*>(text.data()), static_cast<int>(n),
                             static_cast<unsigned>(run.start), static_cast<int>(run.end - run.start));
    hb_buffer_set_direction(buffer, run.level % 2 ? HB_DIRECTION_RTL : HB_DIRECTION_LTR);
    hb_buffer_set_script(buffer, specific(run.script) ? run.script : HB_SCRIPT_COMMON);
    hb_buffer_set_language(buffer, hb_language_from_string("und", -1));
    hb_shape(face.shaper.get(), buffer, nullptr, 0);
    unsigned count = 0;
    const auto* infos = hb_buffer_get_glyph_infos(buffer, &count);
    const auto* positions = hb_buffer_get_glyph_positions(buffer, &count);
    double scale = 1000.0 / face.font->units_per_em();
    // A cluster drawn as one glyph the font's cmap does not name (a joined form, a ligature) is remembered as the
    // characters it came from, for the ToUnicode map.
    for (unsigned g = 0; g < count; ++g) {
      auto cluster = infos[g].cluster;
      bool alone = (g == 0 || infos[g - 1].cluster != cluster) && (g + 1 == count || infos[g + 1].cluster != cluster);
      if (!alone || infos[g].codepoint >= face.font->glyph_count() || face.font->unicode(infos[g].codepoint) != 0)
        continue;
      std::size_t end = run.end;  // the cluster reaches to the next larger cluster value in the run
      for (unsigned k = 0; k < count; ++k)
        if (infos[k].cluster > cluster && infos[k].cluster < end) end = infos[k].cluster;
      auto chars = text.substr(cluster, end - cluster);
      if (run.level % 2) std::reverse(chars.begin(), chars.end());  // drawing order, as glyph_text explains
      remember_glyph_text(run.font, static_cast<std::uint16_t>(infos[g].codepoint), std::move(chars));
    }
    for (unsigned g = 0; g < count; ++g) {
      auto glyph = static_cast<std::uint16_t>(infos[g].codepoint < face.font->glyph_count() ? infos[g].codepoint : 0);
      out.glyphs.push_back({run.font, glyph, positions[g].x_advance * scale, positions[g].x_offset * scale,
                            positions[g].y_offset * scale});
      out.width += out.glyphs.back().advance;
    }
  }
  hb_buffer_destroy(buffer);
  return out;
}

}  // namespace wfa
