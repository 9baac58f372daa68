// The pool: handles made up front, each connecting on first use and reconnecting after a failure (Database::ready).
#include "serve/database_pool.hpp"

#include "core/database.hpp"
#include "core/error.hpp"

namespace wfa::serve {

DatabasePool::DatabasePool(const Config& settings, std::size_t size) {
  for (std::size_t i = 0; i < std::max<std::size_t>(size, 1); ++i) {
    all_.push_back(std::make_unique<Database>(DatabaseTarget::from_config(settings)));
    free_.push_back(all_.back().get());
  }
}

DatabasePool::~DatabasePool() = default;

DatabasePool::Lease::~Lease() {
  if (pool_) pool_->give_back(database_);
}

DatabasePool::Lease DatabasePool::acquire(std::chrono::milliseconds wait) {
  std::unique_lock lock(mutex_);
  ++waiting_;
  bool got = freed_.wait_for(lock, wait, [&] { return !free_.empty(); });
  --waiting_;
  if (!got) throw TemporaryError("every database connection is busy", "retry in a moment");
  auto* database = free_.back();
  free_.pop_back();
  return Lease(*this, *database);
}

void DatabasePool::give_back(Database* database) {
  {
    std::lock_guard lock(mutex_);
    free_.push_back(database);
  }
  freed_.notify_one();
}

std::size_t DatabasePool::in_use() const {
  std::lock_guard lock(mutex_);
  return all_.size() - free_.size();
}

std::size_t DatabasePool::waiting() const {
  std::lock_guard lock(mutex_);
  return waiting_;
}

}  // namespace wfa::serve
