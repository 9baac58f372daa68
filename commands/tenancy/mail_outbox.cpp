// Queuing e-mails in the outbox (see mail_outbox.hpp).
#include "commands/tenancy/mail_outbox.hpp"

#include <pqxx/pqxx>

#include "commands/integration/integration_access.hpp"
#include "commands/partner/partner_names.hpp"
#include "core/session.hpp"
#include "core/tokens.hpp"
#include "pipelines/email_message.hpp"

namespace wfa {

namespace {

std::string domain_of(const std::string& address) { return address.substr(address.rfind('@') + 1); }

std::string lowered(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

}  // namespace

std::string platform_mail_from(const Session& session) {
  const auto& set = session.settings().value("mail_from");
  return set.empty() ? "no-reply@" + platform_domain(session) : set;
}

MailFrom mail_sender_of(pqxx::transaction_base& tx, const Session& session, const Mail& mail) {
  MailFrom sender{mail.brand.name, platform_mail_from(session), ""};
  if (!mail.partner_id) return sender;
  auto own = tx.exec_params(
      "SELECT hostname FROM partner_domains WHERE partner_id = $1::uuid AND verified_at IS NOT NULL"
      " AND NOT is_platform_subdomain ORDER BY is_primary DESC, created_at LIMIT 1",
      *mail.partner_id);
  if (!own.empty()) {
    sender.address = "no-reply@" + own[0][0].as<std::string>();
    return sender;
  }
  auto owner = tx.exec_params(
      "SELECT u.email FROM partner_members m JOIN users u ON u.id = m.user_id WHERE m.partner_id = $1::uuid"
      " AND m.role = 'owner' AND m.removed_at IS NULL AND u.email IS NOT NULL ORDER BY m.created_at LIMIT 1",
      *mail.partner_id);
  if (!owner.empty()) sender.reply_to = owner[0][0].as<std::string>();
  return sender;
}

std::vector<std::string> queue_mail(pqxx::transaction_base& tx, const Session& session, const Mail& mail) {
  auto rendered = render_mail(mail);
  auto sender = mail_sender_of(tx, session, mail);
  auto bounce_domain = domain_of(platform_mail_from(session));
  auto retry_period = whole_setting(session, "mail_retry_period", 172800, 60, 30 * 86400);
  std::vector<std::string> ids;
  for (const auto& to : mail.to) {
    auto recipient = lowered(to);
    auto key = random_token(18);
    EmailMessage message{sender.name,   sender.address, {recipient},     rendered.subject,
                         rendered.text, rendered.html,  sender.reply_to, ""};
    if (mail.bulk) message.list_unsubscribe = "https://" + platform_domain(session) + "/mail/unsubscribe/" + key;
    auto bytes = mime_message(message, "<" + key + "@" + bounce_domain + ">", rfc5322_now());
    ids.push_back(
        tx.exec_params1(
              "INSERT INTO mail_outbox (message_key, partner_id, template, subject, envelope_from, recipient, message,"
              " bulk, invitation_id, give_up_at, status) VALUES ($1, $2::uuid, $3, $4, $5, $6, $7, $8, $9::uuid,"
              " now() + make_interval(secs => $10),"
              " CASE WHEN EXISTS (SELECT 1 FROM mail_suppressions WHERE address = $6) THEN 'suppressed' ELSE 'queued'"
              " END) RETURNING id",
              key, mail.partner_id, mail.template_name, rendered.subject, "bounce+" + key + "@" + bounce_domain,
              recipient, bytes, mail.bulk, mail.invitation_id, retry_period)[0]
            .as<std::string>());
  }
  return ids;
}

}  // namespace wfa
