-- The dialing slot of a call is freed when its end arrives, not when the end is processed: serve marks the attempt
-- named by a stored end event (end_seen_at, in the transaction that stores it) and the dispatchers count only the
-- attempts neither ended nor seen ending. The attempt itself stays live (one live call per recipient) until the merge
-- ends it with its outcome.
ALTER TABLE call_attempts ADD COLUMN end_seen_at timestamptz;
CREATE INDEX call_attempts_holding ON call_attempts (workspace_id, provider, campaign_id)
  WHERE ended_at IS NULL AND end_seen_at IS NULL;

-- wfa_settle_attempt_recipients as in 0044, planned from the attempts named and never from the campaign: each
-- attempt and each recipient is reached by its primary key, so a batch costs the same against a table freshly
-- imported (statistics not yet gathered) as against one of millions. The campaigns' policies are read once each.
CREATE OR REPLACE FUNCTION wfa_settle_attempt_recipients(workspace_ids uuid[], attempt_ids uuid[]) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  completed integer;
BEGIN
  WITH named AS MATERIALIZED (
    SELECT DISTINCT x.workspace_id, x.id FROM unnest(workspace_ids, attempt_ids) AS x(workspace_id, id)
     WHERE nullif(current_setting('wfa.workspace_ids', true), '') IS NULL
        OR x.workspace_id = ANY (wfa_tenant_workspaces())),
  settled AS MATERIALIZED (
    SELECT a.workspace_id, a.campaign_id, a.recipient_id, a.outcome, a.ended_at,
           coalesce((SELECT c.requires_follow_up FROM conversations c
                      WHERE c.workspace_id = a.workspace_id AND c.id = a.conversation_id), false) AS requires_follow_up,
           (SELECT p.retry_policy FROM campaigns p WHERE p.workspace_id = a.workspace_id AND p.id = a.campaign_id)
             AS policy
      FROM named n
      CROSS JOIN LATERAL (SELECT * FROM call_attempts a WHERE a.workspace_id = n.workspace_id AND a.id = n.id) a
     WHERE a.ended_at IS NOT NULL AND a.recipient_id IS NOT NULL AND a.campaign_id IS NOT NULL)
  UPDATE campaign_recipients r
     SET outcome = coalesce(e.outcome, r.outcome),
         requires_follow_up = CASE WHEN e.outcome IS NULL THEN r.requires_follow_up ELSE e.requires_follow_up END,
         attempts = CASE WHEN e.outcome IS NULL THEN greatest(r.attempts - 1, 0) ELSE r.attempts END,
         status = CASE WHEN e.outcome IS NULL THEN 'queued'
                       WHEN e.outcome IN ('completed', 'refused', 'opted_out') THEN 'completed'
                       WHEN r.attempts < coalesce((e.policy -> e.outcome ->> 'max_attempts')::int, 1) THEN 'queued'
                       ELSE 'failed' END,
         next_attempt_at = CASE WHEN e.outcome IS NULL THEN e.ended_at + interval '1 minute'
                                WHEN e.outcome IN ('completed', 'refused', 'opted_out') THEN NULL
                                WHEN r.attempts < coalesce((e.policy -> e.outcome ->> 'max_attempts')::int, 1)
                                THEN e.ended_at + coalesce((e.policy -> e.outcome ->> 'min_gap_minutes')::int, 0)
                                                  * interval '1 minute' END
    FROM settled e
   WHERE r.workspace_id = e.workspace_id AND r.id = e.recipient_id AND r.campaign_id = e.campaign_id
     AND e.policy IS NOT NULL
     AND (r.status IN ('pending', 'queued', 'calling')
          OR (r.status = 'completed' AND r.outcome = 'completed' AND e.outcome IN ('refused', 'opted_out')))
     AND NOT EXISTS (SELECT 1 FROM call_attempts l WHERE l.workspace_id = r.workspace_id AND l.recipient_id = r.id
                                                     AND l.ended_at IS NULL);
  WITH touched AS MATERIALIZED (
    SELECT DISTINCT a.workspace_id, a.campaign_id
      FROM unnest(workspace_ids, attempt_ids) AS x(workspace_id, id)
      CROSS JOIN LATERAL (SELECT * FROM call_attempts a WHERE a.workspace_id = x.workspace_id AND a.id = x.id) a
     WHERE a.campaign_id IS NOT NULL
       AND (nullif(current_setting('wfa.workspace_ids', true), '') IS NULL
            OR a.workspace_id = ANY (wfa_tenant_workspaces()))),
  done AS (
    UPDATE campaigns c SET status = 'completed', status_changed_at = now()
      FROM touched t
     WHERE c.workspace_id = t.workspace_id AND c.id = t.campaign_id
       AND c.status = 'running'
       AND NOT EXISTS (SELECT 1 FROM campaign_recipients r WHERE r.workspace_id = c.workspace_id
                          AND r.campaign_id = c.id AND r.status IN ('pending', 'queued', 'calling'))
    RETURNING c.workspace_id, c.id),
  audited AS (
    INSERT INTO audit_log (actor, partner_id, workspace_id, action, entity_type, entity_id, old_values, new_values)
    SELECT 'calls', w.partner_id, d.workspace_id, 'campaign.complete', 'campaign', d.id::text,
           '{"status": "running"}', '{"status": "completed"}'
      FROM done d JOIN workspaces w ON w.id = d.workspace_id
    RETURNING 1)
  SELECT count(*) INTO completed FROM audited;
  RETURN completed;
END;
$$;
