// `wfa calls ingest --file` and `wfa calls unmatched`: one thread reads and normalises the file while this one COPYs
// the rows into the stage; then one merge, one commit.
#include <array>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <mutex>
#include <thread>

#include <nlohmann/json.hpp>
#include <pqxx/result>
#include <pqxx/stream_to>
#include <pqxx/transaction>

#include "commands/calls/calls.hpp"
#include "commands/calls/calls_merge.hpp"
#include "commands/job/job_batch.hpp"
#include "commands/tenancy/actor.hpp"
#include "core/audited_mutation.hpp"
#include "core/database.hpp"
#include "core/error.hpp"
#include "core/file_io.hpp"
#include "core/file_store.hpp"
#include "core/grouping.hpp"
#include "core/session.hpp"
#include "commands/integration/integration_access.hpp"
#include "pipelines/calls/call_listing.hpp"
#include "core/utc_time.hpp"
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

/// Totals add up an ingest's merges.
struct Totals {
  std::int64_t read = 0, inserted = 0, updated = 0, unchanged = 0, quarantined = 0, linked = 0, rejected = 0;
  void add(const MergeCounts& c) {
    inserted += c.inserted, updated += c.updated, unchanged += c.unchanged, quarantined += c.quarantined;
    linked += c.linked, rejected += static_cast<std::int64_t>(c.refused.size());
  }
};

/// report tells one rejected call, the first few on the terminal and every one in the reject file.
struct Reporter {
  Session& session;
  RejectFile& rejects;
  std::string where;
  int shown = 0;
  void reject(std::int64_t line, const std::string& reason) {
    rejects.add(line, reason);
    if (shown++ < 5) session.info("rejected " + where + ":" + std::to_string(line) + ": " + reason);
  }
};

Result summary_result(const CallsIngestOptions& o, const Totals& t, std::chrono::steady_clock::time_point started,
                      const std::string& source) {
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  auto rate = static_cast<std::int64_t>(seconds > 0 ? static_cast<double>(t.read) / seconds : 0);
  Result r;
  r.fields = {{"source", Cell(source)},
              {"provider", Cell(o.provider)},
              {"read", Cell(t.read)},
              {"inserted", Cell(t.inserted)},
              {"updated", Cell(t.updated)},
              {"unchanged", Cell(t.unchanged)},
              {"quarantined", Cell(t.quarantined)},
              {"linked", Cell(t.linked)},
              {"rejected", Cell(t.rejected)},
              {"milliseconds", Cell(static_cast<std::int64_t>(seconds * 1000))},
              {"calls_per_s", Cell(rate)}};
  char took[64];
  std::snprintf(took, sizeof took, " in %.2f s (%s calls/s)", seconds,
                group_thousands(static_cast<std::uint64_t>(rate)).c_str());
  auto n = [](std::int64_t v) { return group_thousands(static_cast<std::uint64_t>(v)); };
  r.message = n(t.read) + " calls read: " + n(t.inserted) + " inserted, " + n(t.updated) + " updated, " +
              n(t.unchanged) + " unchanged, " + n(t.quarantined) + " quarantined, " + n(t.rejected) + " rejected" +
              took;
  return r;
}

void audit_ingest(pqxx::dbtransaction& tx, Session& session, const CallsIngestOptions& o, const std::string& source,
                  const std::optional<std::string>& workspace_id, const Totals& t) {
  record_audit(tx, {session.actor(), "calls.ingest", "calls", source, std::nullopt, workspace_id, "", "",
                    nlohmann::json{{"provider", o.provider},
                                   {"read", t.read},
                                   {"inserted", t.inserted},
                                   {"updated", t.updated},
                                   {"quarantined", t.quarantined}}
                        .dump()});
}

