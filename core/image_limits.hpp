#pragma once
/// The largest image wfa decodes, checked from an image's header before anything is allocated: at most
/// max_image_side pixels a side and width x height at most the setting max_image_pixels.
#include <cstdint>
#include <string>
#include <string_view>

namespace wfa {

/// OpenCV's geometry takes sides up to SHRT_MAX.
inline constexpr std::uint64_t max_image_side = 32767;
/// 250 megapixels keep one decode under about 1 GB.
inline constexpr std::uint64_t default_max_image_pixels = 250'000'000;

/// set_max_image_pixels applies the setting max_image_pixels (the Session sets it); 0 restores the default.
void set_max_image_pixels(std::uint64_t pixels);
std::uint64_t max_image_pixels();
/// parse_max_image_pixels reads the setting's VALUE (a whole number, "_" or "," grouping allowed); UsageError
/// otherwise.
std::uint64_t parse_max_image_pixels(std::string_view value);
/// check_image_size throws InvalidInputError "WHAT is too large: W x H pixels; ..." beyond the limits.
void check_image_size(std::string_view what, std::uint64_t width, std::uint64_t height);

}  // namespace wfa
