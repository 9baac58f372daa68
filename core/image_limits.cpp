#include "core/image_limits.hpp"

#include <atomic>

#include "core/error.hpp"
#include "core/grouping.hpp"

namespace wfa {

namespace {

std::atomic<std::uint64_t> limit{default_max_image_pixels};

}  // namespace

void set_max_image_pixels(std::uint64_t pixels) { limit = pixels == 0 ? default_max_image_pixels : pixels; }

std::uint64_t max_image_pixels() { return limit; }

std::uint64_t parse_max_image_pixels(std::string_view value) {
  std::uint64_t n = 0;
  bool any = false;
  for (char c : value) {
    if (c == '_' || c == ',') continue;
    if (c < '0' || c > '9' || n > 1'000'000'000'000ULL)
      throw UsageError("setting max_image_pixels '" + std::string(value) + "' is not a whole number of pixels",
                       "e.g. 100000000 for 100 megapixels");
    n = n * 10 + static_cast<std::uint64_t>(c - '0'), any = true;
  }
  if (!any || n == 0)
    throw UsageError("setting max_image_pixels '" + std::string(value) + "' is not a positive number of pixels",
                     "e.g. 100000000 for 100 megapixels");
  return n;
}

void check_image_size(std::string_view what, std::uint64_t width, std::uint64_t height) {
  if (width <= max_image_side && height <= max_image_side && width * height <= max_image_pixels()) return;
  throw InvalidInputError(std::string(what) + " is too large: " + group_thousands(width) + " x " +
                              group_thousands(height) + " pixels; at most " + group_thousands(max_image_side) +
                              " a side and " + group_thousands(max_image_pixels()) + " in all",
                          "scale the image down, or raise the setting max_image_pixels (WFA_MAX_IMAGE_PIXELS)");
}

}  // namespace wfa
