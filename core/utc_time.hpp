#pragma once
/// Instants as text, in UTC with milliseconds: what providers send and what logs and listings write.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace wfa {

/// iso8601_ms reads "YYYY-MM-DDTHH:MM:SS[.fff][Z|±HH:MM]" (T or a space) as milliseconds since the epoch, UTC.
std::optional<std::int64_t> iso8601_ms(std::string_view text);

/// utc_text writes epoch milliseconds as "YYYY-MM-DDTHH:MM:SS.fffZ".
std::string utc_text(std::int64_t ms);

/// utc_now_text is the current time as utc_text writes it.
std::string utc_now_text();

}  // namespace wfa
