// `wfa mockup batch`: mockups from a CSV manifest on the bounded worker pool; failed rows are reported and skipped.
#include <map>
#include <algorithm>
#include <chrono>
#include <cstdio>

#include <nlohmann/json.hpp>
#include <pqxx/result>
#include <pqxx/transaction>

#include "core/session.hpp"
#include "core/database.hpp"
#include "core/audited_mutation.hpp"
#include "commands/mockup/mockup.hpp"
#include "commands/mockup/mockup_jobs.hpp"
#include "commands/mockup/mockup_store.hpp"
#include "commands/tenancy/tenancy_lookup.hpp"
#include "pipelines/csv_records.hpp"
#include "core/file_io.hpp"
#include "core/input_file.hpp"
#include "pipelines/worker_pool.hpp"
#include "commands/tenancy/actor.hpp"

namespace wfa {

namespace fs = std::filesystem;

namespace {

/// BatchItem is one manifest row: a job ready for a worker, or the reason it cannot be made.
struct BatchItem {
  std::size_t row = 0;
  std::string location, creative;
  std::optional<MockupJob> job;
  std::string out;
  std::optional<Classified> error;
};

/// Worker is the per-thread state: buffers reused from mockup to mockup.
struct Worker {
  Compositor compositor;
  std::vector<std::uint8_t> buffer;
};

std::string stem(const std::string& path) { return fs::path(path).stem().string(); }

/// prepare resolves SPEC on the calling thread (the only one using the database); failures stay in the item.
BatchItem prepare(Session& session, const MockupSpec& spec, const WorkspaceRef& ws, const fs::path& base,
                  const fs::path& out_dir, const fs::path& root, const MockupBatchOptions& o) {
  BatchItem item;
  item.row = spec.row;
  try {
    if (!spec.error.empty()) throw InvalidInputError(spec.error, "fix the row");
    item.location = spec.location, item.creative = spec.creative_name;
    if (item.location.empty() || item.creative.empty())
      throw InvalidInputError("location and creative must not be empty", "fill both columns");
    fs::path creative = spec.creative;
    if (creative.is_relative()) creative = base / creative;
    char prefix[16];
    std::snprintf(prefix, sizeof prefix, "%04zu-", spec.row);
    item.out =
        output_in_dir(out_dir,
                      spec.out.empty() ? prefix + item.location + "-" + stem(item.creative) + ".jpg" : spec.out, "out")
            .string();
    pqxx::read_transaction tx(session.database().ready());
    auto photo = find_photo(tx, ws.id, item.location, spec.time_of_day.empty() ? "day" : spec.time_of_day,
                            spec.finish.empty() ? "gold" : spec.finish);
    refuse_overwriting_input(item.out, "out", creative, "creative");
    item.job = prepare_job(tx, root, photo, creative.string(), o.quality, o.no_cache);
    if (spec.creative != spec.creative_name) item.job->creative_name = spec.creative_name;
  } catch (...) {
    item.error = classify(std::current_exception());
  }
  return item;
}

/// Made is a finished item handed back to the calling thread, which logs it.
struct Made {
  BatchItem item;
  RenderedMockup rendered;
};

/// with_hint folds an error's hint into its one-line message (per-row outcomes carry one line).
[[noreturn]] void rethrow_with_hint(std::exception_ptr error) {
  auto c = classify(error);
  throw Error(c.category, c.hint.empty() ? c.message : c.message + " (" + c.hint + ")");
}

Row failed_row(const MockupSpec& spec, const std::string& message) {
  auto columns = mockup_columns();
  Row out(columns.size(), Cell::null());
  out[0] = Cell(static_cast<std::int64_t>(spec.row)), out[1] = Cell(spec.location);
  out[3] = Cell(spec.creative_name), out[4] = Cell("failed"), out[columns.size() - 1] = Cell(message);
  return out;
}

}  // namespace

std::vector<MockupSpec> read_mockup_manifest(const MockupBatchOptions& o, const Session& session) {
  auto manifest = CsvTable::parse(read_input_file(o.manifest, "manifest", max_csv_table_bytes), o.manifest,
                                  csv_options_for(session.option("encoding"), o.encoding));
  manifest.require_columns({"location", "creative"});
  std::vector<MockupSpec> specs;
  for (const auto& record : manifest.records()) {
    MockupSpec spec;
    spec.row = specs.size() + 1;
    spec.where = manifest.where(record);
    spec.error = record.error;
    spec.location = manifest.field(record, "location");
    spec.creative = spec.creative_name = manifest.field(record, "creative");
    spec.time_of_day = manifest.field(record, "time_of_day");
    spec.finish = manifest.field(record, "finish");
    spec.out = manifest.field(record, "out");
    specs.push_back(std::move(spec));
  }
  return specs;
}

Result make_mockups(const std::vector<MockupSpec>& specs, const MockupPlace& place, const MockupBatchOptions& o,
                    Session& session) {
  const auto& ws = place.workspace;
  const auto& base = place.base;
  const auto& out_dir = place.out_dir;
  make_private_directories(out_dir);
  auto root = file_store_root(session);
  std::size_t next = 0, cached = 0;
  std::map<std::string, std::size_t> outputs;     // output file -> the row that writes it
  DecodedImages photos(o.workers), creatives(4);  // 4 decoded creatives: about 33 MB at 1920x1080
  auto shown = session.progress();
  auto& progress = *shown;
  auto interruptible = session.interruptible();
  const CancelToken& cancel = session.cancellation();
  Table table{"mockups", mockup_columns(), {}};
  PoolOptions pool;
  pool.workers = o.workers;
  pool.cancel = &cancel;
  pool.on_progress = [&](const BatchProgress& p) { progress.update(p.done, p.failed); };
  use_inner_threads(o.workers == 1);
  auto started = std::chrono::steady_clock::now();
  progress.start("mockups", specs.size());
  auto summary = run_batch<BatchItem, Made>(
      [&]() -> std::optional<BatchItem> {
        if (next == specs.size()) return std::nullopt;
        const auto& spec = specs[next++];
        auto item = prepare(session, spec, ws, base, out_dir, root, o);
        if (!item.error)
          if (auto [first, fresh] = outputs.emplace(item.out, spec.row); !fresh)
            item.error = Classified{ErrorCategory::conflict,
                                    "out " + item.out + " is also the output of row " + std::to_string(first->second),
                                    "give each row its own out"};
        return item;
      },

      [&](BatchItem& item, std::size_t) {
        try {
          if (item.error) throw Error(item.error->category, item.error->message, item.error->hint);
          thread_local Worker worker;
          Made made{std::move(item), {}};
          made.rendered = render_job(*made.item.job, root, photos, creatives, worker.compositor, worker.buffer);
          made.item.job->creative_bytes = {};
          copy_mockup(root / made.rendered.file.relative_path, made.item.out);
          return made;
        } catch (...) {
          rethrow_with_hint(std::current_exception());
        }
      },
      [&](ItemOutcome<Made>&& outcome) {
        const auto& spec = specs[outcome.index];
        if (!outcome.ok()) {
          std::string message = spec.where + ": " + outcome.error;
          progress.finish();
          session.info("wfa: error: " + message);
          table.rows.push_back(failed_row(spec, message));
          return;
        }
        auto& made = *outcome.value;
        pqxx::work tx(session.database().ready());
        log_mockup(tx, *made.item.job, made.rendered);
        tx.commit();
        if (made.rendered.cached) ++cached;
        table.rows.push_back(mockup_row(made.item.row, *made.item.job, made.rendered, root, made.item.out));
      },
      pool);
  progress.finish();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::sort(table.rows.begin(), table.rows.end(),
            [](const Row& a, const Row& b) { return a[0].as_integer() < b[0].as_integer(); });

  pqxx::work tx(session.database().ready());
  record_audit(
      tx, {session.actor(), "mockup.batch", "workspace", ws.id, ws.partner_id, ws.id, "", "",
           "{\"manifest\":" + nlohmann::json(o.manifest).dump() + ",\"made\":" + std::to_string(summary.succeeded) +
               ",\"cached\":" + std::to_string(cached) + ",\"failed\":" + std::to_string(summary.failed) + "}"});
  tx.commit();

  Result r;
  r.tables.push_back(std::move(table));
  char rate[64];
  std::snprintf(rate, sizeof rate, "in %.2f s (%.1f/s)", seconds, seconds > 0 ? summary.succeeded / seconds : 0.0);
  r.message = std::to_string(summary.succeeded) + " of " + std::to_string(specs.size()) + " mockups in " +
              out_dir.string() + " " + rate;
  if (cached) r.message += ", " + std::to_string(cached) + " from the cache";
  if (summary.failed) r.message += "; " + std::to_string(summary.failed) + " failed (see above)";
  if (summary.cancelled) r.message += "; interrupted";
  r.category = summary.exit_category();
  return r;
}

Result run_mockup_batch(const MockupBatchOptions& o, Session& session) {
  check_quality(o.quality, session);
  if (o.workers < 1 || o.workers > 64)
    throw InvalidInputError(session.option("workers") + " " + std::to_string(o.workers) + " is out of range",
                            "give 1..64");
  if (o.enqueue) refuse_local_only_options(o, session);
  if (!o.enqueue && o.out_dir.empty())
    throw UsageError(session.option("out") + " is required", "give the directory the mockups are written to");
  auto specs = read_mockup_manifest(o, session);
  WorkspaceRef ws;
  {
    pqxx::read_transaction tx(session.database().ready());
    ws = workspace_for(tx, session, o.workspace, "workspace:mockups:create");
  }
  auto base = fs::path(o.manifest).parent_path();
  if (o.enqueue) return enqueue_mockup_batch(o, std::move(specs), base, session);
  return make_mockups(specs, {ws, base, o.out_dir}, o, session);
}

}  // namespace wfa
