// E-mail messages as files (see email_message.hpp).
#include "pipelines/email_message.hpp"

#include <algorithm>
#include <cctype>

#include "core/base64url.hpp"
#include "core/digest.hpp"
#include "pipelines/message_template.hpp"

namespace wfa {

namespace {

constexpr std::string_view default_color = "#1F2937";

bool is_hex_color(std::string_view c) {
  return c.size() == 7 && c[0] == '#' &&
         std::all_of(c.begin() + 1, c.end(), [](char x) { return std::isxdigit(static_cast<unsigned char>(x)); });
}

/// text_color_on is white on a dark background and near-black on a light one (ITU-R BT.601 luma).
std::string_view text_color_on(std::string_view color) {
  auto channel = [&](std::size_t at) { return std::stoi(std::string(color.substr(at, 2)), nullptr, 16); };
  int luma = (299 * channel(1) + 587 * channel(3) + 114 * channel(5)) / 1000;
  return luma > 150 ? "#111827" : "#FFFFFF";
}

/// linked escapes LINE and makes each https:// URL in it a link; trailing . , ; : ) end the URL, not belong to it.
std::string linked(std::string_view line) {
  std::string out;
  std::size_t i = 0;
  while (i < line.size()) {
    auto at = line.find("https://", i);
    if (at == std::string_view::npos) {
      out += html_escaped(line.substr(i));
      break;
    }
    out += html_escaped(line.substr(i, at - i));
    auto end = line.find_first_of(" \t<>\"", at);
    if (end == std::string_view::npos) end = line.size();
    while (end > at && std::string_view(".,;:)!?'").find(line[end - 1]) != std::string_view::npos) --end;
    auto url = html_escaped(line.substr(at, end - at));
    out += "<a href=\"" + url + "\">" + url + "</a>";
    i = end;
  }
  return out;
}

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    auto line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    start = end + 1;
  }
  return lines;
}

/// paragraphs turns blocks between blank lines into <p> (lines joined by <br>) or, when every line is indented by
/// four spaces, <pre> (a command to copy).
std::string paragraphs(std::string_view text) {
  std::string out;
  std::vector<std::string_view> block;
  auto flush = [&] {
    if (block.empty()) return;
    bool code = std::all_of(block.begin(), block.end(), [](std::string_view l) { return l.rfind("    ", 0) == 0; });
    if (code) {
      out += "<pre style=\"background:#F3F4F6;padding:12px;font-size:13px;white-space:pre-wrap\">";
      for (std::size_t i = 0; i < block.size(); ++i) out += (i ? "\n" : "") + html_escaped(block[i].substr(4));
      out += "</pre>\n";
    } else {
      out += "<p style=\"margin:0 0 16px\">";
      for (std::size_t i = 0; i < block.size(); ++i) out += (i ? "<br>\n" : "") + linked(block[i]);
      out += "</p>\n";
    }
    block.clear();
  };
  for (auto line : lines_of(text)) {
    if (line.find_first_not_of(" \t") == std::string_view::npos)
      flush();
    else
      block.push_back(line);
  }
  flush();
  return out;
}

std::string base64(std::string_view bytes) {
  auto text = base64url_encode(bytes);
  for (char& c : text) c = c == '-' ? '+' : c == '_' ? '/' : c;
  while (text.size() % 4 != 0) text += '=';
  return text;
}

bool printable_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c < 0x7F; });
}

/// address_list keeps only the addresses; the caller validated them, so they hold no CR, LF or comma.
std::string address_list(const std::vector<std::string>& to) {
  std::string out;
  for (const auto& a : to) out += (out.empty() ? "" : ", ") + a;
  return out;
}

/// display_name quotes NAME for a From header when it is ASCII, or encodes it (RFC 2047) when it is not.
std::string display_name(std::string_view name) {
  if (!printable_ascii(name)) return encoded_header_word(name);
  std::string out = "\"";
  for (char c : name) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string part(std::string_view type, std::string_view body) {
  return "Content-Type: " + std::string(type) +
         "; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" + quoted_printable(body) + "\r\n";
}

}  // namespace

