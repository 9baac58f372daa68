#include "core/config.hpp"
#include "core/conninfo.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iterator>

#include <toml++/toml.h>

#include "core/error.hpp"
#include "core/file_io.hpp"
#include "core/paths.hpp"
#include "core/validation.hpp"

namespace wfa {

EnvLookup process_environment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
}

const std::vector<SettingInfo>& Config::settings() {
  static const std::vector<SettingInfo> all = {
      {"output",
       {"WFA_OUTPUT"},
       "output format: table|wide|plain|json|ndjson|csv (default: table on a terminal, plain otherwise)"},
      {"quiet", {"WFA_QUIET"}, "suppress messages and progress on stderr"},
      {"raw",
       {"WFA_RAW"},
       "CSV output and exports keep cells that begin with = + - @ as they are (no spreadsheet-formula guard)"},
      {"database_url",
       {"WFA_DATABASE_URL", "DATABASE_URL"},
       "external PostgreSQL URL; unset uses the embedded cluster",
       true},
      {"database_owner_url",
       {"WFA_DATABASE_OWNER_URL"},
       "external PostgreSQL URL of the schema's owner, for `db migrate|reset|seed` and `audit archive`; unset uses "
       "database_url",
       true},
      {"database_replica_url",
       {"WFA_DATABASE_REPLICA_URL"},
       "read-only replica for list, show, check and export verbs; unreachable or behind means the primary",
       true},
      {"serve_database_url",
       {"WFA_SERVE_DATABASE_URL"},
       "external PostgreSQL URL for `wfa serve`, as role wfa_serve (or a member of it) so row-level security holds; "
       "unset uses database_url",
       true},
      {"data_dir", {"WFA_DATA_DIR"}, "embedded cluster and file storage"},
      {"file_store",
       {"WFA_FILE_STORE"},
       "the file store's directory (default $WFA_DATA_DIR/files); with workers on several machines, one shared "
       "directory mounted at the same path on each"},
      {"secret_key",
       {"WFA_SECRET_KEY"},
       "the 256-bit key (64 hex digits or base64) that seals provider API keys; unset uses $WFA_DATA_DIR/secret.key, "
       "made (0600) on first use",
       true},
      {"vapi_base_url", {"WFA_VAPI_BASE_URL"}, "VAPI's API (default https://api.vapi.ai)"},
      {"retell_base_url", {"WFA_RETELL_BASE_URL"}, "Retell's API (default https://api.retellai.com)"},
      {"synthflow_base_url", {"WFA_SYNTHFLOW_BASE_URL"}, "Synthflow's API (default https://api.synthflow.ai/v2)"},
      {"provider_retries",
       {"WFA_PROVIDER_RETRIES"},
       "retries of a provider request after 408, 409, 429, 5xx or a dropped connection (default 3)"},
      {"provider_timeout", {"WFA_PROVIDER_TIMEOUT"}, "seconds a provider request may take (default 30)"},
      {"max_call_seconds",
       {"WFA_MAX_CALL_SECONDS"},
       "the longest a call may last (default 3600); a dialed call whose end has not arrived a twelfth later is ended "
       "as failed"},
      {"telegram_api_base_url", {"WFA_TELEGRAM_API_BASE_URL"}, "Telegram's Bot API (default https://api.telegram.org)"},
      {"stripe_api_base_url", {"WFA_STRIPE_API_BASE_URL"}, "Stripe's API (default https://api.stripe.com)"},
      {"public_url",
       {"WFA_PUBLIC_URL"},
       "the address providers and Telegram reach `wfa serve` at, e.g. https://hooks.example.com; show verbs print the "
       "full webhook URL with it"},
      {"telegram_auth_max_age",
       {"WFA_TELEGRAM_AUTH_MAX_AGE"},
       "seconds a Mini App's initData stays valid after Telegram signed it (default 86400)"},
      {"calls_page_size",
       {"WFA_CALLS_PAGE_SIZE"},
       "calls asked of a provider per page by `wfa calls ingest --from-api` (default 100, at most 1000)"},
      {"circuit_failures",
       {"WFA_CIRCUIT_FAILURES"},
       "consecutive failures of a provider account that open its circuit (default 5)"},
      {"circuit_cooldown",
       {"WFA_CIRCUIT_COOLDOWN"},
       "seconds an open circuit refuses requests before one trial (default 30)"},
      {"group_readable_outputs",
       {"WFA_GROUP_READABLE_OUTPUTS"},
       "write outputs and the file store group-readable (0640, directories 0750) instead of private (0600/0700)"},
      {"allow_shared_output_dirs",
       {"WFA_ALLOW_SHARED_OUTPUT_DIRS"},
       "allow writing into directories every user may write to that have no sticky bit"},
      {"actor",
       {"WFA_ACTOR"},
       "the operator's name in the audit log (default cli:$USER); the operator has every right"},
      {"as",
       {"WFA_AS"},
       "impersonate the user with this e-mail (like kubectl --as): every verb checks that user's rights and the audit "
       "log records them"},
      {"pg_bindir",
       {"WFA_PG_BINDIR"},
       "directory holding initdb and pg_ctl (default: newest /usr/lib/postgresql/*/bin)"},
      {"pg_user", {"WFA_PG_USER"}, "account that runs the embedded server when wfa runs as root"},
      {"migrations_dir", {"WFA_MIGRATIONS_DIR"}, "directory of NNNN_name.sql migrations"},
      {"max_image_pixels",
       {"WFA_MAX_IMAGE_PIXELS"},
       "largest photo, creative or logo accepted, width x height in pixels (default 250000000), checked from the "
       "image's header before it is decoded"},
      {"platform_domain",
       {"WFA_PLATFORM_DOMAIN"},
       "domain under which partners get SLUG.<domain> (default wfa.example)"},
      {"dns_overrides",
       {"WFA_DNS_OVERRIDES"},
       "JSON file {\"name\": [\"TXT record\", ...]} answering DNS TXT lookups instead of DNS (test mode only)"},
      {"schedule.usage_reset",
       {"WFA_SCHEDULE_USAGE_RESET"},
       "cron expression (UTC; 5 fields, or 6 with seconds first) at which `wfa worker` enqueues usage.reset (the month "
       "before), e.g. 5 0 1 * *; unset or empty: off"},
      {"schedule.cleanup",
       {"WFA_SCHEDULE_CLEANUP"},
       "cron expression (UTC) at which `wfa worker` enqueues cleanup (every cleanup with its own retention), e.g. "
       "30 3 * * *; unset or empty: off"},
      {"schedule.notify_flush",
       {"WFA_SCHEDULE_NOTIFY_FLUSH"},
       "cron expression (UTC) at which `wfa worker` enqueues notify.flush (every partner's due notifications, for at "
       "most the interval), e.g. * * * * *; unset or empty: off"},
      {"smtp_host", {"WFA_SMTP_HOST"}, "the SMTP relay mail is sent through; unset: mail stays queued"},
      {"smtp_port", {"WFA_SMTP_PORT"}, "the relay's port (default 587; 465 means implicit TLS)"},
      {"smtp_user", {"WFA_SMTP_USER"}, "the relay's AUTH user; unset: no AUTH"},
      {"smtp_password", {"WFA_SMTP_PASSWORD"}, "the relay's AUTH password (prefer smtp_password_file)", true},
      {"smtp_password_file", {"WFA_SMTP_PASSWORD_FILE"}, "a file holding the relay's AUTH password"},
      {"smtp_tls",
       {"WFA_SMTP_TLS"},
       "required (default: STARTTLS, or implicit TLS on port 465), implicit, or optional (STARTTLS when offered)"},
      {"smtp_ca_file", {"WFA_SMTP_CA_FILE"}, "CA certificates the relay's certificate is checked against"},
      {"smtp_timeout", {"WFA_SMTP_TIMEOUT"}, "seconds one message may take on the relay (default 60)"},
      {"mail_from",
       {"WFA_MAIL_FROM"},
       "the platform's sender address (default no-reply@<platform_domain>); its domain takes bounces (VERP)"},
      {"mail_retry_period",
       {"WFA_MAIL_RETRY_PERIOD"},
       "seconds a message is retried after 4xx replies and connection errors before it fails (default 172800)"},
      {"mail_unknown_delay",
       {"WFA_MAIL_UNKNOWN_DELAY"},
       "seconds before a message whose outcome is unknown is sent again with its Message-ID (default 600)"},
      {"test_clock_shift",
       {"WFA_TEST_CLOCK_SHIFT"},
       "seconds added to the clock verbs read (negative: earlier); honoured only with test_mode"},
      {"test_mode",
       {"WFA_TEST_MODE"},
       "a test system: allows stand-ins such as dns_overrides, whose use the audit log records"},
  };
  return all;
}

