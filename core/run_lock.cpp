// Session-level advisory locks of whole runs.
#include "core/run_lock.hpp"

#include <pqxx/nontransaction>

#include "core/error.hpp"

namespace wfa {

RunLock::RunLock(pqxx::connection_base& connection, std::string name, const std::string& running)
    : connection_(connection), name_(std::move(name)) {
  pqxx::nontransaction tx(connection_);
  if (!tx.exec_params("SELECT pg_try_advisory_lock(hashtext($1))", name_)[0][0].as<bool>())
    throw LockHeldError("another " + running + " is running", "let it finish; cron will run this again");
}

RunLock::~RunLock() {
  try {
    pqxx::nontransaction tx(connection_);
    tx.exec_params("SELECT pg_advisory_unlock(hashtext($1))", name_);
  } catch (...) {
  }
}

}  // namespace wfa
