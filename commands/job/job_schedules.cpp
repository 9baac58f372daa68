// `wfa job schedules`: each schedule setting, the next tick it will enqueue and the last one a worker claimed.
#include <pqxx/result>
#include <pqxx/transaction>

#include "commands/job/job.hpp"
#include "commands/job/job_schedule.hpp"
#include "commands/tenancy/actor.hpp"
#include "core/database.hpp"
#include "core/rows.hpp"
#include "core/session.hpp"

namespace wfa {

Result run_job_schedules(const JobSchedulesOptions&, Session& session) {
  auto schedules = job_schedules(session.settings());
  pqxx::read_transaction tx(session.read_database().ready());
  require_super_admin(actor_of(tx, session), "read the job schedules");
  auto now = database_clock(tx);
  Result r;
  long on = 0;
  for (const auto& s : schedules) {
    std::optional<std::int64_t> next;
    if (s.schedule) next = s.schedule->next_after(now).time_since_epoch().count();
    on += s.schedule ? 1 : 0;
    auto rows = tx.exec_params("SELECT $1::text AS name, $2::text AS kind, $3::text AS cron, " +
                                   utc_sql("to_timestamp($4::bigint)") + " AS next_tick, " + utc_sql("j.last_tick") +
                                   " AS last_tick, j.last_job_id, $5::text AS source FROM (SELECT 1) one LEFT JOIN"
                                   " job_schedules j ON j.name = $1",
                               s.name, s.kind, s.schedule ? s.cron : std::string("off"), next, s.source);
    auto table = to_table(rows, "schedules");
    if (r.tables.empty())
      r.tables.push_back(std::move(table));
    else
      r.tables.front().rows.push_back(std::move(table.rows.front()));
  }
  r.message = std::to_string(on) + " of " + std::to_string(schedules.size()) +
              " schedules on; workers enqueue their"
              " jobs (times in UTC)";
  return r;
}

}  // namespace wfa
