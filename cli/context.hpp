#pragma once
/// Context is the CLI front end's state for one command: the output format and streams, and the Session
/// it runs verbs with, whose hooks it answers from the terminal.
#include <iosfwd>
#include <string_view>

#include "cli/render.hpp"
#include "core/config.hpp"
#include "core/session.hpp"

namespace wfa {

/// Terminal says which standard streams are terminals; injectable for tests.
struct Terminal {
  bool stdin_tty = false;
  bool stdout_tty = false;
  bool stderr_tty = false;
  static Terminal detect();
};

class Context {
 public:
  Context(Config config, Terminal terminal, std::ostream& out, std::ostream& err, std::istream& in);

  Session& session() { return session_; }
  OutputFormat format() const { return format_; }
  bool quiet() const { return quiet_; }
  RenderOptions render_options() const;
  const Terminal& terminal() const { return terminal_; }

  /// info writes a message line to stderr unless --quiet.
  void info(std::string_view message);
  /// emit renders data (or runs its stream) to stdout and writes its summary message to stderr.
  void emit(const Result& result);
  /// can_prompt is true only when stdin and stdout are terminals (gh's rule).
  bool can_prompt() const { return terminal_.stdin_tty && terminal_.stdout_tty; }

 private:
  SessionHooks hooks();
  /// ask is the confirm hook: a terminal asks; otherwise it refuses with a usage error naming --yes.
  bool ask(const std::string& question);

  Terminal terminal_;
  std::ostream& out_;
  std::ostream& err_;
  std::istream& in_;
  OutputFormat format_ = OutputFormat::plain;
  bool quiet_ = false;
  Session session_;
};

}  // namespace wfa
