// One attempt of a job: the handler, its Result or error, and the retry rule.
#include "commands/job/job_run.hpp"

#include <algorithm>
#include <sstream>

#include <nlohmann/json.hpp>

#include "commands/job/job_kinds.hpp"
#include "core/error.hpp"
#include "core/result.hpp"
#include "core/session.hpp"
#include "core/utf8.hpp"

namespace wfa {

namespace {

constexpr std::size_t max_result_bytes = 1 << 20;

/// result_json is R as the job's result: the verb's JSON output plus its message and category; nullopt when R says
/// nothing; a summary when it is larger than max_result_bytes.
std::optional<std::string> result_json(const Result& r) {
  if (r.fields.empty() && r.tables.empty() && r.message.empty()) return std::nullopt;
  std::ostringstream out;
  write_json(r, 1, out);
  auto json = nlohmann::json::parse(out.str());
  json.erase("schema_version");
  if (!r.message.empty()) json["message"] = r.message;
  if (r.category != ErrorCategory::ok) json["category"] = category_name(r.category);
  auto text = json.dump();
  if (text.size() <= max_result_bytes) return text;
  return nlohmann::json{{"message", r.message}, {"truncated", true}, {"bytes", text.size()}}.dump();
}

bool retryable(ErrorCategory category) {
  switch (category) {
    case ErrorCategory::temporary:
    case ErrorCategory::lock_held:
    case ErrorCategory::outcome_unknown:
    case ErrorCategory::unexpected:
    case ErrorCategory::interrupted:
      return true;
    default:
      return false;
  }
}

/// one_line is MESSAGE as a job's last_error: valid UTF-8 (bad bytes become '?'), no NUL, at most 2,000 bytes.
std::string one_line(std::string message) {
  if (message.size() > 2000) message.resize(2000);
  for (auto at = utf8_invalid_at(message); at != std::string::npos; at = utf8_invalid_at(message)) message[at] = '?';
  std::replace(message.begin(), message.end(), '\0', ' ');
  return message;
}

JobOutcome failed(const ClaimedJob& job, ErrorCategory category, std::string message) {
  JobOutcome o{job.id, job.attempt, JobOutcome::End::failed};
  o.error = one_line(std::move(message));
  o.category = category_name(category);
  o.retryable = retryable(category);
  return o;
}

}  // namespace

JobOutcome unknown_kind_outcome(const ClaimedJob& job) {
  return failed(job, ErrorCategory::unexpected, "this worker knows no job kind " + job.kind);
}

JobOutcome run_job(const JobKind& kind, const ClaimedJob& job, Session& session) {
  try {
    auto payload = nlohmann::json::parse(job.payload);
    auto r = kind.run(JobInput{job.id, job.attempt, payload}, session);
    if (r.category != ErrorCategory::ok && r.category != ErrorCategory::batch_partial)
      return failed(job, r.category, r.message.empty() ? std::string(category_name(r.category)) : r.message);
    JobOutcome o(job.id, job.attempt, JobOutcome::End::completed);
    o.result = result_json(r);
    return o;
  } catch (...) {
    auto c = classify(std::current_exception());
    if (c.category == ErrorCategory::interrupted && session.cancellation().cancelled()) {
      JobOutcome o{job.id, job.attempt, JobOutcome::End::cancelled};
      o.error = one_line("cancelled while running: " + c.message);
      return o;
    }
    return failed(job, c.category, c.message);
  }
}

}  // namespace wfa
