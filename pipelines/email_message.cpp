// E-mail messages as files (see email_message.hpp).
#include "pipelines/email_message.hpp"

#include <gmime/gmime.h>

#include <algorithm>
#include <cctype>
#include <mutex>

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

/// crlf is TEXT with every line ending CRLF.
std::string crlf(std::string_view text) {
  std::string out;
  auto lines = lines_of(text);
  if (lines.size() > 1 && lines.back().empty()) lines.pop_back();
  for (auto line : lines) out += std::string(line) + "\r\n";
  return out;
}

/// text_part is BODY as a UTF-8 quoted-printable text/SUBTYPE part.
GMimeObject* text_part(const char* subtype, std::string_view body) {
  GMimeTextPart* part = g_mime_text_part_new_with_subtype(subtype);
  g_mime_text_part_set_text(part, crlf(body).c_str());
  g_mime_text_part_set_charset(part, "utf-8");
  g_mime_part_set_content_encoding(GMIME_PART(part), GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
  return GMIME_OBJECT(part);
}

/// no_breaks keeps a header value on one line: a CR or LF in it could otherwise add a header.
std::string no_breaks(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c == '\r' || c == '\n') c = ' ';
  return out;
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

std::string mime_message(const EmailMessage& message, std::string_view message_id, std::string_view date) {
  static std::once_flag initialised;
  std::call_once(initialised, [] { g_mime_init(); });
  GMimeMessage* mime = g_mime_message_new(TRUE);
  auto name = no_breaks(message.from_name);
  // UTF-8 encoded words for the display name, whatever narrower charset would do (GMime's default picks one).
  InternetAddress* from = internet_address_mailbox_new(name.c_str(), message.from_address.c_str());
  internet_address_set_charset(from, "utf-8");
  internet_address_list_add(g_mime_message_get_from(mime), from);
  g_object_unref(from);
  for (const auto& to : message.to) g_mime_message_add_mailbox(mime, GMIME_ADDRESS_TYPE_TO, nullptr, to.c_str());
  if (!message.reply_to.empty())
    g_mime_message_add_mailbox(mime, GMIME_ADDRESS_TYPE_REPLY_TO, nullptr, message.reply_to.c_str());
  g_mime_message_set_subject(mime, no_breaks(message.subject).c_str(), "utf-8");
  auto* object = GMIME_OBJECT(mime);
  g_mime_object_set_header(object, "Date", std::string(date).c_str(), nullptr);
  auto id = std::string(message_id);
  if (id.size() > 2 && id.front() == '<' && id.back() == '>') id = id.substr(1, id.size() - 2);
  g_mime_message_set_message_id(mime, id.c_str());
  if (!message.list_unsubscribe.empty()) {
    g_mime_object_set_header(object, "List-Unsubscribe", ("<" + no_breaks(message.list_unsubscribe) + ">").c_str(),
                             nullptr);
    g_mime_object_set_header(object, "List-Unsubscribe-Post", "List-Unsubscribe=One-Click", nullptr);
  }
  if (message.html.empty()) {
    GMimeObject* text = text_part("plain", message.text);
    g_mime_message_set_mime_part(mime, text);
    g_object_unref(text);
  } else {
    GMimeMultipart* alternative = g_mime_multipart_new_with_subtype("alternative");
    GMimeObject* text = text_part("plain", message.text);
    GMimeObject* html = text_part("html", message.html);
    g_mime_multipart_add(alternative, text);
    g_mime_multipart_add(alternative, html);
    g_object_unref(text);
    g_object_unref(html);
    g_mime_message_set_mime_part(mime, GMIME_OBJECT(alternative));
    g_object_unref(alternative);
  }
  GMimeFormatOptions* format = g_mime_format_options_clone(nullptr);
  g_mime_format_options_set_newline_format(format, GMIME_NEWLINE_FORMAT_DOS);
  char* bytes = g_mime_object_to_string(object, format);
  std::string out(bytes);
  g_free(bytes);
  g_mime_format_options_free(format);
  g_object_unref(mime);
  return out;
}

}  // namespace wfa
