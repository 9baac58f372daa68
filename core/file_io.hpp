#pragma once
/// Whole-file reads and crash-safe writes with errors that name the file and say what to do.
#include <filesystem>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>

namespace wfa {

/// read_file returns the bytes of PATH; a missing file is NotFoundError, an unreadable one InvalidInputError.
/// WHAT names the file's role in messages, e.g. "photo" or "--creative".
std::string read_file(const std::filesystem::path& path, std::string_view what);

/// write_file_atomic writes BYTES to a new temporary sibling and renames it over PATH, so readers never see a
/// half-written file and a symlink planted at PATH is replaced, not followed; parent directories are created.
/// Failures are InvalidInputError naming PATH.
void write_file_atomic(const std::filesystem::path& path, std::string_view bytes);

/// AtomicFileWriter streams into a new temporary sibling of PATH (an unpredictable name, O_EXCL, O_NOFOLLOW, the
/// private mode); commit() syncs it to disk and renames it over PATH. Nothing touches
/// PATH before commit(), a writer destroyed without commit() removes its temporary file, and the temporaries killed
/// runs left in PATH's directory are removed when a process first writes there.
class AtomicFileWriter {
 public:
  explicit AtomicFileWriter(std::filesystem::path path);
  ~AtomicFileWriter();
  AtomicFileWriter(const AtomicFileWriter&) = delete;
  AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;

  std::ostream& stream() { return out_; }
  /// temp_path is the temporary file, for a library that writes by name (libxlsxwriter): it writes there instead of
  /// stream(), before commit().
  const std::filesystem::path& temp_path() const { return temp_; }
  /// commit flushes, closes and renames; a failed write anywhere before is reported here, naming PATH.
  void commit();

 private:
  class FdBuffer;
  std::filesystem::path path_, temp_;
  std::unique_ptr<FdBuffer> buffer_;
  std::ostream out_;
  bool committed_ = false;
};

/// Outputs and the file store are private by default: files 0600, directories wfa creates 0700. Group-readable
/// (0640/0750) is for teams that share outputs (setting group_readable_outputs); the Session sets it.
void set_group_readable_outputs(bool on);
/// Writing into a directory every user may write to without the sticky bit is refused unless this allows it
/// (setting allow_shared_output_dirs); the Session sets it.
void allow_shared_output_dirs(bool on);

/// make_private_directories creates DIR and its missing parents with the private (or group) directory mode.
void make_private_directories(const std::filesystem::path& dir);

/// refuse_others_writable throws InvalidInputError when PATH, or the directory holding it, is owned by a user other
/// than wfa's (or root) or writable by its group or others: wfa runs what such files say (SQL as the database
/// owner, settings as root under cron), so another local user must not be able to change them. WHAT names PATH.
void refuse_others_writable(const std::filesystem::path& path, std::string_view what);

/// is_stale_temporary says whether PATH is a writer's temporary file whose process has ended (`cleanup files`).
bool is_stale_temporary(const std::filesystem::path& path);

/// refuse_overwriting_input throws InvalidInputError when OUTPUT is the same file as INPUT (by inode, or by path
/// when one does not exist yet), before anything is written: `--reject-file` equal to the input would destroy it.
void refuse_overwriting_input(const std::filesystem::path& output, std::string_view output_what,
                              const std::filesystem::path& input, std::string_view input_what);

/// output_in_dir is DIR/NAME for a batch row's output file named in its column WHAT, refused (InvalidInputError)
/// when NAME is absolute, climbs out with "..", or DIR/NAME's directory resolves (through a symbolic link) to a
/// place outside DIR. The file itself is replaced by rename, so a link in its place is replaced, never followed.
std::filesystem::path output_in_dir(const std::filesystem::path& dir, std::string_view name, std::string_view what);

}  // namespace wfa
