// The job queue's SQL: enqueue in one statement, and a worker's claim, record, heartbeat, rescue and release.
#include "commands/job/job_queue.hpp"

#include <unistd.h>

#include <array>
#include <random>

#include <pqxx/connection>
#include <pqxx/result>
#include <pqxx/stream_to>
#include <pqxx/transaction>

#include "commands/tenancy/actor.hpp"
#include "core/session.hpp"

namespace wfa {

namespace {

/// copy_threshold is the batch size from which enqueue_jobs COPYs (no RETURNING, no ON CONFLICT).
constexpr std::size_t copy_threshold = 1000;

/// array_element appends VALUE to a PostgreSQL array literal: double-quoted, with " and \ escaped.
void array_element(std::string& out, const std::string& value) {
  out += '"';
  for (char c : value) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
}

/// text_array is the array literal of VALUES; nullopt elements are NULL.
std::string text_array(const std::vector<std::optional<std::string>>& values) {
  std::string out = "{";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) out += ',';
    if (values[i])
      array_element(out, *values[i]);
    else
      out += "NULL";
  }
  return out + "}";
}

/// number_array is the array literal of whole numbers.
template <typename Numbers>
std::string number_array(const Numbers& values) {
  std::string out = "{";
  for (std::size_t i = 0; i < values.size(); ++i) out += (i ? "," : "") + std::to_string(values[i]);
  return out + "}";
}

std::optional<std::string> optional_text(const std::string& value) {
  return value.empty() ? std::nullopt : std::optional(value);
}

Enqueued copy_jobs(pqxx::dbtransaction& tx, const std::vector<JobSpec>& jobs, const JobOrigin& origin) {
  pqxx::stream_to copy(tx, "jobs",
                       std::vector<std::string>{"kind", "queue", "payload", "priority", "max_attempts", "run_after",
                                                "actor", "acting_user_id", "batch_id"});
  std::array<const char*, 9> row{};
  std::string priority, attempts;
  row[6] = origin.actor.c_str();
  row[7] = origin.acting_user_id.empty() ? nullptr : origin.acting_user_id.c_str();
  row[8] = origin.batch_id.empty() ? nullptr : origin.batch_id.c_str();
  for (const auto& job : jobs) {
    priority = std::to_string(job.priority);
    attempts = std::to_string(job.max_attempts);
    row[0] = job.kind.c_str();
    row[1] = job.queue.c_str();
    row[2] = job.payload.c_str();
    row[3] = priority.c_str();
    row[4] = attempts.c_str();
    row[5] = job.run_after ? job.run_after->c_str() : "now";  // 'now' is the transaction's start, as DEFAULT now()
    copy << row;
  }
  copy.complete();
  return {static_cast<long>(jobs.size()), 0, {}};
}

Enqueued insert_jobs(pqxx::dbtransaction& tx, const std::vector<JobSpec>& jobs, const JobOrigin& origin) {
  std::vector<std::optional<std::string>> kinds, queues, payloads, run_afters, keys;
  std::vector<int> priorities, attempts;
  for (const auto& job : jobs) {
    kinds.emplace_back(job.kind);
    queues.emplace_back(job.queue);
    payloads.emplace_back(job.payload);
    run_afters.push_back(job.run_after);
    keys.push_back(job.unique_key);
    priorities.push_back(job.priority);
    attempts.push_back(job.max_attempts);
  }
  // Rows whose key an unfinished job holds are skipped (ON CONFLICT on the partial unique index).
  auto added = tx.exec_params(
      "INSERT INTO jobs (kind, queue, payload, priority, max_attempts, run_after, unique_key, actor, acting_user_id,"
      " batch_id) SELECT kind, queue, payload, priority, max_attempts, coalesce(run_after, now()), unique_key, $8,"
      " $9::uuid, $10::uuid FROM unnest($1::text[], $2::text[], $3::jsonb[], $4::smallint[], $5::int[],"
      " $6::timestamptz[], $7::text[]) WITH ORDINALITY AS u(kind, queue, payload, priority, max_attempts, run_after,"
      " unique_key, n) ORDER BY n ON CONFLICT (kind, unique_key) WHERE unique_key IS NOT NULL AND status IN"
      " ('available', 'running') DO NOTHING RETURNING id",
      text_array(kinds), text_array(queues), text_array(payloads), number_array(priorities), number_array(attempts),
      text_array(run_afters), text_array(keys), origin.actor, optional_text(origin.acting_user_id),
      optional_text(origin.batch_id));
  Enqueued out;
  out.inserted = static_cast<long>(added.size());
  out.duplicates = static_cast<long>(jobs.size()) - out.inserted;
  for (const auto& row : added) out.ids.push_back(row[0].as<std::int64_t>());
  if (jobs.size() == 1 && out.duplicates == 1) {
    auto holder =
        tx.exec_params("SELECT id FROM jobs WHERE kind = $1 AND unique_key = $2 AND status IN ('available', 'running')",
                       jobs[0].kind, jobs[0].unique_key);
    if (!holder.empty()) out.ids.push_back(holder[0][0].as<std::int64_t>());
  }
  return out;
}

}  // namespace