/// file_workspace checks the actor may ingest a file's calls: into O's workspace (its id), or every workspace.
std::optional<std::string> file_workspace(pqxx::transaction_base& tx, const CallsIngestOptions& o, Session& session) {
  if (o.workspace) return workspace_for(tx, session, *o.workspace, "workspace:calls:import").id;
  require_super_admin(actor_of(tx, session), "ingest calls for every workspace (name one with --workspace)");
  return std::nullopt;
}

Result ingest_file(const CallsIngestOptions& o, const std::string& file, Session& session) {
  auto started = std::chrono::steady_clock::now();
  pqxx::work tx(session.database().ready());
  MergeScope scope;
  scope.source = o.source.value_or(std::filesystem::path(file).filename().string());
  scope.workspace_id = file_workspace(tx, o, session);
  create_call_stage(tx);
  RejectFile rejects(o.reject_file);
  Reporter report{session, rejects, file};
  Totals totals;
  auto shown = session.progress();
  auto& progress = *shown;
  progress.start("calls", std::nullopt);
  {
    auto interruptible = session.interruptible();
    CallFileReader reader(file, o.provider, session.cancellation());
    pqxx::stream_to copy(tx, "call_stage", stage_columns());
    ReadBatch batch;
    while (reader.next(batch)) {
      copy_calls(copy, batch.calls);
      for (const auto& r : batch.rejected) report.reject(static_cast<std::int64_t>(r.line), r.reason);
      totals.read += static_cast<std::int64_t>(batch.calls.rows.size() + batch.rejected.size());
      totals.rejected += static_cast<std::int64_t>(batch.rejected.size());
      progress.update(static_cast<std::size_t>(totals.read), static_cast<std::size_t>(totals.rejected));
    }
    if (session.cancellation().cancelled())
      throw InterruptedError("interrupted: the ingest of " + file + " stopped after " +
                             group_thousands(static_cast<std::uint64_t>(totals.read)) + " calls; nothing ingested");
    copy.complete();
  }
  progress.finish();
  auto counts = merge_staged_calls(tx, scope, totals.read - totals.rejected);
  for (const auto& refused : counts.refused) report.reject(refused.line, refused.reason);
  totals.add(counts);
  if (!o.dry_run) audit_ingest(tx, session, o, scope.source, scope.workspace_id, totals);
  rejects.commit();
  auto r = summary_result(o, totals, started, file);
  r = commit_or_roll_back(tx, std::move(r), o.dry_run, r.message, "would ingest: " + r.message);
  if (totals.rejected > 0) r.category = ErrorCategory::batch_partial;
  return r;
}

/// since_ms reads --since: RFC 3339 or a date (midnight UTC).
std::int64_t since_ms(const std::string& text) {
  auto ms = iso8601_ms(text.size() == 10 ? text + "T00:00:00Z" : text);
  if (!ms) throw UsageError("--since " + text + " is not a time", "give RFC 3339 (2026-11-01T00:00:00Z) or a date");
  return *ms;
}

// A finished listing resumes this far back: calls still in progress then, or late at the provider, come again.
constexpr std::int64_t api_overlap_ms = 3600 * 1000;

/// api_workspaces are the workspaces an ingest from the API lists (id, reference), once the actor may: O's, or every
/// one with an active integration of the provider.
std::vector<std::pair<std::string, std::string>> api_workspaces(const CallsIngestOptions& o, Session& session) {
  std::vector<std::pair<std::string, std::string>> workspaces;
  pqxx::read_transaction tx(session.database().ready());
  if (o.workspace) {
    workspaces.emplace_back(workspace_for(tx, session, *o.workspace, "workspace:calls:import").id, *o.workspace);
    return workspaces;
  }
  require_super_admin(actor_of(tx, session), "ingest the calls of every workspace (name one with --workspace)");
  for (const auto& row :
       tx.exec_params("SELECT w.id, p.slug || '/' || w.slug FROM workspace_integrations i JOIN workspaces w ON w.id ="
                      " i.workspace_id JOIN partners p ON p.id = w.partner_id WHERE i.provider = $1 AND i.is_active AND"
                      " w.deleted_at IS NULL ORDER BY 2",
                      o.provider))
    workspaces.emplace_back(row[0].as<std::string>(), row[1].as<std::string>());
  return workspaces;
}

