#pragma once
/// What the job verbs share: the statuses, and the reading of job ids, batch ids, queue names and durations.
#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "core/validation.hpp"

namespace wfa {

class Session;

/// job_statuses are a job's states: available → running → completed | failed | discarded | cancelled (or available
/// again: a retry after backoff, a rescue, a release).
extern const Choices job_statuses;
/// job_finished_statuses are the states a job stays in until it is retried or purged.
extern const Choices job_finished_statuses;

/// parse_job_id reads a job id (a positive whole number); anything else is InvalidInputError naming it.
std::int64_t parse_job_id(const std::string& text);
/// check_batch_id refuses (InvalidInputError) a batch id that is not a UUID.
void check_batch_id(const std::string& text);
/// check_queue_name accepts 1-100 lowercase letters, digits and . _ - (starting with a letter or digit); anything else
/// is InvalidInputError naming FIELD.
std::string check_queue_name(std::string_view field, const std::string& text);
/// parse_duration reads a duration such as 90s, 10m, 12h, 30d or 2w, named OPTION (a session.option spelling) in
/// errors; anything else is InvalidInputError.
std::chrono::seconds parse_duration(const std::string& option, const std::string& text);

/// payload_string is payload field NAME when it is a string; absent or null is nullopt, anything else is
/// InvalidInputError.
std::optional<std::string> payload_string(const nlohmann::json& payload, const char* name);
/// payload_uuid is payload field NAME, which must be a UUID (InvalidInputError naming it otherwise or when absent).
std::string payload_uuid(const nlohmann::json& payload, const char* name);
/// refuse_unknown_fields refuses (InvalidInputError) fields other than ALLOWED, so a misspelt one is not ignored.
void refuse_unknown_fields(const nlohmann::json& payload, std::initializer_list<const char*> allowed);

}  // namespace wfa
