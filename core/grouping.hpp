#pragma once
/// Digit grouping for numbers people read in messages (counts, pixels, rows).
#include <cstdint>
#include <string>

namespace wfa {

/// group_thousands prints N with a comma between each group of three digits: 1234567 -> "1,234,567".
std::string group_thousands(std::uint64_t n);

}  // namespace wfa