Result ingest_api(const CallsIngestOptions& o, Session& session) {
  auto started = std::chrono::steady_clock::now();
  if (o.dry_run) throw UsageError("--dry-run reads files only", "drop --dry-run, or give --file");
  auto workspaces = api_workspaces(o, session);
  RejectFile rejects(o.reject_file);
  Totals totals;
  auto shown = session.progress();
  auto& progress = *shown;
  progress.start("calls", std::nullopt);
  auto interruptible = session.interruptible();
  CallNormalizer normalizer(o.provider);
  std::vector<std::string> failures;
  for (const auto& [workspace_id, reference] : workspaces) {
    CallListing listing;
    listing.provider = o.provider;
    listing.page_size = whole_setting(session, "calls_page_size", 100, 1, 1000);
    listing.now_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    std::optional<ProviderClient> client;
    {
      pqxx::work tx(session.database().ready());  // opening the key may record the keyring's state
      client.emplace(integration_client(session, tx, workspace_id, reference, o.provider));
      auto saved = tx.exec_params(
          "SELECT position::text FROM call_ingest_checkpoints WHERE workspace_id = $1::uuid AND provider = $2",
          workspace_id, o.provider);
      listing.position = saved.empty() ? nlohmann::json{{"since", 0}} : nlohmann::json::parse(saved[0][0].c_str());
      if (position_complete(listing.position))
        listing.position = {
            {"since", std::max<std::int64_t>(0, listing.position.value("since", std::int64_t{0}) - api_overlap_ms)}};
      if (o.since) listing.position = {{"since", since_ms(*o.since)}};
      for (const auto& row :
           tx.exec_params("SELECT external_agent_id FROM ai_agents WHERE workspace_id = $1::uuid AND provider = $2 AND"
                          " external_agent_id IS NOT NULL ORDER BY 1",
                          workspace_id, o.provider))
        listing.agents.push_back(row[0].as<std::string>());
      tx.commit();
    }
    MergeScope scope{workspace_id, o.provider + " API"};
    Reporter report{session, rejects, reference + " " + o.provider + " API call"};
    Totals here;
    // Every workspace is its own account: one provider failing does not stop the others (a single workspace's
    // failure is the answer itself).
    try {
      list_calls(*client, listing, [&](CallPage&& page) {
        // One page, one transaction: its calls, their usage and the checkpoint after it commit together.
        pqxx::work tx(session.database().ready());
        create_call_stage(tx);
        CallBatch batch;
        std::int64_t rejected = 0;
        {
          pqxx::stream_to copy(tx, "call_stage", stage_columns());
          for (const auto& call : page.calls) {
            auto line = here.read + 1 + static_cast<std::int64_t>(&call - page.calls.data());
            if (auto fault = normalizer.add(call, static_cast<std::size_t>(line), batch))
              report.reject(line, *fault), ++rejected;
          }
          copy_calls(copy, batch);
          copy.complete();
        }
        auto counts = merge_staged_calls(tx, scope, static_cast<std::int64_t>(batch.rows.size()));
        for (const auto& refused : counts.refused) report.reject(refused.line, refused.reason);
        tx.exec_params(
            "INSERT INTO call_ingest_checkpoints (workspace_id, provider, position) VALUES ($1::uuid, $2, $3::jsonb)"
            " ON CONFLICT (workspace_id, provider) DO UPDATE SET position = EXCLUDED.position, updated_at = now()",
            workspace_id, o.provider, page.position.dump());
        tx.commit();
        here.read += static_cast<std::int64_t>(page.calls.size());
        here.rejected += rejected;
        here.add(counts);
        progress.update(static_cast<std::size_t>(totals.read + here.read),
                        static_cast<std::size_t>(totals.rejected + here.rejected));
        return !session.cancellation().cancelled();
      });
    } catch (const Error& e) {
      if (o.workspace || (e.category() != ErrorCategory::temporary && e.category() != ErrorCategory::invalid_input))
        throw;
      failures.push_back(reference + ": " + e.what());
      session.info("error: " + failures.back() + " (what it paged before stays; the next run resumes)");
    }
    {
      pqxx::work tx(session.database().ready());
      audit_ingest(tx, session, o, o.provider + " API", workspace_id, here);
      tx.commit();
    }
    totals.read += here.read, totals.inserted += here.inserted, totals.updated += here.updated;
    totals.unchanged += here.unchanged, totals.quarantined += here.quarantined, totals.linked += here.linked;
    totals.rejected += here.rejected;
    if (session.cancellation().cancelled())
      throw InterruptedError("interrupted: the pages ingested so far are kept; the next run resumes after them");
  }
  progress.finish();
  rejects.commit();
  auto r = summary_result(o, totals, started, o.provider + " API");
  if (workspaces.empty()) r.message = "no workspace has an active " + o.provider + " integration; nothing to ingest";
  if (totals.rejected > 0) r.category = ErrorCategory::batch_partial;
  if (!failures.empty()) {
    r.category = ErrorCategory::temporary;
    r.message += "; " + std::to_string(failures.size()) + " of " + std::to_string(workspaces.size()) +
                 " workspaces failed (run again to resume them)";
  }
  return r;
}

