#include "core/error.hpp"

#include <pqxx/except>

namespace wfa {

Error::Error(ErrorCategory category, std::string message, std::string hint)
    : std::runtime_error(std::move(message)), category_(category), hint_(std::move(hint)) {}

int exit_code(ErrorCategory category) {
  switch (category) {
    case ErrorCategory::ok:
      return 0;
    case ErrorCategory::unexpected:
      return 1;
    case ErrorCategory::usage:
      return 2;
    case ErrorCategory::not_found:
      return 3;
    case ErrorCategory::conflict:
      return 4;
    case ErrorCategory::permission:
      return 5;
    case ErrorCategory::invalid_input:
      return 6;
    case ErrorCategory::temporary:
      return 7;
    case ErrorCategory::batch_partial:
      return 8;
    case ErrorCategory::lock_held:
      return 9;
    case ErrorCategory::outcome_unknown:
      return 10;
    case ErrorCategory::interrupted:
      return 130;
  }
  return 1;
}

int http_status(ErrorCategory category) {
  switch (category) {
    case ErrorCategory::ok:
      return 200;
    case ErrorCategory::unexpected:
      return 500;
    case ErrorCategory::usage:
      return 400;
    case ErrorCategory::not_found:
      return 404;
    case ErrorCategory::conflict:
      return 409;
    case ErrorCategory::permission:
      return 403;
    case ErrorCategory::invalid_input:
      return 422;
    case ErrorCategory::temporary:
      return 503;
    case ErrorCategory::batch_partial:
      return 207;
    case ErrorCategory::lock_held:
      return 423;
    case ErrorCategory::outcome_unknown:
      return 504;
    case ErrorCategory::interrupted:
      return 499;
  }
  return 500;
}

std::string_view category_name(ErrorCategory category) {
  switch (category) {
    case ErrorCategory::ok:
      return "ok";
    case ErrorCategory::unexpected:
      return "unexpected";
    case ErrorCategory::usage:
      return "usage";
    case ErrorCategory::not_found:
      return "not_found";
    case ErrorCategory::conflict:
      return "conflict";
    case ErrorCategory::permission:
      return "permission";
    case ErrorCategory::invalid_input:
      return "invalid_input";
    case ErrorCategory::temporary:
      return "temporary";
    case ErrorCategory::batch_partial:
      return "batch_partial";
    case ErrorCategory::lock_held:
      return "lock_held";
    case ErrorCategory::outcome_unknown:
      return "outcome_unknown";
    case ErrorCategory::interrupted:
      return "interrupted";
  }
  return "unexpected";
}

const std::vector<ExitCodeInfo>& exit_code_table() {
  static const std::vector<ExitCodeInfo> table = {
      {ErrorCategory::ok, "success, including \"nothing to do\""},
      {ErrorCategory::unexpected, "unexpected failure (a bug, or an unclassified error)"},
      {ErrorCategory::usage, "usage error: the command line was wrong; nothing was attempted"},
      {ErrorCategory::not_found, "a named resource was not found"},
      {ErrorCategory::conflict, "conflict: it already exists, or its state forbids the change"},
      {ErrorCategory::permission, "permission denied"},
      {ErrorCategory::invalid_input, "invalid input: bad file, bad value or failed validation"},
      {ErrorCategory::temporary,
       "temporary or external failure, safe to retry (database unreachable, provider 5xx/429)"},
      {ErrorCategory::batch_partial, "a batch finished with some items failed"},
      {ErrorCategory::lock_held, "another run holds the lock (cron overlap)"},
      {ErrorCategory::outcome_unknown, "outcome unknown: the connection was lost during commit"},
      {ErrorCategory::interrupted, "interrupted (SIGINT/SIGTERM) or cancelled at a prompt"},
  };
  return table;
}

namespace {

/// first_line keeps server messages to one line: libpq appends DETAIL/HINT/context lines.
std::string first_line(std::string_view text) {
  auto end = text.find('\n');
  std::string line(text.substr(0, end));
  while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.pop_back();
  if (line.rfind("ERROR:  ", 0) == 0) line.erase(0, 8);
  return line;
}

}  // namespace

Classified classify(std::exception_ptr error) {
  try {
    std::rethrow_exception(error);
  } catch (const Error& e) {
    return {e.category(), e.what(), e.hint()};
  } catch (const pqxx::in_doubt_error& e) {
    return {ErrorCategory::outcome_unknown, "database connection lost during commit: " + first_line(e.what()),
            "check whether the change was applied before retrying"};
  } catch (const pqxx::statement_completion_unknown& e) {
    return {ErrorCategory::outcome_unknown, "database connection lost while a statement ran: " + first_line(e.what()),
            "check whether the change was applied before retrying"};
  } catch (const pqxx::broken_connection& e) {
    return {ErrorCategory::temporary, "database unreachable: " + first_line(e.what()),
            "check the database URL and that the server is running, then retry"};
  } catch (const pqxx::transaction_rollback& e) {
    return {ErrorCategory::temporary, "database transaction rolled back: " + first_line(e.what()), "retry"};
  } catch (const pqxx::unique_violation& e) {
    return {ErrorCategory::conflict, first_line(e.what()), {}};
  } catch (const pqxx::insufficient_privilege& e) {
    return {ErrorCategory::permission, first_line(e.what()), {}};
  } catch (const pqxx::integrity_constraint_violation& e) {
    return {ErrorCategory::invalid_input, first_line(e.what()), {}};
  } catch (const pqxx::data_exception& e) {
    return {ErrorCategory::invalid_input, first_line(e.what()), {}};
  } catch (const pqxx::sql_error& e) {
    return {ErrorCategory::unexpected, "database error: " + first_line(e.what()), {}};
  } catch (const std::bad_alloc&) {
    return {ErrorCategory::unexpected, "out of memory", {}};
  } catch (const std::exception& e) {
    return {ErrorCategory::unexpected, first_line(e.what()), {}};
  } catch (...) {
    return {ErrorCategory::unexpected, "unknown failure", {}};
  }
}

}  // namespace wfa
