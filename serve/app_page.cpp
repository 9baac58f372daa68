// The Mini App's page (see app_page.hpp).
#include "serve/app_page.hpp"

#include <fstream>
#include <optional>
#include <sstream>
#include <string>

#include "core/paths.hpp"

namespace wfa::serve {

namespace {

/// page is the file's text, read on first use (load_app_page at startup); nullopt when it cannot be read.
const std::optional<std::string>& page() {
  static const std::optional<std::string> text = []() -> std::optional<std::string> {
    std::ifstream in(resource_dir("templates") / "miniapp" / "index.html", std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
  }();
  return text;
}

/// policy lets Telegram's clients frame the page and run its inline script and telegram.org's, nothing else.
constexpr const char* policy =
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://telegram.org; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' https: data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors https://web.telegram.org https://*.telegram.org";

}  // namespace

void load_app_page() { page(); }

HttpResponse app_page(const HttpRequest& request) {
  if (request.method != "GET" && request.method != "HEAD") {
    auto r = json_error(405, "usage", "use GET");
    r.headers.emplace_back("Allow", "GET, HEAD");
    r.route = "/app";
    return r;
  }
  if (!page()) {
    auto r = json_error(503, "temporary", "the Mini App's page templates/miniapp/index.html is missing; reinstall wfa");
    r.route = "/app";
    return r;
  }
  HttpResponse r;
  r.content_type = "text/html; charset=utf-8";
  r.body = *page();
  r.headers.emplace_back("Cache-Control", "no-cache");
  r.headers.emplace_back("Content-Security-Policy", policy);
  // The voice module's web test call uses the microphone: this origin may ask for it, no frame or other origin may.
  r.headers.emplace_back("Permissions-Policy", "microphone=(self)");
  r.route = "/app";
  return r;
}

}  // namespace wfa::serve
