#pragma once
/// `wfa telegram`: Telegram groups linked to workspaces (their admins sync into workspace memberships), and each
/// partner's white-label bot.
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

struct TelegramBotOptions {
  std::string partner;           ///< id or slug
  std::string token_file = "-";  ///< set: the bot token, from a file or standard input
  bool yes = false;              ///< remove: no confirmation
  bool dry_run = false;
};

struct TelegramWebhookOptions {
  std::string partner;
  std::optional<std::string> url;  ///< default: the setting public_url + the bot's webhook path
  bool dry_run = false;
};

Result run_telegram_sync_admins(const TelegramSyncAdminsOptions& options, Session& session);
/// run_telegram_bot_set seals the partner's bot token (BOT_ID:SECRET, never from argv) and keeps its webhook endpoint;
/// show prints it masked with the webhook path to give Telegram; remove forgets it. Partner admins and super admins.
Result run_telegram_bot_set(const TelegramBotOptions& options, Session& session);
Result run_telegram_bot_show(const TelegramBotOptions& options, Session& session);
Result run_telegram_bot_remove(const TelegramBotOptions& options, Session& session);

/// run_telegram_webhook_set points the partner's bot at wfa serve (setWebhook) with a new secret token, sealed here.
Result run_telegram_webhook_set(const TelegramWebhookOptions& options, Session& session);
/// run_telegram_webhook_check compares getWebhookInfo with what wfa set and repairs a URL that no longer matches or a
/// secret Telegram's deliveries fail with.
Result run_telegram_webhook_check(const TelegramWebhookOptions& options, Session& session);

/// telegram_bot_context is what a partner's sealed bot token is bound to.
std::string telegram_bot_context(const std::string& partner_id);
/// telegram_webhook_context is what a bot's sealed webhook secret token is bound to.
std::string telegram_webhook_context(const std::string& partner_id);

}  // namespace wfa
