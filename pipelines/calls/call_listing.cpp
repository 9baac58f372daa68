// The providers' call lists, page by page, each page ending at a position a later run can resume from.
#include "pipelines/calls/call_listing.hpp"

#include <cstdio>

#include "core/error.hpp"
#include "core/url_encoding.hpp"
#include "core/utc_time.hpp"
#include "pipelines/calls/call_row.hpp"
#include "pipelines/calls/json_records.hpp"
#include "pipelines/providers/provider_json.hpp"

namespace wfa {

using json = nlohmann::json;

namespace {

constexpr const char* hint = "check the integration with `wfa integration test`, then run the ingest again";

/// padded is a call's JSON with the room CallNormalizer's parser reads past its end.
std::string padded(const json& call) {
  std::string text = call.dump();
  text.reserve(text.size() + JsonRecordReader::record_padding);
  return text;
}

// VAPI: the window (since, now] is split as pages come back. A full page is a contiguous run [first, last] of the
// window in some order, so what remains is (lo, first] and [last, hi]: pending windows, kept in the position. A call
// on a boundary may come twice; the merge counts it once.
void list_vapi(ProviderClient& client, const CallListing& l, const std::function<bool(CallPage&&)>& on_page) {
  json windows = l.position.contains("windows") ? l.position["windows"] : json::array();
  std::string top = l.position.value("until", utc_text(l.now_ms));
  if (!l.position.contains("windows")) windows.push_back({utc_text(l.position.value("since", std::int64_t{0})), top});
  while (!windows.empty()) {
    auto window = windows.back();
    windows.erase(windows.size() - 1);
    std::string lo = window[0], hi = window[1];
    auto page = provider_json(client,
                              client.call("GET", "/call?limit=" + std::to_string(l.page_size) + "&createdAtGt=" +
                                                     url_escape(lo) + "&createdAtLe=" + url_escape(hi)),
                              "the call list", hint);
    if (!page.is_array()) throw TemporaryError("vapi answered the call list with something other than a list", hint);
    CallPage out;
    std::string first = hi, last = lo;
    for (const auto& call : page) {
      auto at = call.value("createdAt", std::string());
      if (at.empty()) continue;
      first = std::min(first, at), last = std::max(last, at);
      out.calls.push_back(padded(call));
    }
    if (static_cast<int>(page.size()) >= l.page_size) {
      auto last_ms = iso8601_ms(last);
      if (first == last || !last_ms)
        throw InvalidInputError("vapi has more than " + std::to_string(l.page_size) + " calls created at " + first +
                                    ", more than one page can hold",
                                "raise the setting calls_page_size (at most 1000)");
      windows.push_back({utc_text(*last_ms - 1), hi});  // calls at LAST the page may have cut are asked again
      windows.push_back({lo, first});                   // older first: the stack pops it next
    }
    out.position = windows.empty() ? json{{"since", *iso8601_ms(top)}, {"complete", true}}
                                   : json{{"windows", windows}, {"until", top}};
    if (!on_page(std::move(out))) return;
  }
}

// Retell: ascending by start, pagination_key between pages; list items lack transcripts, so each call is fetched.
void list_retell(ProviderClient& client, const CallListing& l, const std::function<bool(CallPage&&)>& on_page) {
  std::int64_t since = l.position.value("since", std::int64_t{0});
  std::int64_t newest = l.position.value("newest", since);
  json key = l.position.value("key", json());
  for (;;) {
    json request{{"filter_criteria", {{"start_timestamp", {{"type", "number"}, {"op", "ge"}, {"value", since}}}}},
                 {"sort_order", "ascending"},
                 {"limit", l.page_size}};
    if (key.is_string()) request["pagination_key"] = key;
    auto page = provider_json(client, client.call("POST", "/v3/list-calls", request.dump()), "the call list", hint);
    if (!page.is_object() || !page.contains("items") || !page["items"].is_array())
      throw TemporaryError("retell answered the call list without items", hint);
    CallPage out;
    for (const auto& item : page["items"]) {
      auto id = item.value("call_id", std::string());
      if (id.empty()) continue;
      auto call = provider_json(client, client.call("GET", "/v2/get-call/" + url_escape(id)), "call " + id, hint);
      newest = std::max(newest, call.value("start_timestamp", std::int64_t{0}));
      out.calls.push_back(padded(call));
    }
    bool more = page.value("has_more", false) && page.contains("pagination_key") && page["pagination_key"].is_string();
    key = more ? page["pagination_key"] : json();
    out.position =
        more ? json{{"since", since}, {"newest", newest}, {"key", key}} : json{{"since", newest}, {"complete", true}};
    if (!on_page(std::move(out)) || !more) return;
  }
}

// Synthflow: per agent (model_id), newest first, by offset; a call seen twice is merged once.
void list_synthflow(ProviderClient& client, const CallListing& l, const std::function<bool(CallPage&&)>& on_page) {
  std::int64_t since = l.position.value("since", std::int64_t{0});
  std::int64_t newest = l.position.value("newest", since);
  std::size_t agent = l.position.value("agent", std::size_t{0});
  std::int64_t offset = l.position.value("offset", std::int64_t{0});
  if (agent >= l.agents.size()) {
    on_page(CallPage{{}, json{{"since", newest}, {"complete", true}}});
    return;
  }
  while (agent < l.agents.size()) {
    auto page = provider_json(
        client,
        client.call("GET", "/calls?model_id=" + url_escape(l.agents[agent]) + "&limit=" + std::to_string(l.page_size) +
                               "&offset=" + std::to_string(offset) + "&from_date=" + std::to_string(since)),
        "the call list of agent " + l.agents[agent], hint);
    const json* calls = nullptr;
    if (page.is_object() && page.contains("response") && page["response"].is_object() &&
        page["response"].contains("calls") && page["response"]["calls"].is_array())
      calls = &page["response"]["calls"];
    if (!calls) throw TemporaryError("synthflow answered the call list without calls", hint);
    CallPage out;
    for (const auto& call : *calls) {
      auto start = call.value("start_time", std::string());
      if (!start.empty() && start.find_first_not_of("0123456789") == std::string::npos && start.size() <= 15)
        newest = std::max(newest, static_cast<std::int64_t>(std::stoll(start)));
      out.calls.push_back(padded(call));
    }
    if (static_cast<int>(calls->size()) < l.page_size)
      ++agent, offset = 0;
    else
      offset += l.page_size;
    out.position = agent < l.agents.size()
                       ? json{{"since", since}, {"newest", newest}, {"agent", agent}, {"offset", offset}}
                       : json{{"since", newest}, {"complete", true}};
    if (!on_page(std::move(out))) return;
  }
}

}  // namespace

bool position_complete(const json& position) { return position.value("complete", false); }

void list_calls(ProviderClient& client, const CallListing& listing, const std::function<bool(CallPage&&)>& on_page) {
  if (listing.provider == "vapi")
    list_vapi(client, listing, on_page);
  else if (listing.provider == "retell")
    list_retell(client, listing, on_page);
  else
    list_synthflow(client, listing, on_page);
}

}  // namespace wfa
