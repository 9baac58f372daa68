// Flags of `wfa secret`.
#include "cli/command_cli.hpp"
#include "cli/command_tree.hpp"
#include "commands/secret/secret.hpp"

namespace wfa {

void register_secret(CLI::App& root, Dispatch& dispatch) {
  auto* secret = root.add_subcommand("secret", "The key that seals stored secrets, and the platform's own secrets");
  secret->require_subcommand(1);
  auto rotate_o = std::make_shared<SecretRotateOptions>();
  auto* rotate = secret->add_subcommand("rotate", "Re-seal every stored secret with a new key, in one transaction");
  rotate->add_option("--new-key-file", rotate_o->new_key_file,
                     "File holding the new key (64 hex digits or base64), or - for standard input; default: a new "
                     "random key in $WFA_DATA_DIR/secret.key");
  rotate->add_flag("-y,--yes", rotate_o->yes, "Do not ask for confirmation (required when not on a terminal)");
  on_run(rotate, dispatch, [rotate_o](Session& session) { return run_secret_rotate(*rotate_o, session); });
  auto set_o = std::make_shared<SecretSetOptions>();
  auto* set = secret->add_subcommand("set", "Seal a platform secret: stripe_webhook, slack_signing or stripe_api");
  set->add_option("NAME", set_o->name, "stripe_webhook (Stripe's whsec_...), slack_signing or stripe_api (Stripe's secret key sk_...)")->required();
  set->add_option("--secret-file", set_o->secret_file, "File holding the secret; - reads standard input (the default)");
  set->add_flag("--dry-run", set_o->dry_run, "Check and show it masked; change nothing");
  on_run(set, dispatch, [set_o](Session& session) { return run_secret_set(*set_o, session); });
  auto* list = secret->add_subcommand("list", "The platform secrets, masked");
  on_run(list, dispatch, [](Session& session) { return run_secret_list(session); });
}

}  // namespace wfa
