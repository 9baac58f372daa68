#pragma once
/// Layered settings: flag > environment (WFA_*) > config file > default, each value
/// remembering where it came from (`wfa config show --sources`).
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace wfa {

/// SettingInfo describes one setting: its key, environment names, default and whether it is secret.
struct SettingInfo {
  std::string key;
  std::vector<std::string> env_names;
  std::string description;
  bool secret = false;
};

/// Setting is one effective value and its origin ("flag --output", "env WFA_OUTPUT", "file PATH:LINE", "default").
struct Setting {
  std::string value;
  std::string source;
  bool is_set = false;  ///< false when neither flag, environment, file nor a non-empty default gave a value
};

/// EnvLookup reads an environment variable; injectable so tests need not touch the real environment.
using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;
EnvLookup process_environment();

class Config {
 public:
  /// Every setting wfa knows, in display order.
  static const std::vector<SettingInfo>& settings();

  /// load layers defaults, the config file, the environment and the flags (key -> value).
  static Config load(const std::map<std::string, std::string>& flags, const EnvLookup& env);

  const Setting& get(const std::string& key) const;
  const std::string& value(const std::string& key) const { return get(key).value; }
  bool flag(const std::string& key) const;  ///< boolean settings: "1", "true", "yes", "on"
  const std::filesystem::path& file() const { return file_; }
  bool file_exists() const { return file_exists_; }

 private:
  std::map<std::string, Setting> values_;
  std::filesystem::path file_;
  bool file_exists_ = false;
};

/// parse_config_file reads a TOML file with toml++ (settings are strings, whole numbers or booleans; a
/// `[section]` prefixes its keys with "section."); errors name file:line (and column for bad TOML).
std::map<std::string, std::pair<std::string, int>> parse_config_file(const std::filesystem::path& path);

/// mask_secret shows enough of a secret to recognise it: "sk_…a1b2"; URLs keep all but the password.
std::string mask_secret(const std::string& key, const std::string& value);

}  // namespace wfa
