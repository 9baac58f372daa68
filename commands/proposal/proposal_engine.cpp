// Rendering proposals on the worker pool, logging them, and the combined PDF.
#include "commands/proposal/proposal_engine.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include <pqxx/connection>
#include <pqxx/result>
#include <pqxx/transaction>

#include "core/session.hpp"
#include "core/database.hpp"
#include "core/paths.hpp"
#include "core/audited_mutation.hpp"
#include "core/file_store.hpp"
#include "commands/perm/record_access.hpp"
#include "commands/proposal/proposal_catalog.hpp"
#include "commands/tenancy/actor.hpp"
#include "pipelines/calendar.hpp"
#include "core/cancellation.hpp"
#include "core/digest.hpp"
#include "core/file_io.hpp"

namespace wfa {

namespace fs = std::filesystem;

namespace {

/// Rendered is a worker's answer: the item's pages (kept only for a combined PDF) and what was written.
struct Rendered {
  std::size_t index = 0;  ///< the request's position
  std::vector<RenderedPage> pages;
  ProposalRunItem item;
  std::vector<std::string> location_keys;
  std::string start_date, end_date;
  std::string sha256;
  std::string client;
};

void prepare_out_dir(const fs::path& dir, const std::string& flag) {
  try {
    make_private_directories(dir);
  } catch (const Error&) {
  }
  if (!fs::is_directory(dir) || ::access(dir.c_str(), W_OK) != 0)
    throw InvalidInputError(flag + " " + dir.string() + " is not a writable directory",
                            "choose a directory you can write to");
}

/// issue_date is the day proposals are dated and exchange rates taken: SOURCE_DATE_EPOCH's, or today.
std::pair<std::chrono::sys_days, std::string> issue_date() {
  if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH"); epoch && *epoch) {
    long long seconds = std::atoll(epoch);
    return {std::chrono::floor<std::chrono::days>(std::chrono::sys_seconds{std::chrono::seconds{seconds}}),
            pdf_date_from_epoch(seconds)};
  }
  return {today_utc(), ""};
}

/// ProposalLog writes proposals_log rows in chunks, one transaction per chunk, and registers each proposal's owner in
/// that transaction: OWNER_ID (the acting user; none for the operator) owns a proposal unless it has an owner already.
class ProposalLog {
 public:
  /// Unlogged is told about each written proposal whose log row could not be stored, after its file was removed.
  using Unlogged = std::function<void(const Rendered&, const Classified&)>;

  ProposalLog(pqxx::connection_base& conn, std::string workspace_id, std::string batch_file, std::string actor,
              std::optional<std::string> owner_id, Unlogged unlogged)
      : conn_(conn),
        workspace_id_(std::move(workspace_id)),
        batch_file_(std::move(batch_file)),
        actor_(std::move(actor)),
        owner_id_(std::move(owner_id)),
        unlogged_(std::move(unlogged)) {}
  void add(Rendered row) {
    pending_.push_back(std::move(row));
    if (pending_.size() >= 100) flush();
  }
  /// flush stores the pending rows in one transaction; when that fails their files are removed and each is reported
  /// as unlogged, so no PDF is left in the output directory without its log row.
  void flush() {
    if (pending_.empty()) return;
    try {
      store();
    } catch (const InterruptedError&) {
      throw;
    } catch (...) {
      auto why = classify(std::current_exception());
      for (const auto& r : pending_) {
        std::error_code ec;
        fs::remove(r.item.file, ec);
        unlogged_(r, why);
      }
    }
    pending_.clear();
  }

