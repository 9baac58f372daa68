#include "pipelines/phone_set.hpp"

namespace wfa {

namespace {

std::size_t slot_of(std::uint64_t key, std::size_t mask) {
  key ^= key >> 33;
  key *= 0xff51afd7ed558ccdULL;
  key ^= key >> 33;
  return static_cast<std::size_t>(key) & mask;
}

}  // namespace

PhoneSet::PhoneSet() : keys_(1 << 16, 0), lines_(1 << 16, 0), mask_((1 << 16) - 1) {}

std::uint64_t PhoneSet::insert(std::uint64_t key, std::uint32_t line) {
  if ((size_ + 1) * 10 > keys_.size() * 7) grow();
  for (std::size_t i = slot_of(key, mask_);; i = (i + 1) & mask_) {
    if (keys_[i] == key) return static_cast<std::uint64_t>(lines_[i]) + 1;
    if (keys_[i] == 0) {
      keys_[i] = key;
      lines_[i] = line;
      ++size_;
      return 0;
    }
  }
}

void PhoneSet::grow() {
  std::vector<std::uint64_t> keys(keys_.size() * 2, 0);
  std::vector<std::uint32_t> lines(keys.size(), 0);
  std::size_t mask = keys.size() - 1;
  for (std::size_t j = 0; j < keys_.size(); ++j) {
    if (keys_[j] == 0) continue;
    std::size_t i = slot_of(keys_[j], mask);
    while (keys[i] != 0) i = (i + 1) & mask;
    keys[i] = keys_[j];
    lines[i] = lines_[j];
  }
  keys_.swap(keys);
  lines_.swap(lines);
  mask_ = mask;
}

}  // namespace wfa
