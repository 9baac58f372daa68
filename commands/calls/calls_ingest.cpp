// `wfa calls ingest --file` and `wfa calls unmatched`: one thread reads and normalises the file while this one COPYs
// the rows into the stage; then one merge, one commit.
#include <array>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <exception>
#include <filesystem>
#include <mutex>
#include <thread>

#include <pqxx/stream_to>
#include <pqxx/transaction>

#include "commands/calls/calls.hpp"
#include "commands/calls/calls_merge.hpp"
#include "commands/tenancy/actor.hpp"
#include "core/audited_mutation.hpp"
#include "core/database.hpp"
#include "core/error.hpp"
#include "core/file_io.hpp"
#include "core/grouping.hpp"
#include "core/session.hpp"
#include "pipelines/calls/call_row.hpp"
#include "pipelines/calls/json_records.hpp"

namespace wfa {

namespace {

constexpr std::size_t batch_rows = 4096;
constexpr std::size_t queued_batches = 3;

struct Rejected {
  std::size_t line;
  std::string reason;
};

/// ReadBatch is what the reading thread hands over: rows, and the records it could not read.
struct ReadBatch {
  CallBatch calls;
  std::vector<Rejected> rejected;
  std::size_t bytes_read = 0;
};

/// CallFileReader runs the reading thread: a bounded queue of batches keeps memory flat however large the file is.
class CallFileReader {
 public:
  CallFileReader(const std::string& file, const std::string& provider, const CancelToken& cancel)
      : reader_(file), normalizer_(provider), cancel_(cancel) {
    thread_ = std::thread([this] { run(); });
  }
  ~CallFileReader() {
    {
      std::lock_guard lock(mutex_);
      stopped_ = true;
    }
    changed_.notify_all();
    thread_.join();
  }

  /// next waits for the next batch; false at the end. The reading thread's failure is rethrown here.
  bool next(ReadBatch& out) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return !queue_.empty() || done_; });
    if (queue_.empty()) {
      if (failure_) std::rethrow_exception(failure_);
      return false;
    }
    out = std::move(queue_.front());
    queue_.pop_front();
    changed_.notify_all();
    return true;
  }

 private:
  void run() {
    try {
      ReadBatch batch;
      std::string_view record;
      std::size_t line = 0;
      while (reader_.next(record, line)) {
        if (auto fault = normalizer_.add(record, line, batch.calls)) batch.rejected.push_back({line, *fault});
        if (batch.calls.rows.size() + batch.rejected.size() >= batch_rows) {
          batch.bytes_read = reader_.bytes_read();
          if (!push(std::move(batch))) return;
          batch = ReadBatch();
        }
      }
      batch.bytes_read = reader_.bytes_read();
      push(std::move(batch));
    } catch (...) {
      std::lock_guard lock(mutex_);
      failure_ = std::current_exception();
    }
    std::lock_guard lock(mutex_);
    done_ = true;
    changed_.notify_all();
  }

  bool push(ReadBatch&& batch) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return queue_.size() < queued_batches || stopped_ || cancel_.cancelled(); });
    if (stopped_ || cancel_.cancelled()) return false;
    queue_.push_back(std::move(batch));
    changed_.notify_all();
    return true;
  }

  JsonRecordReader reader_;
  CallNormalizer normalizer_;
  const CancelToken& cancel_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<ReadBatch> queue_;
  std::exception_ptr failure_;
  bool done_ = false, stopped_ = false;
  std::thread thread_;
};

void check_provider(const std::string& provider) {
  if (provider != "vapi" && provider != "retell" && provider != "synthflow")
    throw UsageError("--provider " + provider + " is not a voice provider wfa reads", "use vapi, retell or synthflow");
}

/// RejectFile writes line,reason rows (CSV) and appears only when complete.
class RejectFile {
 public:
  explicit RejectFile(const std::optional<std::string>& path) {
    if (path) file_ = std::make_unique<AtomicFileWriter>(*path), file_->stream() << "line,reason\n";
  }
  void add(std::int64_t line, const std::string& reason) {
    if (!file_) return;
    auto& out = file_->stream();
    out << line << ",\"";
    for (char c : reason) out << (c == '"' ? "\"\"" : std::string(1, c));
    out << "\"\n";
  }
  void commit() {
    if (file_) file_->commit();
  }

 private:
  std::unique_ptr<AtomicFileWriter> file_;
};

}  // namespace

