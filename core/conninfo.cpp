// Connection strings parsed by libpq (PQconninfoParse), rebuilt with their secrets masked.
#include "core/conninfo.hpp"

#include <libpq-fe.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <sstream>
#include <utility>
#include <vector>

namespace wfa {

namespace {

constexpr std::string_view hidden = "***";

bool is_secret(std::string_view keyword) { return keyword == "password" || keyword == "sslpassword"; }

/// uri_escaped percent-encodes everything but RFC 3986's unreserved characters.
std::string uri_escaped(std::string_view text) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

/// quoted is VALUE as a key=value string writes it: bare when it can be, else in single quotes with \ escapes.
std::string quoted(std::string_view value) {
  bool bare = !value.empty() && value.find_first_of(" \t\n\r'\\=") == std::string_view::npos;
  if (bare) return std::string(value);
  std::string out = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

/// split_list is a comma-separated host or port list.
std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> parts;
  std::istringstream in(text);
  for (std::string part; std::getline(in, part, ',');) parts.push_back(part);
  if (!text.empty() && text.back() == ',') parts.emplace_back();
  return parts;
}

std::string as_uri(std::string_view scheme, const std::vector<std::pair<std::string, std::string>>& options) {
  std::string user, password, host, port, dbname, query;
  bool has_password = false;
  for (const auto& [key, value] : options) {
    if (key == "user") {
      user = value;
    } else if (key == "password") {
      has_password = true;
    } else if (key == "host") {
      host = value;
    } else if (key == "port") {
      port = value;
    } else if (key == "dbname") {
      dbname = value;
    } else {
      query += (query.empty() ? "?" : "&") + key + "=" + (is_secret(key) ? std::string(hidden) : uri_escaped(value));
    }
  }
  std::string out = std::string(scheme) + "://";
  if (!user.empty() || has_password) out += uri_escaped(user) + (has_password ? ":" + std::string(hidden) : "") + "@";
  auto hosts = split_list(host), ports = split_list(port);
  for (std::size_t i = 0; i < std::max(hosts.size(), ports.size()); ++i) {
    if (i > 0) out += ',';
    if (i < hosts.size())
      out += hosts[i].find(':') != std::string::npos ? "[" + hosts[i] + "]" : uri_escaped(hosts[i]);  // IPv6
    if (i < ports.size() && !ports[i].empty()) out += ":" + ports[i];
  }
  if (!dbname.empty()) out += "/" + uri_escaped(dbname);
  return out + query;
}

std::string as_keywords(const std::vector<std::pair<std::string, std::string>>& options) {
  std::string out;
  for (const auto& [key, value] : options)
    out += (out.empty() ? "" : " ") + key + "=" + (is_secret(key) ? std::string(hidden) : quoted(value));
  return out;
}

}  // namespace

std::string masked_conninfo(std::string_view text) {
  std::string input(text);
  char* error = nullptr;
  std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> parsed(PQconninfoParse(input.c_str(), &error),
                                                                      &PQconninfoFree);
  if (error != nullptr) PQfreemem(error);
  if (!parsed) return "(a connection string libpq cannot read)";
  std::vector<std::pair<std::string, std::string>> options;
  for (const PQconninfoOption* o = parsed.get(); o->keyword != nullptr; ++o)
    if (o->val != nullptr) options.emplace_back(o->keyword, o->val);
  for (std::string_view scheme : {"postgresql", "postgres"})
    if (input.rfind(std::string(scheme) + "://", 0) == 0) return as_uri(scheme, options);
  return as_keywords(options);
}

}  // namespace wfa
