#include "cli/app_cli.hpp"

#include "build_info.hpp"
#include "cli/command_cli.hpp"
#include "cli/command_tree.hpp"
#include "cli/examples.hpp"

namespace wfa {

std::map<std::string, std::string> GlobalFlags::as_settings() const {
  std::map<std::string, std::string> out;
  if (output) out["output"] = *output;
  if (config) out["config"] = *config;
  if (database_url) out["database_url"] = *database_url;
  if (as) out["as"] = *as;
  if (data_dir) out["data_dir"] = *data_dir;
  if (quiet) out["quiet"] = "true";
  if (raw) out["raw"] = "true";
  return out;
}

namespace {

void add_global_flags(CLI::App& app, GlobalFlags& flags) {
  const char* group = "Global options";
  app.add_option("-o,--output", flags.output, "Output format: table, wide, plain, json, ndjson or csv")
      ->check(CLI::IsMember({"table", "wide", "plain", "json", "ndjson", "csv"}))
      ->group(group);
  app.add_flag("-q,--quiet", flags.quiet, "Print no messages or progress on stderr; data only")->group(group);
  app.add_flag("--raw", flags.raw,
               "CSV: keep cells that begin with = + - @ as they are (for machines; spreadsheets would run them)")
      ->group(group);
  app.add_option("--config", flags.config, "Config file (default ~/.config/wfa/config.toml)")->group(group);
  app.add_option("--database-url", flags.database_url, "External PostgreSQL URL; unset uses the embedded cluster")
      ->group(group);
  app.add_option("--data-dir", flags.data_dir, "Data directory for the embedded cluster and files")->group(group);
  app.add_option("--as", flags.as,
                 "Act as the user with this e-mail: their rights are checked, the audit log names them")
      ->group(group);
}

/// add_leaf_footers puts one example and the global options in every leaf command's --help: CLI11 shows a
/// subcommand only its own options, but -o, --as and the rest work on every command.
void add_leaf_footers(CLI::App& app, const std::string& path) {
  for (auto* sub : app.get_subcommands(nullptr)) {
    auto sub_path = path.empty() ? sub->get_name() : path + " " + sub->get_name();
    if (!sub->get_subcommands(nullptr).empty()) {
      add_leaf_footers(*sub, sub_path);
      continue;
    }
    auto example = example_for(sub_path);
    sub->footer((example.empty() ? std::string() : "Example:\n  " + std::string(example) + "\n\n") +
                "Global options (any command; see 'wfa --help'):\n"
                "  -o, --output FORMAT   table, wide, plain, json, ndjson, csv  -q, --quiet   data only, no messages\n"
                "  --as EMAIL            act as this user, with their rights    --raw         CSV without the formula "
                "guard\n"
                "  --config FILE  --database-url URL  --data-dir DIR\n\n" +
                app.get_footer());
  }
}

void register_meta(CLI::App& root, Dispatch& dispatch) {
  auto topics = std::make_shared<std::vector<std::string>>();
  auto* help = root.add_subcommand("help", "Show help for a command or a topic (exit-codes, environment)");
  help->add_option("topic", *topics, "Command path (e.g. db migrate) or topic");
  on_run(help, dispatch, [topics, &root](Session&) {
    std::string joined;
    for (const auto& t : *topics) joined += (joined.empty() ? "" : " ") + t;
    Result r;
    r.stream = [joined, &root](std::ostream& out) {
      out << help_topic(joined, root);
      return std::string();
    };
    return r;
  });

  auto shell = std::make_shared<std::string>();
  auto* completion = root.add_subcommand("completion", "Print a shell completion script");
  completion->add_option("shell", *shell, "Shell: bash")->required()->check(CLI::IsMember({"bash"}));
  // The action owns SHELL: CLI11 writes into it after register_meta has returned.
  on_run(completion, dispatch, [shell, &root](Session&) {
    Result r;
    r.stream = [&root](std::ostream& out) {
      out << bash_completion(root);
      return std::string();
    };
    return r;
  });
}

}  // namespace

std::unique_ptr<CLI::App> build_app(GlobalFlags& flags, Dispatch& dispatch) {
  auto app = std::make_unique<CLI::App>("wfa — back office of the white-label AI workforce platform", "wfa");
  // Settings below are inherited by subcommands at creation time, so they come first.
  app->fallthrough();
  app->set_version_flag("--version", std::string("wfa ") + build::version);
  app->footer("Run 'wfa help COMMAND' or 'man wfa-COMMAND' for details; 'wfa help exit-codes' for exit codes.");
  add_global_flags(*app, flags);
  app->require_subcommand(1);

  struct Noun {
    void (*add)(CLI::App&, Dispatch&);
    const char* group;
  };
  // The command surface, in help order.
  const Noun nouns[] = {
      {register_partner, "Tenancy"},     {register_domain, "Tenancy"},
      {register_workspace, "Tenancy"},   {register_audit, "Tenancy"},
      {register_user, "Access"},         {register_super_admin, "Access"},
      {register_member, "Access"},       {register_invite, "Access"},
      {register_perm, "Access"},         {register_telegram, "Access"},
      {register_db, "Operations"},       {register_config, "Operations"},
      {register_campaign, "Operations"}, {register_calling_rules, "Operations"},
      {register_dnc, "Operations"},      {register_lead, "Sales"},
      {register_booking, "Sales"},       {register_cleanup, "Operations"},
      {register_location, "Sales"},      {register_rate_card, "Sales"},
      {register_currency, "Sales"},      {register_proposal, "Sales"},
      {register_mockup, "Sales"},        {register_agent, "Agents"},
      {register_knowledge, "Agents"},    {register_integration, "Agents"},
      {register_number, "Agents"},       {register_calls, "Agents"},
      {register_costs, "Agents"},        {register_app_agent, "Agents"},
      {register_secret, "Operations"},   {register_serve, "Operations"},
      {register_webhooks, "Operations"}, {register_notify, "Operations"},
      {register_mail, "Operations"},     {register_worker, "Operations"},
      {register_job, "Operations"},      {register_plan, "Billing"},
      {register_billing, "Billing"},     {register_credits, "Billing"},
      {register_usage, "Billing"},       {register_export, "Operations"},
      {register_meta, "Help"},
  };
  for (const auto& noun : nouns) {
    auto before = app->get_subcommands(nullptr).size();
    noun.add(*app, dispatch);
    auto added = app->get_subcommands(nullptr);
    for (auto i = before; i < added.size(); ++i) added[i]->group(noun.group);
  }
  add_leaf_footers(*app, "");
  return app;
}

}  // namespace wfa
