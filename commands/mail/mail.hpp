#pragma once
/// `wfa mail`: the outbox verbs' transactions queue e-mails into (mail_outbox), delivered through SMTP by `mail flush`
/// or the mail.send job once each; list, show, retry and cancel them; preview a template; test the relay.
#include <optional>
#include <string>
#include <vector>

#include "core/listing.hpp"
#include "core/result.hpp"

namespace wfa {

class Session;

/// mail_statuses are the outbox's statuses.
inline const std::vector<std::string> mail_statuses = {"queued",  "sending",   "sent",      "failed",
                                                       "unknown", "cancelled", "suppressed"};

struct MailFlushOptions {
  int max_seconds = 0;  ///< stop after this long (0: when nothing is due)
  bool dry_run = false;
};

struct MailListOptions {
  bool failed = false;                ///< only failed ones
  bool unknown = false;               ///< only those whose outcome is unknown
  std::optional<std::string> status;  ///< any one status
  std::optional<std::string> to;      ///< only to this address
  Paging paging;
};

struct MailShowOptions {
  std::string id;
  bool raw = false;  ///< print the message as sent
};

struct MailChangeOptions {
  std::vector<std::string> ids;
  bool dry_run = false;
};

struct MailPreviewOptions {
  std::string template_name;
  std::optional<std::string> partner;  ///< whose branding and sender; default the platform's
};

struct MailTestOptions {
  std::string to;
};

struct MailBounceOptions {
  std::string file;  ///< a message or an mbox of them; - reads standard input
  bool dry_run = false;
};

/// run_mail_flush delivers due messages until none is due or max_seconds pass (super admins).
Result run_mail_flush(const MailFlushOptions& options, Session& session);
/// run_mail_list lists the outbox newest first (super admins).
Result run_mail_list(const MailListOptions& options, Session& session);
/// run_mail_show shows one message, its envelope and the server's last reply.
Result run_mail_show(const MailShowOptions& options, Session& session);
/// run_mail_retry queues failed, unknown or cancelled messages again, with a fresh retry period.
Result run_mail_retry(const MailChangeOptions& options, Session& session);
/// run_mail_cancel stops queued or unknown messages from being sent.
Result run_mail_cancel(const MailChangeOptions& options, Session& session);
/// run_mail_preview renders TEMPLATE with sample values, as PARTNER would send it.
Result run_mail_preview(const MailPreviewOptions& options, Session& session);
/// run_mail_bounce reads delivery-status notifications, matches each to its message by the VERP address, and for a
/// hard bounce (Action: failed or Status: 5.x.x) suppresses the recipient, marks the message failed and, when it
/// carried an invitation, marks that undeliverable and tells its inviter.
Result run_mail_bounce(const MailBounceOptions& options, Session& session);
/// run_mail_test sends a message straight to an address through the relay and reports the server's reply.
Result run_mail_test(const MailTestOptions& options, Session& session);

}  // namespace wfa
