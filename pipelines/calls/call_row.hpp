#pragma once
/// A provider's call object, normalised to wfa's conversation fields (SPEC §4.4): statuses mapped, times in UTC,
/// cost in integer micro-dollars (VAPI reports dollars, Retell cents, Synthflow nothing), as a row for COPY.
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wfa {

/// The columns of a normalised call, in COPY order.
enum CallColumn : std::size_t {
  call_provider,
  call_external_id,
  call_external_agent_id,
  call_direction,
  call_status,
  call_phone_number,
  call_started_at,
  call_ended_at,
  call_duration_seconds,
  call_recording_url,
  call_transcript,
  call_summary,
  call_sentiment,
  call_cost_micros,
  call_cost_breakdown,
  call_ended_reason,
  call_metadata,
  call_campaign_outcome,  ///< an ended call's campaign outcome (pipelines/calls/call_outcome), NULL while it runs
  call_column_count
};

/// call_column_names are the CallColumn names as conversations spells them (outcome is the stage's own: the merge
/// gives it to the call's attempt, not to the conversation).
extern const std::array<const char*, call_column_count> call_column_names;

/// CallBatch packs normalised calls into one buffer: each row is offsets of NUL-terminated values, or null_value.
struct CallBatch {
  static constexpr std::uint32_t null_value = UINT32_MAX;
  std::string text;
  std::vector<std::array<std::uint32_t, call_column_count>> rows;
  std::vector<std::size_t> lines;  ///< the line each row starts on
  const char* value(std::size_t row, std::size_t column) const {
    auto at = rows[row][column];
    return at == null_value ? nullptr : text.data() + at;
  }
  void clear() { text.clear(), rows.clear(), lines.clear(); }
};

/// CallNormalizer reads one provider's call objects (one per thread: it owns a parser).
class CallNormalizer {
 public:
  /// PROVIDER is vapi, retell or synthflow.
  explicit CallNormalizer(std::string provider);
  ~CallNormalizer();
  CallNormalizer(const CallNormalizer&) = delete;
  CallNormalizer& operator=(const CallNormalizer&) = delete;

  /// add normalises RECORD (JSON bytes followed by JsonRecordReader::record_padding readable bytes) onto BATCH as
  /// one row, or returns why it cannot (the field and the fault) and leaves BATCH as it was.
  std::optional<std::string> add(std::string_view record, std::size_t line, CallBatch& batch);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// attempt_id_in finds the wfa attempt id a dial sent with the call in JSON (an object's wfa_attempt_id, or its
/// metadata's or variableValues'; or Synthflow's custom variables, an array of {key, value}): a UUID in lower case,
/// or nullopt when there is none or it is not a UUID.
std::optional<std::string> attempt_id_in(std::string_view json);

/// decimal_micros is a JSON number of UNITS (1 for dollars, 0.01 for cents) in micro-dollars, exactly and rounded
/// half up at the sixth decimal; nullopt when TEXT is not a non-negative decimal number.
std::optional<std::int64_t> decimal_micros(std::string_view text, int cents_exponent);

}  // namespace wfa
