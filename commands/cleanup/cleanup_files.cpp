// `wfa cleanup files`: the temporary files of killed runs, and the blobs no row names, in the file store.
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <regex>
#include <system_error>
#include <unordered_set>

#include <pqxx/result>
#include <pqxx/transaction>

#include "commands/cleanup/cleanup.hpp"
#include "commands/partner/partner_rules.hpp"
#include "commands/tenancy/actor.hpp"
#include "core/database.hpp"
#include "core/file_io.hpp"
#include "core/file_store.hpp"
#include "core/session.hpp"

namespace fs = std::filesystem;

namespace wfa {

namespace {

/// referenced_blobs is every file-store path a row names: photos and their originals, mockups, knowledge documents,
/// attached documents (booking orders'), partner logos, and the input files of calls.ingest jobs (until `job purge`
/// removes them). Read before the directory is walked, so a blob whose row commits later is still in its grace period.
std::unordered_set<std::string> referenced_blobs(Session& session) {
  pqxx::read_transaction tx(session.database().ready());
  std::unordered_set<std::string> out;
  for (const auto& row : tx.exec_params(
           "SELECT path FROM location_photos UNION ALL SELECT original_path FROM location_photos WHERE original_path IS"
           " NOT NULL UNION ALL SELECT path FROM mockup_files UNION ALL SELECT path FROM knowledge_documents UNION ALL"
           " SELECT path FROM documents UNION ALL"
           " SELECT substr(branding->>'logo', length($1) + 1) FROM partners WHERE starts_with(branding->>'logo', $1)"
           " UNION ALL SELECT payload->>'file' FROM jobs WHERE kind = 'calls.ingest' AND payload ? 'file'",
           std::string(stored_logo_prefix)))
    out.insert(row[0].as<std::string>());
  return out;
}

/// is_blob: a file the store wrote, KIND/ab/<sha256>.EXT (anything else under the root is not the store's to remove).
bool is_blob(const fs::path& path) {
  static const std::regex name("[0-9a-f]{64}\\.[a-z0-9]{1,8}");
  return std::regex_match(path.filename().string(), name) &&
         path.parent_path().filename().string() == path.filename().string().substr(0, 2);
}

}  // namespace

Result run_cleanup_files(const CleanupOptions& o, Session& session) {
  auto grace = std::chrono::seconds(o.older_than ? older_than_seconds(*o.older_than) : 86400);
  require_super_admin(session, "run cleanups");
  auto root = file_store_root(session);
  auto referenced = referenced_blobs(session);
  auto cutoff = fs::file_time_type::clock::now() - grace;
  Table table{"files", {"file", "bytes", "reason"}, {}};
  std::uintmax_t bytes = 0;
  std::int64_t temporaries = 0, orphans = 0;
  std::error_code ec;
  // A temporary whose writer still runs is kept, so this is safe beside live runs and under concurrent cleanups.
  for (fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec), end;
       !ec && it != end; it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    const auto& path = it->path();
    const char* reason = nullptr;
    if (is_stale_temporary(path)) {
      reason = "temporary of a killed run";
    } else if (is_blob(path) && !referenced.count(path.lexically_relative(root).string())) {
      // A blob written or reused within the grace period may belong to a row not committed yet.
      auto written = fs::last_write_time(path, ec);
      if (ec || written > cutoff) continue;
      reason = "named by no row";
    } else {
      continue;
    }
    auto size = it->file_size(ec);
    if (!o.dry_run && ::unlink(path.c_str()) != 0) continue;
    bytes += size;
    ++(reason[0] == 't' ? temporaries : orphans);
    table.rows.push_back({Cell(path.string()), Cell(static_cast<std::int64_t>(size)), Cell(std::string(reason))});
  }
  Result r;
  r.fields = {{"temporaries", Cell(temporaries)},
              {"unreferenced", Cell(orphans)},
              {"bytes", Cell(static_cast<std::int64_t>(bytes))}};
  if (table.rows.empty())
    r.message = "files: nothing to collect in " + root.string() + "; nothing to do";
  else
    r.message = std::string(o.dry_run ? "dry run: would remove " : "removed ") + std::to_string(temporaries) +
                " temporary file(s) and " + std::to_string(orphans) + " unreferenced blob(s), " +
                std::to_string(bytes) + " bytes" + (o.dry_run ? "; nothing changed" : "");
  r.tables.push_back(std::move(table));
  return r;
}

}  // namespace wfa