namespace {

/// check_actor_settings refuses (exit 2) an empty, blank or control-character actor, and an --as that is not an
/// e-mail address: both are written into the audit log and shown on terminals.
void check_actor_settings(const Config& config) {
  for (const char* key : {"actor", "as"}) {
    const auto& s = config.get(key);
    if (!s.is_set && std::string_view(key) == "as") continue;
    auto where = s.source == "default" ? std::string("the default actor") : s.source;
    if (s.value.find_first_not_of(" \t") == std::string::npos)
      throw UsageError(std::string(key) + " from " + where + " is empty",
                       std::string(key) == "as" ? "give a user's e-mail, e.g. --as ana@acme.example"
                                                : "set WFA_ACTOR to a name such as cli:ops, or unset it");
    if (auto at = control_at(s.value, false); at != std::string::npos)
      throw UsageError(
          std::string(key) + " from " + where + " holds a control character at byte " + std::to_string(at + 1),
          "give it as printable text on one line");
    if (s.value.size() > 254)
      throw UsageError(std::string(key) + " from " + where + " is longer than 254 bytes", "give a shorter name");
  }
}

std::string default_value(const std::string& key, const EnvLookup& env) {
  if (key == "data_dir") return default_data_dir(env).string();
  if (key == "actor") {
    auto user = env("USER");
    return "cli:" + (user && !user->empty() ? *user : current_user_name());
  }
  if (key == "pg_user") return "wfa-postgres";
  if (key == "quiet") return "false";
  if (key == "migrations_dir") return resource_dir("migrations").string();
  if (key == "platform_domain") return "wfa.example";
  return {};
}

bool known_key(const std::string& key) {
  for (const auto& s : Config::settings())
    if (s.key == key) return true;
  return false;
}

}  // namespace

