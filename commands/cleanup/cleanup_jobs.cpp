// cleanup: the cleanup verbs a payload names, in turn, each under its own lock, as `wfa cleanup` runs them.
#include "commands/cleanup/cleanup_jobs.hpp"

#include <algorithm>
#include <array>
#include <string_view>

#include <nlohmann/json.hpp>

#include "commands/cleanup/cleanup.hpp"
#include "core/error.hpp"
#include "core/session.hpp"

namespace wfa {

namespace {

/// cleanup_whats are the names a payload's what takes: the cleanup verbs.
constexpr std::array<std::string_view, 8> cleanup_whats{"all",    "campaigns", "files",    "invitations",
                                                        "grants", "shares",    "webhooks", "notifications"};
/// with_retention are the verbs that take older_than (a retention or, for files, a grace period).
constexpr std::array<std::string_view, 4> with_retention{"all", "files", "webhooks", "notifications"};

/// CleanupJob is a cleanup payload read: the verbs to run and their options.
struct CleanupJob {
  std::vector<std::string> whats;
  CleanupOptions options;
};

/// cleanup_job reads a cleanup payload: what (a verb or a list of them; default all) and older_than (30d, 12h, ...);
/// anything else is InvalidInputError.
CleanupJob cleanup_job(const nlohmann::json& payload) {
  CleanupJob job;
  const auto what = payload.find("what");
  for (const auto& [name, value] : payload.items())
    if (name != "what" && name != "older_than")
      throw InvalidInputError("payload field " + name + " is not one cleanup takes (what, older_than)");
  if (what == payload.end() || what->is_null()) {
    job.whats.emplace_back("all");
  } else {
    for (const auto& item : what->is_array() ? *what : nlohmann::json::array({*what})) {
      if (!item.is_string() ||
          std::find(cleanup_whats.begin(), cleanup_whats.end(), item.get<std::string>()) == cleanup_whats.end())
        throw InvalidInputError("payload field what names no cleanup: " + item.dump(),
                                "give all, campaigns, files, invitations, grants, shares, webhooks or notifications, "
                                "or a list of them");
      job.whats.push_back(item.get<std::string>());
    }
    if (job.whats.empty()) throw InvalidInputError("payload field what is an empty list", "leave it out for all");
  }
  if (auto older = payload.find("older_than"); older != payload.end() && !older->is_null()) {
    if (!older->is_string()) throw InvalidInputError("payload field older_than is not a duration such as 30d");
    older_than_seconds(older->get<std::string>());
    bool applies = std::any_of(job.whats.begin(), job.whats.end(), [](const std::string& w) {
      return std::find(with_retention.begin(), with_retention.end(), w) != with_retention.end();
    });
    if (!applies)
      throw InvalidInputError("payload field older_than applies only to all, files, webhooks and notifications");
    job.options.older_than = older->get<std::string>();
  }
  return job;
}

/// run_one runs cleanup verb WHAT; older_than goes only to the verbs that take it.
Result run_one(const std::string& what, const CleanupJob& job, Session& session) {
  auto o = job.options;
  if (std::find(with_retention.begin(), with_retention.end(), what) == with_retention.end()) o.older_than.reset();
  if (what == "all") return run_cleanup_all(o, session);
  if (what == "campaigns") return run_cleanup_campaigns(o, session);
  if (what == "files") return run_cleanup_files(o, session);
  return run_cleanup_kind(what, o, session);
}

Result run_cleanup_job(const JobInput& input, Session& session) {
  auto job = cleanup_job(input.payload);
  if (job.whats.size() == 1) return run_one(job.whats.front(), job, session);
  Result r;
  Table summary{"cleanups", {"what", "outcome"}};
  for (const auto& what : job.whats) summary.rows.push_back({Cell(what), Cell(run_one(what, job, session).message)});
  r.message = "ran " + std::to_string(job.whats.size()) + " cleanups";
  r.tables.push_back(std::move(summary));
  return r;
}

}  // namespace

std::vector<JobKind> cleanup_job_kinds() {
  return {
      {"cleanup",
       "each cleanup retires only what has expired and takes its own advisory lock: a second run finds nothing left "
       "to do, and one that overlaps another waits for a retry (lock held)",
       "{\"what\": \"all\"|VERB|[VERB, ...], \"older_than\": \"30d\"} (VERB: campaigns, files, invitations, grants, "
       "shares, webhooks, notifications; default all, each verb's own retention)",
       false, [](const nlohmann::json& payload) { cleanup_job(payload); }, run_cleanup_job}};
}

}  // namespace wfa
