#pragma once
/// The invitation e-mail: a small template language over templates/messages/invitation.txt.
#include <map>
#include <string>
#include <string_view>

namespace wfa {

/// render_template fills `{{name}}` and keeps `{{#name}}...{{/name}}` only when name is non-empty;
/// a tag alone on its line takes its newline with it. Unknown names and unclosed tags are
/// InvalidInputError naming SOURCE:LINE.
std::string render_template(std::string_view text, const std::map<std::string, std::string>& values,
                            const std::string& source);

/// RenderedEmail is a template's output split into its `Subject:` first line and the body after the blank line.
struct RenderedEmail {
  std::string subject;
  std::string body;
};
RenderedEmail split_email(const std::string& rendered, const std::string& source);

/// render_invitation_email loads templates/messages/invitation.txt and renders it with VALUES.
RenderedEmail render_invitation_email(const std::map<std::string, std::string>& values);

}  // namespace wfa