 private:
  void store() {
    pqxx::work tx(conn_);
    for (const auto& r : pending_) {
      tx.exec_params(
          "INSERT INTO proposals_log (workspace_id, proposal_id, client_name, location_keys, start_date, end_date, "
          "currency,"
          " total, file_path, sha256, bytes, pages, batch_file, created_by, batch_row)"
          " VALUES ($1::uuid, $2, $3, string_to_array($4, chr(31)), $5::date, $6::date, $7, $8, $9, $10, $11, $12, "
          "$13, $14, $15)"
          " ON CONFLICT (workspace_id, proposal_id) DO UPDATE SET client_name = EXCLUDED.client_name,"
          " location_keys = EXCLUDED.location_keys, start_date = EXCLUDED.start_date, end_date = EXCLUDED.end_date,"
          " currency = EXCLUDED.currency, total = EXCLUDED.total, file_path = EXCLUDED.file_path, sha256 = "
          "EXCLUDED.sha256,"
          " bytes = EXCLUDED.bytes, pages = EXCLUDED.pages, batch_file = EXCLUDED.batch_file, created_by = "
          "EXCLUDED.created_by, batch_row = EXCLUDED.batch_row",
          workspace_id_, r.item.id, r.client, join(r.location_keys), r.start_date, r.end_date, r.item.currency,
          r.item.total, r.item.file, r.sha256, static_cast<std::int64_t>(r.item.bytes), r.item.pages,
          batch_file_.empty() ? std::optional<std::string>() : std::optional<std::string>(batch_file_), actor_,
          batch_file_.empty() || r.item.row == 0 ? std::optional<std::int64_t>()
                                                 : std::optional<std::int64_t>(static_cast<std::int64_t>(r.item.row)));
      if (owner_id_) claim_record_owner(tx, workspace_id_, {"proposal", r.item.id}, *owner_id_, actor_);
    }
    tx.commit();
  }

  static std::string join(const std::vector<std::string>& keys) {
    std::string out;
    for (const auto& key : keys) out += (out.empty() ? "" : "\x1f") + key;
    return out;
  }
  pqxx::connection_base& conn_;
  std::string workspace_id_, batch_file_, actor_;
  std::optional<std::string> owner_id_;
  Unlogged unlogged_;
  std::vector<Rendered> pending_;
};

/// proposal_owner is who owns the proposals this run logs: the acting user (in a worker, the user who enqueued the
/// batch), or no one for the operator.
std::optional<std::string> proposal_owner(pqxx::connection_base& conn, const Session& session) {
  pqxx::read_transaction tx(conn);
  auto actor = actor_of(tx, session);
  if (actor.is_operator()) return std::nullopt;
  return actor.user_id;
}

/// already_written is the set of ids whose logged file is still there with the logged digest.
std::set<std::string> already_written(pqxx::connection_base& conn, const std::string& workspace_id,
                                      const fs::path& out_dir) {
  std::set<std::string> done;
  pqxx::read_transaction tx(conn);
  auto rows = tx.exec_params(
      "SELECT proposal_id, file_path, sha256, bytes FROM proposals_log WHERE workspace_id = $1::uuid", workspace_id);
  for (const auto& row : rows) {
    fs::path file = row[1].as<std::string>();
    std::error_code ec;
    if (file.parent_path() != out_dir && !fs::equivalent(file.parent_path(), out_dir, ec)) continue;
    if (fs::file_size(file, ec) != row[3].as<std::uint64_t>() || ec) continue;
    try {
      if (sha256_hex(read_file(file, "proposal")) == row[2].as<std::string>()) done.insert(row[0].as<std::string>());
    } catch (const Error&) {
    }
  }
  return done;
}

/// CombinedPdf writes a batch's proposals into one PDF in file order as they finish: a proposal waits only for the
/// rows before it, so memory holds the few that finished early, never the whole batch.
class CombinedPdf {
 public:
  CombinedPdf(const PdfFonts& fonts, const fs::path& path)
      : file_(path), stream_(fonts, [this](std::string_view bytes) {
          file_.stream().write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        }) {}

  /// deliver hands over row INDEX's pages (none for a failed row); every index from 0 is delivered once.
  void deliver(std::size_t index, std::vector<RenderedPage> pages) {
    waiting_.emplace(index, std::move(pages));
    for (auto it = waiting_.find(next_); it != waiting_.end(); it = waiting_.find(++next_)) {
      for (const auto& page : it->second) stream_.add(page);
      waiting_.erase(it);
    }
  }

