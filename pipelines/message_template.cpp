// Message templates (see message_template.hpp).
#include "pipelines/message_template.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace wfa {

namespace {

std::size_t line_at(std::string_view text, std::size_t offset) {
  return 1 +
         static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
}

/// Renderer walks one template text; OFFSET_LINE places nested sections in the file for errors.
struct Renderer {
  std::string_view text;
  const std::map<std::string, std::string>& values;
  const std::string& source;
  std::size_t first_line;
  TemplateEscape escape;

  [[noreturn]] void fail(std::size_t at, const std::string& what) const {
    throw InvalidInputError(source + ":" + std::to_string(first_line + line_at(text, at) - 1) + ": " + what,
                            "fix the template; placeholders are {{name}} and {{#name}}...{{/name}}");
  }
  const std::string& value(std::size_t at, const std::string& name) const {
    auto it = values.find(name);
    if (it == values.end()) fail(at, "unknown placeholder {{" + name + "}}");
    return it->second;
  }
  bool standalone(std::size_t open, std::size_t close_end) const {
    return (open == 0 || text[open - 1] == '\n') && close_end < text.size() && text[close_end] == '\n';
  }

  std::string run() const {
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
      auto open = text.find("{{", i);
      if (open == std::string_view::npos) {
        out.append(text.substr(i));
        break;
      }
      out.append(text.substr(i, open - i));
      auto close = text.find("}}", open);
      if (close == std::string_view::npos) fail(open, "unclosed {{");
      std::string tag(text.substr(open + 2, close - open - 2));
      std::size_t after = close + 2;
      if (tag.empty() || tag[0] == '/') fail(open, "unexpected {{" + tag + "}}");
      if (tag[0] != '#') {
        out += escape == TemplateEscape::html ? html_escaped(value(open, tag)) : value(open, tag);
        i = after;
        continue;
      }
      auto name = tag.substr(1);
      const auto& v = value(open, name);
      auto end_tag = "{{/" + name + "}}";
      auto end = text.find(end_tag, after);
      if (end == std::string_view::npos) fail(open, "{{#" + name + "}} has no " + end_tag);
      std::size_t inner_begin = standalone(open, after) ? after + 1 : after;
      std::size_t end_after = end + end_tag.size();
      std::size_t resume = standalone(end, end_after) ? end_after + 1 : end_after;
      if (!v.empty())
        out += Renderer{text.substr(inner_begin, end - inner_begin), values, source,
                        first_line + line_at(text, inner_begin) - 1, escape}
                   .run();
      i = resume;
    }
    return out;
  }
};

}  // namespace

std::string html_escaped(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string render_template(std::string_view text, const std::map<std::string, std::string>& values,
                            const std::string& source, TemplateEscape escape) {
  return Renderer{text, values, source, 1, escape}.run();
}

RenderedEmail split_email(const std::string& rendered, const std::string& source) {
  const std::string prefix = "Subject: ";
  auto newline = rendered.find('\n');
  if (rendered.compare(0, prefix.size(), prefix) != 0 || newline == std::string::npos)
    throw InvalidInputError(source + ":1: the template does not start with a 'Subject: ' line",
                            "begin it with 'Subject: ...', a blank line, then the body");
  RenderedEmail email;
  email.subject = rendered.substr(prefix.size(), newline - prefix.size());
  auto body = newline + 1;
  if (body < rendered.size() && rendered[body] == '\n') ++body;
  email.body = rendered.substr(body);
  return email;
}

}  // namespace wfa
