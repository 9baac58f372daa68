#pragma once
/// serve's TTL caches: bounded maps whose entries expire, cleared whole when the database says what they hold changed.
/// A ticket taken before reading the database keeps a read that raced a change from being stored (put refuses it).
#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace wfa::serve {

/// CachePool is what metrics and invalidation see of any cache.
class CachePool {
 public:
  CachePool(std::string name, std::chrono::seconds ttl, std::size_t max_entries)
      : name_(std::move(name)), ttl_(ttl), max_entries_(max_entries) {}
  virtual ~CachePool() = default;
  virtual void clear() = 0;
  virtual std::size_t size() const = 0;
  const std::string& name() const { return name_; }
  std::chrono::seconds ttl() const { return ttl_; }
  std::size_t max_entries() const { return max_entries_; }
  long hits() const { return hits_.load(std::memory_order_relaxed); }
  long misses() const { return misses_.load(std::memory_order_relaxed); }
  long invalidations() const { return invalidations_.load(std::memory_order_relaxed); }

 protected:
  std::string name_;
  std::chrono::seconds ttl_;
  std::size_t max_entries_;
  std::atomic<long> hits_{0}, misses_{0}, invalidations_{0};
};

template <class V>
class TtlCache final : public CachePool {
 public:
  using Clock = std::chrono::steady_clock;
  using CachePool::CachePool;

  /// Ticket: the generation a reader saw before it read the database.
  using Ticket = std::uint64_t;
  Ticket ticket() const { return generation_.load(std::memory_order_acquire); }

  std::optional<V> get(const std::string& key) {
    auto now = Clock::now();
    std::lock_guard lock(mutex_);
    auto it = entries_.find(key);
    if (it == entries_.end() || it->second.expires <= now) {
      misses_.fetch_add(1, std::memory_order_relaxed);
      return std::nullopt;
    }
    hits_.fetch_add(1, std::memory_order_relaxed);
    return it->second.value;
  }

  /// put stores VALUE unless the cache was cleared since TICKET; a full cache first drops what expired, then all.
  void put(const std::string& key, V value, Ticket ticket) {
    auto now = Clock::now();
    std::lock_guard lock(mutex_);
    if (ticket != generation_.load(std::memory_order_acquire)) return;
    if (entries_.size() >= max_entries_ && !entries_.count(key)) {
      for (auto it = entries_.begin(); it != entries_.end();)
        it = it->second.expires <= now ? entries_.erase(it) : ++it;
      if (entries_.size() >= max_entries_) entries_.clear();
    }
    entries_.insert_or_assign(key, Entry{std::move(value), now + ttl_});
  }

  void clear() override {
    std::lock_guard lock(mutex_);
    generation_.fetch_add(1, std::memory_order_acq_rel);
    invalidations_.fetch_add(1, std::memory_order_relaxed);
    entries_.clear();
  }

  std::size_t size() const override {
    std::lock_guard lock(mutex_);
    return entries_.size();
  }

 private:
  struct Entry {
    V value;
    Clock::time_point expires;
  };
  mutable std::mutex mutex_;
  std::atomic<Ticket> generation_{0};
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace wfa::serve
