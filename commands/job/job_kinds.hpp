#pragma once
/// The job kinds `wfa worker` runs: each a name, a handler that calls the verbs' run_* with the payload, and the reason
/// running it twice is harmless (delivery is at least once: a rescued job runs again).
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.hpp"

namespace wfa {

class Config;
class Session;

/// JobInput is what a handler gets: the payload, and the job's id and attempt (for keys that make an effect once).
struct JobInput {
  std::int64_t id = 0;
  int attempt = 1;
  const nlohmann::json& payload;
};

/// JobKind is one kind of job.
struct JobKind {
  std::string name;
  std::string idempotency;  ///< why a second run of the same job changes nothing more
  std::string payload;      ///< the payload it takes, for people
  /// runs_inline: no work and no Session; the claim itself completes it, in its transaction (noop).
  bool runs_inline = false;
  /// check refuses a payload the handler would refuse (InvalidInputError), so enqueueing fails, not the job.
  std::function<void(const nlohmann::json& payload)> check;
  /// run does the job in SESSION, which acts for whoever enqueued it; a wfa::Error's category decides a retry.
  std::function<Result(const JobInput& job, Session& session)> run;
};

/// job_kinds are the kinds SETTINGS allow: the built-in ones, and in test mode the test kinds.
const std::vector<JobKind>& job_kinds(const Config& settings);
/// find_job_kind is the kind NAME, or nullptr.
const JobKind* find_job_kind(std::string_view name, const Config& settings);
/// job_kind_names lists the kinds SETTINGS allow, comma-separated, for messages.
std::string job_kind_names(const Config& settings);

}  // namespace wfa
