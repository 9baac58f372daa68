#pragma once
/// The e-mails verbs render from templates/messages (sending them is the mail outbox's job): who they look like
/// they come from, and how a verb shows them (`--render`) or writes them as a MIME file (`--email FILE`).
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/pqxx_fwd.hpp"
#include "core/result.hpp"
#include "pipelines/email_message.hpp"

namespace wfa {

class Session;

/// MailOptions are a verb's e-mail flags.
struct MailOptions {
  bool render = false;                    ///< show the e-mail instead of the verb's data
  std::optional<std::string> email_file;  ///< also write the e-mail there as an RFC 5322 message (.eml)
  bool wanted() const { return render || email_file.has_value(); }
};

/// Mail is one e-mail from a template: TEMPLATE names templates/messages/TEMPLATE.txt; VALUES fill it, and
/// `brand`, `brand_color` and `logo_url` are added from BRAND.
struct Mail {
  std::string template_name;
  std::map<std::string, std::string> values;
  std::vector<std::string> to;
  Brand brand;
  std::optional<std::string> partner_id{};     ///< whose mail it is (its sender and Reply-To); unset: the platform's
  std::optional<std::string> invitation_id{};  ///< the invitation it carries: a bounce marks it undeliverable
  bool bulk = false;                           ///< a notice people may unsubscribe from (List-Unsubscribe)
};

/// RenderedMail is a Mail's subject and both bodies.
struct RenderedMail {
  std::string subject;
  std::string text;
  std::string html;
};

/// render_mail fills MAIL's template (templates/messages/TEMPLATE.txt) and makes its branded HTML from the text.
RenderedMail render_mail(const Mail& mail);
/// rfc5322_now is the current time as an RFC 5322 date in UTC.
std::string rfc5322_now();

/// partner_brand is a partner's name (branding.company_name, else its name), primary colour and logo URL (only an
/// https:// logo: a stored logo file has no public address yet).
Brand partner_brand(pqxx::transaction_base& tx, const std::string& partner_id);
/// platform_brand is the platform's own: its domain as the name, the default colour, no logo.
Brand platform_brand(const Session& session);
/// brand_of is the Brand of a branding JSON object (company_name, primary_color, logo) with FALLBACK_NAME.
Brand brand_of(const std::string& branding_json, const std::string& fallback_name);

/// attach_mail renders MAIL. With --render, R shows it instead of its data: a To/Subject/body document for people
/// and KEEP (the verb's id fields) plus to, subject, body and html for programs. With --email FILE the MIME message
/// is written there atomically before the verb commits (a failed write changes nothing) and R gains email_file.
void attach_mail(Result& r, const Mail& mail, const MailOptions& options, const Session& session,
                 std::vector<std::pair<std::string, Cell>> keep = {});

}  // namespace wfa
