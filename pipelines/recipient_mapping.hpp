#pragma once
/// Which CSV column feeds which recipient field: common headers are recognised, `--map`
/// overrides them, `--skip` drops columns, and every other column becomes a variable.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pipelines/csv_reader.hpp"

namespace wfa {

/// The recipient fields a column can feed, in COPY order after the phone.
enum class RecipientField { phone, first_name, last_name, full_name, email, company, timezone };
inline constexpr std::size_t recipient_field_count = 7;
/// The most extra columns one file may carry as a recipient's variables (wfa-campaign(1) LIMITS).
inline constexpr std::size_t max_variables = 100;

/// recipient_field_names lists the names `--map` accepts, in RecipientField order.
const std::vector<std::string_view>& recipient_field_names();

/// ColumnMapping is the resolved plan for one file.
struct ColumnMapping {
  std::optional<std::size_t> field_column[recipient_field_count];  ///< column index per RecipientField
  std::vector<std::pair<std::size_t, std::string>> variables;      ///< column index, JSON key (already escaped-safe)
  std::size_t columns = 0;                                         ///< header width
};

/// MappingRequest is what the user asked for: MAP (FIELD=Header pairs) and SKIP (headers), with the names
/// of those two options and of the FILE for errors.
struct MappingRequest {
  std::vector<std::string> map;
  std::vector<std::string> skip;
  std::string file;
  std::string map_option = "map";
  std::string skip_option = "skip";
};

/// map_columns resolves HEADER against the REQUEST.
/// Throws InvalidInputError for an unknown field, an absent header, or no phone.
ColumnMapping map_columns(const std::vector<std::string_view>& header, const MappingRequest& request);

}  // namespace wfa
