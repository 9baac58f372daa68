#pragma once
/// The one way JSON that users give wfa is parsed: under a byte limit per input type and a nesting limit, with
/// failures as one line naming the input and the place. JSON that wfa wrote itself (database columns) is not input.
#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

namespace wfa {

/// max_json_depth is how many levels arrays and objects may nest in any JSON input.
constexpr int max_json_depth = 64;

/// parse_json_input parses TEXT, the JSON input WHAT read from SOURCE (a path, or "-" for standard input), of at
/// most MAX_BYTES and max_json_depth levels. Anything else is one InvalidInputError line naming WHAT, SOURCE and,
/// for malformed text, the line, column and byte, never the parser's own words; HINT says what the input must be.
nlohmann::json parse_json_input(std::string_view text, std::string_view what, std::string_view source,
                                std::size_t max_bytes, std::string_view hint);

/// read_json_input is parse_json_input of file PATH ("-": standard input), refused unread when it is too long.
nlohmann::json read_json_input(const std::string& path, std::string_view what, std::size_t max_bytes,
                               std::string_view hint);

}  // namespace wfa
