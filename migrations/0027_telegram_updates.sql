-- Telegram updates processed (issue 19): the bot's own standing in each linked group, and a log of how each partner's
-- bot fared with updates, sends and webhook checks, so `wfa telegram health` can say when it last worked and why not.
ALTER TABLE telegram_groups
  ADD COLUMN bot_status     text CHECK (bot_status IN ('member', 'administrator', 'restricted', 'left', 'kicked')),
  ADD COLUMN bot_status_at  timestamptz;

-- telegram_health_events: one row per outcome worth knowing (a processed or failed update, a sent or refused
-- message, a webhook check), read for the latest of each kind.
CREATE TABLE telegram_health_events (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  partner_id  uuid NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
  kind        text NOT NULL CHECK (kind IN ('update', 'send', 'webhook')),
  ok          boolean NOT NULL,
  update_id   bigint,
  chat_id     bigint,
  error_code  integer,
  error       text,
  at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX telegram_health_events_partner ON telegram_health_events (partner_id, kind, ok, at DESC);
CREATE INDEX telegram_health_events_failures ON telegram_health_events (partner_id, ok, at DESC);
CREATE INDEX telegram_health_events_at ON telegram_health_events (at);

-- When Telegram reported an admin's standing: updates may arrive out of order, and an older one changes nothing.
ALTER TABLE telegram_group_admins ADD COLUMN status_date timestamptz;

-- wfa_store_platform_event now answers the stored event's id (NULL for a redelivery), so serve's committer hands a
-- new Telegram update to its processor at once.
DROP FUNCTION wfa_store_platform_event(text, text, text, text, bytea, jsonb, text, text);
CREATE FUNCTION wfa_store_platform_event(provider text, endpoint text, event_id text, event_type text, body bytea,
                                         headers jsonb, status text, last_error text) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  stored uuid;
BEGIN
  IF provider NOT IN ('stripe', 'slack', 'telegram') THEN
    RAISE EXCEPTION 'platform events are stripe, slack or telegram, not %', provider;
  END IF;
  INSERT INTO webhook_events (provider, endpoint, event_id, event_type, body, headers, status, last_error, processed_at)
  VALUES (provider, endpoint, event_id, event_type, body, headers, status, last_error,
          CASE WHEN status IN ('processed', 'ignored') THEN now() END)
  ON CONFLICT ON CONSTRAINT webhook_events_provider_endpoint_event_id_key DO NOTHING
  RETURNING id INTO stored;
  RETURN stored;
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
