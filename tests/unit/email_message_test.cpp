// E-mail files: quoted-printable, RFC 2047 words, the branded HTML part and the MIME layout.
#include "pipelines/email_message.hpp"

#include <gtest/gtest.h>

#include "pipelines/message_template.hpp"

using namespace wfa;

namespace {

std::size_t longest_line(const std::string& text) {
  std::size_t longest = 0, start = 0;
  while (start < text.size()) {
    auto end = text.find("\r\n", start);
    if (end == std::string::npos) end = text.size();
    longest = std::max(longest, end - start);
    start = end + 2;
  }
  return longest;
}

}  // namespace

TEST(EmailMessage, QuotedPrintableKeepsLinesShortAndEncodesWhatMust) {
  EXPECT_EQ(quoted_printable("a=b"), "a=3Db");
  EXPECT_EQ(quoted_printable("trailing \nx"), "trailing=20\r\nx") << "a space at a line end is encoded";
  EXPECT_EQ(quoted_printable("مرحبا"), "=D9=85=D8=B1=D8=AD=D8=A8=D8=A7");
  auto long_line = quoted_printable(std::string(200, 'x') + "é" + std::string(100, '='));
  EXPECT_LE(longest_line(long_line), 76u) << long_line;
  EXPECT_EQ(long_line.find("=_"), std::string::npos) << "the MIME boundary's =_ never occurs in an encoded body";
}

TEST(EmailMessage, HeaderWordsAreEncodedOnlyWhenNotAscii) {
  EXPECT_EQ(encoded_header_word("Plain subject"), "Plain subject");
  EXPECT_EQ(encoded_header_word("Café"), "=?UTF-8?B?Q2Fmw6k=?=");
  auto long_arabic = encoded_header_word(std::string(40, 'a') + "شركة الإعلانات المتحدة للتسويق الرقمي");
  EXPECT_LE(longest_line(long_arabic), 76u) << long_arabic;
  EXPECT_NE(long_arabic.find("\r\n =?UTF-8?B?"), std::string::npos) << "folded into several words";
  EXPECT_EQ(encoded_header_word("line\r\nBcc: x@y"), "=?UTF-8?B?bGluZQ0KQmNjOiB4QHk=?=")
      << "a CR/LF in a subject cannot add a header";
}

TEST(EmailMessage, BrandedHtmlEscapesTextLinksUrlsAndWearsTheBrand) {
  auto html =
      branded_html("Hello <b>you</b> & co,\n\nopen https://acme.example/invite/T0k-en.\n\n    wfa invite accept T",
                   {"Acme & Sons", "#FFD700", "https://cdn.example/logo.png"});
  EXPECT_NE(html.find("Hello &lt;b&gt;you&lt;/b&gt; &amp; co,"), std::string::npos) << html;
  EXPECT_NE(html.find("<a href=\"https://acme.example/invite/T0k-en\">"), std::string::npos)
      << "trailing dot not in it";
  EXPECT_NE(html.find("<pre"), std::string::npos);
  EXPECT_NE(html.find("background:#FFD700;color:#111827"), std::string::npos) << "dark text on a light brand colour";
  EXPECT_NE(html.find("<img src=\"https://cdn.example/logo.png\" alt=\"Acme &amp; Sons\""), std::string::npos);
  auto dark = branded_html("x", {"N", "#101010", "javascript:alert(1)"});
  EXPECT_NE(dark.find("color:#FFFFFF"), std::string::npos);
  EXPECT_EQ(dark.find("<img"), std::string::npos) << "only an https:// logo is shown";
  auto odd = branded_html("x", {"N", "red;background:url(x)", ""});
  EXPECT_EQ(odd.find("url(x)"), std::string::npos) << "a colour that is not #RRGGBB falls back to the default";
}

TEST(EmailMessage, MimeMessageHasBothPartsAndEncodedHeaders) {
  EmailMessage m{"Agence Étoile",    "no-reply@wfa.test", {"a@x.test", "b@x.test"},
                 "Bienvenue à bord", "Bonjour\n",         "<p>Bonjour</p>"};
  auto mime = mime_message(m, "<id1@wfa.test>", "Sun, 06 Dec 2026 08:00:00 +0000");
  EXPECT_EQ(mime.rfind("From: =?UTF-8?B?", 0), 0u) << mime;
  EXPECT_NE(mime.find("To: a@x.test, b@x.test\r\n"), std::string::npos);
  EXPECT_NE(mime.find("Subject: =?UTF-8?B?QmllbnZlbnVlIMOgIGJvcmQ=?=\r\n"), std::string::npos) << mime;
  EXPECT_NE(mime.find("Message-ID: <id1@wfa.test>\r\n"), std::string::npos);
  EXPECT_NE(mime.find("Content-Type: multipart/alternative; boundary=\"=_wfa_"), std::string::npos);
  EXPECT_LT(mime.find("text/plain"), mime.find("text/html")) << "the richer part last (RFC 2046 §5.1.4)";
  EXPECT_LE(longest_line(mime), 998u);
  m.html.clear();
  auto text_only = mime_message(m, "<id2@wfa.test>", "Sun, 06 Dec 2026 08:00:00 +0000");
  EXPECT_EQ(text_only.find("multipart"), std::string::npos);
  EXPECT_NE(text_only.find("Content-Type: text/plain; charset=utf-8"), std::string::npos);
}

TEST(MessageTemplate, HtmlEscapeModeEscapesValuesNotTheTemplate) {
  auto out = render_template("<b>{{name}}</b>{{#note}} ({{note}}){{/note}}", {{"name", "<i>&"}, {"note", "\"q\""}}, "t",
                             TemplateEscape::html);
  EXPECT_EQ(out, "<b>&lt;i&gt;&amp;</b> (&quot;q&quot;)");
  EXPECT_EQ(render_template("{{name}}", {{"name", "<i>"}}, "t"), "<i>") << "plain text is left alone";
}
