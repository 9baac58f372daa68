#pragma once
/// The font files behind PdfFonts: loaded once per process and shared, each with its HarfBuzz font.
#include <memory>
#include <string>

#include "pipelines/pdf_document.hpp"

namespace wfa {

/// load_face returns the font at PATH with its shaper and common glyph set, loading it on the first call for PATH;
/// a font that does not load is InvalidInputError, as TrueTypeFont::load says.
std::shared_ptr<const FontFace> load_face(const std::string& path);

}  // namespace wfa
