#include "core/copy_binary.hpp"

#include "core/error.hpp"

namespace wfa {

namespace {

/// The 11-byte signature, then the flags and the header extension's length (both 32-bit).
constexpr std::string_view signature("PGCOPY\n\377\r\n\0", 11);
constexpr std::size_t header_size = 11 + 4 + 4;

std::uint32_t be32(const char* p) {
  auto b = reinterpret_cast<const unsigned char*>(p);
  return (std::uint32_t(b[0]) << 24) | (std::uint32_t(b[1]) << 16) | (std::uint32_t(b[2]) << 8) | std::uint32_t(b[3]);
}

std::uint16_t be16(const char* p) {
  auto b = reinterpret_cast<const unsigned char*>(p);
  return static_cast<std::uint16_t>((b[0] << 8) | b[1]);
}

[[noreturn]] void malformed(const std::string& why) {
  throw Error(ErrorCategory::unexpected, "the database sent an export this version cannot read: " + why);
}

}  // namespace

std::size_t CopyBinaryRows::parse(std::string_view data, const Visitor& visit) {
  std::size_t at = 0;
  if (!header_done_) {
    if (data.size() < header_size) return 0;
    if (data.substr(0, signature.size()) != signature) malformed("no binary COPY signature");
    std::size_t extension = be32(data.data() + 15);
    if (data.size() < header_size + extension) return 0;
    at = header_size + extension;
    header_done_ = true;
  }
  while (at + 2 <= data.size() && !finished_) {
    auto count = static_cast<std::int16_t>(be16(data.data() + at));
    if (count == -1) {
      finished_ = true;
      return at + 2;
    }
    if (static_cast<std::size_t>(count) != fields_)
      malformed("a row of " + std::to_string(count) + " fields, not " + std::to_string(fields_));
    std::size_t p = at + 2;
    bool whole = true;
    for (std::size_t f = 0; f < fields_; ++f) {
      if (p + 4 > data.size()) {
        whole = false;
        break;
      }
      auto size = static_cast<std::int32_t>(be32(data.data() + p));
      p += 4;
      if (size < 0) {
        row_[f] = {};
        continue;
      }
      if (p + std::size_t(size) > data.size()) {
        whole = false;
        break;
      }
      row_[f] = {data.data() + p, size};
      p += std::size_t(size);
    }
    if (!whole) break;
    visit(row_);
    at = p;
  }
  return at;
}

void CopyBinaryRows::feed(std::string_view data, const Visitor& visit) {
  if (carry_.empty()) {
    auto used = parse(data, visit);
    if (used < data.size() && !finished_) carry_.assign(data.substr(used));
    return;
  }
  carry_.append(data);
  auto used = parse(carry_, visit);
  carry_.erase(0, used);
}

std::int64_t copy_int64(const CopyField& field) {
  if (field.size != 8) malformed("an 8-byte field of " + std::to_string(field.size) + " bytes");
  return static_cast<std::int64_t>((std::uint64_t(be32(field.data)) << 32) | be32(field.data + 4));
}

std::int32_t copy_int32(const CopyField& field) {
  if (field.size != 4) malformed("a 4-byte field of " + std::to_string(field.size) + " bytes");
  return static_cast<std::int32_t>(be32(field.data));
}

}  // namespace wfa
