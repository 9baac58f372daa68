#pragma once
/// DNS TXT lookups for domain verification: the system resolver (libresolv) or a JSON overrides
/// file (tests, air-gapped demos). The resolver is an interface so callers can inject records.
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace wfa {

class Config;

/// The record a domain owner creates to prove control: `_wfa-verify.HOSTNAME`.
inline constexpr std::string_view verification_record_prefix = "_wfa-verify.";
std::string verification_record_name(std::string_view hostname);

class TxtResolver {
 public:
  virtual ~TxtResolver();
  /// lookup_txt returns each TXT record of NAME (character-strings concatenated); NXDOMAIN or no
  /// TXT data is an empty list; a resolver failure (SERVFAIL, timeout) is TemporaryError (exit 7).
  virtual std::vector<std::string> lookup_txt(const std::string& name) = 0;
  /// source names where answers come from, for the audit log: "dns", or the overrides file.
  virtual std::string source() const { return "dns"; }
};

/// SystemTxtResolver asks the resolvers of /etc/resolv.conf through libresolv (thread-safe res_n*).
class SystemTxtResolver : public TxtResolver {
 public:
  SystemTxtResolver() = default;
  /// Asks only the IPv4 name server NAMESERVER:PORT, with one short try (tests run a local server).
  SystemTxtResolver(std::string nameserver, int port);
  std::vector<std::string> lookup_txt(const std::string& name) override;

 private:
  std::string nameserver_;
  int port_ = 53;
};

/// OverridesTxtResolver answers from a JSON file {"NAME": ["record", ...]}; names match
/// case-insensitively, a trailing dot ignored; absent names have no records. Never touches DNS.
class OverridesTxtResolver : public TxtResolver {
 public:
  /// Reads FILE at once: unreadable, malformed or wrongly shaped files are InvalidInputError naming it.
  explicit OverridesTxtResolver(const std::filesystem::path& file);
  std::vector<std::string> lookup_txt(const std::string& name) override;
  std::string source() const override { return "overrides file " + file_; }

 private:
  std::map<std::string, std::vector<std::string>> records_;
  std::string file_;
};

/// make_txt_resolver: the overrides file when the dns_overrides setting is set (refused, exit 6, unless test_mode is
/// on: an override would verify a domain nobody controls), else the system resolver.
std::unique_ptr<TxtResolver> make_txt_resolver(const Config& config);

/// parse_txt_answer extracts the TXT records of the answer section of a DNS response MESSAGE;
/// other record types (e.g. a CNAME in the chain) are skipped; a malformed message is TemporaryError.
std::vector<std::string> parse_txt_answer(const unsigned char* message, std::size_t length, std::string_view name);

}  // namespace wfa
