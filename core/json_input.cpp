// JSON input under byte and nesting limits; parser failures become one line of wfa's own words.
#include "core/json_input.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/input_file.hpp"

namespace wfa {

namespace {

using nlohmann::json;

/// place is "LINE:COLUMN" of the byte before BYTE (nlohmann counts the bytes it read, the bad one included).
std::string place(std::string_view text, std::size_t byte) {
  auto end = std::min(byte == 0 ? 0 : byte - 1, text.size());
  auto before = text.substr(0, end);
  auto line = 1 + std::count(before.begin(), before.end(), '\n');
  auto newline = before.rfind('\n');
  auto column = newline == std::string_view::npos ? end + 1 : end - newline;
  return std::to_string(line) + ":" + std::to_string(column);
}

/// reason is the parser's short account of a syntax error ("invalid literal", "unexpected end of input; expected
/// string literal"), without its exception id or the text it last read, which may be long or binary.
std::string reason(const json::parse_error& e) {
  std::string_view what = e.what();
  auto dash = what.find(" - ");
  if (dash == std::string_view::npos) return "malformed";
  auto text = what.substr(dash + 3);
  text = text.substr(0, std::min(text.find("; last read"), std::size_t{100}));
  return std::string(text);
}

}  // namespace

json parse_json_input(std::string_view text, std::string_view what, std::string_view source, std::size_t max_bytes,
                      std::string_view hint) {
  check_input_length(text, what, source, max_bytes);
  std::string head = std::string(source) + ": " + std::string(what);
  // The callback sees each array and object start with the number of containers around it.
  auto limit_depth = [&](int depth, json::parse_event_t event, json&) {
    if ((event == json::parse_event_t::array_start || event == json::parse_event_t::object_start) &&
        depth >= max_json_depth)
      throw InvalidInputError(
          head + " nests arrays and objects deeper than " + std::to_string(max_json_depth) + " levels",
          std::string(hint));
    return true;
  };
  try {
    return json::parse(text.data(), text.data() + text.size(), limit_depth);
  } catch (const json::parse_error& e) {
    // A bad UTF-8 sequence is reported one byte after the byte that broke it.
    if (reason(e).find("UTF-8") != std::string::npos)
      throw InvalidInputError(std::string(source) + ":" + place(text, e.byte - 1) + ": " + std::string(what) +
                                  " is not valid UTF-8 text (byte " + std::to_string(e.byte - 1) + ")",
                              "save the file as UTF-8");
    throw InvalidInputError(std::string(source) + ":" + place(text, e.byte) + ": " + std::string(what) +
                                " is not valid JSON: " + reason(e) + " (byte " + std::to_string(e.byte) + ")",
                            std::string(hint));
  } catch (const json::out_of_range&) {
    throw InvalidInputError(head + " holds a number too large to read", std::string(hint));
  } catch (const json::exception&) {
    throw InvalidInputError(head + " is not valid JSON", std::string(hint));
  }
}

json read_json_input(const std::string& path, std::string_view what, std::size_t max_bytes, std::string_view hint) {
  return parse_json_input(read_input_file(path, what, max_bytes), what, path, max_bytes, hint);
}

}  // namespace wfa
