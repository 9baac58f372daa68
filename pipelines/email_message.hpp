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
  std::string html;  ///< empty: a text/plain message
};

/// mime_message is MESSAGE as an RFC 5322 message with CRLF line ends: MIME 1.0, multipart/alternative (text, then
/// HTML) in quoted-printable UTF-8, non-ASCII subject and display name as RFC 2047 encoded words.
/// DATE is an RFC 5322 date; MESSAGE_ID is `<unique@domain>`.
std::string mime_message(const EmailMessage& message, std::string_view message_id, std::string_view date);

/// quoted_printable encodes TEXT per RFC 2045 §6.7: lines of at most 76 characters, line breaks kept as CRLF.
std::string quoted_printable(std::string_view text);

/// encoded_header_word is TEXT unchanged when it is printable ASCII, else RFC 2047 `=?UTF-8?B?...?=` words that
/// never split a UTF-8 sequence, separated by CRLF and a space (folded).
std::string encoded_header_word(std::string_view text);

}  // namespace wfa
