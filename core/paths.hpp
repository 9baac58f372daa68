#pragma once
/// Where wfa keeps and finds things: data directory, config file, installed resources.
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

namespace wfa {

using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;

/// default_data_dir is $XDG_DATA_HOME/wfa or ~/.local/share/wfa; /var/lib/wfa for root,
/// because the unprivileged server account cannot enter /root.
std::filesystem::path default_data_dir(const EnvLookup& env);
std::filesystem::path default_config_file(const EnvLookup& env);

/// resource_dir finds templates/, migrations/ or fixtures/: installed beside the binary
/// (PREFIX/share/wfa/NAME), else the source tree the binary was built from.
std::filesystem::path resource_dir(const std::string& name);

std::string current_user_name();
bool running_as_root();

}  // namespace wfa
