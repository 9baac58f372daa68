#include "pipelines/utf8.hpp"

#include <utf8proc.h>

#include <cstdint>
#include <cstring>

namespace wfa {

std::size_t latin1_to_utf8(std::string_view in, char* out) {
  char* start = out;
  for (unsigned char c : in) {
    if (c < 0x80) {
      *out++ = static_cast<char>(c);
    } else {
      *out++ = static_cast<char>(0xC0 | (c >> 6));
      *out++ = static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  return static_cast<std::size_t>(out - start);
}

char32_t next_code_point(std::string_view text, std::size_t& i) {
  utf8proc_int32_t cp = 0;
  auto length = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(text.data()) + i,
                                 static_cast<utf8proc_ssize_t>(text.size() - i), &cp);
  if (length <= 0) {
    ++i;
    return 0xFFFD;
  }
  i += static_cast<std::size_t>(length);
  return static_cast<char32_t>(cp);
}

}  // namespace wfa
