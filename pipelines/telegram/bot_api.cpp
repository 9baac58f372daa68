// The Bot API call: libcurl through send_http, the answer read with nlohmann::json (Telegram's envelope is small).
#include "pipelines/telegram/bot_api.hpp"

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "pipelines/providers/http.hpp"

namespace wfa {

BotApiAnswer call_bot_api(const std::string& base_url, const std::string& token, const std::string& method,
                          const std::string& params_json) {
  HttpRequest request;
  request.method = "POST";
  request.url = (base_url.empty() ? std::string("https://api.telegram.org") : base_url) + "/bot" + token + "/" + method;
  request.headers = {{"Content-Type", "application/json"}};
  request.body = params_json;
  request.timeout = std::chrono::milliseconds(15000);
  BotApiAnswer a;
  HttpResponse response;
  try {
    response = send_http(request);
  } catch (const Error&) {
    a.description = "Telegram's Bot API did not answer " + method;
    return a;
  }
  a.reached = true;
  a.status = response.status;
  auto body = nlohmann::json::parse(response.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    a.error_code = static_cast<int>(response.status);
    a.description = "the answer to " + method + " is not JSON (HTTP " + std::to_string(response.status) + ")";
    return a;
  }
  a.ok = body.value("ok", false);
  a.result = body.contains("result") ? body["result"].dump() : "null";
  if (a.ok) return a;
  auto code = body.find("error_code");
  a.error_code = code != body.end() && code->is_number_integer() ? code->get<int>() : static_cast<int>(response.status);
  auto description = body.find("description");
  a.description = description != body.end() && description->is_string() ? description->get<std::string>()
                                                                        : std::string("no reason given");
  if (auto p = body.find("parameters"); p != body.end() && p->is_object()) {
    if (auto r = p->find("retry_after"); r != p->end() && r->is_number_integer()) a.retry_after = r->get<int>();
    if (auto m = p->find("migrate_to_chat_id"); m != p->end() && m->is_number_integer())
      a.migrate_to_chat = m->get<long>();
  }
  return a;
}

}  // namespace wfa
