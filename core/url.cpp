// URL checks through libcurl's URL API (curl_url), never by string matching.
#include "core/url.hpp"

#include <curl/curl.h>

#include <cctype>
#include <memory>

#include "core/error.hpp"
#include "core/validation.hpp"

namespace wfa {

namespace {

using Url = std::unique_ptr<CURLU, decltype(&curl_url_cleanup)>;

/// part is one component of URL, or empty when it has none.
std::string part(const Url& url, CURLUPart which) {
  char* text = nullptr;
  if (curl_url_get(url.get(), which, &text, 0) != CURLUE_OK || text == nullptr) return {};
  std::string out(text);
  curl_free(text);
  return out;
}

/// has_part says whether URL has the component at all, even empty ("https://@host" has an empty user).
bool has_part(const Url& url, CURLUPart which) {
  char* text = nullptr;
  bool present = curl_url_get(url.get(), which, &text, 0) == CURLUE_OK;
  curl_free(text);
  return present;
}

}  // namespace

std::string check_https_url(std::string_view field, std::string_view value, std::string_view hint) {
  auto refuse = [&](const std::string& why) {
    return InvalidInputError(std::string(field) + " '" + std::string(value) + "' " + why, std::string(hint));
  };
  if (value.find_first_of(" \t\r\n") != std::string_view::npos) throw refuse("contains whitespace");
  Url url(curl_url(), &curl_url_cleanup);
  if (!url) throw std::bad_alloc();
  std::string text(value);
  // No CURLU_GUESS_SCHEME or default scheme: "example.com/logo.png" is not a URL.
  if (curl_url_set(url.get(), CURLUPART_URL, text.c_str(), 0) != CURLUE_OK) throw refuse("is not an https:// URL");
  if (part(url, CURLUPART_SCHEME) != "https") throw refuse("is not an https:// URL");
  // libcurl reads "https:///logo.png" as host logo.png, as curl(1) forgives extra slashes; a user meant no host.
  auto authority = text.find("://");
  auto host = part(url, CURLUPART_HOST);
  if (host.empty() || (authority != std::string::npos && text.compare(authority + 3, 1, "/") == 0))
    throw refuse("has no host");
  if (has_part(url, CURLUPART_USER) || has_part(url, CURLUPART_PASSWORD))
    throw refuse("carries a user name or password");
  // The host is a hostname like any other (lower case, an internationalised name as its A-label).
  try {
    host = check_hostname("host", host);
  } catch (const InvalidInputError&) {
    throw refuse("has a host that is not a valid hostname");
  }
  if (curl_url_set(url.get(), CURLUPART_HOST, host.c_str(), 0) != CURLUE_OK) throw refuse("has no usable host");
  return part(url, CURLUPART_URL);
}

}  // namespace wfa
