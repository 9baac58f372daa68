#pragma once
/// PhoneSet remembers phone keys (phone_key) with the line that first had each one: an
/// open-addressing table of 12-byte slots, so a million numbers take about 24 MB.
#include <cstdint>
#include <vector>

namespace wfa {

class PhoneSet {
 public:
  static constexpr std::uint32_t existing_line = 0;  ///< the line recorded for numbers already in the database

  PhoneSet();
  /// insert adds KEY first seen on LINE and returns 0 (line numbers start at 1); if KEY is
  /// already there it changes nothing and returns its line plus one (1 for an existing number).
  std::uint64_t insert(std::uint64_t key, std::uint32_t line);
  std::size_t size() const { return size_; }

 private:
  void grow();

  std::vector<std::uint64_t> keys_;  ///< 0 marks an empty slot (no E.164 number packs to 0)
  std::vector<std::uint32_t> lines_;
  std::size_t size_ = 0;
  std::size_t mask_ = 0;
};

}  // namespace wfa
