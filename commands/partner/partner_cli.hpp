#pragma once
/// The `wfa partner request` group, registered by register_partner; included only by *_cli.cpp files.
#include <CLI/CLI.hpp>

#include "cli/command.hpp"

namespace wfa {

/// register_partner_request adds `request submit|list|show|approve|reject|check-domain` under PARTNER.
void register_partner_request(CLI::App& partner, Dispatch& dispatch);

}  // namespace wfa
