#pragma once
/// Images tests build byte by byte, for the unit tests of the decoders and the commands that take pictures.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace wfa::test {

/// cmyk_jpeg is a W x H JPEG of one CMYK ink mix (0-255 ink per channel), stored as Photoshop does (inverted, with
/// its Adobe marker) or plainly.
std::vector<std::uint8_t> cmyk_jpeg(int w, int h, std::array<int, 4> ink, bool adobe_inverted);

/// phone_photo_jpeg is a 60 x 20 JPEG, left half red, whose EXIF orientation 6 says "turn 90 degrees clockwise to
/// view", as phones store portrait shots: viewed upright it is 20 x 60 with red on top.
std::string phone_photo_jpeg();

}  // namespace wfa::test
