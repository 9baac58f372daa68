-- Webhooks (issue 19). Each integration gets an opaque endpoint id (/webhooks/PROVIDER/ID) so wfa knows whose secret
-- to check before it trusts a byte of the body; VAPI's and Synthflow's webhook secrets are sealed like API keys
-- (Retell signs with the API key itself).
ALTER TABLE workspace_integrations
  ADD COLUMN webhook_endpoint     text NOT NULL DEFAULT replace(gen_random_uuid()::text, '-', ''),
  ADD COLUMN webhook_secret       bytea,
  ADD COLUMN webhook_secret_hint  text;
-- 122 random bits make an endpoint unique in practice; the key keeps workspace_id first for the Citus layout.
CREATE UNIQUE INDEX workspace_integrations_webhook_endpoint ON workspace_integrations (workspace_id, webhook_endpoint);
CREATE INDEX workspace_integrations_by_endpoint ON workspace_integrations (webhook_endpoint);

-- webhook_events: every verified delivery, committed before its 2xx. The provider's event id makes a redelivery a
-- no-op; status says how far processing got (received → processed | ignored | failed, retried with backoff).
CREATE TABLE webhook_events (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id     uuid,  -- NULL: platform-level (Telegram, Stripe, Slack); no key: a local table (Citus layout)
  provider         text NOT NULL CHECK (provider IN ('vapi', 'retell', 'synthflow', 'telegram', 'stripe', 'slack')),
  endpoint         text NOT NULL,
  event_id         text NOT NULL CHECK (event_id <> ''),
  event_type       text NOT NULL DEFAULT '',
  body             bytea NOT NULL,
  headers          jsonb NOT NULL DEFAULT '{}'::jsonb,
  received_at      timestamptz NOT NULL DEFAULT now(),
  status           text NOT NULL DEFAULT 'received' CHECK (status IN ('received', 'processed', 'ignored', 'failed')),
  attempts         integer NOT NULL DEFAULT 0,
  last_error       text,
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  processed_at     timestamptz,
  UNIQUE (provider, endpoint, event_id)
);
CREATE INDEX webhook_events_due ON webhook_events (next_attempt_at) WHERE status = 'received';
CREATE INDEX webhook_events_received ON webhook_events (received_at DESC, id);

-- wfa_webhook_target is what serve needs of an endpoint before any tenant is known: its workspace and sealed secrets.
CREATE FUNCTION wfa_webhook_target(provider text, endpoint text)
RETURNS TABLE (workspace_id uuid, api_key bytea, webhook_secret bytea, is_active boolean)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT i.workspace_id, i.api_key, i.webhook_secret, i.is_active FROM workspace_integrations i
   WHERE i.provider = $1 AND i.webhook_endpoint = $2
$$;
REVOKE EXECUTE ON FUNCTION wfa_webhook_target(text, text) FROM PUBLIC;
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'wfa_serve') THEN
    GRANT EXECUTE ON FUNCTION wfa_webhook_target(text, text) TO wfa_serve;
  END IF;
END;
$$;

CREATE TRIGGER workspace_integrations_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON workspace_integrations
  FOR EACH STATEMENT EXECUTE FUNCTION wfa_notify_change();

-- wfa_due_webhook_events lists events waiting to be processed, across tenants, for serve's processor (which then
-- scopes each event's transaction to its workspace).
CREATE FUNCTION wfa_due_webhook_events(max_events integer)
RETURNS TABLE (id uuid, workspace_id uuid)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT e.id, e.workspace_id FROM webhook_events e
   WHERE e.status = 'received' AND e.next_attempt_at <= now() ORDER BY e.next_attempt_at, e.id LIMIT $1
$$;
REVOKE EXECUTE ON FUNCTION wfa_due_webhook_events(integer) FROM PUBLIC;
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'wfa_serve') THEN
    GRANT EXECUTE ON FUNCTION wfa_due_webhook_events(integer) TO wfa_serve;
  END IF;
END;
$$;

-- platform_secrets: the platform's own webhook secrets (Stripe's endpoint signing secret, Slack's signing secret),
-- sealed like every other secret.
CREATE TABLE platform_secrets (
  name        text PRIMARY KEY CHECK (name IN ('stripe_webhook', 'slack_signing')),
  value       bytea NOT NULL,
  hint        text NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER platform_secrets_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON platform_secrets
  FOR EACH STATEMENT EXECUTE FUNCTION wfa_notify_change();

-- A partner's bot gets a secret token of wfa's making (sealed) that Telegram sends with every update.
ALTER TABLE telegram_bots
  ADD COLUMN webhook_secret  bytea,
  ADD COLUMN webhook_url     text,
  ADD COLUMN webhook_set_at  timestamptz;

-- wfa_store_platform_event stores a platform-level delivery (no workspace) for serve, whose row-level security hides
-- such rows from it; true when it is new, false for a redelivery.
CREATE FUNCTION wfa_store_platform_event(provider text, endpoint text, event_id text, event_type text, body bytea,
                                         headers jsonb, status text, last_error text) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF provider NOT IN ('stripe', 'slack', 'telegram') THEN
    RAISE EXCEPTION 'platform events are stripe, slack or telegram, not %', provider;
  END IF;
  INSERT INTO webhook_events (provider, endpoint, event_id, event_type, body, headers, status, last_error, processed_at)
  VALUES (provider, endpoint, event_id, event_type, body, headers, status, last_error,
          CASE WHEN status IN ('processed', 'ignored') THEN now() END)
  ON CONFLICT ON CONSTRAINT webhook_events_provider_endpoint_event_id_key DO NOTHING;
  RETURN FOUND;
END;
$$;
REVOKE EXECUTE ON FUNCTION wfa_store_platform_event(text, text, text, text, bytea, jsonb, text, text) FROM PUBLIC;
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'wfa_serve') THEN
    GRANT EXECUTE ON FUNCTION wfa_store_platform_event(text, text, text, text, bytea, jsonb, text, text) TO wfa_serve;
  END IF;
END;
$$;
