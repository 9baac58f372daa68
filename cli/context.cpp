#include "cli/context.hpp"

#include <unistd.h>

#include <cstdlib>
#include <istream>
#include <ostream>

#include "cli/database.hpp"

namespace wfa {

Terminal Terminal::detect() {
  const char* term = std::getenv("TERM");
  bool dumb = term != nullptr && std::string_view(term) == "dumb";
  return {isatty(0) == 1, isatty(1) == 1, isatty(2) == 1 && !dumb};
}

Context::Context(Config config, Terminal terminal, std::ostream& out, std::ostream& err, std::istream& in)
    : config_(std::move(config)), terminal_(terminal), out_(out), err_(err), in_(in) {
  const auto& output = config_.get("output");
  if (output.value.empty()) {
    format_ = terminal_.stdout_tty ? OutputFormat::table : OutputFormat::plain;
  } else if (auto parsed = parse_output_format(output.value)) {
    format_ = *parsed;
  } else {
    throw UsageError("invalid output format '" + output.value + "' (from " + output.source + ")",
                     "use one of table, plain, json, ndjson, csv");
  }
  quiet_ = config_.flag("quiet");
}

Context::~Context() = default;

Database& Context::database() {
  if (!database_) database_ = std::make_unique<Database>(DatabaseTarget::from_config(config_));
  return *database_;
}

RenderOptions Context::render_options() const {
  const char* no_color = std::getenv("NO_COLOR");
  bool color = format_ == OutputFormat::table && terminal_.stdout_tty && (no_color == nullptr || *no_color == '\0');
  return {format_, color, 1};
}

void Context::info(std::string_view message) {
  if (!quiet_ && !message.empty()) err_ << message << '\n';
}

void Context::emit(const Result& result) {
  render(result, render_options(), out_);
  out_.flush();
  info(result.message);
}

void Context::confirm(bool yes, const std::string& question) {
  if (yes) return;
  if (!can_prompt()) throw UsageError(question + ": refusing without --yes when not on a terminal", "add --yes");
  err_ << question << " [y/N] " << std::flush;
  std::string answer;
  std::getline(in_, answer);
  if (answer != "y" && answer != "Y" && answer != "yes") throw InterruptedError("cancelled at the prompt; nothing changed");
}

}  // namespace wfa
