// `wfa cleanup files`: the temporary files of killed runs in the file store.
#include <unistd.h>

#include <filesystem>
#include <system_error>

#include "core/file_io.hpp"
#include "core/file_store.hpp"
#include "core/session.hpp"
#include "commands/cleanup/cleanup.hpp"
#include "commands/tenancy/actor.hpp"

namespace fs = std::filesystem;

namespace wfa {

Result run_cleanup_files(const CleanupOptions& o, Session& session) {
  require_super_admin(session, "run cleanups");
  auto root = file_store_root(session);
  Table table{"files", {"file", "bytes"}, {}};
  std::uintmax_t bytes = 0;
  std::error_code ec;
  // A temporary whose writer still runs is kept, so this is safe beside live runs and under concurrent cleanups.
  for (fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec), end;
       !ec && it != end; it.increment(ec)) {
    if (!it->is_regular_file(ec) || !is_stale_temporary(it->path())) continue;
    auto size = it->file_size(ec);
    if (!o.dry_run && ::unlink(it->path().c_str()) != 0) continue;
    bytes += size;
    table.rows.push_back({Cell(it->path().string()), Cell(static_cast<std::int64_t>(size))});
  }
  Result r;
  auto n = std::to_string(table.rows.size());
  if (table.rows.empty())
    r.message = "no temporary file of a killed run in " + root.string() + "; nothing to do";
  else
    r.message = (o.dry_run ? "dry run: would remove " : "removed ") + n + " temporary file(s), " +
                std::to_string(bytes) + " bytes" + (o.dry_run ? "; nothing changed" : "");
  r.tables.push_back(std::move(table));
  return r;
}

}  // namespace wfa
