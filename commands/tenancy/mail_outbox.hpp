#pragma once
/// The mail outbox's writing side: a verb queues its e-mails in its own transaction (mail_outbox, one row per
/// recipient, fully rendered with a stable Message-ID and a VERP envelope sender), so they go out exactly when the
/// change commits.
#include <string>
#include <vector>

#include "commands/tenancy/mail.hpp"
#include "core/pqxx_fwd.hpp"

namespace wfa {

class Session;

/// MailFrom is who a partner's (or the platform's) mail comes from.
struct MailFrom {
  std::string name;
  std::string address;
  std::string reply_to;  ///< empty: none
};

/// platform_mail_from is the platform's sender address: setting mail_from, else no-reply@<platform_domain>.
std::string platform_mail_from(const Session& session);
/// mail_sender_of is PARTNER_ID's sender: its own address on its verified custom domain, else the platform address
/// under the partner's name with a Reply-To of its owner; the platform's own mail (no partner) uses the platform's.
MailFrom mail_sender_of(pqxx::transaction_base& tx, const Session& session, const Mail& mail);

/// queue_mail renders MAIL and writes one queued mail_outbox row per recipient in TX; a suppressed recipient's row
/// is written as suppressed (never sent). Returns the rows' ids.
std::vector<std::string> queue_mail(pqxx::transaction_base& tx, const Session& session, const Mail& mail);

}  // namespace wfa
