#pragma once
/// The example each leaf command's --help shows.
#include <string_view>

namespace wfa {

/// example_for is the example command line of the leaf at PATH ("invite create"), or empty when it has none.
std::string_view example_for(std::string_view path);

}  // namespace wfa