std::map<std::string, std::pair<std::string, int>> parse_config_file(const std::filesystem::path& path) {
  refuse_others_writable(path, "config file");
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw InvalidInputError("cannot read config file " + path.string(),
                            "check the path given by --config or WFA_CONFIG");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  toml::table doc;
  try {
    doc = toml::parse(text, path.string());
  } catch (const toml::parse_error& e) {
    const auto& at = e.source().begin;
    throw InvalidInputError(path.string() + ":" + std::to_string(at.line) + ":" + std::to_string(at.column) +
                                ": config file is not valid TOML: " + std::string(e.description()),
                            "see `wfa help environment` and wfa(1) CONFIGURATION for the settings");
  }
  std::map<std::string, std::pair<std::string, int>> out;
  // A setting is a top-level key or a key of one [section] ("section.key"); dashes in keys mean underscores.
  std::function<void(const toml::table&, const std::string&)> walk = [&](const toml::table& table,
                                                                         const std::string& prefix) {
    for (const auto& [name, node] : table) {
      std::string key = prefix + std::string(name.str());
      std::replace(key.begin(), key.end(), '-', '_');
      auto line = static_cast<int>(node.source().begin.line);
      std::string where = path.string() + ":" + std::to_string(line);
      if (const auto* section = node.as_table(); section != nullptr && prefix.empty() && !section->is_inline()) {
        walk(*section, key + ".");
        continue;
      }
      if (!known_key(key))
        throw InvalidInputError(where + ": unknown setting '" + key + "'", "see `wfa config show` for the settings");
      std::string value;
      if (const auto* s = node.as_string())
        value = s->get();
      else if (const auto* i = node.as_integer())
        value = std::to_string(i->get());
      else if (const auto* b = node.as_boolean())
        value = b->get() ? "true" : "false";
      else
        throw InvalidInputError(where + ": value of '" + key + "' is not a string, whole number or boolean",
                                "quote text values");
      out[key] = {value, line};
    }
  };
  walk(doc, "");
  return out;
}

Config Config::load(const std::map<std::string, std::string>& flags, const EnvLookup& env) {
  Config config;
  if (auto it = flags.find("config"); it != flags.end()) {
    config.file_ = it->second;
  } else if (auto e = env("WFA_CONFIG"); e && !e->empty()) {
    config.file_ = *e;
  } else {
    config.file_ = default_config_file(env);
  }
  auto env_config = env("WFA_CONFIG");
  bool explicit_file = flags.count("config") || (env_config && !env_config->empty());
  std::error_code ec;
  config.file_exists_ = std::filesystem::exists(config.file_, ec);
  if (explicit_file && !config.file_exists_)
    throw UsageError("config file " + config.file_.string() + " does not exist", "fix --config or WFA_CONFIG");
  std::map<std::string, std::pair<std::string, int>> from_file;
  if (config.file_exists_) from_file = parse_config_file(config.file_);

  for (const auto& info : settings()) {
    Setting s;
    if (auto f = flags.find(info.key); f != flags.end()) {
      std::string flag_name = info.key;
      std::replace(flag_name.begin(), flag_name.end(), '_', '-');
      s = {f->second, "flag --" + flag_name, true};
    } else {
      for (const auto& name : info.env_names) {
        if (auto v = env(name); v && !v->empty()) {
          s = {*v, "env " + name, true};
          break;
        }
      }
      if (!s.is_set) {
        if (auto f2 = from_file.find(info.key); f2 != from_file.end()) {
          s = {f2->second.first, "file " + config.file_.string() + ":" + std::to_string(f2->second.second), true};
        } else {
          auto d = default_value(info.key, env);
          s = {d, "default", !d.empty()};
        }
      }
    }
    config.values_[info.key] = s;
  }
  check_actor_settings(config);
  return config;
}

const Setting& Config::get(const std::string& key) const {
  auto it = values_.find(key);
  if (it == values_.end()) throw std::logic_error("unknown setting " + key);
  return it->second;
}

bool Config::flag(const std::string& key) const {
  const auto& v = value(key);
  return v == "1" || v == "true" || v == "yes" || v == "on";
}

std::string mask_secret(const std::string& key, const std::string& value) {
  if (value.empty()) return value;
  if (key == "database_url" || key == "database_owner_url" || key == "database_replica_url" ||
      key == "serve_database_url") {
    return masked_conninfo(value);
  }
  if (value.size() <= 8) return "…";
  auto prefix = value.find('_') != std::string::npos && value.find('_') < 6 ? value.substr(0, value.find('_') + 1) : "";
  return prefix + "…" + value.substr(value.size() - 4);
}

}  // namespace wfa
