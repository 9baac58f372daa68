-- Mini App agents (issue 18): the registry of modules the Mini App shows, which workspaces enabled which, and which
-- members were granted them. Admins of a workspace use every enabled agent; other members the ones granted to them.
CREATE TABLE app_agents (
  key          text PRIMARY KEY CHECK (key ~ '^[a-z][a-z0-9_]{1,39}$'),
  name         text NOT NULL CHECK (name <> ''),
  category     text NOT NULL CHECK (category IN ('social_media', 'sales', 'customer_service', 'voice')),
  description  text NOT NULL DEFAULT '',
  position     integer NOT NULL DEFAULT 100,
  created_at   timestamptz NOT NULL DEFAULT now()
);
INSERT INTO app_agents (key, name, category, description, position) VALUES
  ('voice', 'Voice agents', 'voice', 'The workspace''s voice agents, their recent calls and figures', 10),
  ('sales', 'Sales', 'sales', 'Recent proposals and mockups; a proposal for a location', 20),
  ('customer_service', 'Customer service', 'customer_service', 'Calls that need a follow-up, and closing them', 30);

CREATE TABLE workspace_agent_access (
  workspace_id  uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  agent_key     text NOT NULL REFERENCES app_agents (key) ON DELETE CASCADE,
  enabled_by    text NOT NULL,
  enabled_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, agent_key)
);

-- A grant outlives disabling its agent, so enabling it again gives the same members their access back.
CREATE TABLE agent_member_permissions (
  workspace_id  uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  agent_key     text NOT NULL REFERENCES app_agents (key) ON DELETE CASCADE,
  user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  granted_by    text NOT NULL,
  granted_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, agent_key, user_id)
);
CREATE INDEX agent_member_permissions_user ON agent_member_permissions (user_id);

INSERT INTO role_permissions (scope, role, permission) VALUES
  ('workspace', 'admin', 'workspace:app_agents:*')
ON CONFLICT DO NOTHING;

-- A closed follow-up keeps who closed it, when and why (the customer service module's action).
ALTER TABLE conversations
  ADD COLUMN follow_up_closed_at timestamptz,
  ADD COLUMN follow_up_closed_by text,
  ADD COLUMN follow_up_note      text CHECK (char_length(follow_up_note) <= 2000);
CREATE INDEX conversations_follow_up ON conversations (workspace_id, started_at DESC, id) WHERE requires_follow_up;

-- serve caches who may do what; a change to these tables from any process tells every serve at once (LISTEN
-- wfa_changes, payload the table's name), so a removed member loses access now, not after a cache's TTL.
CREATE FUNCTION wfa_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('wfa_changes', TG_TABLE_NAME);
  RETURN NULL;
END;
$$;
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['partners', 'partner_domains', 'partner_members', 'users', 'workspaces',
                           'workspace_members', 'telegram_bots', 'app_agents', 'workspace_agent_access',
                           'agent_member_permissions', 'role_permissions', 'profiles', 'profile_permissions',
                           'user_profiles', 'permission_sets', 'permission_set_permissions',
                           'user_permission_sets', 'ai_agents', 'conversations',
                           'proposals_log', 'mockup_files', 'locations', 'workspace_invitations'] LOOP
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I'
                   ' FOR EACH STATEMENT EXECUTE FUNCTION wfa_notify_change()', t || '_notify', t);
  END LOOP;
END;
$$;
