#pragma once
/// Hex digits and the URL encodings every layer meets: percent-escaping a value for a query, form decoding
/// (application/x-www-form-urlencoded) and one field of a query string.
#include <optional>
#include <string>
#include <string_view>

namespace wfa {

/// hex_value is a hex digit's value (either case), or -1.
int hex_value(char c);
/// hex_encode is BYTES as lowercase hex, two digits a byte (digests, MACs, key ids).
std::string hex_encode(std::string_view bytes);

/// url_escape percent-encodes every byte but letters, digits and - . _ ~ (a query value or a path segment).
std::string url_escape(std::string_view value);

/// form_decode decodes %XX and '+'; nullopt for a '%' not followed by two hex digits.
std::optional<std::string> form_decode(std::string_view text);

/// query_field is NAME's decoded value in QUERY (the part after '?'), nullopt when absent or badly encoded.
std::optional<std::string> query_field(std::string_view query, std::string_view name);

}  // namespace wfa
