#pragma once
/// Context carries what every command needs: settings, output streams and format, the
/// database handle (opened lazily) and the actor mutations are audited as.
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "cli/config.hpp"
#include "cli/error.hpp"
#include "cli/output.hpp"

namespace wfa {

class Database;

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
  ~Context();

  const Config& config() const { return config_; }
  Database& database();
  const std::string& actor() const { return config_.value("actor"); }

  OutputFormat format() const { return format_; }
  bool quiet() const { return quiet_; }
  RenderOptions render_options() const;
  const Terminal& terminal() const { return terminal_; }

  std::ostream& out() { return out_; }
  std::ostream& err() { return err_; }
  /// info writes a message line to stderr unless --quiet.
  void info(std::string_view message);
  /// emit renders data to stdout and its summary message to stderr.
  void emit(const Result& result);

  /// can_prompt is true only when stdin and stdout are terminals (gh's rule).
  bool can_prompt() const { return terminal_.stdin_tty && terminal_.stdout_tty; }
  /// confirm guards a destructive verb: --yes proceeds; a terminal asks; otherwise exit 2.
  void confirm(bool yes, const std::string& question);

 private:
  Config config_;
  Terminal terminal_;
  std::ostream& out_;
  std::ostream& err_;
  std::istream& in_;
  OutputFormat format_ = OutputFormat::plain;
  bool quiet_ = false;
  std::unique_ptr<Database> database_;
};

}  // namespace wfa
