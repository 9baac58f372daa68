-- Outcomes (issue 29): what an ended call does to its campaign recipient. The recipient carries its last call's
-- requires_follow_up; the open recipients of a campaign are an index probe, so the merge can tell at once that a
-- campaign's last recipient is done; a campaign's attempts are read by campaign for its stats and exports.

ALTER TABLE campaign_recipients ADD COLUMN requires_follow_up boolean NOT NULL DEFAULT false;

CREATE INDEX campaign_recipients_open ON campaign_recipients (workspace_id, campaign_id)
  WHERE status IN ('pending', 'queued', 'calling');
CREATE INDEX call_attempts_campaign ON call_attempts (workspace_id, campaign_id, recipient_id)
  WHERE campaign_id IS NOT NULL;

-- wfa_settle_attempt_recipients moves the recipients of the attempts named by WORKSPACE_IDS and ATTEMPT_IDS (pairs),
-- which the calls' merge has just ended, and completes their running campaigns whose every recipient is terminal
-- (audited). Everything else is read from the attempts themselves, so a caller can only settle what truly ended; it
-- runs with the owner's rights because serve, which merges webhook calls, has no privilege on campaign_recipients
-- (migration 0025), and keeps to serve's tenant set when one is named. Returns the campaigns completed.
--  * attempts already counts the dial (the dispatcher adds it); outcome and requires_follow_up follow the last call;
--  * completed, refused and opted_out are terminal `completed` (the call connected; the CHECK's other terminal
--    statuses are failed, and skipped, which means never dialed);
--  * no_answer, busy, voicemail and failed go back to `queued` with next_attempt_at = the end plus the policy's
--    min_gap_minutes while attempts < the policy's max_attempts for that outcome (1 when the policy has none), else
--    `failed`;
--  * an attempt ended without an outcome (the provider refused for want of a slot) was no attempt: it is given back
--    and the recipient queued a minute later;
--  * a recipient already terminal, or with another live attempt, keeps its status; but a completed call whose later
--    report refines it to refused or opted_out (the analysis comes after the end) refines the recipient's outcome.
CREATE FUNCTION wfa_settle_attempt_recipients(workspace_ids uuid[], attempt_ids uuid[]) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  completed integer;
BEGIN
  WITH settled AS (
    SELECT a.workspace_id, a.campaign_id, a.recipient_id, a.outcome, a.ended_at,
           coalesce(c.requires_follow_up, false) AS requires_follow_up
      FROM unnest(workspace_ids, attempt_ids) AS x(workspace_id, id)
      JOIN call_attempts a ON a.workspace_id = x.workspace_id AND a.id = x.id
      LEFT JOIN conversations c ON c.workspace_id = a.workspace_id AND c.id = a.conversation_id
     WHERE a.ended_at IS NOT NULL AND a.recipient_id IS NOT NULL AND a.campaign_id IS NOT NULL
       AND (nullif(current_setting('wfa.workspace_ids', true), '') IS NULL
            OR a.workspace_id = ANY (wfa_tenant_workspaces())))
  UPDATE campaign_recipients r
     SET outcome = coalesce(e.outcome, r.outcome),
         requires_follow_up = CASE WHEN e.outcome IS NULL THEN r.requires_follow_up ELSE e.requires_follow_up END,
         attempts = CASE WHEN e.outcome IS NULL THEN greatest(r.attempts - 1, 0) ELSE r.attempts END,
         status = CASE WHEN e.outcome IS NULL THEN 'queued'
                       WHEN e.outcome IN ('completed', 'refused', 'opted_out') THEN 'completed'
                       WHEN r.attempts < coalesce((p.retry_policy -> e.outcome ->> 'max_attempts')::int, 1) THEN 'queued'
                       ELSE 'failed' END,
         next_attempt_at = CASE WHEN e.outcome IS NULL THEN e.ended_at + interval '1 minute'
                                WHEN e.outcome IN ('completed', 'refused', 'opted_out') THEN NULL
                                WHEN r.attempts < coalesce((p.retry_policy -> e.outcome ->> 'max_attempts')::int, 1)
                                THEN e.ended_at + coalesce((p.retry_policy -> e.outcome ->> 'min_gap_minutes')::int, 0)
                                                  * interval '1 minute' END
    FROM settled e
    JOIN campaigns p ON p.workspace_id = e.workspace_id AND p.id = e.campaign_id
   WHERE r.workspace_id = e.workspace_id AND r.id = e.recipient_id AND r.campaign_id = e.campaign_id
     AND (r.status IN ('pending', 'queued', 'calling')
          OR (r.status = 'completed' AND r.outcome = 'completed' AND e.outcome IN ('refused', 'opted_out')))
     AND NOT EXISTS (SELECT 1 FROM call_attempts l WHERE l.workspace_id = r.workspace_id AND l.recipient_id = r.id
                                                     AND l.ended_at IS NULL);
  WITH done AS (
    UPDATE campaigns c SET status = 'completed', status_changed_at = now()
     WHERE (c.workspace_id, c.id) IN (SELECT a.workspace_id, a.campaign_id FROM unnest(workspace_ids, attempt_ids)
                                          AS x(workspace_id, id) JOIN call_attempts a ON a.workspace_id =
                                          x.workspace_id AND a.id = x.id)
       AND (nullif(current_setting('wfa.workspace_ids', true), '') IS NULL
            OR c.workspace_id = ANY (wfa_tenant_workspaces()))
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
