#pragma once
/// The `wfa partner request` group, registered by register_partner; included only by *_cli.cpp files.
namespace CLI {
class App;
}

namespace wfa {

struct Dispatch;

/// register_partner_request adds `request submit|list|show|approve|reject|check-domain` under PARTNER.
void register_partner_request(CLI::App& partner, Dispatch& dispatch);

}  // namespace wfa
