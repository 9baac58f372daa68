#pragma once
/// `wfa notify`: messages a partner's bot sends to a Telegram chat, queued (notifications) and delivered within
/// Telegram's limits by `notify flush` or serve's notifier, exactly once each; failures stay visible.
#include <optional>
#include <string>
#include <vector>

#include "core/listing.hpp"
#include "core/result.hpp"

namespace wfa {

class Session;

struct NotifySendOptions {
  std::string partner;                    ///< id or slug: whose bot sends it
  std::string chat;                       ///< the Telegram chat id (negative for groups)
  std::optional<std::string> text;        ///< the message, or
  std::optional<std::string> text_file;   ///< a file holding it (- reads standard input)
  std::optional<std::string> parse_mode;  ///< HTML | MarkdownV2
  std::optional<std::string> key;         ///< idempotency key: a second send with it queues nothing
  std::optional<std::string> workspace;   ///< the workspace it is about (a label; must be the partner's)
  bool dry_run = false;
};

struct NotifyListOptions {
  std::optional<std::string> partner;
  std::optional<std::string> status;  ///< queued | sending | sent | failed
  std::optional<std::string> chat;
  Paging paging;
};

struct NotifyFlushOptions {
  std::optional<std::string> partner;  ///< without it every partner's (super admins)
  int max_seconds = 0;                 ///< stop after this long (0: when nothing is left)
  bool dry_run = false;
};

struct NotifyRetryOptions {
  std::vector<std::string> ids;
  bool dry_run = false;
};

/// run_notify_send queues a message for the partner's bot (partner admins and super admins).
Result run_notify_send(const NotifySendOptions& options, Session& session);
/// run_notify_list lists notifications newest first; without a partner, every partner's (super admins).
Result run_notify_list(const NotifyListOptions& options, Session& session);
/// run_notify_flush delivers what is due, waiting as the limits require, until nothing is left or max_seconds pass.
Result run_notify_flush(const NotifyFlushOptions& options, Session& session);
/// run_notify_retry queues failed notifications again.
Result run_notify_retry(const NotifyRetryOptions& options, Session& session);

}  // namespace wfa
