// Terminal columns of UTF-8 text from utf8proc's Unicode tables (East Asian width, combining marks, emoji).
#include "cli/display_width.hpp"

#include <utf8proc.h>

namespace wfa {

std::size_t display_width(std::string_view utf8) {
  std::size_t width = 0;
  const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(utf8.data());
  for (std::size_t pos = 0; pos < utf8.size();) {
    utf8proc_int32_t cp = 0;
    auto length = utf8proc_iterate(bytes + pos, static_cast<utf8proc_ssize_t>(utf8.size() - pos), &cp);
    if (length <= 0) {  // an invalid byte shows as one replacement character
      ++width;
      ++pos;
      continue;
    }
    width += static_cast<std::size_t>(utf8proc_charwidth(cp));
    pos += static_cast<std::size_t>(length);
  }
  return width;
}

}  // namespace wfa
