// `wfa mail preview` and `wfa mail test`: a template as it would be sent, and one message straight through the relay.
#include <algorithm>
#include <filesystem>
#include <map>
#include <pqxx/result>
#include <pqxx/transaction>

#include "commands/mail/mail.hpp"
#include "commands/mail/mail_delivery.hpp"
#include "commands/tenancy/actor.hpp"
#include "commands/tenancy/mail_outbox.hpp"
#include "core/database.hpp"
#include "core/error.hpp"
#include "core/paths.hpp"
#include "core/session.hpp"
#include "core/tokens.hpp"
#include "core/validation.hpp"
#include "pipelines/email_message.hpp"

namespace wfa {

namespace {

/// template_names are the templates in templates/messages, sorted.
std::vector<std::string> template_names() {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(resource_dir("templates") / "messages"))
    if (entry.path().extension() == ".txt") names.push_back(entry.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

/// sample_values fill every template's fields with examples.
std::map<std::string, std::string> sample_values(const std::string& organization, const std::string& host) {
  return {{"id", "00000000-0000-4000-8000-000000000000"},
          {"company", organization},
          {"contact_name", "Sam Sample"},
          {"contact_email", "sam@example.com"},
          {"contact_phone", "+15550100"},
          {"hostname", host},
          {"custom_domain", ""},
          {"plan", "starter"},
          {"notes", "A sample note."},
          {"reason", "A sample reason."},
          {"inviter", "Ana Admin"},
          {"email", "sam@example.com"},
          {"organization", organization},
          {"scope", "partner"},
          {"reference", "sample"},
          {"role", "member"},
          {"message", "Welcome aboard."},
          {"accept_command", "wfa invite accept SAMPLE-TOKEN"},
          {"accept_url", "https://" + host + "/invite/SAMPLE-TOKEN"},
          {"expires_at", "2026-12-31T00:00:00Z"},
          {"token", "SAMPLE-TOKEN"},
          {"sent_at", rfc5322_now()},
          {"balance", "USD 4.20"},
          {"threshold", "USD 10.00"},
          {"amount", "USD 49.00"},
          {"trial_ends_at", "2026-12-31"},
          {"campaign", "spring"},
          {"finished_at", "2026-12-31T18:00:00Z"},
          {"calls", "1200"},
          {"answered", "730"},
          {"detail", "550 5.1.1 User unknown"}};
}

}  // namespace

Result run_mail_preview(const MailPreviewOptions& o, Session& session) {
  auto names = template_names();
  if (std::find(names.begin(), names.end(), o.template_name) == names.end())
    throw InvalidInputError(
        "no mail template " + o.template_name.substr(0, 60), "choose one of: " + [&] {
          std::string all;
          for (const auto& n : names) all += (all.empty() ? "" : ", ") + n;
          return all;
        }());
  pqxx::read_transaction tx(session.read_database().ready());
  Mail mail{o.template_name, {}, {"sam@example.com"}, platform_brand(session)};
  std::string host = "sample." + platform_mail_from(session).substr(platform_mail_from(session).rfind('@') + 1);
  if (o.partner) {
    auto partner = partner_for(tx, session, *o.partner, "partner:settings:read");
    mail.partner_id = partner.id;
    mail.brand = partner_brand(tx, partner.id);
  } else {
    require_super_admin(actor_of(tx, session), "preview the platform's mail");
  }
  mail.values = sample_values(mail.brand.name, host);
  auto rendered = render_mail(mail);
  auto from = mail_sender_of(tx, session, mail);
  Result r;
  r.document = "From: " + from.name + " <" + from.address + ">\n" +
               (from.reply_to.empty() ? "" : "Reply-To: " + from.reply_to + "\n") +
               "To: sam@example.com\nSubject: " + rendered.subject + "\n\n" + rendered.text;
  r.fields = {{"template", Cell(o.template_name)}, {"from_name", Cell(from.name)},      {"from", Cell(from.address)},
              {"reply_to", Cell(from.reply_to)},   {"subject", Cell(rendered.subject)}, {"text", Cell(rendered.text)},
              {"html", Cell(rendered.html)}};
  return r;
}

Result run_mail_test(const MailTestOptions& o, Session& session) {
  auto to = check_email(session.option("to"), o.to);
  auto settings = smtp_settings_of(session);
  {
    pqxx::read_transaction tx(session.database().ready());
    require_super_admin(actor_of(tx, session), "send a test message");
  }
  Mail mail{"mail_test", sample_values(platform_brand(session).name, ""), {to}, platform_brand(session)};
  mail.values["email"] = to;
  auto rendered = render_mail(mail);
  auto from = platform_mail_from(session);
  auto domain = from.substr(from.rfind('@') + 1);
  auto key = random_token(18);
  EmailMessage message{mail.brand.name, from, {to}, rendered.subject, rendered.text, rendered.html, "", ""};
  SmtpClient client(settings);
  auto outcome = client.send("bounce+" + key + "@" + domain, to,
                             mime_message(message, "<" + key + "@" + domain + ">", rfc5322_now()));
  Result r;
  const char* kinds[] = {"sent", "retry", "failed", "unknown"};
  std::string kind = kinds[static_cast<int>(outcome.kind)];
  r.fields = {{"to", Cell(to)},
              {"relay", Cell(settings.host + ":" + std::to_string(settings.port))},
              {"outcome", Cell(kind)},
              {"reply_code", outcome.code ? Cell(static_cast<long>(outcome.code)) : Cell::null()},
              {"reply", Cell(outcome.reply)}};
  if (outcome.kind == SmtpOutcome::Kind::sent) {
    r.message = "the relay " + settings.host + " accepted a test message to " + to;
    return r;
  }
  throw TemporaryError("the relay " + settings.host + ":" + std::to_string(settings.port) +
                           " did not take the test "
                           "message to " +
                           to + ": " + outcome.reply,
                       "check smtp_host, smtp_port, smtp_user, the password and smtp_tls (`wfa config show`)");
}

}  // namespace wfa
