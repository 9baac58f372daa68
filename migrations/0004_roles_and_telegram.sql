-- Roles and their permission matrix as data, and the Telegram groups whose admins sync into
-- workspace memberships.

-- roles: the role hierarchy of each scope; a higher rank holds every right of a lower one.
CREATE TABLE roles (
  scope        text NOT NULL CHECK (scope IN ('partner', 'workspace')),
  role         text NOT NULL CHECK (role ~ '^[a-z][a-z0-9_]*$'),
  rank         integer NOT NULL CHECK (rank > 0),
  description  text NOT NULL,
  PRIMARY KEY (scope, role),
  UNIQUE (scope, rank)
);

INSERT INTO roles (scope, role, rank, description) VALUES
  ('partner',   'owner',  40, 'Owns the partner: everything, including billing and deletion'),
  ('partner',   'admin',  30, 'Manages workspaces, members, invitations, domains and branding'),
  ('partner',   'member', 20, 'Reads the partner''s data'),
  ('workspace', 'owner',  40, 'Owns the workspace: everything, including billing and deletion'),
  ('workspace', 'admin',  30, 'Manages agents, members, invitations, campaigns and settings'),
  ('workspace', 'member', 20, 'Uses agents and works calls, campaigns and leads'),
  ('workspace', 'viewer', 10, 'Reads the workspace''s data');

-- role_permissions: the permission matrix, `module:resource:action` grants with `*` wildcards.
CREATE TABLE role_permissions (
  scope       text NOT NULL,
  role        text NOT NULL,
  permission  wfa_permission NOT NULL,
  PRIMARY KEY (scope, role, permission),
  FOREIGN KEY (scope, role) REFERENCES roles (scope, role) ON DELETE CASCADE
);

INSERT INTO role_permissions (scope, role, permission) VALUES
  ('partner', 'owner', 'partner:*:*'),
  ('partner', 'admin', 'partner:*:read'),
  ('partner', 'admin', 'partner:workspaces:*'),
  ('partner', 'admin', 'partner:members:invite'),
  ('partner', 'admin', 'partner:members:update'),
  ('partner', 'admin', 'partner:members:remove'),
  ('partner', 'admin', 'partner:invitations:*'),
  ('partner', 'admin', 'partner:domains:*'),
  ('partner', 'admin', 'partner:branding:update'),
  ('partner', 'admin', 'partner:settings:update'),
  ('partner', 'member', 'partner:*:read'),
  ('workspace', 'owner', 'workspace:*:*'),
  ('workspace', 'admin', 'workspace:*:read'),
  ('workspace', 'admin', 'workspace:agents:*'),
  ('workspace', 'admin', 'workspace:knowledge:*'),
  ('workspace', 'admin', 'workspace:calls:*'),
  ('workspace', 'admin', 'workspace:campaigns:*'),
  ('workspace', 'admin', 'workspace:leads:*'),
  ('workspace', 'admin', 'workspace:members:invite'),
  ('workspace', 'admin', 'workspace:members:update'),
  ('workspace', 'admin', 'workspace:members:remove'),
  ('workspace', 'admin', 'workspace:invitations:*'),
  ('workspace', 'admin', 'workspace:permissions:*'),
  ('workspace', 'admin', 'workspace:telegram:*'),
  ('workspace', 'admin', 'workspace:settings:update'),
  ('workspace', 'member', 'workspace:*:read'),
  ('workspace', 'member', 'workspace:agents:use'),
  ('workspace', 'member', 'workspace:calls:create'),
  ('workspace', 'member', 'workspace:campaigns:create'),
  ('workspace', 'member', 'workspace:campaigns:update'),
  ('workspace', 'member', 'workspace:leads:create'),
  ('workspace', 'member', 'workspace:leads:update'),
  ('workspace', 'viewer', 'workspace:*:read');

-- telegram_groups: a Telegram group (chat) bound to one workspace.
CREATE TABLE telegram_groups (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  chat_id          bigint NOT NULL UNIQUE,
  workspace_id     uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  title            text,
  last_changed_at  timestamptz,  -- the last admin sync that changed something
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX telegram_groups_workspace_idx ON telegram_groups (workspace_id);
CREATE TRIGGER telegram_groups_touch BEFORE UPDATE ON telegram_groups FOR EACH ROW EXECUTE FUNCTION wfa_touch_updated_at();

-- telegram_group_admins: the group's admins as last synced; 'former' rows are admins no longer listed.
CREATE TABLE telegram_group_admins (
  group_id          uuid NOT NULL REFERENCES telegram_groups (id) ON DELETE CASCADE,
  telegram_user_id  bigint NOT NULL,
  user_id           uuid REFERENCES users (id) ON DELETE SET NULL,
  status            text NOT NULL CHECK (status IN ('creator', 'administrator', 'former')),
  first_name        text,
  last_name         text,
  username          text,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (group_id, telegram_user_id)
);
CREATE INDEX telegram_group_admins_user_idx ON telegram_group_admins (user_id) WHERE user_id IS NOT NULL;
CREATE TRIGGER telegram_group_admins_touch BEFORE UPDATE ON telegram_group_admins FOR EACH ROW EXECUTE FUNCTION wfa_touch_updated_at();
