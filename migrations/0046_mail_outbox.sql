-- Mail outbox (issue 30): each e-mail is written here, fully rendered (RFC 5322 bytes with its Message-ID), in the
-- transaction of the change that causes it, so a rolled-back change sends nothing and a committed one always sends.
-- `wfa mail flush` and the mail.send job claim rows (status sending, claimed_at: a lease) with SKIP LOCKED and commit
-- that before talking SMTP; a row left sending past its lease, or cut off after DATA, becomes unknown and is sent
-- again later with the same bytes (same Message-ID).
CREATE TABLE mail_outbox (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  message_key      text NOT NULL UNIQUE CHECK (message_key ~ '^[A-Za-z0-9_-]{8,64}$'),  -- Message-ID and VERP local part
  partner_id       uuid REFERENCES partners (id) ON DELETE CASCADE,  -- whose mail it is; NULL: the platform's
  template         text NOT NULL,
  subject          text NOT NULL,
  envelope_from    text NOT NULL,  -- the VERP Return-Path, bounce+KEY@domain
  recipient        text NOT NULL CHECK (recipient = lower(recipient)),
  message          text NOT NULL,  -- the whole message, CRLF line ends
  bulk             boolean NOT NULL DEFAULT false,
  invitation_id    uuid,           -- the partner or workspace invitation it carries (bounces mark it undeliverable)
  status           text NOT NULL DEFAULT 'queued'
                   CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'unknown', 'cancelled', 'suppressed')),
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  give_up_at       timestamptz NOT NULL,  -- past it a passing failure ends the message as failed
  claimed_by       text,
  claimed_at       timestamptz,
  reply_code       integer,
  last_reply       text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  sent_at          timestamptz,
  CHECK (status <> 'sending' OR claimed_at IS NOT NULL)
);
-- What a flusher claims: due rows, oldest first.
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at, id) WHERE status IN ('queued', 'unknown');
-- Leases to recover.
CREATE INDEX mail_outbox_sending ON mail_outbox (claimed_at) WHERE status = 'sending';
-- `wfa mail list`, newest first.
CREATE INDEX mail_outbox_created ON mail_outbox (created_at DESC, id DESC);

-- Addresses never mailed again: hard bounces, unsubscribes, complaints. Checked before every send.
CREATE TABLE mail_suppressions (
  address     text PRIMARY KEY CHECK (address = lower(address)),
  reason      text NOT NULL CHECK (reason IN ('bounce', 'unsubscribe', 'complaint', 'manual')),
  detail      text,
  created_at  timestamptz NOT NULL DEFAULT now()
);