/// enqueue_ingest checks the rights as the run here would, then enqueues its work as calls.ingest jobs: one per
/// workspace from the API (a workspace's pages follow one cursor, so they are one job), or one for the file, whose
/// bytes go to the file store first.
Result enqueue_ingest(const CallsIngestOptions& o, Session& session) {
  if (o.dry_run)
    throw UsageError(session.option("enqueue") + " ingests nothing now, so it takes no " + session.option("dry-run"));
  if (o.reject_file)
    throw UsageError(session.option("reject-file") + " is written here; with " + session.option("enqueue") +
                         " each job's rejected calls are in its result",
                     "drop " + session.option("reject-file"));
  std::vector<nlohmann::json> payloads;
  if (o.from_api) {
    for (const auto& [id, reference] : api_workspaces(o, session)) {
      payloads.push_back({{"provider", o.provider}, {"workspace", id}});
      if (o.since) payloads.back()["since"] = *o.since;
    }
  } else {
    std::optional<std::string> workspace_id;
    {
      pqxx::read_transaction tx(session.database().ready());
      workspace_id = file_workspace(tx, o, session);
    }
    { JsonRecordReader readable(*o.file); }  // an unreadable file is refused before anything is stored
    std::ifstream in(*o.file, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto name = std::filesystem::path(*o.file).filename().string();
    auto stored = store_blob(file_store_root(session), "inputs", bytes, "json");
    payloads.push_back({{"provider", o.provider}, {"file", stored.relative_path}, {"name", name}});
    if (workspace_id) payloads.back()["workspace"] = *workspace_id;
  }
  auto batch = enqueue_batch(session, "calls ingest", "calls.ingest", [&](const std::string&) {
    std::vector<std::string> texts;
    for (const auto& payload : payloads) texts.push_back(payload.dump());
    return texts;
  });
  return enqueued_result(batch);
}

}  // namespace

Result run_calls_ingest(const CallsIngestOptions& o, Session& session) {
  check_provider(o.provider);
  if (o.file.has_value() == o.from_api)
    throw UsageError("give either --file F or --from-api", "e.g. wfa calls ingest --provider vapi --file calls.ndjson");
  if (o.since && !o.from_api) throw UsageError("--since goes with --from-api", "drop --since, or use --from-api");
  if (o.since) since_ms(*o.since);  // a bad --since is refused before any workspace is looked at
  if (o.enqueue) return enqueue_ingest(o, session);
  return o.file ? ingest_file(o, *o.file, session) : ingest_api(o, session);
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
