-- telegram_bots: each partner's white-label bot (issue 18). The token is sealed like the providers' API keys; the
-- webhook endpoint is an opaque id in /webhooks/telegram/ID, so wfa knows whose secret to check before reading a byte.
CREATE TABLE telegram_bots (
  partner_id        uuid PRIMARY KEY REFERENCES partners (id) ON DELETE CASCADE,
  bot_id            bigint NOT NULL UNIQUE CHECK (bot_id > 0),
  token             bytea NOT NULL,
  token_hint        text NOT NULL,
  webhook_endpoint  text NOT NULL UNIQUE DEFAULT replace(gen_random_uuid()::text, '-', ''),
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER telegram_bots_touch BEFORE UPDATE ON telegram_bots FOR EACH ROW EXECUTE FUNCTION wfa_touch_updated_at();
