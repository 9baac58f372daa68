// E-mails rendered from templates/messages (see mail.hpp).
#include "commands/tenancy/mail.hpp"

#include <ctime>
#include <fstream>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <sstream>

#include "commands/partner/partner_names.hpp"
#include "core/error.hpp"
#include "core/file_io.hpp"
#include "core/paths.hpp"
#include "core/session.hpp"
#include "core/tokens.hpp"
#include "pipelines/message_template.hpp"

namespace wfa {

namespace {

RenderedEmail render_message(const Mail& mail) {
  auto path = resource_dir("templates") / "messages" / (mail.template_name + ".txt");
  std::ifstream in(path);
  if (!in) throw InvalidInputError("cannot read the message template " + path.string(), "reinstall wfa's templates");
  std::stringstream text;
  text << in.rdbuf();
  auto values = mail.values;
  values["brand"] = mail.brand.name;
  return split_email(render_template(text.str(), values, path.string()), path.string());
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

}  // namespace

std::string rfc5322_now() {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[64];
  std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S +0000", &utc);
  return text;
}

RenderedMail render_mail(const Mail& mail) {
  auto rendered = render_message(mail);
  auto html = branded_html(rendered.body, mail.brand);
  return {rendered.subject, rendered.body, html};
}

Brand brand_of(const std::string& branding_json, const std::string& fallback_name) {
  auto branding = nlohmann::json::parse(branding_json, nullptr, false);
  auto text = [&](const char* key) {
    return branding.is_object() && branding.contains(key) && branding[key].is_string()
               ? branding[key].get<std::string>()
               : std::string();
  };
  Brand brand{text("company_name"), text("primary_color"), text("logo")};
  if (brand.name.empty()) brand.name = fallback_name;
  if (brand.logo_url.rfind("https://", 0) != 0) brand.logo_url.clear();
  return brand;
}

Brand partner_brand(pqxx::transaction_base& tx, const std::string& partner_id) {
  auto row = tx.exec_params1("SELECT branding::text, name FROM partners WHERE id = $1::uuid", partner_id);
  return brand_of(row[0].as<std::string>(), row[1].as<std::string>());
}

Brand platform_brand(const Session& session) { return Brand{platform_domain(session), "", ""}; }

void attach_mail(Result& r, const Mail& mail, const MailOptions& options, const Session& session,
                 std::vector<std::pair<std::string, Cell>> keep) {
  if (!options.wanted()) return;
  auto rendered = render_mail(mail);
  const auto& html = rendered.html;
  if (options.email_file) {
    auto domain = platform_domain(session);
    EmailMessage message{mail.brand.name, "no-reply@" + domain, mail.to, rendered.subject, rendered.text, html, "", ""};
    write_file_atomic(*options.email_file,
                      mime_message(message, "<" + random_token(18) + "@" + domain + ">", rfc5322_now()));
    if (!options.render) r.fields.emplace_back("email_file", Cell(*options.email_file));
  }
  if (!options.render) return;
  r.document = "To: " + joined(mail.to) + "\nSubject: " + rendered.subject + "\n\n" + rendered.text;
  keep.emplace_back("to", Cell(joined(mail.to)));
  keep.emplace_back("subject", Cell(rendered.subject));
  keep.emplace_back("body", Cell(rendered.text));
  keep.emplace_back("html", Cell(html));
  if (options.email_file) keep.emplace_back("email_file", Cell(*options.email_file));
  r.fields = std::move(keep);
}

}  // namespace wfa
