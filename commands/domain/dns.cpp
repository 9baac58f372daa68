#include "commands/domain/dns.hpp"

#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <netdb.h>
#include <netinet/in.h>
#include <resolv.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/config.hpp"
#include "core/error.hpp"
#include "core/input_file.hpp"
#include "core/json_input.hpp"

namespace wfa {

namespace {

/// max_overrides_bytes bounds a DNS overrides file: TXT records of a test's or operator's few hosts.
constexpr std::size_t max_overrides_bytes = 1u << 20;

/// dns_name lowercases NAME and drops one trailing dot, the spelling overrides are keyed by.
std::string dns_name(std::string_view name) {
  std::string out(name);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (!out.empty() && out.back() == '.') out.pop_back();
  return out;
}

[[noreturn]] void resolver_failed(std::string_view name, const std::string& why) {
  throw TemporaryError("DNS lookup of TXT " + std::string(name) + " failed: " + why,
                       "check the resolvers in /etc/resolv.conf and retry");
}

/// ResolverState owns one res_n* state so concurrent lookups do not share _res.
class ResolverState {
 public:
  explicit ResolverState(std::string_view name) {
    std::memset(&state_, 0, sizeof state_);
    if (res_ninit(&state_) != 0) resolver_failed(name, "cannot initialise the resolver");
  }
  ~ResolverState() { res_nclose(&state_); }
  ResolverState(const ResolverState&) = delete;
  ResolverState& operator=(const ResolverState&) = delete;
  res_state get() { return &state_; }

 private:
  struct __res_state state_;
};

}  // namespace

std::string verification_record_name(std::string_view hostname) {
  return std::string(verification_record_prefix) + std::string(hostname);
}

TxtResolver::~TxtResolver() = default;

std::vector<std::string> parse_txt_answer(const unsigned char* message, std::size_t length, std::string_view name) {
  ns_msg handle;
  if (ns_initparse(message, static_cast<int>(length), &handle) != 0) resolver_failed(name, "malformed DNS response");
  std::vector<std::string> records;
  int count = ns_msg_count(handle, ns_s_an);
  for (int i = 0; i < count; ++i) {
    ns_rr rr;
    if (ns_parserr(&handle, ns_s_an, i, &rr) != 0) resolver_failed(name, "malformed answer record");
    if (ns_rr_type(rr) != ns_t_txt) continue;
    // RDATA is a run of <length byte><bytes> character-strings; one record is their concatenation.
    const unsigned char* data = ns_rr_rdata(rr);
    std::size_t size = ns_rr_rdlen(rr), pos = 0;
    std::string record;
    while (pos < size) {
      std::size_t part = data[pos++];
      if (pos + part > size) resolver_failed(name, "TXT character-string overruns its record");
      record.append(reinterpret_cast<const char*>(data + pos), part);
      pos += part;
    }
    records.push_back(std::move(record));
  }
  return records;
}

SystemTxtResolver::SystemTxtResolver(std::string nameserver, int port)
    : nameserver_(std::move(nameserver)), port_(port) {}

std::vector<std::string> SystemTxtResolver::lookup_txt(const std::string& name) {
  ResolverState state(name);
  if (!nameserver_.empty()) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port_));
    if (inet_pton(AF_INET, nameserver_.c_str(), &address.sin_addr) != 1)
      throw InvalidInputError("name server '" + nameserver_ + "' is not an IPv4 address");
    state.get()->nsaddr_list[0] = address;
    state.get()->nscount = 1;
    state.get()->retrans = 1;
    state.get()->retry = 1;
  }
  std::vector<unsigned char> answer(NS_MAXMSG);
  errno = 0;
  int length = res_nquery(state.get(), name.c_str(), ns_c_in, ns_t_txt, answer.data(), static_cast<int>(answer.size()));
  if (length < 0) {
    switch (state.get()->res_h_errno) {
      case HOST_NOT_FOUND:  // NXDOMAIN
      case NO_DATA:         // the name exists without TXT records
        return {};
      case TRY_AGAIN:
        resolver_failed(name, "no answer from the resolver (SERVFAIL or timeout)");
      case NO_RECOVERY:
        resolver_failed(name, "the resolver refused the query");
      default:
        resolver_failed(name, errno != 0 ? std::strerror(errno) : "resolver error");
    }
  }
  return parse_txt_answer(answer.data(), std::min(static_cast<std::size_t>(length), answer.size()), name);
}

OverridesTxtResolver::OverridesTxtResolver(const std::filesystem::path& file) : file_(file.string()) {
  const std::string hint = "write it as {\"_wfa-verify.example.com\": [\"TOKEN\"]}";
  check_input_size(file, "DNS overrides file", max_overrides_bytes);
  std::ifstream in(file, std::ios::binary);
  if (!in)
    throw InvalidInputError("DNS overrides file " + file.string() + " cannot be read",
                            "fix dns_overrides / WFA_DNS_OVERRIDES");
  std::stringstream text;
  text << in.rdbuf();
  auto doc = parse_json_input(text.str(), "DNS overrides file", file.string(), max_overrides_bytes, hint);
  if (!doc.is_object())
    throw InvalidInputError("DNS overrides file " + file.string() + " must hold a JSON object", hint);
  for (const auto& [key, value] : doc.items()) {
    bool strings =
        value.is_array() && std::all_of(value.begin(), value.end(), [](const auto& v) { return v.is_string(); });
    if (!strings)
      throw InvalidInputError(
          "DNS overrides file " + file.string() + ": the value of '" + key + "' is not an array of strings", hint);
    auto& records = records_[dns_name(key)];
    for (const auto& v : value) records.push_back(v.template get<std::string>());
  }
}

std::vector<std::string> OverridesTxtResolver::lookup_txt(const std::string& name) {
  auto it = records_.find(dns_name(name));
  return it == records_.end() ? std::vector<std::string>{} : it->second;
}

std::unique_ptr<TxtResolver> make_txt_resolver(const Config& config) {
  const auto& overrides = config.value("dns_overrides");
  if (!overrides.empty() && !config.flag("test_mode"))
    throw InvalidInputError("dns_overrides is set (" + config.get("dns_overrides").source +
                                ") but this is not a test system: overrides answer DNS only in test mode",
                            "unset WFA_DNS_OVERRIDES, or set WFA_TEST_MODE=1 on a test system");
  if (!overrides.empty()) return std::make_unique<OverridesTxtResolver>(overrides);
  return std::make_unique<SystemTxtResolver>();
}

}  // namespace wfa
