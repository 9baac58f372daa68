#pragma once
/// E-mail messages as files: a branded HTML part made from the text body, and the RFC 5322 / MIME form.
#include <string>
#include <string_view>
#include <vector>

namespace wfa {

/// Brand is what a partner's e-mails wear: its name, its primary colour (#RRGGBB) and a logo URL (may be empty).
struct Brand {
  std::string name;
  std::string color;
  std::string logo_url;
};

/// branded_html is TEXT as an HTML document under a header in the brand's colour, with its logo and name: blank
/// lines make paragraphs, lines indented four spaces are code, and https:// URLs become links. Text is escaped.
std::string branded_html(std::string_view text, const Brand& brand);

struct EmailMessage {
  std::string from_name;
  std::string from_address;
  std::vector<std::string> to;
  std::string subject;
  std::string text;
  std::string html;              ///< empty: a text/plain message
  std::string reply_to;          ///< empty: none
  std::string list_unsubscribe;  ///< bulk mail: the one-click https:// URL (RFC 8058); empty: none
};

/// mime_message is MESSAGE as an RFC 5322 message built by GMime with CRLF line ends: MIME 1.0,
/// multipart/alternative (text, then HTML) in quoted-printable UTF-8, non-ASCII subject and display names as RFC 2047
/// encoded words, List-Unsubscribe and List-Unsubscribe-Post when it has an unsubscribe URL.
/// DATE is an RFC 5322 date; MESSAGE_ID is `<unique@domain>`.
std::string mime_message(const EmailMessage& message, std::string_view message_id, std::string_view date);

}  // namespace wfa
