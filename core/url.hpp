#pragma once
/// URLs as libcurl's URL API reads them: the one check for every URL a user gives (logos, webhooks later).
#include <string>
#include <string_view>

namespace wfa {

/// check_https_url returns VALUE normalised by libcurl (scheme and host in lower case) when it is an absolute
/// https URL with a host and without credentials; otherwise InvalidInputError (exit 6) naming FIELD, with HINT.
std::string check_https_url(std::string_view field, std::string_view value, std::string_view hint);

}  // namespace wfa
