#include "cli/audit_origin.hpp"

#include <unistd.h>

#include <climits>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/config.hpp"

namespace wfa {

std::string cli_origin(int argc, const char* const* argv, const Config& settings) {
  std::vector<std::string> command;
  bool accept = false;  // after the words `invite accept`, the first positional is the token
  for (int i = 0; i < argc; ++i) {
    std::string_view arg = argv[i];
    std::string_view previous = i > 0 ? std::string_view(argv[i - 1]) : std::string_view();
    if (previous.starts_with("--database") && previous.find('=') == std::string_view::npos) {
      command.push_back(mask_secret("database_url", std::string(arg)));
    } else if (arg.starts_with("--database") && arg.find('=') != std::string_view::npos) {
      auto eq = arg.find('=');
      command.push_back(std::string(arg.substr(0, eq + 1)) +
                        mask_secret("database_url", std::string(arg.substr(eq + 1))));
    } else if (accept && !arg.starts_with("-") && !previous.starts_with("-")) {
      command.push_back("***");
      accept = false;
    } else {
      command.emplace_back(arg);
    }
    if (arg == "accept" && previous == "invite") accept = true;
  }
  char host[HOST_NAME_MAX + 1] = {};
  if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  nlohmann::json origin = {{"via", "cli"}, {"host", host}, {"pid", static_cast<long>(getpid())}, {"command", command}};
  if (settings.get("as").is_set) origin["operator"] = settings.value("actor");
  return origin.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace wfa
