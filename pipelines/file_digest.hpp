#pragma once
/// Content digests of files, read in large blocks (memory stays flat).
#include <string>
#include <string_view>

namespace wfa {

/// sha256_file is the hex SHA-256 of PATH's bytes followed by SUFFIX; an unreadable file is an InvalidInputError.
std::string sha256_file(const std::string& path, std::string_view suffix = {});

}  // namespace wfa
