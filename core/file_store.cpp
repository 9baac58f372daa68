// Content-addressed blob storage under the data directory.
#include "core/file_store.hpp"

#include <system_error>

#include "core/session.hpp"
#include "core/digest.hpp"
#include "core/file_io.hpp"

namespace wfa {

namespace fs = std::filesystem;

fs::path file_store_root(const Session& session) {
  const auto& store = session.settings().get("file_store");
  if (store.is_set && !store.value.empty()) return fs::path(store.value);
  return fs::path(session.settings().value("data_dir")) / "files";
}

StoredFile blob_address(std::string_view kind, std::string_view bytes, std::string_view extension) {
  StoredFile stored;
  stored.sha256 = sha256_hex(bytes);
  stored.bytes = bytes.size();
  stored.relative_path =
      std::string(kind) + "/" + stored.sha256.substr(0, 2) + "/" + stored.sha256 + "." + std::string(extension);
  return stored;
}

StoredFile store_blob(const fs::path& root, std::string_view kind, std::string_view bytes, std::string_view extension) {
  auto stored = blob_address(kind, bytes, extension);
  auto target = root / stored.relative_path;
  std::error_code ec;
  if (fs::file_size(target, ec) != stored.bytes || ec)
    write_file_atomic(target, bytes);
  else  // reused: fresh again, so `wfa cleanup files` leaves it alone until the row that will name it commits
    fs::last_write_time(target, fs::file_time_type::clock::now(), ec);
  return stored;
}

}  // namespace wfa
