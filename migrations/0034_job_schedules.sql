-- Periodic jobs (issue 22): the schedule settings (schedule.usage_reset, schedule.cleanup, schedule.notify_flush) are
-- cron expressions every `wfa worker` reads. A worker claims a schedule's latest due tick with one UPDATE guarded by
-- last_tick and enqueues its job in the same transaction, so each tick is enqueued once however many workers run. A
-- row appears when a worker first sees the schedule (its last tick then counts as done: no job for the past), and a
-- changed cron expression starts again the same way.
CREATE TABLE job_schedules (
  name         text PRIMARY KEY CHECK (char_length(name) BETWEEN 1 AND 100),  -- usage_reset, cleanup, notify_flush
  cron         text NOT NULL CHECK (char_length(cron) BETWEEN 1 AND 200),     -- the expression last_tick follows
  last_tick    timestamptz NOT NULL,  -- the latest tick claimed (or passed over when the schedule began)
  last_job_id  bigint,  -- the job the latest claimed tick enqueued; NULL until one was (jobs may be purged)
  claimed_by   text,    -- the worker that claimed it
  updated_at   timestamptz NOT NULL DEFAULT now()
);
