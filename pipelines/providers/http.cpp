// One HTTP attempt with libcurl; each thread keeps its easy handle, so connections to a provider are reused.
#include "pipelines/providers/http.hpp"

#include <curl/curl.h>

#include <cctype>
#include <memory>
#include <mutex>

#include "core/error.hpp"

namespace wfa {

namespace {

void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

/// Handle is a thread's easy handle: reset between requests, its connection cache kept.
struct Handle {
  CURL* curl = nullptr;
  Handle() {
    init_curl_once();
    curl = curl_easy_init();
  }
  ~Handle() { curl_easy_cleanup(curl); }
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* out) {
  std::string_view line(data, size * count);
  auto colon = line.find(':');
  if (colon != std::string_view::npos) {
    std::string name(line.substr(0, colon));
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' '))
      value.remove_suffix(1);
    auto* response = static_cast<HttpResponse*>(out);
    if (name == "retry-after") response->retry_after = std::string(value);
    if (name == "retry-after-ms") response->retry_after_ms = std::string(value);
  }
  return size * count;
}

/// without_query is URL without its query string, for messages.
std::string without_query(const std::string& url) { return url.substr(0, url.find('?')); }

}  // namespace

HttpResponse send_http(const HttpRequest& request) {
  thread_local Handle handle;
  if (!handle.curl) throw Error(ErrorCategory::unexpected, "libcurl could not start");
  CURL* curl = handle.curl;
  curl_easy_reset(curl);
  HttpResponse response;
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers(nullptr, curl_slist_free_all);
  for (const auto& [name, value] : request.headers)
    headers.reset(curl_slist_append(headers.release(), (name + ": " + value).c_str()));
  headers.reset(curl_slist_append(headers.release(), "Expect:"));  // no 100-continue round trip before a large body
  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  if (request.method == "GET") curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  if (!request.body.empty() || request.method == "POST" || request.method == "PATCH" || request.method == "PUT") {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout.count()));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(request.connect_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);  // a redirect would carry the API key elsewhere
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response);
  auto code = curl_easy_perform(curl);
  if (code != CURLE_OK) {
    bool timed_out = code == CURLE_OPERATION_TIMEDOUT;
    auto message = request.method + " " + without_query(request.url) +
                   (timed_out ? " timed out" : std::string(" failed: ") + curl_easy_strerror(code));
    auto hint = "check that the provider is reachable, then run the command again";
    if (code == CURLE_COULDNT_CONNECT || code == CURLE_COULDNT_RESOLVE_HOST || code == CURLE_COULDNT_RESOLVE_PROXY)
      throw NotSent(message, hint);
    throw TemporaryError(message, hint);
  }
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  return response;
}

}  // namespace wfa
