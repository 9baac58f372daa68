// `wfa job enqueue`: one job, or a file of payloads as one batch, in one audited statement.
#include <nlohmann/json.hpp>
#include <pqxx/except>
#include <pqxx/result>
#include <pqxx/transaction>

#include "commands/job/job.hpp"
#include "commands/job/job_kinds.hpp"
#include "commands/job/job_queue.hpp"
#include "commands/job/job_rules.hpp"
#include "commands/tenancy/actor.hpp"
#include "core/audited_mutation.hpp"
#include "core/database.hpp"
#include "core/error.hpp"
#include "core/input_file.hpp"
#include "core/json_input.hpp"
#include "core/session.hpp"

namespace wfa {

namespace {

constexpr std::size_t max_payload_bytes = 1 << 20;
constexpr std::size_t max_payloads_file_bytes = std::size_t{256} << 20;
constexpr const char* payload_hint = "give a JSON object, e.g. {\"period\": \"2026-11\"}";

/// checked_payload parses TEXT (from SOURCE) as KIND's payload: a JSON object KIND accepts.
void check_payload(const JobKind& kind, std::string_view text, const std::string& what, const std::string& source) {
  auto payload = parse_json_input(text, what, source, max_payload_bytes, payload_hint);
  if (!payload.is_object()) throw InvalidInputError(source + ": " + what + " is not a JSON object", payload_hint);
  if (!kind.check) return;
  try {
    kind.check(payload);
  } catch (const InvalidInputError& e) {
    throw InvalidInputError(source + ": " + e.what() + " (job kind " + kind.name + ")",
                            "the kind takes " + kind.payload);
  }
}

/// payload_lines reads the payloads file PATH: one JSON object per line, blank lines skipped.
std::vector<std::string> payload_lines(const JobKind& kind, const std::string& path, const std::string& option) {
  auto text = read_input_file(path, option, max_payloads_file_bytes);
  std::vector<std::string> lines;
  std::size_t start = 0, number = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    ++number;
    std::string_view line(text.data() + start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    start = end + 1;
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    check_payload(kind, line, "payload", (path == "-" ? std::string("stdin") : path) + ":" + std::to_string(number));
    lines.emplace_back(line);
  }
  if (lines.empty()) throw InvalidInputError(option + " " + path + " holds no payload", "give one JSON object a line");
  return lines;
}

/// run_after_of is when the jobs may run, as PostgreSQL's text, checked by the server (nullopt: now).
std::optional<std::string> run_after_of(const JobEnqueueOptions& o, Session& session) {
  if (!o.run_after && !o.delay) return std::nullopt;
  std::string at = o.run_after ? check_timestamp(session.option("run-after"), *o.run_after) : std::string("now");
  double delay = o.delay ? static_cast<double>(parse_duration(session.option("delay"), *o.delay).count()) : 0.0;
  try {
    pqxx::read_transaction tx(session.database().ready());
    return tx.exec_params("SELECT ($1::timestamptz + make_interval(secs => $2))::text", at, delay)[0][0]
        .as<std::string>();
  } catch (const pqxx::data_exception&) {
    throw InvalidInputError(session.option("run-after") + " '" + *o.run_after + "' is not a date and time",
                            "give an RFC 3339 instant, e.g. 2026-12-01T06:00:00Z");
  }
}

}  // namespace

Result run_job_enqueue(const JobEnqueueOptions& o, Session& session) {
  Choices kinds;
  for (const auto& kind : job_kinds(session.settings())) kinds.push_back(kind.name);
  check_choice("job kind", o.kind, kinds, "a job kind");
  const auto& kind = *find_job_kind(o.kind, session.settings());
  if (o.payload && o.payloads)
    throw UsageError("give " + session.option("payload") + " or " + session.option("payloads") + ", not both");
  if (o.run_after && o.delay)
    throw UsageError("give " + session.option("run-after") + " or " + session.option("delay") + ", not both");
  if (o.unique_key && o.payloads)
    throw UsageError(session.option("unique-key") + " is for one job; a file's jobs would all share it",
                     "enqueue keyed jobs one at a time");
  JobSpec spec;
  spec.kind = o.kind;
  spec.queue = check_queue_name(session.option("queue"), o.queue);
  if (o.priority < -100 || o.priority > 100)
    throw InvalidInputError(session.option("priority") + " " + std::to_string(o.priority) + " is out of range",
                            "give a whole number from -100 to 100; higher runs first");
  spec.priority = o.priority;
  spec.max_attempts = o.max_attempts.value_or(job_default_max_attempts);
  if (spec.max_attempts < 1 || spec.max_attempts > 1000)
    throw InvalidInputError(
        session.option("max-attempts") + " " + std::to_string(spec.max_attempts) + " is out of range",
        "give 1 to 1000");
  if (o.unique_key) check_single_line(session.option("unique-key"), *o.unique_key, 200);
  spec.unique_key = o.unique_key;
  spec.run_after = run_after_of(o, session);

  pqxx::work tx(session.database().ready());
  auto actor = actor_of(tx, session);
  require_super_admin(actor, "enqueue jobs");
  JobOrigin origin{actor.name, actor.user_id, {}};
  std::vector<JobSpec> jobs;
  if (o.payloads) {
    for (auto& line : payload_lines(kind, *o.payloads, session.option("payloads"))) {
      jobs.push_back(spec);
      jobs.back().payload = std::move(line);
    }
    origin.batch_id = tx.exec("SELECT gen_random_uuid()::text")[0][0].as<std::string>();
  } else {
    if (o.payload) {
      check_payload(kind, *o.payload, "payload", session.option("payload"));
      spec.payload = *o.payload;
    }
    jobs.push_back(spec);
  }
  auto done = enqueue_jobs(tx, jobs, origin);
  Result r;
  std::string entity = o.payloads ? origin.batch_id : done.ids.empty() ? "" : std::to_string(done.ids.front());
  nlohmann::json metadata = {{"kind", o.kind}, {"queue", spec.queue}, {"jobs", done.inserted}};
  if (o.unique_key) metadata["unique_key"] = *o.unique_key;
  if (o.payloads) {
    r.fields = {{"batch_id", Cell(origin.batch_id)},
                {"kind", Cell(o.kind)},
                {"queue", Cell(spec.queue)},
                {"jobs", Cell(static_cast<std::int64_t>(done.inserted))}};
  } else {
    auto id = done.ids.empty() ? Cell::null() : Cell(done.ids.front());
    r.fields = {
        {"id", id}, {"kind", Cell(o.kind)}, {"queue", Cell(spec.queue)}, {"duplicate", Cell(done.duplicates > 0)}};
  }
  if (done.duplicates > 0) {
    r.message = "job " + r.fields.front().second.to_text() + " of kind " + o.kind + " already holds key " +
                *o.unique_key + "; nothing enqueued";
    return r;
  }
  record_audit(tx, {session.actor(), o.payloads ? "job.enqueue_batch" : "job.enqueue", o.payloads ? "job_batch" : "job",
                    entity, std::nullopt, std::nullopt, "", "", metadata.dump()});
  auto what = o.payloads ? std::to_string(done.inserted) + " " + o.kind + " job(s) as batch " + origin.batch_id
                         : o.kind + " job " + entity;
  return commit_or_roll_back(tx, std::move(r), o.dry_run, "enqueued " + what, "would enqueue " + what);
}

}  // namespace wfa
