#pragma once
/// Files a user gives wfa, read whole under a byte limit that each input type sets (LIMITS in wfa(1) lists them).
#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

namespace wfa {

/// byte_size spells a limit for messages: "16 MiB", "4 KiB" or "100 bytes".
std::string byte_size(std::size_t bytes);

/// check_input_size refuses, before it is read, a regular file PATH longer than MAX_BYTES: InvalidInputError naming
/// WHAT, PATH and the limit. Other paths (missing files, pipes) pass; their readers report or measure them.
void check_input_size(const std::filesystem::path& path, std::string_view what, std::size_t max_bytes);

/// check_input_length refuses TEXT, the input WHAT read from SOURCE, when it is longer than MAX_BYTES.
void check_input_length(std::string_view text, std::string_view what, std::string_view source, std::size_t max_bytes);

/// read_input_file returns the bytes of PATH, or of standard input for "-", when there are at most MAX_BYTES; a longer
/// input is InvalidInputError naming WHAT and PATH (a regular file is refused unread, standard input once past the
/// limit). Missing and unreadable files are reported as read_file does.
std::string read_input_file(const std::string& path, std::string_view what, std::size_t max_bytes);

/// read_secret_input reads one secret (an API key) from PATH, or standard input for "-" (with a prompt and no echo when
/// it is a terminal), trims surrounding whitespace and refuses an empty one or one with spaces, control or non-ASCII
/// characters; messages never show the text.
std::string read_secret_input(const std::string& path, std::string_view what, std::size_t max_bytes);

}  // namespace wfa
