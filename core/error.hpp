#pragma once
/// The error model: one category enum decides the exit code of every failure.
#include <exception>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace wfa {

/// ErrorCategory classifies why a verb ended; exit_code() maps it to SPEC §2, http_status() to serve's answer.
enum class ErrorCategory {
  ok,               ///< 0: success, including "nothing to do"
  unexpected,       ///< 1: a bug or an unclassified failure
  usage,            ///< 2: the command line itself was wrong; nothing was attempted
  not_found,        ///< 3: a named resource does not exist
  conflict,         ///< 4: already exists, or the state forbids the change
  permission,       ///< 5: permission denied
  invalid_input,    ///< 6: bad file, bad value, failed validation
  temporary,        ///< 7: temporary or external failure, safe to retry
  batch_partial,    ///< 8: a batch finished with some items failed
  lock_held,        ///< 9: another run holds the lock (cron overlap)
  outcome_unknown,  ///< 10: the connection was lost during commit
  interrupted,      ///< 130: interrupted by SIGINT/SIGTERM
};

int exit_code(ErrorCategory category);
/// http_status is the category's status for serve: 400 usage, 403 permission, 404, 409, 422 invalid input,
/// 423 lock held, 503 temporary, 504 outcome unknown, 207 a partial batch, 499 interrupted, 500 the rest.
int http_status(ErrorCategory category);
std::string_view category_name(ErrorCategory category);

/// ExitCodeInfo documents one exit code for `wfa help exit-codes` and wfa(1).
struct ExitCodeInfo {
  ErrorCategory category;
  const char* meaning;
};
const std::vector<ExitCodeInfo>& exit_code_table();

/// Error ends a command: a one-line message (what, where) plus an optional hint (what to do).
class Error : public std::runtime_error {
 public:
  Error(ErrorCategory category, std::string message, std::string hint = {});
  ErrorCategory category() const { return category_; }
  const std::string& hint() const { return hint_; }

 private:
  ErrorCategory category_;
  std::string hint_;
};

// The small hierarchy: one class per category that commands throw.
struct UsageError : Error {
  explicit UsageError(std::string m, std::string h = {}) : Error(ErrorCategory::usage, std::move(m), std::move(h)) {}
};
struct NotFoundError : Error {
  explicit NotFoundError(std::string m, std::string h = {})
      : Error(ErrorCategory::not_found, std::move(m), std::move(h)) {}
};
struct ConflictError : Error {
  explicit ConflictError(std::string m, std::string h = {})
      : Error(ErrorCategory::conflict, std::move(m), std::move(h)) {}
};
struct PermissionError : Error {
  explicit PermissionError(std::string m, std::string h = {})
      : Error(ErrorCategory::permission, std::move(m), std::move(h)) {}
};
struct InvalidInputError : Error {
  explicit InvalidInputError(std::string m, std::string h = {})
      : Error(ErrorCategory::invalid_input, std::move(m), std::move(h)) {}
};
struct TemporaryError : Error {
  explicit TemporaryError(std::string m, std::string h = {})
      : Error(ErrorCategory::temporary, std::move(m), std::move(h)) {}
};
struct LockHeldError : Error {
  explicit LockHeldError(std::string m, std::string h = {})
      : Error(ErrorCategory::lock_held, std::move(m), std::move(h)) {}
};
struct OutcomeUnknownError : Error {
  explicit OutcomeUnknownError(std::string m, std::string h = {})
      : Error(ErrorCategory::outcome_unknown, std::move(m), std::move(h)) {}
};
struct InterruptedError : Error {
  explicit InterruptedError(std::string m = "interrupted") : Error(ErrorCategory::interrupted, std::move(m)) {}
};

/// Classified is what the top-level handler prints: the category and one line of text.
struct Classified {
  ErrorCategory category;
  std::string message;
  std::string hint;
};

/// classify turns any exception (wfa::Error, libpqxx, std) into a category and one line.
Classified classify(std::exception_ptr error);

}  // namespace wfa
