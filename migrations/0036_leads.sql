-- Leads (issue 23): a workspace's prospects, one per phone number (E.164), moved through a status pipeline, owned by
-- a member (record_owners, record type 'lead') and so protected by the record access of the permission model; notes
-- on them; and the calls they were created from or linked to.

-- leads: manual (`wfa lead create`), imported (`wfa lead import`) or made by a call ingest from a call that needs
-- a follow-up or carries structured lead data (source_call_id is that call).
CREATE TABLE leads (
  workspace_id    uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  id              uuid NOT NULL DEFAULT gen_random_uuid(),
  phone_e164      text NOT NULL CHECK (phone_e164 ~ '^\+[1-9][0-9]{6,14}$'),
  first_name      text CHECK (char_length(first_name) <= 200),
  last_name       text CHECK (char_length(last_name) <= 200),
  email           text CHECK (char_length(email) <= 254),
  company         text CHECK (char_length(company) <= 200),
  status          text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'contacted', 'qualified', 'won', 'lost')),
  source          text NOT NULL CHECK (source IN ('manual', 'import', 'call')),
  source_call_id  uuid,
  owner_user_id   uuid REFERENCES users (id) ON DELETE SET NULL,
  attributes      jsonb NOT NULL DEFAULT '{}'::jsonb,
  note_count      bigint NOT NULL DEFAULT 0,
  created_by      text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id),
  UNIQUE (workspace_id, phone_e164),
  FOREIGN KEY (workspace_id, source_call_id) REFERENCES conversations (workspace_id, id) ON DELETE SET NULL
    (source_call_id)
);
CREATE INDEX leads_created ON leads (workspace_id, created_at, id);
CREATE INDEX leads_owner ON leads (workspace_id, owner_user_id);
CREATE TRIGGER leads_touch BEFORE UPDATE ON leads FOR EACH ROW WHEN (OLD.note_count = NEW.note_count)
  EXECUTE FUNCTION wfa_touch_updated_at();

-- lead_notes: append-only notes on a lead; leads.note_count is kept by the trigger below.
CREATE TABLE lead_notes (
  workspace_id  uuid NOT NULL,
  id            uuid NOT NULL DEFAULT gen_random_uuid(),
  lead_id       uuid NOT NULL,
  body          text NOT NULL CHECK (body <> '' AND char_length(body) <= 4000),
  author        text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id),
  FOREIGN KEY (workspace_id, lead_id) REFERENCES leads (workspace_id, id) ON DELETE CASCADE
);
CREATE INDEX lead_notes_lead ON lead_notes (workspace_id, lead_id, created_at, id);

CREATE FUNCTION wfa_count_lead_notes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE leads SET note_count = note_count + 1 WHERE workspace_id = NEW.workspace_id AND id = NEW.lead_id;
  ELSE
    UPDATE leads SET note_count = note_count - 1 WHERE workspace_id = OLD.workspace_id AND id = OLD.lead_id;
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER lead_notes_counted AFTER INSERT OR DELETE ON lead_notes
  FOR EACH ROW EXECUTE FUNCTION wfa_count_lead_notes();

-- lead_calls: which lead each call made or joined; one row per call, so a re-ingest links nothing twice.
CREATE TABLE lead_calls (
  workspace_id     uuid NOT NULL,
  conversation_id  uuid NOT NULL,
  lead_id          uuid NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, conversation_id),
  FOREIGN KEY (workspace_id, lead_id) REFERENCES leads (workspace_id, id) ON DELETE CASCADE,
  FOREIGN KEY (workspace_id, conversation_id) REFERENCES conversations (workspace_id, id) ON DELETE CASCADE
);
CREATE INDEX lead_calls_lead ON lead_calls (workspace_id, lead_id);

-- wfa_record_access is every unexpired way user p_user reaches record p_type:p_id of workspace p_ws: as its owner
-- (full); as a leader of a team the owner belongs to or of any team above it (read_write, nearest first); through
-- a share to the user or to a team the user belongs to (its level). `wfa perm check --record` explains with it and
-- list verbs filter with it (a row is visible when the function returns any row), so both read one definition.
CREATE FUNCTION wfa_record_access(p_ws uuid, p_user uuid, p_type text, p_id text)
RETURNS TABLE (source text, name text, via text, level text, expires_at text, expires_epoch bigint, rank integer)
LANGUAGE sql STABLE AS $$
WITH RECURSIVE owner AS (
  SELECT o.owner_user_id, u.email FROM record_owners o JOIN users u ON u.id = o.owner_user_id
  WHERE o.workspace_id = p_ws AND o.record_type = p_type AND o.record_id = p_id
), up AS (
  SELECT t.id, t.name, t.parent_team_id, 0 AS depth, ARRAY[t.id] AS seen
    FROM owner JOIN team_members m ON m.user_id = owner.owner_user_id JOIN teams t ON t.id = m.team_id
    WHERE t.workspace_id = p_ws
  UNION ALL
  SELECT p.id, p.name, p.parent_team_id, up.depth + 1, up.seen || p.id
    FROM up JOIN teams p ON p.id = up.parent_team_id WHERE NOT p.id = ANY(up.seen)
)
SELECT 'owner'::text, email::text, ''::text, 'full'::text, ''::text, 0::bigint, 0
  FROM owner WHERE owner_user_id = p_user
UNION ALL
SELECT 'team_leader', up.name::text, (SELECT email::text FROM owner), 'read_write', '', 0, min(up.depth)
  FROM up JOIN team_members m ON m.team_id = up.id AND m.user_id = p_user AND m.role = 'leader' GROUP BY up.name
UNION ALL
SELECT 'share', s.id::text, COALESCE(t.name::text, ''), s.access_level::text,
       COALESCE(to_char(s.expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), ''),
       COALESCE(floor(extract(epoch FROM s.expires_at))::bigint, 0), CASE WHEN s.user_id IS NULL THEN 1 ELSE 0 END
  FROM record_shares s LEFT JOIN teams t ON t.id = s.team_id
  WHERE s.workspace_id = p_ws AND s.record_type = p_type AND s.record_id = p_id
    AND (s.expires_at IS NULL OR s.expires_at > now())
    AND (s.user_id = p_user OR s.team_id IN (SELECT team_id FROM team_members WHERE user_id = p_user))
$$;

-- Lead rights: crm:leads:* lies outside workspace:*:read, so reading every lead is a grant of its own; without it a
-- member reads the leads their record access reaches (owned, led, shared). Owners and admins hold every lead right;
-- members create leads (and own what they create).
INSERT INTO role_permissions (scope, role, permission) VALUES
  ('workspace', 'owner', 'crm:*:*'),
  ('workspace', 'admin', 'crm:leads:*'),
  ('workspace', 'member', 'crm:leads:create')
ON CONFLICT DO NOTHING;
