#include "cli/entry_cli.hpp"

#include <algorithm>
#include <iostream>
#include <vector>
#include <nlohmann/json.hpp>

#include "cli/app_cli.hpp"
#include "cli/context.hpp"
#include "cli/audit_origin.hpp"
#include "core/audited_mutation.hpp"
#include "pipelines/utf8.hpp"

namespace wfa {

namespace {

/// wants_json pre-scans argv so that even a failure before the Context exists obeys -o json.
bool wants_json(int argc, const char* const* argv) {
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if ((a == "-o" || a == "--output") && i + 1 < argc) {
      std::string_view v = argv[i + 1];
      return v == "json" || v == "ndjson";
    }
    if (a == "--output=json" || a == "--output=ndjson" || a == "-ojson" || a == "-ondjson") return true;
  }
  return false;
}

/// takes_value says whether option NAME (e.g. "-o", "--output") of COMMAND or its parents expects a value.
bool takes_value(CLI::App* command, std::string_view name) {
  for (CLI::App* c = command; c != nullptr; c = c->get_parent()) {
    for (const auto* opt : c->get_options()) {
      for (const auto& l : opt->get_lnames())
        if (name == "--" + l) return opt->get_items_expected_min() > 0;
      for (const auto& s : opt->get_snames())
        if (name == "-" + s) return opt->get_items_expected_min() > 0;
    }
  }
  return false;
}

/// edit_distance is the Levenshtein distance of A and B, for "did you mean".
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      auto up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

/// check_utf8_arguments refuses (exit 6) an argument that is not valid UTF-8, naming the option it belongs to: such
/// bytes would otherwise surface as a database or JSON library error, or end up stored.
void check_utf8_arguments(int argc, const char* const* argv) {
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    auto bad = utf8_invalid_at(arg);
    if (bad == std::string_view::npos) continue;
    std::string field = "argument " + std::to_string(i);
    if (arg.starts_with("--") && arg.find('=') != std::string_view::npos && arg.find('=') < bad)
      field = std::string(arg.substr(0, arg.find('=')));
    else if (i > 1 && std::string_view(argv[i - 1]).starts_with("-"))
      field = argv[i - 1];
    throw InvalidInputError(field + " is not valid UTF-8 (byte " + std::to_string(bad + 1) + ")",
                            "give text in UTF-8; convert it with iconv");
  }
}

/// check_command_words gives a precise usage error for an unknown command or a missing verb,
/// which CLI11 reports only as "A subcommand is required".
void check_command_words(CLI::App& root, int argc, const char* const* argv) {
  CLI::App* command = &root;
  std::string path = "wfa";
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--") break;
    if (arg == "-h" || arg == "--help" || arg == "--version") return;
    if (arg.size() > 1 && arg[0] == '-') {
      if (arg.find('=') == std::string_view::npos && takes_value(command, arg)) ++i;
      continue;
    }
    auto subs = command->get_subcommands(nullptr);
    if (subs.empty()) return;  // a positional argument of a leaf command
    CLI::App* next = nullptr;
    for (auto* sub : subs)
      if (sub->check_name(std::string(arg))) next = sub;
    if (next == nullptr) {
      std::string names, closest;
      std::size_t best = 3;  // suggest only a name within two edits
      for (auto* sub : subs) {
        names += (names.empty() ? "" : ", ") + sub->get_name();
        if (auto d = edit_distance(arg, sub->get_name()); d < best) best = d, closest = sub->get_name();
      }
      throw UsageError("unknown command '" + std::string(arg) + "' for '" + path + "'",
                       closest.empty() ? "available: " + names : "did you mean '" + path + " " + closest + "'?");
    }
    command = next;
    path += " " + command->get_name();
  }
  if (command != &root && command->get_require_subcommand_min() > 0) {
    std::string names;
    for (auto* sub : command->get_subcommands(nullptr)) names += (names.empty() ? "" : ", ") + sub->get_name();
    throw UsageError("'" + path + "' needs a command", "one of: " + names);
  }
}

int report(const Classified& failure, bool json, std::ostream& err) {
  if (json) {
    nlohmann::json doc = {{"schema_version", 1},
                          {"error",
                           {{"category", category_name(failure.category)},
                            {"exit_code", exit_code(failure.category)},
                            {"message", failure.message},
                            {"hint", failure.hint}}}};
    err << doc.dump() << '\n';
  } else {
    err << "wfa: error: " << failure.message;
    if (!failure.hint.empty()) err << " (" << failure.hint << ")";
    err << '\n';
  }
  return exit_code(failure.category);
}

