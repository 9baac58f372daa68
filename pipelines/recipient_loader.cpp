#include "pipelines/recipient_loader.hpp"

#include <cerrno>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <deque>
#include <map>
#include <algorithm>
#include <mutex>
#include <thread>

#include "core/error.hpp"

namespace wfa {

namespace {

constexpr std::size_t max_samples = 5;
constexpr std::size_t queue_batches = 3;

/// reuse_or_create takes a spare buffer, or makes one and counts it (the callers bound how many exist).
template <class T>
std::unique_ptr<T> reuse_or_create(std::deque<std::unique_ptr<T>>& spare, std::size_t& created) {
  if (spare.empty()) return ++created, std::make_unique<T>();
  auto item = std::move(spare.front());
  spare.pop_front();
  return item;
}

/// BatchQueue passes full batches to the consumer and recycles empty ones, so buffers are reused.
class BatchQueue {
 public:
  std::unique_ptr<RecipientBatch> take_empty() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return !empty_.empty() || created_ < queue_batches + 1 || aborted_; });
    return aborted_ ? nullptr : reuse_or_create(empty_, created_);
  }
  void push_full(std::unique_ptr<RecipientBatch> b) {
    std::lock_guard lock(mutex_);
    full_.push_back(std::move(b));
    changed_.notify_all();
  }
  /// take_full returns nullptr once the producer finished and everything was taken.
  std::unique_ptr<RecipientBatch> take_full() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return !full_.empty() || done_; });
    if (full_.empty()) return nullptr;
    auto b = std::move(full_.front());
    full_.pop_front();
    return b;
  }
  void give_back(std::unique_ptr<RecipientBatch> b) {
    b->clear();
    std::lock_guard lock(mutex_);
    empty_.push_back(std::move(b));
    changed_.notify_all();
  }
  void finish() {
    std::lock_guard lock(mutex_);
    done_ = true;
    changed_.notify_all();
  }
  void abort() {
    std::lock_guard lock(mutex_);
    aborted_ = true;
    changed_.notify_all();
  }
  bool aborted() {
    std::lock_guard lock(mutex_);
    return aborted_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::unique_ptr<RecipientBatch>> full_, empty_;
  std::size_t created_ = 0;
  bool done_ = false;
  bool aborted_ = false;
};

/// RecordChunk owns copies of consecutive records, so their numbers can be read on other threads while the file
/// moves on; its buffers are reused from chunk to chunk.
struct RecordChunk {
  struct Entry {
    std::size_t line, issue_line;
    CsvIssue issue;
    std::size_t raw_at, raw_size, first_field, field_count;
  };
  static constexpr std::size_t max_entries = 2048;
  static constexpr std::size_t max_bytes = 1u << 20;

  std::uint64_t sequence = 0;
  std::uint64_t bytes_read = 0;  ///< file bytes consumed once this chunk was read
  std::string bytes;
  std::vector<Entry> entries;
  std::vector<std::pair<std::size_t, std::size_t>> fields;  ///< offset and size in bytes
  std::vector<PreparedPhone> phones;                        ///< one per entry, filled by the phone readers

  bool full() const { return entries.size() >= max_entries || bytes.size() >= max_bytes; }
  void clear() { bytes.clear(), entries.clear(), fields.clear(); }
  void add(const CsvRecord& r) {
    entries.push_back({r.line, r.issue_line, r.issue, bytes.size(), r.raw.size(), fields.size(), r.fields.size()});
    bytes.append(r.raw);
    for (auto f : r.fields) {
      fields.emplace_back(bytes.size(), f.size());
      bytes.append(f);
    }
  }
  /// view points R at entry I (valid while the chunk is unchanged).
  void view(std::size_t i, CsvRecord& r) const {
    const auto& e = entries[i];
    r.line = e.line, r.issue = e.issue, r.issue_line = e.issue_line;
    r.raw = std::string_view(bytes).substr(e.raw_at, e.raw_size);
    r.fields.clear();
    for (std::size_t f = e.first_field; f < e.first_field + e.field_count; ++f)
      r.fields.push_back(std::string_view(bytes).substr(fields[f].first, fields[f].second));
  }
};

