-- Campaigns that dial (issue 29), the campaign's side: its own calling window (which only narrows the country's
-- rules), its caps and pace, its retry policy per outcome; each recipient's attempts and outcome; and call_attempts,
-- one row per dial, written before the provider is asked.

ALTER TABLE campaigns
  ADD COLUMN call_days text[] CHECK (call_days IS NULL OR (cardinality(call_days) BETWEEN 1 AND 7
    AND call_days <@ ARRAY['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'])),
  ADD COLUMN call_window_start time,
  ADD COLUMN call_window_end time,
  ADD COLUMN max_concurrent integer NOT NULL DEFAULT 10 CHECK (max_concurrent BETWEEN 1 AND 1000),
  ADD COLUMN calls_per_minute integer NOT NULL DEFAULT 60 CHECK (calls_per_minute BETWEEN 1 AND 6000),
  -- retry_policy: per outcome, how many attempts a recipient gets in all and the least minutes between two.
  ADD COLUMN retry_policy jsonb NOT NULL DEFAULT
    '{"no_answer": {"max_attempts": 3, "min_gap_minutes": 240}, "busy": {"max_attempts": 3, "min_gap_minutes": 30},'
    ' "voicemail": {"max_attempts": 2, "min_gap_minutes": 1440}, "failed": {"max_attempts": 2, "min_gap_minutes": 60}}',
  ADD COLUMN pause_reason text,
  ADD CONSTRAINT campaigns_call_window CHECK ((call_window_start IS NULL) = (call_window_end IS NULL)
    AND (call_window_end IS NULL OR call_window_end > call_window_start));

-- A recipient's outcome is its last call's; attempts counts its dials; next_attempt_at is when a retry falls due.
ALTER TABLE campaign_recipients
  ADD COLUMN attempts smallint NOT NULL DEFAULT 0,
  ADD COLUMN outcome text CHECK (outcome IN ('completed', 'no_answer', 'busy', 'voicemail', 'failed', 'refused',
                                              'opted_out')),
  ADD COLUMN next_attempt_at timestamptz,
  ADD COLUMN skip_reason text;

-- call_attempts: one row per dial of a campaign recipient or a single call, committed before the provider is asked;
-- provider_call_id arrives with the provider's answer, ended_at and outcome with the call's end. A recipient has at
-- most one live (unended) attempt: the partial unique index is the database's own guard against two live calls.
CREATE TABLE call_attempts (
  workspace_id      uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  id                uuid NOT NULL DEFAULT gen_random_uuid(),
  campaign_id       uuid,
  recipient_id      bigint,
  phone_e164        text NOT NULL CHECK (phone_e164 ~ '^\+[1-9][0-9]{6,14}$'),
  attempt_no        smallint NOT NULL CHECK (attempt_no >= 1),
  provider          text NOT NULL,
  from_number       text,
  provider_call_id  text,
  conversation_id   uuid,
  requested_at      timestamptz NOT NULL DEFAULT now(),
  ended_at          timestamptz,
  outcome           text CHECK (outcome IN ('completed', 'no_answer', 'busy', 'voicemail', 'failed', 'refused',
                                            'opted_out')),
  PRIMARY KEY (workspace_id, id),
  FOREIGN KEY (workspace_id, campaign_id) REFERENCES campaigns (workspace_id, id) ON DELETE CASCADE
);
CREATE INDEX call_attempts_phone ON call_attempts (workspace_id, phone_e164, requested_at);
CREATE UNIQUE INDEX call_attempts_one_live ON call_attempts (workspace_id, recipient_id)
  WHERE ended_at IS NULL AND recipient_id IS NOT NULL;