JobOrigin job_origin(pqxx::transaction_base& tx, const Session& session) {
  auto actor = actor_of(tx, session);
  return {actor.name, actor.user_id, {}};
}

Enqueued enqueue_jobs(pqxx::dbtransaction& tx, const std::vector<JobSpec>& jobs, const JobOrigin& origin) {
  if (jobs.empty()) return {};
  bool keyed = false;
  for (const auto& job : jobs) keyed = keyed || job.unique_key.has_value();
  if (jobs.size() >= copy_threshold && !keyed) return copy_jobs(tx, jobs, origin);
  return insert_jobs(tx, jobs, origin);
}

JobQueue::JobQueue(pqxx::connection_base& connection, std::string worker, std::vector<std::string> inline_kinds)
    : connection_(connection), worker_(std::move(worker)) {
  std::vector<std::optional<std::string>> kinds(inline_kinds.begin(), inline_kinds.end());
  inline_kinds_ = text_array(kinds);
  // One UPDATE per job: inline kinds end completed in the claim itself, the others start running.
  connection_.prepare(
      "wfa_job_claim",
      "UPDATE jobs SET status = CASE WHEN kind = ANY($4::text[]) THEN 'completed' ELSE 'running' END, attempts ="
      " attempts + 1, claimed_by = $1, claimed_at = now(), heartbeat_at = CASE WHEN kind = ANY($4::text[]) THEN NULL"
      " ELSE now() END, finished_at = CASE WHEN kind = ANY($4::text[]) THEN now() END WHERE id = ANY(ARRAY(SELECT id"
      " FROM jobs WHERE status = 'available' AND queue = $2 AND run_after <= now() ORDER BY priority DESC, run_after,"
      " id LIMIT $3 FOR UPDATE SKIP LOCKED)) RETURNING id, kind, payload::text, attempts, max_attempts, actor,"
      " coalesce(acting_user_id::text, ''), heartbeat_at IS NOT NULL");
  // An attempt is recorded only while it is still this worker's: rescued and claimed again, it is the other's. Running
  // is tested as heartbeat_at IS NOT NULL (the same, by the table's CHECK) so that the plan looks the jobs up by id
  // rather than scanning jobs_running.
  connection_.prepare("wfa_job_complete",
                      "UPDATE jobs j SET status = 'completed', finished_at = now(), heartbeat_at = NULL, result ="
                      " u.result::jsonb FROM unnest($1::bigint[], $2::int[], $3::text[]) AS u(id, attempt, result)"
                      " WHERE j.id = u.id AND j.attempts = u.attempt AND j.heartbeat_at IS NOT NULL AND j.claimed_by ="
                      " $4");
  connection_.prepare(
      "wfa_job_fail",
      "WITH s AS (SELECT j.id, CASE WHEN j.cancel_requested THEN 'cancelled' WHEN NOT u.retryable THEN 'failed' WHEN"
      " j.attempts >= j.max_attempts THEN 'discarded' ELSE 'available' END AS status, u.error, u.category FROM jobs j"
      " JOIN unnest($1::bigint[], $2::int[], $3::text[], $4::text[], $5::bool[]) AS u(id, attempt, error, category,"
      " retryable) ON j.id = u.id AND j.attempts = u.attempt WHERE j.heartbeat_at IS NOT NULL AND j.claimed_by = $6"
      " FOR UPDATE OF j) UPDATE jobs j SET status = s.status, finished_at = CASE WHEN s.status = 'available' THEN NULL"
      " ELSE now() END, run_after = CASE WHEN s.status = 'available' THEN now() + make_interval(secs =>"
      " least(power(2, j.attempts), 3600) * (0.75 + random() / 2)) ELSE j.run_after END, heartbeat_at = NULL,"
      " last_error = s.error, error_category = s.category FROM s WHERE j.id = s.id");
  connection_.prepare("wfa_job_cancelled",
                      "UPDATE jobs j SET status = 'cancelled', finished_at = now(), heartbeat_at = NULL, last_error ="
                      " u.error, error_category = 'interrupted' FROM unnest($1::bigint[], $2::int[], $3::text[]) AS"
                      " u(id, attempt, error) WHERE j.id = u.id AND j.attempts = u.attempt AND j.heartbeat_at IS NOT"
                      " NULL AND j.claimed_by = $4");
  connection_.prepare("wfa_job_release",
                      "UPDATE jobs j SET status = 'available', attempts = j.attempts - 1, heartbeat_at = NULL FROM"
                      " unnest($1::bigint[], $2::int[]) AS u(id, attempt) WHERE j.id = u.id AND j.attempts = u.attempt"
                      " AND j.heartbeat_at IS NOT NULL AND j.claimed_by = $3");
  connection_.prepare("wfa_job_heartbeat",
                      "UPDATE jobs SET heartbeat_at = now() WHERE id = ANY($1::bigint[]) AND heartbeat_at IS NOT NULL"
                      " AND claimed_by = $2 RETURNING id, cancel_requested");
}

