#pragma once
/// Paging through a provider's call list, resumable from a position after any page (no SQL, no CLI): VAPI by
/// createdAt windows (its list has no cursor and no documented order), Retell by pagination_key on POST
/// /v3/list-calls with a get-call per call for the transcript, Synthflow per agent by offset.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pipelines/providers/provider_client.hpp"

namespace wfa {

/// CallPage is one page: each call's JSON (padded for CallNormalizer) and the position to resume from after it.
struct CallPage {
  std::vector<std::string> calls;
  nlohmann::json position;  ///< where the next page starts; complete() tells a finished listing
};

struct CallListing {
  std::string provider;
  nlohmann::json position;          ///< from the previous page, or {"since": epoch ms} to start (0: everything)
  std::vector<std::string> agents;  ///< Synthflow lists per agent: the external ids to list
  int page_size = 100;
  std::int64_t now_ms = 0;  ///< the upper end of this run (VAPI's window)
};

/// position_complete says a position ends a finished listing; its "since" is where the next run starts.
bool position_complete(const nlohmann::json& position);

/// list_calls pages through LISTING's calls, calling ON_PAGE for each (ON_PAGE false stops). Provider errors are
/// TemporaryError (retry later: the last position ON_PAGE kept still holds) or InvalidInputError (refused).
void list_calls(ProviderClient& client, const CallListing& listing, const std::function<bool(CallPage&&)>& on_page);

}  // namespace wfa
