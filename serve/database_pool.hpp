#pragma once
/// serve's bounded pool of database handles: a request borrows one for its Session and gives it back; none free in
/// time is TemporaryError (503), never an unbounded queue or a connection per request.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/config.hpp"

namespace wfa {
class Database;
struct DatabaseTarget;
}  // namespace wfa

namespace wfa::serve {

/// serve_target is the verbs' database as serve reaches it: role wfa_serve, or serve_database_url when set.
DatabaseTarget serve_target(const Config& settings);

class DatabasePool {
 public:
  /// The handles connect as wfa_serve (embedded), or to serve_database_url, else database_url (external).
  DatabasePool(const Config& settings, std::size_t size);
  ~DatabasePool();

  /// Lease holds one handle until it is destroyed, and clears its tenant scope then, so the next request starts
  /// with none (row-level security: migrations/0025_row_level_security.sql).
  class Lease {
   public:
    Lease(DatabasePool& pool, Database& database) : pool_(&pool), database_(&database) {}
    Lease(Lease&& other) noexcept : pool_(other.pool_), database_(other.database_) { other.pool_ = nullptr; }
    Lease(const Lease&) = delete;
    ~Lease();
    Database& database() { return *database_; }
    /// scope_to lets the connection see only the workspaces of PARTNER_ID that USER_ID may see
    /// (wfa_caller_workspaces) until the lease ends, and returns their ids.
    std::vector<std::string> scope_to(const std::string& user_id, const std::string& partner_id);

   private:
    DatabasePool* pool_;
    Database* database_;
  };

  /// acquire waits up to WAIT for a free handle.
  Lease acquire(std::chrono::milliseconds wait = std::chrono::milliseconds(2000));
  std::size_t in_use() const;
  std::size_t waiting() const;

 private:
  void give_back(Database* database);
  mutable std::mutex mutex_;
  std::condition_variable freed_;
  std::vector<std::unique_ptr<Database>> all_;
  std::vector<Database*> free_;
  std::size_t waiting_ = 0;
};

}  // namespace wfa::serve
