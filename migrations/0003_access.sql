-- Access, four levels: profiles, expiring permission sets, team hierarchy, record shares.
-- Permissions are `module:resource:action`, each part a name or `*`.

CREATE DOMAIN wfa_permission AS text
  CHECK (VALUE ~ '^(\*|[a-z][a-z0-9_]*):(\*|[a-z][a-z0-9_]*):(\*|[a-z][a-z0-9_]*)$');

CREATE TABLE profiles (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id  uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  name          text NOT NULL CHECK (name <> ''),
  description   text,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX profiles_workspace_name_key ON profiles (workspace_id, name);

CREATE TABLE profile_permissions (
  profile_id  uuid NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
  permission  wfa_permission NOT NULL,
  PRIMARY KEY (profile_id, permission)
);

-- A user has at most one profile per workspace.
CREATE TABLE user_profiles (
  user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  workspace_id  uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  profile_id    uuid NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
  assigned_by   text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, workspace_id)
);

CREATE TABLE permission_sets (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id  uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  name          text NOT NULL CHECK (name <> ''),
  description   text,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX permission_sets_workspace_name_key ON permission_sets (workspace_id, name);

CREATE TABLE permission_set_permissions (
  permission_set_id  uuid NOT NULL REFERENCES permission_sets (id) ON DELETE CASCADE,
  permission         wfa_permission NOT NULL,
  PRIMARY KEY (permission_set_id, permission)
);

CREATE TABLE user_permission_sets (
  user_id            uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  permission_set_id  uuid NOT NULL REFERENCES permission_sets (id) ON DELETE CASCADE,
  granted_by         text NOT NULL,
  expires_at         timestamptz,
  created_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, permission_set_id)
);
CREATE INDEX user_permission_sets_expiry_idx ON user_permission_sets (expires_at) WHERE expires_at IS NOT NULL;

CREATE TABLE teams (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id    uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  name            text NOT NULL CHECK (name <> ''),
  parent_team_id  uuid REFERENCES teams (id) ON DELETE SET NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  CHECK (parent_team_id IS NULL OR parent_team_id <> id)
);
CREATE UNIQUE INDEX teams_workspace_name_key ON teams (workspace_id, name);
CREATE INDEX teams_parent_idx ON teams (parent_team_id);

CREATE TABLE team_members (
  team_id     uuid NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
  user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role        text NOT NULL CHECK (role IN ('leader', 'member')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (team_id, user_id)
);
CREATE INDEX team_members_user_idx ON team_members (user_id);

CREATE TABLE record_shares (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id  uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  record_type   text NOT NULL CHECK (record_type ~ '^[a-z][a-z0-9_]*$'),
  record_id     text NOT NULL CHECK (record_id <> ''),
  user_id       uuid REFERENCES users (id) ON DELETE CASCADE,
  team_id       uuid REFERENCES teams (id) ON DELETE CASCADE,
  access_level  text NOT NULL CHECK (access_level IN ('read', 'read_write', 'full')),
  shared_by     text NOT NULL,
  expires_at    timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  CHECK ((user_id IS NULL) <> (team_id IS NULL))
);
CREATE INDEX record_shares_record_idx ON record_shares (record_type, record_id);
CREATE INDEX record_shares_user_idx ON record_shares (user_id) WHERE user_id IS NOT NULL;
CREATE INDEX record_shares_team_idx ON record_shares (team_id) WHERE team_id IS NOT NULL;
