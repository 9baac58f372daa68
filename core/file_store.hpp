#pragma once
/// The file store: photos, mockups and other blobs kept content-addressed under
/// $WFA_DATA_DIR/files as KIND/ab/<sha256>.EXT, written once and shared by identical content.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace wfa {

class Session;

/// StoredFile is where a blob lives, relative to the store root, and what it is.
struct StoredFile {
  std::string relative_path;  ///< e.g. photos/3f/3f9a….jpg
  std::string sha256;
  std::uint64_t bytes = 0;
};

/// file_store_root is the file_store setting, by default $WFA_DATA_DIR/files.
std::filesystem::path file_store_root(const Session& session);

/// blob_address is where store_blob would put BYTES, without writing (for --dry-run).
StoredFile blob_address(std::string_view kind, std::string_view bytes, std::string_view extension);

/// store_blob writes BYTES under ROOT/KIND unless identical content is already there (then it only touches it: a
/// blob written or reused within the grace period of `wfa cleanup files` is never collected).
StoredFile store_blob(const std::filesystem::path& root, std::string_view kind, std::string_view bytes,
                      std::string_view extension);

}  // namespace wfa
