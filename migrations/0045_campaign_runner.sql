-- The campaign runner (issue 29): the caller ids a campaign rotates through, a pace high enough for large accounts,
-- one concurrency cap per provider account (set by the operator, else what the provider reports, else 10), and the
-- indexes the dispatcher counts live calls and finds due recipients with.

ALTER TABLE campaigns
  ADD COLUMN from_numbers text[] NOT NULL DEFAULT '{}'
    CHECK (cardinality(from_numbers) <= 100 AND array_position(from_numbers, NULL) IS NULL),
  DROP CONSTRAINT campaigns_calls_per_minute_check,
  ADD CONSTRAINT campaigns_calls_per_minute_check CHECK (calls_per_minute BETWEEN 1 AND 60000);

-- max_concurrent_calls: the operator's cap for this account; reported_concurrency: the provider's own limit, read
-- when the dispatcher starts (VAPI subscription limits, Retell get-concurrency).
ALTER TABLE workspace_integrations
  ADD COLUMN max_concurrent_calls integer CHECK (max_concurrent_calls BETWEEN 1 AND 10000),
  ADD COLUMN reported_concurrency integer CHECK (reported_concurrency >= 0),
  ADD COLUMN reported_at timestamptz;

CREATE INDEX call_attempts_live ON call_attempts (workspace_id, provider, campaign_id) WHERE ended_at IS NULL;
CREATE INDEX call_attempts_pace ON call_attempts (workspace_id, campaign_id, requested_at);
CREATE INDEX campaign_recipients_waiting ON campaign_recipients (workspace_id, campaign_id, id)
  WHERE status IN ('pending', 'queued', 'calling');
-- Inbound calls in progress hold a slot of their account too.
CREATE INDEX conversations_inbound_live ON conversations (workspace_id, provider, started_at)
  WHERE direction = 'inbound' AND status IN ('ringing', 'in_progress');
