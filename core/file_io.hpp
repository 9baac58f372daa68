#pragma once
/// Whole-file reads and crash-safe writes with errors that name the file and say what to do.
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace wfa {

/// read_file returns the bytes of PATH; a missing file is NotFoundError, an unreadable one InvalidInputError.
/// WHAT names the file's role in messages, e.g. "photo" or "--creative".
std::string read_file(const std::filesystem::path& path, std::string_view what);

/// write_file_atomic writes BYTES to a temporary sibling and renames it over PATH, so readers never
/// see a half-written file; parent directories are created. Failures are IoError naming PATH.
void write_file_atomic(const std::filesystem::path& path, std::string_view bytes);

/// AtomicFileWriter streams into a temporary sibling of PATH; commit() renames it over PATH. A writer destroyed
/// without commit() removes the temporary file, so PATH is never half-written.
class AtomicFileWriter {
 public:
  explicit AtomicFileWriter(std::filesystem::path path);
  ~AtomicFileWriter();
  AtomicFileWriter(const AtomicFileWriter&) = delete;
  AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;

  std::ostream& stream() { return out_; }
  /// commit flushes, closes and renames; a failed write anywhere before is reported here, naming PATH.
  void commit();

 private:
  std::filesystem::path path_, temp_;
  std::ofstream out_;
  bool committed_ = false;
};

}  // namespace wfa
