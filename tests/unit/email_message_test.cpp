// E-mail files: the branded HTML part and the MIME layout GMime builds.
#include "pipelines/email_message.hpp"

#include <gtest/gtest.h>

#include <algorithm>

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
  EmailMessage m{"Agence Étoile",
                 "no-reply@wfa.test",
                 {"a@x.test", "b@x.test"},
                 "Bienvenue à bord\r\nBcc: x@y",
                 "Bonjour\n",
                 "<p>Bonjour</p>",
                 "",
                 ""};
  auto mime = mime_message(m, "<id1@wfa.test>", "Sun, 06 Dec 2026 08:00:00 +0000");
  auto lower = mime;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  EXPECT_NE(lower.find("from: agence =?utf-8?b?"), std::string::npos) << mime;
  EXPECT_NE(lower.find("=?utf-8?b?w6a=?="), std::string::npos) << "the subject's à as UTF-8: " << mime;
  EXPECT_EQ(lower.find("\r\nbcc:"), std::string::npos) << "a CR/LF in a subject cannot add a header";
  EXPECT_NE(mime.find("a@x.test, b@x.test"), std::string::npos) << mime;
  EXPECT_NE(lower.find("message-id: <id1@wfa.test>\r\n"), std::string::npos) << mime;
  EXPECT_NE(lower.find("content-type: multipart/alternative"), std::string::npos);
  EXPECT_LT(mime.find("text/plain"), mime.find("text/html")) << "the richer part last (RFC 2046 §5.1.4)";
  EXPECT_EQ(lower.find("list-unsubscribe"), std::string::npos) << "only bulk mail has one";
  EXPECT_LE(longest_line(mime), 998u);
  m.html.clear();
  m.list_unsubscribe = "https://wfa.test/unsubscribe/k";
  auto text_only = mime_message(m, "<id2@wfa.test>", "Sun, 06 Dec 2026 08:00:00 +0000");
  EXPECT_EQ(text_only.find("multipart"), std::string::npos);
  EXPECT_NE(text_only.find("List-Unsubscribe: <https://wfa.test/unsubscribe/k>\r\n"), std::string::npos) << text_only;
  EXPECT_NE(text_only.find("List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"), std::string::npos);
}

TEST(MessageTemplate, HtmlEscapeModeEscapesValuesNotTheTemplate) {
  auto out = render_template("<b>{{name}}</b>{{#note}} ({{note}}){{/note}}", {{"name", "<i>&"}, {"note", "\"q\""}}, "t",
                             TemplateEscape::html);
  EXPECT_EQ(out, "<b>&lt;i&gt;&amp;</b> (&quot;q&quot;)");
  EXPECT_EQ(render_template("{{name}}", {{"name", "<i>"}}, "t"), "<i>") << "plain text is left alone";
}