Result run_calls_ingest(const CallsIngestOptions& o, Session& session) {
  auto started = std::chrono::steady_clock::now();
  check_provider(o.provider);
  pqxx::work tx(session.database().ready());
  MergeScope scope;
  scope.source = std::filesystem::path(o.file).filename().string();
  if (o.workspace)
    scope.workspace_id = workspace_for(tx, session, *o.workspace, "workspace:calls:import").id;
  else
    require_super_admin(actor_of(tx, session), "ingest calls for every workspace (name one with --workspace)");

  create_call_stage(tx);
  RejectFile rejects(o.reject_file);
  std::vector<std::string> columns{"line"};
  for (const char* name : call_column_names) columns.emplace_back(name);
  std::size_t read = 0, rejected = 0, samples = 0;
  auto shown = session.progress();
  auto& progress = *shown;
  progress.start("calls", std::nullopt);
  {
    auto interruptible = session.interruptible();
    CallFileReader reader(o.file, o.provider, session.cancellation());
    pqxx::stream_to copy(tx, "call_stage", columns);
    std::array<const char*, 1 + call_column_count> row{};
    std::string line_text;
    ReadBatch batch;
    while (reader.next(batch)) {
      for (std::size_t i = 0; i < batch.calls.rows.size(); ++i) {
        line_text = std::to_string(batch.calls.lines[i]);
        row[0] = line_text.c_str();
        for (std::size_t c = 0; c < call_column_count; ++c) row[1 + c] = batch.calls.value(i, c);
        copy << row;
      }
      for (const auto& r : batch.rejected) {
        rejects.add(static_cast<std::int64_t>(r.line), r.reason);
        if (samples++ < 5) session.info("rejected " + o.file + ":" + std::to_string(r.line) + ": " + r.reason);
      }
      read += batch.calls.rows.size() + batch.rejected.size();
      rejected += batch.rejected.size();
      progress.update(read, rejected);
    }
    if (session.cancellation().cancelled())
      throw InterruptedError("interrupted: the ingest of " + o.file + " stopped after " + group_thousands(read) +
                             " calls; nothing ingested");
    copy.complete();
  }
  progress.finish();

  auto counts = merge_staged_calls(tx, scope, static_cast<std::int64_t>(read - rejected));
  for (const auto& refused : counts.refused) {
    rejects.add(refused.line, refused.reason);
    if (samples++ < 5) session.info("rejected " + o.file + ":" + std::to_string(refused.line) + ": " + refused.reason);
  }
  rejected += counts.refused.size();
  if (!o.dry_run)
    record_audit(tx, {session.actor(), "calls.ingest", "calls", scope.source, std::nullopt, scope.workspace_id, "", "",
                      "{\"provider\": \"" + o.provider + "\", \"read\": " + std::to_string(read) + ", \"inserted\": " +
                          std::to_string(counts.inserted) + ", \"updated\": " + std::to_string(counts.updated) + "}"});
  rejects.commit();

  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  auto rate = static_cast<std::int64_t>(seconds > 0 ? static_cast<double>(read) / seconds : 0);
  Result r;
  r.fields = {{"file", Cell(o.file)},
              {"provider", Cell(o.provider)},
              {"read", Cell(static_cast<std::int64_t>(read))},
              {"inserted", Cell(counts.inserted)},
              {"updated", Cell(counts.updated)},
              {"unchanged", Cell(counts.unchanged)},
              {"quarantined", Cell(counts.quarantined)},
              {"linked", Cell(counts.linked)},
              {"rejected", Cell(static_cast<std::int64_t>(rejected))},
              {"milliseconds", Cell(static_cast<std::int64_t>(seconds * 1000))},
              {"calls_per_s", Cell(rate)}};
  char took[64];
  std::snprintf(took, sizeof took, " in %.2f s (%s calls/s)", seconds, group_thousands(rate).c_str());
  std::string summary = group_thousands(read) + " calls read: " + group_thousands(counts.inserted) + " inserted, " +
                        group_thousands(counts.updated) + " updated, " + group_thousands(counts.unchanged) +
                        " unchanged, " + group_thousands(counts.quarantined) + " quarantined, " +
                        group_thousands(rejected) + " rejected" + took;
  r = commit_or_roll_back(tx, std::move(r), o.dry_run, summary, "would ingest: " + summary);
  if (rejected > 0) r.category = ErrorCategory::batch_partial;
  return r;
}

Result run_calls_unmatched(const CallsUnmatchedOptions& o, Session& session) {
  if (o.provider) check_provider(*o.provider);
  if (o.link) {
    pqxx::work tx(session.database().ready());
    require_super_admin(actor_of(tx, session), "link quarantined calls");
    create_call_stage(tx);
    auto counts = merge_staged_calls(tx, MergeScope{std::nullopt, "unmatched"}, 0);
    Result r;
    r.fields = {
        {"linked", Cell(counts.linked)}, {"inserted", Cell(counts.inserted)}, {"updated", Cell(counts.updated)}};
    tx.commit();
    r.message = group_thousands(counts.linked) + " quarantined calls linked to their agents";
    return r;
  }
  auto tx = list_transaction(session);
  require_super_admin(actor_of(*tx, session), "see the calls of unknown agents");
  ListQuery query("calls unmatched", "calls");
  query
      .select(
          "u.provider, u.external_call_id, u.external_agent_id, u.reason, u.source, u.first_seen_at, u.last_seen_at")
      .from("unmatched_calls u")
      .where("u.provider = ?", o.provider)
      .order_by({{"u.provider", "text"}, {"u.external_call_id", "text"}})
      .when_empty("no quarantined calls");
  return list_rows(tx, query, o.paging, session);
}

}  // namespace wfa
