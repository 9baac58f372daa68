#pragma once
/// The Telegram Mini App's page at /app: templates/miniapp/index.html, read once, answered as HTML with the headers
/// that let Telegram's web clients frame it and load Telegram's script.
#include "serve/http_types.hpp"

namespace wfa::serve {

/// load_app_page reads the page from the templates directory; called when serve starts, later calls do nothing.
void load_app_page();

/// app_page answers GET or HEAD /app with the page (503 when its file is missing), any other method with 405.
HttpResponse app_page(const HttpRequest& request);

}  // namespace wfa::serve
