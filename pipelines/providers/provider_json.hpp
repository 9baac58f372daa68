#pragma once
/// Reading a provider's answers: the JSON of a 2xx, or the provider's refusal in its own words on one line.
#include <string>

#include <nlohmann/json.hpp>

#include "pipelines/providers/provider_client.hpp"

namespace wfa {

/// provider_refusal quotes what the provider said about a request it refused, on one short line ("" if nothing).
std::string provider_refusal(const HttpResponse& response);

/// provider_json is a 2xx response's JSON body (null when empty); a body that is not JSON is TemporaryError; any other
/// status is InvalidInputError "PROVIDER refused WHAT (HTTP N): said", with HINT.
nlohmann::json provider_json(const ProviderClient& client, const HttpResponse& response, const std::string& what,
                             const std::string& hint);

}  // namespace wfa