/// ChunkFlow moves chunks from the file reader to the phone readers and, in file order, to the row builder; at most
/// chunks_in_flight exist, so memory stays flat.
class ChunkFlow {
 public:
  static constexpr std::size_t chunks_in_flight = 8;

  std::unique_ptr<RecordChunk> take_free() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return !free_.empty() || created_ < chunks_in_flight || aborted_; });
    return aborted_ ? nullptr : reuse_or_create(free_, created_);
  }
  void submit(std::unique_ptr<RecordChunk> c) {
    std::lock_guard lock(mutex_);
    unread_.push_back(std::move(c));
    changed_.notify_all();
  }
  /// take_unread returns nullptr once reading ended and every chunk was taken, or on abort.
  std::unique_ptr<RecordChunk> take_unread() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return !unread_.empty() || reading_ended_ || aborted_; });
    if (aborted_ || unread_.empty()) return nullptr;
    auto c = std::move(unread_.front());
    unread_.pop_front();
    return c;
  }
  void finished(std::unique_ptr<RecordChunk> c) {
    std::lock_guard lock(mutex_);
    auto sequence = c->sequence;
    ready_.emplace(sequence, std::move(c));
    changed_.notify_all();
  }
  /// take_in_order returns chunk SEQUENCE once its numbers are read; nullptr after the last one, or on abort.
  std::unique_ptr<RecordChunk> take_in_order(std::uint64_t sequence) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock,
                  [&] { return ready_.count(sequence) || (reading_ended_ && sequence >= submitted_) || aborted_; });
    auto it = ready_.find(sequence);
    if (aborted_ || it == ready_.end()) return nullptr;
    auto c = std::move(it->second);
    ready_.erase(it);
    return c;
  }
  void recycle(std::unique_ptr<RecordChunk> c) {
    c->clear();
    std::lock_guard lock(mutex_);
    free_.push_back(std::move(c));
    changed_.notify_all();
  }
  /// end_reading says SUBMITTED chunks were submitted in all.
  void end_reading(std::uint64_t submitted) {
    std::lock_guard lock(mutex_);
    reading_ended_ = true, submitted_ = submitted;
    changed_.notify_all();
  }
  void abort() {
    std::lock_guard lock(mutex_);
    aborted_ = true;
    changed_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::unique_ptr<RecordChunk>> free_, unread_;
  std::map<std::uint64_t, std::unique_ptr<RecordChunk>> ready_;
  std::size_t created_ = 0;
  std::uint64_t submitted_ = 0;
  bool reading_ended_ = false;
  bool aborted_ = false;
};

}  // namespace

RejectWriter::RejectWriter(const std::string& path, char delimiter, std::string_view header_raw)
    : file_(std::make_unique<AtomicFileWriter>(path)), delimiter_(delimiter) {
  file_->stream() << "line" << delimiter_ << "reason" << delimiter_ << header_raw << "\r\n";
}

RejectWriter::~RejectWriter() = default;

void RejectWriter::field(std::string_view value) {
  auto& out = file_->stream();
  if (value.find_first_of(std::string{'"', '\n', '\r', delimiter_}) == std::string_view::npos) {
    out << value;
    return;
  }
  out << '"';
  for (char c : value) {
    if (c == '"') out << '"';
    out << c;
  }
  out << '"';
}

void RejectWriter::write(std::size_t line, std::string_view reason, std::string_view raw) {
  file_->stream() << line << delimiter_;
  field(reason);
  file_->stream() << delimiter_ << raw << "\r\n";
}

void RejectWriter::close() {
  if (file_) file_->commit();
}

