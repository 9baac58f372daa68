// check_https_url: libcurl's URL API decides, so case, missing hosts and credentials are read as a browser would.
#include "core/url.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"

using namespace wfa;

namespace {

std::string refusal(const std::string& url) {
  try {
    check_https_url("--logo", url, "give an https URL");
  } catch (const InvalidInputError& e) {
    return e.what();
  }
  return "accepted";
}

}  // namespace

TEST(Url, AcceptsHttpsUrlsAndNormalisesCase) {
  EXPECT_EQ(check_https_url("--logo", "https://cdn.example.com/logo.png", ""), "https://cdn.example.com/logo.png");
  EXPECT_EQ(check_https_url("--logo", "HTTPS://CDN.Example.com/Logo.png", ""), "https://cdn.example.com/Logo.png")
      << "scheme and host are case-insensitive; the path is not";
  EXPECT_EQ(check_https_url("--logo", "https://cdn.example.com:8443/a/b.png?v=2", ""),
            "https://cdn.example.com:8443/a/b.png?v=2");
}

TEST(Url, RefusesWhatIsNotAnHttpsUrlWithAHost) {
  struct Case {
    const char* url;
    const char* says;
  } cases[] = {
      {"https:///logo.png", "has no host"},
      {"https://", "is not an https:// URL"},
      {"http://cdn.example.com/logo.png", "is not an https:// URL"},
      {"file:///etc/shadow", "is not an https:// URL"},
      {"/etc/shadow", "is not an https:// URL"},
      {"cdn.example.com/logo.png", "is not an https:// URL"},
      {"https://user:pw@cdn.example.com/logo.png", "carries a user name or password"},
      {"https://cdn.example.com/a b.png", "contains whitespace"},
      {"https://cdn.example.com:99999/logo.png", "is not an https:// URL"},
  };
  for (const auto& c : cases) {
    auto message = refusal(c.url);
    EXPECT_NE(message.find(c.says), std::string::npos) << c.url << ": " << message;
    EXPECT_EQ(message.rfind("--logo '", 0), 0u) << message;
  }
}
