#include "core/error.hpp"

#include <cstdlib>
#include <filesystem>

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

/// first_line is the first line of a library message, without libpq's "ERROR:  " prefix.
std::string first_line(std::string_view text) {
  auto end = text.find('\n');
  std::string line(text.substr(0, end));
  while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.pop_back();
  if (line.rfind("ERROR:  ", 0) == 0) line.erase(0, 8);
  return line;
}

/// debug_detail appends a library's own words only when WFA_DEBUG is set: users get wfa's sentence, developers both.
std::string debug_detail(std::string_view text) {
  const char* debug = std::getenv("WFA_DEBUG");
  if (debug == nullptr || *debug == '\0' || std::string_view(debug) == "0") return {};
  return " [" + first_line(text) + "]";
}

/// quoted_after finds the name the server quotes after KEY, e.g. constraint "partners_slug_key".
std::string quoted_after(std::string_view text, std::string_view key) {
  auto at = text.find(key);
  if (at == std::string_view::npos) return {};
  auto open = text.find('"', at + key.size());
  auto close = open == std::string_view::npos ? open : text.find('"', open + 1);
  if (close == std::string_view::npos || close - open > 80) return {};
  return std::string(text.substr(open + 1, close - open - 1));
}

std::string sqlstate_of(const pqxx::sql_error& e) {
  return e.sqlstate().empty() ? std::string() : " (SQLSTATE " + e.sqlstate() + ")";
}

}  // namespace

Classified classify(std::exception_ptr error) {
  const std::string retry = "check that the database server is up and reachable, then retry";
  try {
    std::rethrow_exception(error);
  } catch (const Error& e) {
    return {e.category(), e.what(), e.hint()};
  } catch (const pqxx::in_doubt_error& e) {
    return {
        ErrorCategory::outcome_unknown,
        "the database connection was lost during commit: the change may or may not be saved" + debug_detail(e.what()),
        "check whether the change was applied before retrying"};
  } catch (const pqxx::statement_completion_unknown& e) {
    return {ErrorCategory::outcome_unknown,
            "the database connection was lost while a statement ran: it may or may not have taken effect" +
                debug_detail(e.what()),
            "check whether the change was applied before retrying"};
  } catch (const pqxx::broken_connection& e) {
    return {ErrorCategory::temporary, "lost the connection to the database" + debug_detail(e.what()), retry};
  } catch (const pqxx::transaction_rollback& e) {
    return {ErrorCategory::temporary,
            "the database rolled the transaction back because of a concurrent change" + debug_detail(e.what()),
            "retry; nothing of it was saved"};
  } catch (const pqxx::unique_violation& e) {
    auto name = quoted_after(e.what(), "constraint");
    return {ErrorCategory::conflict,
            "it already exists" + (name.empty() ? std::string() : " (unique constraint " + name + ")") +
                debug_detail(e.what()),
            "use another name or key, or change the existing one"};
  } catch (const pqxx::insufficient_privilege& e) {
    return {ErrorCategory::permission, "the database role may not do this" + sqlstate_of(e) + debug_detail(e.what()),
            "connect as a role with the right (see DATABASE ROLES in wfa(1))"};
  } catch (const pqxx::integrity_constraint_violation& e) {
    auto name = quoted_after(e.what(), "constraint");
    if (name.rfind("single_line__", 0) == 0) {
      auto table = name.substr(13, name.find("__", 13) - 13), column = name.substr(name.find("__", 13) + 2);
      return {ErrorCategory::invalid_input,
              column + " of " + table + " must be one line of at most 200 characters, without control characters",
              "remove line breaks, tabs and escape characters, or shorten it"};
    }
    return {ErrorCategory::invalid_input,
            "the database refused a value" + (name.empty() ? std::string() : " (constraint " + name + ")") +
                sqlstate_of(e) + debug_detail(e.what()),
            "check the values given"};
  } catch (const pqxx::data_exception& e) {
    return {ErrorCategory::invalid_input,
            "the database refused a value as malformed or out of range" + sqlstate_of(e) + debug_detail(e.what()),
            "check the values given"};
  } catch (const pqxx::sql_error& e) {
    return {ErrorCategory::unexpected, "the database refused a statement" + sqlstate_of(e) + debug_detail(e.what()),
            "run again with WFA_DEBUG=1 to see the server's words, and report it"};
  } catch (const pqxx::failure& e) {
    // libpqxx's plain failures are the connection or protocol going wrong mid-operation (a COPY whose server went).
    return {ErrorCategory::temporary, "the database connection failed mid-operation" + debug_detail(e.what()), retry};
  } catch (const std::filesystem::filesystem_error& e) {
    return {ErrorCategory::invalid_input,
            "file system error on " + e.path1().string() + ": " + e.code().message() + debug_detail(e.what()),
            "check the path, its permissions and the free space"};
  } catch (const std::bad_alloc&) {
    return {ErrorCategory::unexpected, "out of memory", "give wfa more memory or a smaller input"};
  } catch (const std::exception& e) {
    return {ErrorCategory::unexpected, "unexpected internal failure" + debug_detail(e.what()),
            "run again with WFA_DEBUG=1 to see the library's words, and report it"};
  } catch (...) {
    return {ErrorCategory::unexpected, "unknown failure", "report it"};
  }
}

}  // namespace wfa
