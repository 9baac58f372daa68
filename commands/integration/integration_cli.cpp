// Flags of `wfa integration`.
#include "cli/command_cli.hpp"
#include "cli/command_tree.hpp"
#include "commands/integration/integration.hpp"
#include "pipelines/providers/provider.hpp"

namespace wfa {

void register_integration(CLI::App& root, Dispatch& dispatch) {
  auto* integration =
      root.add_subcommand("integration", "A workspace's accounts at VAPI, Retell and Synthflow (sealed API keys)");
  integration->require_subcommand(1);
  auto positional = [](CLI::App* verb, std::string& workspace, std::string& provider) {
    verb->add_option("WORKSPACE", workspace, "Workspace: id or PARTNER/SLUG")->required();
    verb->add_option("PROVIDER", provider, "vapi, retell or synthflow")
        ->required()
        ->check(CLI::IsMember(voice_providers));
  };

  auto set_o = std::make_shared<IntegrationSetOptions>();
  auto* set = integration->add_subcommand("set", "Store a provider API key for a workspace, sealed");
  positional(set, set_o->workspace, set_o->provider);
  set->add_option("--key-file", set_o->key_file,
                  "File holding the API key, or - for standard input (default; prompts without echo on a terminal)");
  set->add_option("--public-key-file", set_o->public_key_file,
                  "VAPI: file holding the public key the Mini App's web test calls start with (not a secret)");
  set->add_flag("--inactive", set_o->inactive, "Store the key but mark the integration inactive");
  set->add_option("--max-concurrent-calls", set_o->max_concurrent_calls,
                  "Calls at once on this account, shared by its campaigns and single calls (0: what the provider "
                  "reports, else 10)");
  set->add_flag("--dry-run", set_o->dry_run, "Check and show the integration; change nothing");
  on_run(set, dispatch, [set_o](Session& session) { return run_integration_set(*set_o, session); });

  auto hook_o = std::make_shared<IntegrationSetOptions>();
  auto* hook = integration->add_subcommand("webhook-secret", "Store the secret VAPI or Synthflow signs webhooks with");
  positional(hook, hook_o->workspace, hook_o->provider);
  hook->add_option("--secret-file", hook_o->key_file, "File holding the secret; - reads standard input (the default)");
  hook->add_flag("--dry-run", hook_o->dry_run, "Check and show the integration; change nothing");
  on_run(hook, dispatch, [hook_o](Session& session) { return run_integration_webhook_secret(*hook_o, session); });

  auto list_o = std::make_shared<IntegrationListOptions>();
  auto* list = integration->add_subcommand("list", "List a workspace's integrations, keys masked");
  list->add_option("WORKSPACE", list_o->workspace, "Workspace: id or PARTNER/SLUG")->required();
  add_paging(list, list_o->paging);
  on_run(list, dispatch, [list_o](Session& session) { return run_integration_list(*list_o, session); });

  auto show_o = std::make_shared<IntegrationRefOptions>();
  auto* show = integration->add_subcommand("show", "Show one integration, its key masked");
  positional(show, show_o->workspace, show_o->provider);
  on_run(show, dispatch, [show_o](Session& session) { return run_integration_show(*show_o, session); });

  auto remove_o = std::make_shared<IntegrationRefOptions>();
  auto* remove = integration->add_subcommand("remove", "Remove an integration and its API key");
  positional(remove, remove_o->workspace, remove_o->provider);
  remove->add_flag("-y,--yes", remove_o->yes, "Do not ask for confirmation (required when not on a terminal)");
  remove->add_flag("--dry-run", remove_o->dry_run, "Show the integration that would be removed; change nothing");
  on_run(remove, dispatch, [remove_o](Session& session) { return run_integration_remove(*remove_o, session); });

  auto test_o = std::make_shared<IntegrationRefOptions>();
  auto* test = integration->add_subcommand("test", "Check the stored key with one authenticated read call");
  positional(test, test_o->workspace, test_o->provider);
  on_run(test, dispatch, [test_o](Session& session) { return run_integration_test(*test_o, session); });
}

}  // namespace wfa
