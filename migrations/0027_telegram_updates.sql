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
