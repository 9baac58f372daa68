// Provider addresses and the key check request of each provider.
#include "pipelines/providers/provider.hpp"

#include "core/error.hpp"

namespace wfa {

std::string default_base_url(std::string_view provider) {
  if (provider == "vapi") return "https://api.vapi.ai";
  if (provider == "retell") return "https://api.retellai.com";
  if (provider == "synthflow") return "https://api.synthflow.ai/v2";
  throw UsageError("'" + std::string(provider) + "' is not a voice provider", "use vapi, retell or synthflow");
}

HttpRequest key_check_request(std::string_view provider, const std::string& base_url, const std::string& api_key) {
  auto base = base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  HttpRequest request;
  request.headers = {{"Authorization", "Bearer " + api_key}, {"Accept", "application/json"}};
  request.timeout = std::chrono::seconds(20);
  if (provider == "vapi")
    request.url = base + "/assistant?limit=1";
  else if (provider == "retell")
    request.url = base + "/get-concurrency";
  else
    request.url = base + "/assistants/?limit=1&offset=0";
  return request;
}

KeyCheck read_key_check(const HttpResponse& response) {
  KeyCheck check;
  auto status = std::to_string(response.status);
  check.ok = response.status >= 200 && response.status < 300;
  check.refused = response.status == 401 || response.status == 403;
  check.result = check.ok        ? "ok (HTTP " + status + ")"
                 : check.refused ? "refused (HTTP " + status + ")"
                                 : "HTTP " + status;
  return check;
}

}  // namespace wfa
