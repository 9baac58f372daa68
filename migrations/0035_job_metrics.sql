-- The job queue's figures for `wfa job stats` and serve's /metrics: per queue and kind, the unfinished jobs (through
-- their partial indexes) and the last hour's outcomes and durations (through jobs_finished). Aggregates only, so
-- serve's role may read them without reading a payload.
CREATE FUNCTION wfa_job_queue_stats()
RETURNS TABLE (queue text, kind text, available bigint, due bigint, running bigint, oldest_due_s bigint,
               completed_1h bigint, failed_1h bigint, discarded_1h bigint, cancelled_1h bigint, p50_ms bigint,
               p95_ms bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  WITH open AS (
    SELECT j.queue, j.kind, count(*) FILTER (WHERE j.status = 'available') AS available,
           count(*) FILTER (WHERE j.status = 'available' AND j.run_after <= now()) AS due,
           count(*) FILTER (WHERE j.status = 'running') AS running,
           min(j.run_after) FILTER (WHERE j.status = 'available' AND j.run_after <= now()) AS oldest_due
      FROM jobs j WHERE j.status IN ('available', 'running') GROUP BY 1, 2),
  recent AS (
    SELECT j.queue, j.kind, count(*) FILTER (WHERE j.status = 'completed') AS completed,
           count(*) FILTER (WHERE j.status = 'failed') AS failed,
           count(*) FILTER (WHERE j.status = 'discarded') AS discarded,
           count(*) FILTER (WHERE j.status = 'cancelled') AS cancelled,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM j.finished_at - j.claimed_at))
             FILTER (WHERE j.status = 'completed') AS p50,
           percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM j.finished_at - j.claimed_at))
             FILTER (WHERE j.status = 'completed') AS p95
      FROM jobs j WHERE j.finished_at >= now() - interval '1 hour' GROUP BY 1, 2)
  SELECT queue, kind, coalesce(o.available, 0), coalesce(o.due, 0), coalesce(o.running, 0),
         coalesce(floor(extract(epoch FROM now() - o.oldest_due))::bigint, 0), coalesce(r.completed, 0),
         coalesce(r.failed, 0), coalesce(r.discarded, 0), coalesce(r.cancelled, 0), round(r.p50 * 1000)::bigint,
         round(r.p95 * 1000)::bigint
    FROM open o FULL JOIN recent r USING (queue, kind) ORDER BY queue, kind
$$;
REVOKE EXECUTE ON FUNCTION wfa_job_queue_stats() FROM PUBLIC;
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'wfa_serve') THEN
    GRANT EXECUTE ON FUNCTION wfa_job_queue_stats() TO wfa_serve;
  END IF;
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'wfa_app') THEN
    GRANT EXECUTE ON FUNCTION wfa_job_queue_stats() TO wfa_app;
  END IF;
END;
$$;