  /// finish writes what is still waiting (rows after an interruption's gap), completes the file and renames it into
  /// place; it returns the pages and bytes written.
  std::pair<std::size_t, std::uint64_t> finish(const PdfInfo& info) {
    for (const auto& [index, pages] : waiting_)
      for (const auto& page : pages) stream_.add(page);
    waiting_.clear();
    auto bytes = stream_.finish(info);
    file_.commit();
    return {stream_.pages(), bytes};
  }

 private:
  AtomicFileWriter file_;
  PdfStream stream_;
  std::map<std::size_t, std::vector<RenderedPage>> waiting_;
  std::size_t next_ = 0;
};

/// missing_glyphs_warning names the characters of PAGES that no installed font has, or is empty.
std::string missing_glyphs_warning(const std::string& where, const std::vector<RenderedPage>& pages) {
  std::u32string missing;
  for (const auto& page : pages)
    for (auto cp : page.missing)
      if (missing.find(cp) == std::u32string::npos) missing += cp;
  if (missing.empty()) return "";
  std::string names;
  for (auto cp : missing) {
    char code[16];
    std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(cp));
    names += std::string(names.empty() ? "" : ", ") + code;
  }
  return where + ": no installed font has " + names + ", drawn as an empty box; install a font that covers " +
         (missing.size() == 1 ? "it" : "them") + " (fontconfig finds it) or change the text";
}

}  // namespace

fs::path proposal_layout_path(const std::string& layout) {
  if (layout.find('/') != std::string::npos || (layout.size() > 5 && layout.ends_with(".json"))) return layout;
  auto path = resource_dir("templates") / "proposal" / (layout + ".json");
  if (!fs::exists(path))
    throw NotFoundError("layout '" + layout + "' not found in " + path.parent_path().string(),
                        "use --layout standard, or give the path of a layout .json file");
  return path;
}

std::vector<std::string> proposal_conflicts(const std::vector<ProposalRequest>& requests, const fs::path& out_dir) {
  std::map<std::string, std::size_t> first_row, first_file;
  std::vector<std::string> conflicts(requests.size());
  for (std::size_t i = 0; i < requests.size(); ++i) {
    if (auto [it, fresh] = first_row.emplace(requests[i].id, requests[i].row); !fresh)
      conflicts[i] = "proposal id " + requests[i].id + " is already used on row " + std::to_string(it->second);
    else if (auto [at, new_file] =
                 first_file.emplace((out_dir / requests[i].file).lexically_normal().string(), requests[i].row);
             !new_file)
      conflicts[i] = "file " + requests[i].file + " is also the output of row " + std::to_string(at->second);
  }
  return conflicts;
}