JobQueue::~JobQueue() = default;

Claimed JobQueue::record_and_claim(const std::vector<JobOutcome>& done, const std::vector<std::string>& queues,
                                   int limit) {
  pqxx::work tx(connection_);
  if (!done.empty()) {
    std::vector<std::int64_t> ids[4];
    std::vector<int> attempts[4];
    std::vector<std::optional<std::string>> results, errors[2], categories;
    std::vector<std::string> retryable;
    for (const auto& o : done) {
      auto e = static_cast<std::size_t>(o.end);
      ids[e].push_back(o.id);
      attempts[e].push_back(o.attempt);
      if (o.end == JobOutcome::End::completed) results.push_back(o.result);
      if (o.end == JobOutcome::End::failed) {
        errors[0].emplace_back(o.error);
        categories.emplace_back(o.category);
        retryable.emplace_back(o.retryable ? "t" : "f");
      }
      if (o.end == JobOutcome::End::cancelled) errors[1].emplace_back(o.error);
    }
    using End = JobOutcome::End;
    auto index = [](End e) { return static_cast<std::size_t>(e); };
    if (auto i = index(End::completed); !ids[i].empty())
      tx.exec_prepared("wfa_job_complete", number_array(ids[i]), number_array(attempts[i]), text_array(results),
                       worker_);
    if (auto i = index(End::failed); !ids[i].empty()) {
      std::string flags = "{";
      for (std::size_t k = 0; k < retryable.size(); ++k) flags += (k ? "," : "") + retryable[k];
      tx.exec_prepared("wfa_job_fail", number_array(ids[i]), number_array(attempts[i]), text_array(errors[0]),
                       text_array(categories), flags + "}", worker_);
    }
    if (auto i = index(End::cancelled); !ids[i].empty())
      tx.exec_prepared("wfa_job_cancelled", number_array(ids[i]), number_array(attempts[i]), text_array(errors[1]),
                       worker_);
    if (auto i = index(End::released); !ids[i].empty()) {
      tx.exec_prepared("wfa_job_release", number_array(ids[i]), number_array(attempts[i]), worker_);
      tx.exec_params("SELECT pg_notify($1, '')", job_notify_channel);
    }
  }
  Claimed claimed;
  for (const auto& queue : queues) {
    int left = limit - claimed.taken;
    if (left <= 0) break;
    for (const auto& row : tx.exec_prepared("wfa_job_claim", worker_, queue, left, inline_kinds_)) {
      ++claimed.taken;
      if (!row[7].as<bool>()) {
        ++claimed.completed;
        continue;
      }
      claimed.jobs.push_back({row[0].as<std::int64_t>(), row[1].as<std::string>(), row[2].as<std::string>(),
                              row[3].as<int>(), row[4].as<int>(), row[5].as<std::string>(), row[6].as<std::string>()});
    }
  }
  tx.commit();
  return claimed;
}

