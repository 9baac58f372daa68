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

std::string key_check_path(std::string_view provider) {
  if (provider == "vapi") return "/assistant?limit=1";
  if (provider == "retell") return "/get-concurrency";
  return "/assistants/?limit=1&offset=0";
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
