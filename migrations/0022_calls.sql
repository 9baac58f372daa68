-- Call logs (issue 17): conversations, the usage they bill, the calls of agents wfa does not know yet, and the
-- checkpoints of API ingests. Money: provider cost in integer micro-dollars, charges and credits in cents.

-- conversations: one row per provider call, found again by (provider, external call id); an agent's calls always land
-- in that agent's workspace, so the key carries the workspace for the Citus layout.
CREATE TABLE conversations (
  workspace_id       uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  id                 uuid NOT NULL DEFAULT gen_random_uuid(),
  agent_id           uuid NOT NULL,
  provider           text NOT NULL CHECK (provider IN ('vapi', 'retell', 'synthflow')),
  external_call_id   text NOT NULL CHECK (external_call_id <> ''),
  direction          text CHECK (direction IN ('inbound', 'outbound', 'web')),
  status             text NOT NULL CHECK (status IN ('initiated', 'ringing', 'in_progress', 'completed', 'failed',
                                                     'no_answer', 'busy', 'canceled')),
  phone_number       text,
  started_at         timestamptz,
  ended_at           timestamptz,
  duration_seconds   integer NOT NULL DEFAULT 0 CHECK (duration_seconds >= 0),
  recording_url      text,
  transcript         text,
  summary            text,
  sentiment          text,
  total_cost_micros  bigint NOT NULL DEFAULT 0 CHECK (total_cost_micros >= 0),
  cost_breakdown     jsonb,
  ended_reason       text,
  requires_follow_up boolean NOT NULL DEFAULT false,
  metadata           jsonb NOT NULL DEFAULT '{}'::jsonb,
  search             tsvector GENERATED ALWAYS AS
                       (to_tsvector('simple', coalesce(transcript, '') || ' ' || coalesce(summary, ''))) STORED,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id),
  UNIQUE (workspace_id, provider, external_call_id),
  FOREIGN KEY (workspace_id, agent_id) REFERENCES ai_agents (workspace_id, id)
);
CREATE INDEX conversations_started ON conversations (workspace_id, started_at DESC, id);
CREATE INDEX conversations_agent ON conversations (workspace_id, agent_id, started_at DESC);
CREATE INDEX conversations_search ON conversations USING gin (search);
CREATE TRIGGER conversations_touch BEFORE UPDATE ON conversations FOR EACH ROW EXECUTE FUNCTION wfa_touch_updated_at();

-- usage_tracking: what one billable event (a call) counts; a changed call updates its row and the counters move by
-- the difference, so the counters always equal the sum of these rows.
CREATE TABLE usage_tracking (
  workspace_id      uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  id                bigint GENERATED ALWAYS AS IDENTITY,
  source_type       text NOT NULL CHECK (source_type IN ('call')),
  source_id         uuid NOT NULL,
  agent_id          uuid,
  period            date NOT NULL,  -- first day of the month the event happened in (UTC)
  duration_seconds  bigint NOT NULL CHECK (duration_seconds >= 0),
  billable_minutes  bigint NOT NULL CHECK (billable_minutes >= 0),
  cost_micros       bigint NOT NULL CHECK (cost_micros >= 0),
  rate_cents        bigint NOT NULL CHECK (rate_cents >= 0),  -- the workspace's per-minute rate when first counted
  charged_cents     bigint NOT NULL CHECK (charged_cents >= 0),
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id),
  UNIQUE (workspace_id, source_type, source_id)
);
CREATE TRIGGER usage_tracking_touch BEFORE UPDATE ON usage_tracking FOR EACH ROW EXECUTE FUNCTION wfa_touch_updated_at();

-- The month's provider cost is kept exactly (micro-dollars); current_month_cost stays the cents figure it was.
ALTER TABLE workspaces DROP COLUMN current_month_cost,
  ADD COLUMN current_month_cost_micros bigint NOT NULL DEFAULT 0 CHECK (current_month_cost_micros >= 0),
  ADD COLUMN current_month_cost bigint GENERATED ALWAYS AS ((current_month_cost_micros + 5000) / 10000) STORED,
  ADD COLUMN credit_balance_cents bigint NOT NULL DEFAULT 0;  -- prepaid credit; calls draw it down, may go negative
ALTER TABLE ai_agents ADD COLUMN total_cost_micros bigint NOT NULL DEFAULT 0 CHECK (total_cost_micros >= 0);

-- unmatched_calls: calls whose agent wfa does not know (yet), kept whole with the reason; the next ingest or
-- `wfa calls unmatched --link` moves them into conversations once the agent exists.
CREATE TABLE unmatched_calls (
  provider           text NOT NULL CHECK (provider IN ('vapi', 'retell', 'synthflow')),
  workspace_id       uuid,  -- the workspace whose ingest met it (its key, its --workspace): it may link only there
  external_call_id   text NOT NULL,
  external_agent_id  text,
  reason             text NOT NULL,
  source             text NOT NULL,  -- file:line or the API it came from
  call               jsonb NOT NULL,  -- the normalised call, as the staging row held it
  first_seen_at      timestamptz NOT NULL DEFAULT now(),
  last_seen_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (provider, external_call_id)
);
CREATE INDEX unmatched_calls_agent ON unmatched_calls (provider, external_agent_id);

-- call_ingest_checkpoints: how far an API ingest got per workspace and provider, so an interrupted one resumes.
CREATE TABLE call_ingest_checkpoints (
  workspace_id  uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  provider      text NOT NULL CHECK (provider IN ('vapi', 'retell', 'synthflow')),
  position      jsonb NOT NULL DEFAULT '{}'::jsonb,
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, provider)
);
