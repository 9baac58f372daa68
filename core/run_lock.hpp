#pragma once
/// RunLock keeps two runs of one cron verb apart: a session-level advisory lock held on the verb's connection for the
/// whole run (a killed run's lock goes with its connection).
#include <string>

#include "core/pqxx_fwd.hpp"

namespace wfa {

class RunLock {
 public:
  /// Takes lock NAME or throws LockHeldError (exit 9) saying another RUNNING is under way.
  RunLock(pqxx::connection_base& connection, std::string name, const std::string& running);
  ~RunLock();
  RunLock(const RunLock&) = delete;
  RunLock& operator=(const RunLock&) = delete;

 private:
  pqxx::connection_base& connection_;
  std::string name_;
};

}  // namespace wfa