std::string branded_html(std::string_view text, const Brand& brand) {
  std::string color = is_hex_color(brand.color) ? brand.color : std::string(default_color);
  std::string name = html_escaped(brand.name);
  std::string header = "<td style=\"background:" + color + ";color:" + std::string(text_color_on(color)) +
                       ";padding:16px 24px;font-size:20px;font-weight:bold\">";
  if (brand.logo_url.rfind("https://", 0) == 0)
    header += "<img src=\"" + html_escaped(brand.logo_url) + "\" alt=\"" + name +
              "\" height=\"32\" style=\"vertical-align:middle;border:0;margin-right:8px\">";
  header += name + "</td>";
  return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
         "content=\"width=device-width\"><title>" +
         name +
         "</title></head>\n<body style=\"margin:0;padding:0;background:#F4F4F5;font-family:Arial,Helvetica,sans-serif;"
         "color:#111827\">\n<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\"><tr><td "
         "align=\"center\" style=\"padding:24px\">\n<table role=\"presentation\" width=\"600\" cellpadding=\"0\" "
         "cellspacing=\"0\" style=\"max-width:600px;background:#FFFFFF\">\n<tr>" +
         header + "</tr>\n<tr><td style=\"padding:24px;font-size:15px;line-height:1.5\">\n" + paragraphs(text) +
         "</td></tr>\n</table>\n</td></tr></table>\n</body></html>\n";
}

std::string quoted_printable(std::string_view text) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  auto lines = lines_of(text);
  for (std::size_t n = 0; n < lines.size(); ++n) {
    auto line = lines[n];
    std::size_t width = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
      auto c = static_cast<unsigned char>(line[i]);
      bool last = i + 1 == line.size();
      std::string piece;
      if ((c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !last)) {
        piece = static_cast<char>(c);
      } else {
        piece = {'=', hex[c >> 4], hex[c & 15]};
      }
      // A soft break (=) keeps every encoded line at 76 characters or fewer.
      if (width + piece.size() > 75) {
        out += "=\r\n";
        width = 0;
      }
      out += piece;
      width += piece.size();
    }
    if (n + 1 < lines.size()) out += "\r\n";
  }
  return out;
}

std::string encoded_header_word(std::string_view text) {
  if (printable_ascii(text)) return std::string(text);
  // 45 bytes of UTF-8 make 60 base64 characters: with =?UTF-8?B? and ?= each word stays under 76.
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t end = std::min(text.size(), i + 45);
    while (end < text.size() && end > i && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    out += (out.empty() ? "" : "\r\n ") + std::string("=?UTF-8?B?") + base64(text.substr(i, end - i)) + "?=";
    i = end;
  }
  return out;
}

std::string mime_message(const EmailMessage& message, std::string_view message_id, std::string_view date) {
  std::string out = "From: " + display_name(message.from_name) + " <" + message.from_address + ">\r\n";
  out += "To: " + address_list(message.to) + "\r\n";
  out += "Subject: " + encoded_header_word(message.subject) + "\r\n";
  out += "Date: " + std::string(date) + "\r\n";
  out += "Message-ID: " + std::string(message_id) + "\r\n";
  out += "MIME-Version: 1.0\r\n";
  if (message.html.empty()) return out + part("text/plain", message.text);
  // "=_" never occurs in quoted-printable text, so the boundary cannot appear inside a part.
  auto boundary = "=_wfa_" + sha256_hex(message_id).substr(0, 24);
  out += "Content-Type: multipart/alternative; boundary=\"" + boundary + "\"\r\n\r\n";
  out += "--" + boundary + "\r\n" + part("text/plain", message.text);
  out += "--" + boundary + "\r\n" + part("text/html", message.html);
  out += "--" + boundary + "--\r\n";
  return out;
}

}  // namespace wfa
