-- Notifications (issue 19): messages a partner's bot sends to a Telegram chat, queued here and delivered within
-- Telegram's limits by `wfa notify flush` or serve's notifier, exactly once each: a sender claims a row (status
-- sending, claimed_by, claimed_at: a lease) and commits that before it calls Telegram, then records the outcome.
CREATE TABLE notifications (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  partner_id           uuid NOT NULL REFERENCES partners (id) ON DELETE CASCADE,  -- whose bot sends it
  chat_id              bigint NOT NULL CHECK (chat_id <> 0),
  text                 text NOT NULL CHECK (char_length(text) BETWEEN 1 AND 4096),
  parse_mode           text CHECK (parse_mode IN ('HTML', 'MarkdownV2')),
  -- No key: a distributed table's key would make this one distributed too (Citus layout: a local table). Row-level
-- security (wfa_tenant_policies) hides rows from wfa_serve; serve's notifier reads the queue as wfa_app.
  workspace_id         uuid,
  idempotency_key      text CHECK (char_length(idempotency_key) BETWEEN 1 AND 200),
  status               text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sending', 'sent', 'failed')),
  attempts             integer NOT NULL DEFAULT 0,
  next_attempt_at      timestamptz NOT NULL DEFAULT now(),
  claimed_by           text,
  claimed_at           timestamptz,
  telegram_message_id  bigint,
  last_error           text,
  error_code           integer,
  created_at           timestamptz NOT NULL DEFAULT now(),
  sent_at              timestamptz,
  UNIQUE (partner_id, idempotency_key),
  CHECK (status <> 'sending' OR claimed_at IS NOT NULL)
);
-- What a sender reads: the oldest open message of each chat (a chat's messages go in order, one in flight at a time).
CREATE INDEX notifications_open ON notifications (partner_id, chat_id, created_at, id)
  WHERE status IN ('queued', 'sending');
-- Leases to recover: rows left sending by a sender that stopped.
CREATE INDEX notifications_sending ON notifications (claimed_at) WHERE status = 'sending';
-- `wfa notify list`, newest first, with and without a partner.
CREATE INDEX notifications_created ON notifications (created_at DESC, id DESC);
CREATE INDEX notifications_partner_created ON notifications (partner_id, created_at DESC, id DESC);