ProposalRunReport run_proposals(Session& session, const std::vector<ProposalRequest>& requests,
                                const ProposalRunOptions& options) {
  auto started = std::chrono::steady_clock::now();
  auto layout = ProposalLayout::load(proposal_layout_path(options.layout).string());
  prepare_out_dir(options.out_dir, "--out");
  auto out_dir = fs::absolute(options.out_dir).lexically_normal();
  if (options.combined_pdf)
    prepare_out_dir(fs::absolute(*options.combined_pdf).parent_path(), "--combined-pdf directory");
  auto [issued, creation_date] = issue_date();
  auto& conn = session.database().ready();
  auto catalog = load_catalog(conn, options.workspace, issued, file_store_root(session));
  auto skip = options.resume ? already_written(conn, catalog.workspace_id, out_dir) : std::set<std::string>();
  ProposalPhotos photos(file_store_root(session));
  ProposalRunReport report;
  report.items.resize(requests.size());
  std::size_t unlogged = 0;
  ProposalLog log(conn, catalog.workspace_id, options.batch_file, session.actor(), proposal_owner(conn, session),
                  [&](const Rendered& r, const Classified& why) {
                    auto index = r.index;
                    report.items[index].status = "failed";
                    report.items[index].file.clear();
                    report.items[index].error =
                        r.item.file + " was written but could not be logged (" + why.message + "), so it was removed";
                    report.items[index].hint = "run the batch again with --resume once the database is reachable";
                    report.items[index].category = why.category;
                    --report.written;
                    ++unlogged;
                  });

  auto duplicate = proposal_conflicts(requests, out_dir);

  std::optional<CombinedPdf> combined;
  if (options.combined_pdf) combined.emplace(layout->fonts(), *options.combined_pdf);
  auto shown = session.progress();
  auto& progress = *shown;
  progress.start("proposals", requests.size());
  auto interruptible = session.interruptible();
  const CancelToken& cancel = session.cancellation();
  std::size_t next = 0;
  auto work = [&](std::size_t& i, std::size_t) -> Rendered {
    const auto& request = requests[i];
    if (!duplicate[i].empty())
      throw ConflictError(request.where + ": " + duplicate[i], "give each row its own proposal_id and file");
    auto content = build_proposal(catalog, request, *layout, photos);
    Rendered r;
    r.pages = render_proposal(*layout, content);
    r.index = i;
    r.item.row = request.row;
    r.item.id = request.id;
    r.item.pages = static_cast<int>(r.pages.size());
    r.item.currency = content.currency;
    PriceLine sum;  // checked: totals that overflow are refused before anything is written
    for (const auto& location : content.locations) sum = add_lines(sum, location.campaign);
    r.item.total = sum.total;
    r.item.file = output_in_dir(out_dir, request.file, request.where + ": file").string();
    r.item.warning = missing_glyphs_warning(request.where, r.pages);
    if (skip.count(request.id)) {
      r.item.status = "skipped";
      return r;
    }
    std::vector<const RenderedPage*> list;
    for (const auto& page : r.pages) list.push_back(&page);
    auto pdf = write_pdf(layout->fonts(), list, {"Proposal " + request.id + " for " + request.client, creation_date});
    write_file_atomic(r.item.file, pdf);
    r.item.status = "written";
    r.item.bytes = pdf.size();
    r.sha256 = sha256_hex(pdf);
    r.client = request.client;
    r.location_keys = request.locations;
    auto start = parse_date(request.start, "start");
    r.start_date = iso_date(start);
    r.end_date = iso_date(start + std::chrono::days(7 * content.weeks - 1));
    if (!combined) r.pages.clear();
    return r;
  };
  auto on_result = [&](ItemOutcome<Rendered>&& outcome) {
    auto& item = report.items[outcome.index];
    if (!outcome.ok()) {
      item = {requests[outcome.index].row,
              requests[outcome.index].id,
              "failed",
              "",
              0,
              0,
              "",
              0,
              outcome.error,
              outcome.hint,
              outcome.error_category,
              ""};
      if (combined) combined->deliver(outcome.index, {});
      return;
    }
    auto& r = *outcome.value;
    item = r.item;
    if (combined) combined->deliver(outcome.index, std::move(r.pages));
    if (item.status == "written") {
      ++report.written;
      log.add(std::move(r));
    } else {
      ++report.skipped;
    }
  };
  PoolOptions pool{options.workers, 0, &cancel, [&](const BatchProgress& p) { progress.update(p.done, p.failed); }};
  report.summary = run_batch<std::size_t, Rendered>(
      [&]() -> std::optional<std::size_t> {
        return next < requests.size() ? std::optional<std::size_t>(next++) : std::nullopt;
      },
      work, on_result, pool);
  log.flush();
  report.summary.succeeded -= unlogged;
  report.summary.failed += unlogged;
  progress.finish();
  if (combined && report.summary.succeeded > 0)
    std::tie(report.combined_pages, report.combined_bytes) = combined->finish({"Proposals", creation_date});
  pqxx::work tx(conn);
  record_audit(tx,
               {session.actor(), options.batch_file.empty() ? "proposal.generate" : "proposal.batch", "workspace",
                catalog.workspace_id, std::nullopt, catalog.workspace_id, "", "",
                "{\"written\": " + std::to_string(report.written) + ", \"skipped\": " + std::to_string(report.skipped) +
                    ", \"failed\": " + std::to_string(report.summary.failed) + "}"});
  tx.commit();
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

}  // namespace wfa
