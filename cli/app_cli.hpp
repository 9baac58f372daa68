#pragma once
/// The whole command tree of wfa, built in one place (micromamba's umamba.cpp is the model).
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "cli/command.hpp"

namespace wfa {

/// GlobalFlags are the options every command accepts; unset ones fall back to env/file/defaults.
struct GlobalFlags {
  std::optional<std::string> output, config, database_url, as, data_dir;
  bool quiet = false;
  bool raw = false;
  /// as_settings keeps only the flags given on the command line, keyed like Config settings.
  std::map<std::string, std::string> as_settings() const;
};

/// build_app creates the root command with global flags and every noun registered.
std::unique_ptr<CLI::App> build_app(GlobalFlags& flags, Dispatch& dispatch);

/// Help topics that are not commands: `wfa help exit-codes`, `wfa help environment`.
std::string help_topic(const std::string& topic, CLI::App& root);
/// bash_completion renders a completion script from the live command tree.
std::string bash_completion(CLI::App& root);

}  // namespace wfa