/// usage_message says a CLI11 parse error in wfa's words, keeping only the names and values CLI11 quotes.
std::string usage_message(const CLI::ParseError& e) {
  std::string text = e.what();
  auto after_colon = [&] {
    auto at = text.find(": ");
    return at == std::string::npos ? text : text.substr(at + 2);
  };
  if (dynamic_cast<const CLI::ExtrasError*>(&e)) return "unexpected argument(s): " + after_colon();
  if (dynamic_cast<const CLI::RequiredError*>(&e)) {
    auto is_required = text.find(" is required");
    if (is_required != std::string::npos && text.find(' ') == is_required)
      return std::string("missing required ") + (text[0] == '-' ? "option " : "argument ") +
             text.substr(0, is_required);
    return "missing a required command or option (" + text + ")";
  }
  if (dynamic_cast<const CLI::ArgumentMismatch*>(&e)) {
    auto name = text.substr(0, text.find(':'));
    auto detail = after_colon();
    auto received = detail.find("required but received ");
    if (detail.rfind("At Most", 0) == 0 && received != std::string::npos)
      return name + " is given " + detail.substr(received + 22) + " times; give it once";
    if (detail.size() > 8 && detail.compare(detail.size() - 8, 8, " missing") == 0) {
      auto open = detail.find(":{");
      if (open == std::string::npos) return name + " needs a value";
      auto values = detail.substr(open + 2, detail.find('}', open) - open - 2);
      for (auto comma = values.find(','); comma != std::string::npos; comma = values.find(',', comma + 2))
        values.replace(comma, 1, ", ");
      return name + " needs a value: one of " + values;
    }
    return "wrong number of values for " + name + " (" + detail + ")";
  }
  auto equals = text.find(" = ");
  if (dynamic_cast<const CLI::ConversionError*>(&e) && equals != std::string::npos) {
    // "Could not convert: --limit = abc": every option CLI11 converts in wfa is a number.
    auto colon = text.rfind(": ", equals);
    auto name = colon == std::string::npos ? text.substr(0, equals) : text.substr(colon + 2, equals - colon - 2);
    return name + " '" + text.substr(equals + 3) + "' is not a number";
  }
  auto not_in = text.find(" not in {");
  if (dynamic_cast<const CLI::ValidationError*>(&e) && not_in != std::string::npos && text.find(": ") < not_in) {
    // An IsMember check: "--type: neon not in {static,led,digital}".
    auto colon = text.find(": ");
    auto values = text.substr(not_in + 9, text.find('}', not_in) - not_in - 9);
    for (auto comma = values.find(','); comma != std::string::npos; comma = values.find(',', comma + 2))
      values.replace(comma, 1, ", ");
    return text.substr(0, colon) + " '" + text.substr(colon + 2, not_in - colon - 2) + "' is not one of " + values;
  }
  if (dynamic_cast<const CLI::ConversionError*>(&e) || dynamic_cast<const CLI::ValidationError*>(&e))
    return "invalid value: " + after_colon();
  if (dynamic_cast<const CLI::ExcludesError*>(&e)) return "options that exclude each other: " + text;
  if (dynamic_cast<const CLI::RequiresError*>(&e)) return "an option needs another: " + text;
  return "invalid command line: " + text;
}

}  // namespace

int wfa_main(int argc, const char* const* argv, std::ostream& out, std::ostream& err, std::istream& in) {
  GlobalFlags flags;
  Dispatch dispatch;
  auto app = build_app(flags, dispatch);
  bool json_errors = wants_json(argc, argv);
  if (argc <= 1) {
    out << app->help();
    return 0;
  }
  try {
    check_utf8_arguments(argc, argv);
    check_command_words(*app, argc, argv);
  } catch (const Error& e) {
    return report({e.category(), e.what(), e.hint()}, json_errors, err);
  }
  try {
    app->parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app->exit(e, out, err);
  } catch (const CLI::CallForAllHelp& e) {
    return app->exit(e, out, err);
  } catch (const CLI::CallForVersion& e) {
    return app->exit(e, out, err);
  } catch (const CLI::ParseError& e) {
    // CLI11's own codes (100-127) never leak: every parse error is a usage error.
    return report({ErrorCategory::usage, usage_message(e), "run 'wfa help' or add --help to the command"}, json_errors,
                  err);
  }
  try {
    Context ctx(Config::load(flags.as_settings(), process_environment()), Terminal::detect(), out, err, in);
    set_audit_origin(cli_origin(argc, argv, ctx.session().settings()));
    json_errors = ctx.format() == OutputFormat::json || ctx.format() == OutputFormat::ndjson;
    if (!dispatch.action) throw UsageError("no command given", "run 'wfa help'");
    Result result = dispatch.action(ctx.session());
    ctx.emit(result);
    return exit_code(result.category);
  } catch (...) {
    return report(classify(std::current_exception()), json_errors, err);
  }
}

}  // namespace wfa
