// The providers' answers read one way: JSON bodies and refusals in the provider's words.
#include "pipelines/providers/provider_json.hpp"

#include "core/error.hpp"

namespace wfa {

using json = nlohmann::json;

std::string provider_refusal(const HttpResponse& response) {
  std::string said;
  try {
    auto body = json::parse(response.body);
    if (body.contains("message"))
      said = body["message"].is_string() ? body["message"].get<std::string>() : body["message"].dump();
    else if (body.contains("error_message"))
      said = body["error_message"].get<std::string>();
    else if (body.contains("detail") && body["detail"].is_object())
      said = body["detail"].value("description", "");
    else if (body.contains("error"))
      said = body["error"].is_string() ? body["error"].get<std::string>() : body["error"].dump();
  } catch (const std::exception&) {
    said = "";
  }
  for (auto& c : said)
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  if (said.size() > 200) said = said.substr(0, 197) + "...";
  return said;
}

json provider_json(const ProviderClient& client, const HttpResponse& response, const std::string& what,
                   const std::string& hint) {
  if (response.status >= 200 && response.status < 300) {
    if (response.body.empty()) return json();
    try {
      return json::parse(response.body);
    } catch (const std::exception&) {
      throw TemporaryError(client.provider() + " answered " + what + " with a body that is not JSON",
                           "run it again; the provider may be having trouble");
    }
  }
  auto said = provider_refusal(response);
  throw InvalidInputError(client.provider() + " refused " + what + " (HTTP " + std::to_string(response.status) + ")" +
                              (said.empty() ? "" : ": " + said),
                          hint);
}

}  // namespace wfa
