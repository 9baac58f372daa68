#pragma once
/// `wfa telegram`: Telegram groups linked to workspaces; their admins sync into workspace memberships.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace wfa {

class Session;

struct TelegramSyncAdminsOptions {
  std::string group;                     ///< the Telegram chat id, e.g. -1001234567890
  std::string admins_file;               ///< JSON: the group's admins (format in wfa-telegram(1))
  std::optional<std::string> workspace;  ///< links an unknown group; must match a known group's workspace
  bool dry_run = false;
};

Result run_telegram_sync_admins(const TelegramSyncAdminsOptions& options, Session& session);

}  // namespace wfa
