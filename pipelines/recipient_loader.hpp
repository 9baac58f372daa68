#pragma once
/// The import engine: one thread reads the file into chunks of records, a thread per core reads their phone numbers,
/// one thread validates and de-duplicates them in file order into batches, and the caller's thread hands each batch
/// to a sink (COPY) while the next one is built.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/cancellation.hpp"
#include "core/file_io.hpp"
#include "pipelines/csv_reader.hpp"
#include "pipelines/phone_set.hpp"
#include "pipelines/recipient_rows.hpp"

namespace wfa {

/// RejectWriter writes a CSV of skipped rows: line, reason, then the original row as it was. The file appears at
/// PATH only when close() succeeds (core/file_io's AtomicFileWriter); an interrupted run leaves PATH as it was.
class RejectWriter {
 public:
  /// Starts PATH's temporary file; HEADER_RAW is the input's header line, DELIMITER its delimiter.
  RejectWriter(const std::string& path, char delimiter, std::string_view header_raw);
  ~RejectWriter();
  RejectWriter(const RejectWriter&) = delete;
  RejectWriter& operator=(const RejectWriter&) = delete;
  void write(std::size_t line, std::string_view reason, std::string_view raw);
  /// close publishes PATH and reports a write error as InvalidInputError.
  void close();

 private:
  void field(std::string_view value);
  std::unique_ptr<AtomicFileWriter> file_;
  char delimiter_;
};

struct LoadOptions {
  std::optional<std::uint64_t> max_rejects;  ///< stop reading once more rows than this are rejected
  bool keep_after_reject = true;             ///< false: after a reject no more rows go to the sink (all-or-nothing)
  std::size_t batch_rows = 8192;
  const CancelToken* cancel = nullptr;  ///< polled between rows; once cancelled, reading stops (interrupted)
};

struct LoadSummary {
  std::uint64_t read = 0;        ///< data rows read
  std::uint64_t accepted = 0;    ///< rows handed to the sink
  std::uint64_t valid = 0;       ///< rows that passed every check and are not duplicates
  std::uint64_t duplicates = 0;  ///< in the file or already in the campaign
  std::uint64_t rejected = 0;
  std::uint64_t read_as_international = 0;  ///< numbers without + or 00 not valid as national, read as +DIGITS
  bool stopped = false;                     ///< reading stopped at max_rejects
  bool interrupted = false;                 ///< reading stopped because LoadOptions::cancel was cancelled
  std::vector<std::string> samples;         ///< the first rejects, "line N: reason"
};

using BatchSink = std::function<void(const RecipientBatch&)>;
using LoadProgress = std::function<void(std::uint64_t read, std::uint64_t rejected, std::uint64_t bytes_read)>;

/// load_recipients runs the import engine over READER (positioned after the header). SEEN holds
/// the numbers already present; REJECTS may be nullptr. An exception of any thread ends it and
/// is rethrown here after every thread stopped.
LoadSummary load_recipients(CsvReader& reader, RecipientRowBuilder& builder, PhoneSet& seen, RejectWriter* rejects,
                            const LoadOptions& options, const BatchSink& sink, const LoadProgress& progress);

}  // namespace wfa
