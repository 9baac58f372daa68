#pragma once
/// WorkerLog passes the worker's lines, from any of its threads, to the front end one at a time; a line repeated
/// within a minute (a database that stays down) is said once.
#include <chrono>
#include <map>
#include <mutex>
#include <string>

namespace wfa {

class Session;

class WorkerLog {
 public:
  explicit WorkerLog(const Session& session) : session_(session) {}
  /// say passes LINE on.
  void say(const std::string& line);
  /// say_once passes LINE on unless it was said within the last minute.
  void say_once(const std::string& line);

 private:
  const Session& session_;
  std::mutex mutex_;
  std::map<std::string, std::chrono::steady_clock::time_point> said_;
};

}  // namespace wfa
