#pragma once
/// Message templates (templates/messages/*.txt): `{{name}}` placeholders and `{{#name}}...{{/name}}` sections.
#include <map>
#include <string>
#include <string_view>

namespace wfa {

/// How placeholder values are written: as they are (plain text) or HTML-escaped.
enum class TemplateEscape { none, html };

/// render_template fills `{{name}}` and keeps `{{#name}}...{{/name}}` only when name is non-empty;
/// a tag alone on its line takes its newline with it. Unknown names and unclosed tags are
/// InvalidInputError naming SOURCE:LINE.
std::string render_template(std::string_view text, const std::map<std::string, std::string>& values,
                            const std::string& source, TemplateEscape escape = TemplateEscape::none);

/// html_escaped writes & < > " ' as entities, so text is safe in HTML content and attribute values.
std::string html_escaped(std::string_view text);

/// RenderedEmail is a template's output split into its `Subject:` first line and the body after the blank line.
struct RenderedEmail {
  std::string subject;
  std::string body;
};
RenderedEmail split_email(const std::string& rendered, const std::string& source);

}  // namespace wfa
