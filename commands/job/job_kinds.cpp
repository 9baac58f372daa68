// The registry of job kinds: noop, usage.reset, each noun's kinds, and in test mode test.effect.
#include "commands/job/job_kinds.hpp"

#include <chrono>
#include <fstream>
#include <thread>

#include <pqxx/transaction>

#include "commands/cleanup/cleanup_jobs.hpp"
#include "commands/mockup/mockup_jobs.hpp"
#include "commands/mail/mail_jobs.hpp"
#include "commands/notify/notify_jobs.hpp"
#include "commands/proposal/proposal_jobs.hpp"
#include "commands/agent/agent_jobs.hpp"
#include "commands/calls/calls_jobs.hpp"
#include "commands/campaign/campaign_jobs.hpp"
#include "commands/export/export_jobs.hpp"
#include "commands/job/job_rules.hpp"
#include "commands/usage/usage.hpp"
#include "commands/webhooks/webhook_jobs.hpp"
#include "core/config.hpp"
#include "core/database.hpp"
#include "core/error.hpp"
#include "core/session.hpp"

namespace wfa {

namespace {

void check_usage_reset(const nlohmann::json& payload) {
  refuse_unknown_fields(payload, {"period"});
  if (auto period = payload_string(payload, "period")) parse_period(*period, "payload field period");
}

Result run_usage_reset_job(const JobInput& job, Session& session) {
  check_usage_reset(job.payload);
  UsageResetOptions o;
  o.period = payload_string(job.payload, "period");
  return run_usage_reset(o, session);
}

/// test_int is the whole-number field NAME of a test payload, or FALLBACK.
long test_int(const nlohmann::json& payload, const char* name, long fallback) {
  auto it = payload.find(name);
  if (it == payload.end()) return fallback;
  if (!it->is_number_integer() || it->get<long>() < 0)
    throw InvalidInputError(std::string("payload field ") + name + " is not a whole number");
  return it->get<long>();
}

void check_test_effect(const nlohmann::json& payload) {
  refuse_unknown_fields(payload, {"sleep_ms", "fail", "fail_attempts", "i", "started_file"});
  test_int(payload, "sleep_ms", 0);
  test_int(payload, "fail_attempts", 0);
  payload_string(payload, "fail");
  payload_string(payload, "started_file");
}

/// test_effect sleeps (sleep_ms, watching its cancellation), fails as asked (fail: a category name, for the first
/// fail_attempts attempts), then counts its run in job_test_effects, a table the tests make: once per job id, so a
/// second run shows as runs 2. started_file, when given, is created as the handler starts, for tests to wait on.
Result run_test_effect(const JobInput& job, Session& session) {
  check_test_effect(job.payload);
  if (auto started = payload_string(job.payload, "started_file")) std::ofstream(*started).put('1');
  auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(test_int(job.payload, "sleep_ms", 0));
  while (std::chrono::steady_clock::now() < until) {
    if (session.cancellation().cancelled()) throw InterruptedError("cancelled while sleeping");
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(until - std::chrono::steady_clock::now(),
                                                                              std::chrono::milliseconds(10)));
  }
  if (auto fail = payload_string(job.payload, "fail");
      fail && job.attempt <= test_int(job.payload, "fail_attempts", 1L << 30)) {
    auto message = "failing as asked, attempt " + std::to_string(job.attempt);
    if (*fail == "temporary") throw TemporaryError(message);
    if (*fail == "invalid_input") throw InvalidInputError(message);
    throw Error(ErrorCategory::unexpected, message);
  }
  pqxx::work tx(session.database().connect());
  tx.exec_params(
      "INSERT INTO job_test_effects (job_id, runs, attempt) VALUES ($1, 1, $2) ON CONFLICT (job_id) DO UPDATE SET runs "
      "="
      " job_test_effects.runs + 1, attempt = excluded.attempt",
      job.id, job.attempt);
  tx.commit();
  Result r;
  r.fields = {{"job", Cell(job.id)}, {"attempt", Cell(job.attempt)}};
  return r;
}

/// more appends KINDS to ALL: each noun's kinds, one line each in built_in_kinds.
void more(std::vector<JobKind>& all, std::vector<JobKind> kinds) {
  for (auto& kind : kinds) all.push_back(std::move(kind));
}

std::vector<JobKind> built_in_kinds() {
  std::vector<JobKind> all = {
      {"noop", "it changes nothing", "{} (any object; ignored)", true, nullptr,
       [](const JobInput&, Session&) { return Result{}; }},
      {"usage.reset",
       "a month is closed once per workspace (usage_periods' key); a second run closes only the workspaces not yet "
       "closed, and a concurrent one waits its turn (lock held: retried)",
       "{\"period\": \"YYYY-MM\"} (default: the month before this one)", false, check_usage_reset, run_usage_reset_job},
  };
  more(all, agent_job_kinds());
  more(all, calls_job_kinds());
  more(all, campaign_job_kinds());
  more(all, webhook_job_kinds());
  more(all, export_job_kinds());
  more(all, proposal_job_kinds());
  more(all, mockup_job_kinds());
  more(all, notify_job_kinds());
  more(all, mail_job_kinds());
  more(all, cleanup_job_kinds());
  return all;
}

}  // namespace

const std::vector<JobKind>& job_kinds(const Config& settings) {
  static const std::vector<JobKind> plain = built_in_kinds();
  static const std::vector<JobKind> testing = [] {
    auto all = built_in_kinds();
    all.push_back({"test.effect", "its effect is a row per job id (a second run counts, not adds)",
                   "{\"sleep_ms\": N, \"fail\": CATEGORY, \"fail_attempts\": N, \"started_file\": PATH}", false,
                   check_test_effect, run_test_effect});
    return all;
  }();
  return settings.flag("test_mode") ? testing : plain;
}

const JobKind* find_job_kind(std::string_view name, const Config& settings) {
  for (const auto& kind : job_kinds(settings))
    if (kind.name == name) return &kind;
  return nullptr;
}

std::string job_kind_names(const Config& settings) {
  std::string names;
  for (const auto& kind : job_kinds(settings)) names += (names.empty() ? "" : ", ") + kind.name;
  return names;
}

}  // namespace wfa
