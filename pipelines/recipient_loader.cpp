#include "pipelines/recipient_loader.hpp"

#include <cerrno>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <deque>
#include <mutex>
#include <thread>

#include "core/error.hpp"

namespace wfa {

namespace {

constexpr std::size_t max_samples = 5;
constexpr std::size_t queue_batches = 3;

/// BatchQueue passes full batches to the consumer and recycles empty ones, so buffers are reused.
class BatchQueue {
 public:
  std::unique_ptr<RecipientBatch> take_empty() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return !empty_.empty() || created_ < queue_batches + 1 || aborted_; });
    if (aborted_) return nullptr;
    if (empty_.empty()) {
      ++created_;
      return std::make_unique<RecipientBatch>();
    }
    auto b = std::move(empty_.front());
    empty_.pop_front();
    return b;
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
  LoadSummary summary;
  std::exception_ptr producer_error;

  std::thread producer([&] {
    try {
      CsvRecord record;
      auto batch = queue.take_empty();
      std::uint64_t key = 0;
      auto ship = [&] {
        batch->rows_read = summary.read;
        batch->rejected = summary.rejected;
        batch->bytes_read = reader.bytes_read();
        queue.push_full(std::move(batch));
        batch = queue.take_empty();
      };
      while (batch && reader.next(record)) {
        if (options.cancel && options.cancel->cancelled()) {
          summary.interrupted = true;
          break;
        }
        ++summary.read;
        auto mark = batch->text.size();
        auto reason = builder.build(record, *batch, key);
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
            break;
          }
        }
        if (batch->rows.size() >= options.batch_rows) ship();
      }
      if (batch && !batch->rows.empty()) ship();
    } catch (...) {
      producer_error = std::current_exception();
    }
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
  }
  producer.join();
  if (consumer_error) std::rethrow_exception(consumer_error);
  if (producer_error) std::rethrow_exception(producer_error);
  return summary;
}

}  // namespace wfa
