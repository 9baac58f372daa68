#pragma once
/// The e-mail flags of verbs that render one (invite, partner request, partner provision).
#include <CLI/CLI.hpp>

#include "commands/tenancy/mail.hpp"

namespace wfa {

/// add_mail_flags adds --render (show the e-mail instead) and --email FILE (also write it as a MIME message).
inline void add_mail_flags(CLI::App* command, MailOptions& mail, const std::string& what) {
  command->add_flag("--render", mail.render, "Print " + what + " (from templates/messages) instead");
  command->add_option("--email", mail.email_file, "Also write " + what + " to FILE as an RFC 5322 message (.eml)");
}

}  // namespace wfa
