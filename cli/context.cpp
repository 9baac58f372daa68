#include "cli/context.hpp"

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <istream>
#include <ostream>

#include "cli/progress.hpp"
#include "core/error.hpp"

namespace wfa {

namespace {

/// output_format reads `-o` from the settings; empty means the terminal decides.
OutputFormat output_format(const Config& config, bool stdout_tty) {
  const auto& output = config.get("output");
  if (output.value.empty()) return default_output_format(stdout_tty);
  if (auto parsed = parse_output_format(output.value)) return *parsed;
  throw UsageError("invalid output format '" + output.value + "' (from " + output.source + ")",
                   "use one of table, wide, plain, json, ndjson, csv");
}

/// reader_gone says whether FD is a pipe or socket whose reading end has closed (Linux reports POLLERR on it). Asked of
/// the descriptor itself: errno is long overwritten by the time the output is checked (libpq's cancel, for one).
bool reader_gone(int fd) {
  pollfd p{fd, 0, 0};
  return ::poll(&p, 1, 0) == 1 && (p.revents & (POLLERR | POLLHUP)) != 0;
}

}  // namespace

Terminal Terminal::detect() {
  const char* term = std::getenv("TERM");
  bool dumb = term != nullptr && std::string_view(term) == "dumb";
  return {isatty(0) == 1, isatty(1) == 1, isatty(2) == 1 && !dumb};
}

Context::Context(Config config, Terminal terminal, std::ostream& out, std::ostream& err, std::istream& in)
    : terminal_(terminal),
      out_(out),
      err_(err),
      in_(in),
      format_(output_format(config, terminal.stdout_tty)),
      quiet_(config.flag("quiet")),
      session_(std::move(config), hooks()) {}

SessionHooks Context::hooks() {
  SessionHooks h;
  h.info = [this](std::string_view message) { info(message); };
  h.progress = [this]() -> std::unique_ptr<Progress> {
    return std::make_unique<ProgressReporter>(err_, !quiet_ && ProgressReporter::stderr_is_terminal());
  };
  h.confirm = [this](const std::string& question) { return ask(question); };
  h.option_name = [](std::string_view option) { return "--" + std::string(option); };
  h.interruptible = [](CancelToken& token) -> std::shared_ptr<void> {
    auto signals = std::make_shared<SignalCancellation>();
    token.link(signals.get());
    return std::shared_ptr<void>(nullptr, [signals, &token](void*) { token.link(nullptr); });
  };
  return h;
}

RenderOptions Context::render_options() const {
  const char* no_color = std::getenv("NO_COLOR");
  bool aligned = format_ == OutputFormat::table || format_ == OutputFormat::wide;
  bool color = aligned && terminal_.stdout_tty && (no_color == nullptr || *no_color == '\0');
  std::size_t width = format_ == OutputFormat::table ? terminal_width(terminal_.stdout_tty, std::getenv("COLUMNS")) : 0;
  return {format_, color, 1, terminal_.stdout_tty, session_.settings().flag("raw"), width};
}

void Context::info(std::string_view message) {
  if (!quiet_ && !message.empty()) err_ << message << '\n';
}

void Context::emit(const Result& result) {
  if (quiet_ && result.run_report && result.category == ErrorCategory::ok) return;  // cron: quiet success
  std::string message;
  if (result.stream)
    message = result.stream(out_);
  else
    render(result, render_options(), out_);
  out_.flush();
  int error = errno;
  if (!out_ && &out_ == &std::cout) {
    // A reader that went away (`| head`) ends wfa as it ends a pipeline's other tools: by SIGPIPE, without a word.
    if (reader_gone(STDOUT_FILENO)) {
      std::signal(SIGPIPE, SIG_DFL);
      std::raise(SIGPIPE);
    }
    bool named = error == ENOSPC || error == EIO || error == EFBIG || error == EDQUOT || error == EBADF;
    throw Error(ErrorCategory::unexpected,
                std::string("cannot write the output to standard output") + (named ? ": " : "") +
                    (named ? std::strerror(error) : ""),
                "check where standard output goes (a full disk, a closed file)");
  }
  if (!out_) throw Error(ErrorCategory::unexpected, "cannot write the output", "check where the output goes");
  info(result.stream ? message : result.message);
  if (format_ == OutputFormat::json) return;
  for (const Table& table : result.tables)
    if (table.more && !table.more->next_cursor().empty())
      info("more " + table.name + ": add --after " + table.more->next_cursor() + " for the next page, or --all");
}

bool Context::ask(const std::string& question) {
  if (!can_prompt()) throw UsageError(question + ": refusing without --yes when not on a terminal", "add --yes");
  err_ << question << " [y/N] " << std::flush;
  std::string answer;
  std::getline(in_, answer);
  return answer == "y" || answer == "Y" || answer == "yes";
}

}  // namespace wfa
