-- Campaigns: outbound calling campaigns of a workspace, their recipients and the CSV imports
-- that loaded them.

-- A campaign belongs to a workspace; its name is unique there. agent_id names the voice agent
-- that will place the calls; the agents table comes with a later migration, which adds the key.
-- Status machine (enforced by wfa): draft -> scheduled -> running <-> paused -> completed;
-- draft|scheduled|running|paused -> cancelled; scheduled|running|paused -> expired (cron, after ends_at).
CREATE TABLE campaigns (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id       uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  name               text NOT NULL CHECK (name <> '' AND name !~ '/'),
  agent_id           uuid,
  status             text NOT NULL DEFAULT 'draft'
                     CHECK (status IN ('draft', 'scheduled', 'running', 'paused', 'completed', 'cancelled', 'expired')),
  timezone           text NOT NULL DEFAULT 'UTC',
  starts_at          timestamptz,
  ends_at            timestamptz,
  status_changed_at  timestamptz NOT NULL DEFAULT now(),
  created_by         text NOT NULL,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  UNIQUE (workspace_id, name),
  CHECK (starts_at IS NULL OR ends_at IS NULL OR ends_at > starts_at)
);
CREATE INDEX campaigns_expiry_idx ON campaigns (ends_at) WHERE status IN ('scheduled', 'running', 'paused');
CREATE TRIGGER campaigns_touch BEFORE UPDATE ON campaigns FOR EACH ROW EXECUTE FUNCTION wfa_touch_updated_at();

-- One row per committed import; the idempotency key (SHA-256 of the file and the options that
-- shape its rows) makes a re-run of the same import a no-op.
CREATE TABLE campaign_imports (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  campaign_id      uuid NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  idempotency_key  text NOT NULL,
  file_name        text NOT NULL,
  file_bytes       bigint NOT NULL,
  rows_read        bigint NOT NULL,
  rows_imported    bigint NOT NULL,
  duplicates       bigint NOT NULL,
  rejected         bigint NOT NULL,
  options          jsonb NOT NULL DEFAULT '{}'::jsonb,
  actor            text NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (campaign_id, idempotency_key)
);

-- Recipients are bulk-loaded with COPY. campaign_id has no foreign key on purpose: a per-row
-- RI check would double the cost of a million-row load. The importer locks the campaign row
-- for the whole load instead, and the trigger below deletes a campaign's recipients with it.
CREATE TABLE campaign_recipients (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  campaign_id  uuid NOT NULL,
  import_id    bigint,
  phone        text NOT NULL CHECK (left(phone, 1) = '+'),
  first_name   text,
  last_name    text,
  email        text,
  company      text,
  timezone     text,
  variables    jsonb,
  status       text NOT NULL DEFAULT 'pending'
               CHECK (status IN ('pending', 'queued', 'calling', 'completed', 'failed', 'skipped')),
  created_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (campaign_id, phone)
);

CREATE FUNCTION wfa_campaign_recipients_cascade() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM campaign_recipients r USING old_campaigns o WHERE r.campaign_id = o.id;
  RETURN NULL;
END;
$$;
CREATE TRIGGER campaigns_delete_recipients AFTER DELETE ON campaigns
  REFERENCING OLD TABLE AS old_campaigns FOR EACH STATEMENT EXECUTE FUNCTION wfa_campaign_recipients_cascade();
