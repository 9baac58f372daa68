#pragma once
/// Turns CSV records into ready recipient rows (E.164 phone, trimmed text, checked e-mail and
/// time zone, variables as JSON) or a reject reason; rows are packed into batches for COPY.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/validation.hpp"
#include "pipelines/csv_reader.hpp"
#include "pipelines/phone.hpp"
#include "pipelines/recipient_mapping.hpp"

namespace wfa {

/// The columns of a batch row, in this order: phone, first_name, last_name, email, company, timezone, variables.
inline constexpr std::size_t recipient_row_columns = 7;
inline constexpr std::uint32_t null_value = 0xFFFFFFFFu;
/// Per-field limits of one recipient row (wfa-campaign(1) LIMITS): names and company as every name (max_name_chars),
/// e-mail, each variable.
inline constexpr std::size_t max_email_chars = 254;
inline constexpr std::size_t max_variable_chars = 2000;

/// RecipientBatch holds rows as NUL-terminated values in one buffer (no allocation per row).
struct RecipientBatch {
  std::string text;
  std::vector<std::array<std::uint32_t, recipient_row_columns>> rows;  ///< offsets into text, or null_value
  std::uint64_t rows_read = 0;   ///< data rows read when the batch was closed (progress)
  std::uint64_t rejected = 0;    ///< rows rejected by then
  std::uint64_t bytes_read = 0;  ///< file bytes consumed by then
  void clear() { text.clear(), rows.clear(); }
  /// value is column COL of row ROW, nullptr for NULL.
  const char* value(std::size_t row, std::size_t col) const {
    auto at = rows[row][col];
    return at == null_value ? nullptr : text.data() + at;
  }
};

/// trim drops leading and trailing ASCII white space.
std::string_view trim(std::string_view s);

/// PreparedPhone is a record's phone number read ahead of build, possibly on another thread.
struct PreparedPhone {
  std::string e164;
  PhoneReading reading;
};

class RecipientRowBuilder {
 public:
  /// TIMEZONES must be sorted (IANA names accepted in the timezone column).
  RecipientRowBuilder(ColumnMapping mapping, PhoneReader phones, std::vector<std::string> timezones);

  /// prepare_phone reads RECORD's phone into OUT (nothing when the record is malformed or has no phone); const and
  /// safe to call from several threads at once, since reading a number is the costly part of a row.
  void prepare_phone(const CsvRecord& record, PreparedPhone& out) const;
  /// build appends RECORD as a row of BATCH and sets KEY to its phone_key, returning "";
  /// or returns why the record is rejected and leaves BATCH as it was. PHONE comes from prepare_phone.
  std::string build(const CsvRecord& record, const PreparedPhone& phone, RecipientBatch& batch, std::uint64_t& key);
  /// build reads the phone itself.
  std::string build(const CsvRecord& record, RecipientBatch& batch, std::uint64_t& key);
  const ColumnMapping& mapping() const { return mapping_; }
  /// Rows built whose number had no + or international prefix and was read as international (not valid as national).
  std::uint64_t read_as_international() const { return read_as_international_; }

 private:
  bool known_timezone(std::string_view tz);
  std::string_view phone_field(const CsvRecord& record) const;

  ColumnMapping mapping_;
  PhoneReader phones_;
  std::vector<std::string> timezones_;
  PreparedPhone phone_;
  std::string last_timezone_;
  std::uint64_t read_as_international_ = 0;
};

}  // namespace wfa