LoadSummary load_recipients(CsvReader& reader, RecipientRowBuilder& builder, PhoneSet& seen, RejectWriter* rejects,
                            const LoadOptions& options, const BatchSink& sink, const LoadProgress& progress) {
  BatchQueue queue;
  ChunkFlow flow;
  LoadSummary summary;
  std::exception_ptr reader_error, builder_error;
  bool reader_interrupted = false;
  auto cancelled = [&] { return options.cancel && options.cancel->cancelled(); };

  std::thread file_reader([&] {
    std::uint64_t sequence = 0;
    try {
      CsvRecord record;
      auto chunk = flow.take_free();
      while (chunk && reader.next(record)) {
        if (cancelled()) {
          reader_interrupted = true;
          break;
        }
        chunk->add(record);
        if (chunk->full()) {
          chunk->sequence = sequence++, chunk->bytes_read = reader.bytes_read();
          flow.submit(std::move(chunk));
          chunk = flow.take_free();
        }
      }
      if (chunk && !chunk->entries.empty()) {
        chunk->sequence = sequence++, chunk->bytes_read = reader.bytes_read();
        flow.submit(std::move(chunk));
      }
    } catch (...) {
      reader_error = std::current_exception();
    }
    flow.end_reading(sequence);
  });

  // Reading numbers (libphonenumber's regular expressions) costs most of a row, so it runs on every core.
  std::vector<std::thread> phone_readers(std::clamp(std::thread::hardware_concurrency(), 1u, 4u));
  for (auto& t : phone_readers)
    t = std::thread([&] {
      CsvRecord record;
      while (auto chunk = flow.take_unread()) {
        chunk->phones.resize(chunk->entries.size());
        for (std::size_t i = 0; i < chunk->entries.size(); ++i) {
          chunk->view(i, record);
          builder.prepare_phone(record, chunk->phones[i]);
        }
        flow.finished(std::move(chunk));
      }
    });

  std::thread row_builder([&] {
    try {
      CsvRecord record;
      auto batch = queue.take_empty();
      std::uint64_t key = 0, bytes_read = 0;
      auto ship = [&] {
        batch->rows_read = summary.read;
        batch->rejected = summary.rejected;
        batch->bytes_read = bytes_read;
        queue.push_full(std::move(batch));
        batch = queue.take_empty();
      };
      bool stop = false;
      for (std::uint64_t sequence = 0; batch && !stop; ++sequence) {
        auto chunk = flow.take_in_order(sequence);
        if (!chunk) break;
        bytes_read = chunk->bytes_read;
        for (std::size_t i = 0; i < chunk->entries.size() && batch; ++i) {
          if (cancelled()) {
            summary.interrupted = true;
            stop = true;
            break;
          }
          chunk->view(i, record);
          ++summary.read;
          auto mark = batch->text.size();
          auto reason = builder.build(record, chunk->phones[i], *batch, key);
          if (reason.empty()) {
            auto line = static_cast<std::uint32_t>(record.line);
            if (auto first = seen.insert(key, line)) {
              batch->text.resize(mark);
              batch->rows.pop_back();
              ++summary.duplicates;
              if (rejects) {
                rejects->write(record.line,
                               first == 1 ? "duplicate: phone already in the campaign"
                                          : "duplicate: same phone as line " + std::to_string(first - 1),
                               record.raw);
              }
            } else {
              ++summary.valid;
              if (!options.keep_after_reject && summary.rejected > 0) {
                batch->text.resize(mark);
                batch->rows.pop_back();
              }
            }
          } else {
            ++summary.rejected;
            if (summary.samples.size() < max_samples)
              summary.samples.push_back("line " + std::to_string(record.line) + ": " + reason);
            if (rejects) rejects->write(record.line, reason, record.raw);
            if (options.max_rejects && summary.rejected > *options.max_rejects) {
              summary.stopped = true;
              stop = true;
              break;
            }
          }
          if (batch->rows.size() >= options.batch_rows) ship();
        }
        flow.recycle(std::move(chunk));
      }
      if (batch && !batch->rows.empty()) ship();
    } catch (...) {
      builder_error = std::current_exception();
    }
    flow.abort();  // the reader and the phone readers stop too when the builder ends early
    queue.finish();
  });

  std::exception_ptr consumer_error;
  try {
    while (auto batch = queue.take_full()) {
      summary.accepted += batch->rows.size();
      sink(*batch);
      if (progress) progress(batch->rows_read, batch->rejected, batch->bytes_read);
      queue.give_back(std::move(batch));
    }
  } catch (...) {
    consumer_error = std::current_exception();
    queue.abort();
    flow.abort();
  }
  row_builder.join();
  for (auto& t : phone_readers) t.join();
  file_reader.join();
  summary.interrupted = summary.interrupted || reader_interrupted;
  summary.read_as_international = builder.read_as_international();
  if (consumer_error) std::rethrow_exception(consumer_error);
  if (builder_error) std::rethrow_exception(builder_error);
  if (reader_error) std::rethrow_exception(reader_error);
  return summary;
}

}  // namespace wfa
