#pragma once
/// serve's bounded pool of database handles: a request borrows one for its Session and gives it back; none free in
/// time is TemporaryError (503), never an unbounded queue or a connection per request.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

#include "core/config.hpp"

namespace wfa {
class Database;
}

namespace wfa::serve {

class DatabasePool {
 public:
  DatabasePool(const Config& settings, std::size_t size);
  ~DatabasePool();

  /// Lease holds one handle until it is destroyed.
  class Lease {
   public:
    Lease(DatabasePool& pool, Database& database) : pool_(&pool), database_(&database) {}
    Lease(Lease&& other) noexcept : pool_(other.pool_), database_(other.database_) { other.pool_ = nullptr; }
    Lease(const Lease&) = delete;
    ~Lease();
    Database& database() { return *database_; }

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