HeartbeatAnswer JobQueue::heartbeat(const std::vector<std::int64_t>& held) {
  HeartbeatAnswer answer;
  if (held.empty()) return answer;
  pqxx::work tx(connection_);
  auto rows = tx.exec_prepared("wfa_job_heartbeat", number_array(held), worker_);
  tx.commit();
  std::vector<std::int64_t> alive;
  for (const auto& row : rows) {
    alive.push_back(row[0].as<std::int64_t>());
    if (row[1].as<bool>()) answer.cancel.push_back(alive.back());
  }
  std::sort(alive.begin(), alive.end());
  for (auto id : held)
    if (!std::binary_search(alive.begin(), alive.end(), id)) answer.lost.push_back(id);
  return answer;
}

long JobQueue::rescue(std::chrono::milliseconds stale) {
  pqxx::work tx(connection_);
  auto rows = tx.exec_params(
      "WITH stale AS (SELECT id, CASE WHEN cancel_requested THEN 'cancelled' WHEN attempts >= max_attempts THEN"
      " 'discarded' ELSE 'available' END AS status FROM jobs WHERE status = 'running' AND heartbeat_at < now() -"
      " make_interval(secs => $1) ORDER BY heartbeat_at LIMIT 1000 FOR UPDATE SKIP LOCKED) UPDATE jobs j SET status ="
      " stale.status, run_after = now(), finished_at = CASE WHEN stale.status = 'available' THEN NULL ELSE now() END,"
      " heartbeat_at = NULL, error_category = 'unexpected', last_error = 'rescued: worker ' || j.claimed_by || '"
      " stopped heartbeating (last at ' || to_char(j.heartbeat_at AT TIME ZONE 'UTC',"
      " 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') || ')' FROM stale WHERE j.id = stale.id RETURNING stale.status ="
      " 'available'",
      static_cast<double>(stale.count()) / 1000.0);
  bool any_available = false;
  for (const auto& row : rows) any_available = any_available || row[0].as<bool>();
  if (any_available) tx.exec_params("SELECT pg_notify($1, '')", job_notify_channel);
  tx.commit();
  return static_cast<long>(rows.size());
}

long JobQueue::release_unheld(const std::vector<std::int64_t>& held) {
  pqxx::work tx(connection_);
  auto rows = tx.exec_params(
      "UPDATE jobs SET status = 'available', attempts = attempts - 1, heartbeat_at = NULL WHERE status = 'running' AND"
      " claimed_by = $1 AND id <> ALL($2::bigint[]) RETURNING id",
      worker_, number_array(held));
  if (!rows.empty()) tx.exec_params("SELECT pg_notify($1, '')", job_notify_channel);
  tx.commit();
  return static_cast<long>(rows.size());
}

std::optional<std::chrono::milliseconds> JobQueue::due_in(const std::vector<std::string>& queues) {
  std::vector<std::optional<std::string>> names(queues.begin(), queues.end());
  pqxx::read_transaction tx(connection_);
  auto row = tx.exec_params(
      "SELECT ceil(extract(epoch FROM min(run_after) - now()) * 1000)::bigint FROM jobs WHERE status = 'available'"
      " AND queue = ANY($1::text[])",
      text_array(names))[0];
  if (row[0].is_null()) return std::nullopt;
  return std::chrono::milliseconds(std::max<std::int64_t>(0, row[0].as<std::int64_t>()));
}

std::string job_worker_name() {
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  std::random_device random;
  static const char digits[] = "0123456789abcdef";
  std::string token;
  for (int i = 0; i < 8; ++i) token += digits[random() % 16];
  return std::string(host[0] ? host : "localhost") + ":" + std::to_string(getpid()) + ":" + token;
}

}  // namespace wfa
