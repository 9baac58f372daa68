#pragma once
/// What the job verbs share: the statuses, and the reading of job ids, batch ids, queue names and durations.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

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

}  // namespace wfa
