-- Ready for Citus (SPEC 4.11): every workspace-scoped table carries workspace_id, its distribution
-- column, in its primary key, in its unique constraints and in its foreign keys to other
-- workspace-scoped tables, so each workspace's rows live on one shard and join locally. Partners,
-- users, plans and other catalogues stay reference tables; the audit log stays local.
-- ARCHITECTURE.md lists each table's role; tests/integration/schema_test.cpp checks the rule.

-- 1. Children learn their workspace from their parent.
ALTER TABLE campaign_imports ADD COLUMN workspace_id uuid;
UPDATE campaign_imports i SET workspace_id = c.workspace_id FROM campaigns c WHERE c.id = i.campaign_id;
ALTER TABLE campaign_recipients ADD COLUMN workspace_id uuid;
UPDATE campaign_recipients r SET workspace_id = c.workspace_id FROM campaigns c WHERE c.id = r.campaign_id;
ALTER TABLE location_photos ADD COLUMN workspace_id uuid;
UPDATE location_photos p SET workspace_id = l.workspace_id FROM locations l WHERE l.id = p.location_id;
ALTER TABLE rate_cards ADD COLUMN workspace_id uuid;
UPDATE rate_cards r SET workspace_id = l.workspace_id FROM locations l WHERE l.id = r.location_id;
ALTER TABLE mockup_frames ADD COLUMN workspace_id uuid;
UPDATE mockup_frames f SET workspace_id = p.workspace_id FROM location_photos p WHERE p.id = f.photo_id;
ALTER TABLE profile_permissions ADD COLUMN workspace_id uuid;
UPDATE profile_permissions g SET workspace_id = p.workspace_id FROM profiles p WHERE p.id = g.profile_id;
ALTER TABLE permission_set_permissions ADD COLUMN workspace_id uuid;
UPDATE permission_set_permissions g SET workspace_id = s.workspace_id FROM permission_sets s
  WHERE s.id = g.permission_set_id;
ALTER TABLE user_permission_sets ADD COLUMN workspace_id uuid;
UPDATE user_permission_sets u SET workspace_id = s.workspace_id FROM permission_sets s WHERE s.id = u.permission_set_id;
ALTER TABLE team_members ADD COLUMN workspace_id uuid;
UPDATE team_members m SET workspace_id = t.workspace_id FROM teams t WHERE t.id = m.team_id;
ALTER TABLE telegram_group_admins ADD COLUMN workspace_id uuid;
UPDATE telegram_group_admins a SET workspace_id = g.workspace_id FROM telegram_groups g WHERE g.id = a.group_id;
-- Recipients have no foreign key to their campaign (see 0007); every other child does.
DELETE FROM campaign_recipients WHERE workspace_id IS NULL;
ALTER TABLE campaign_imports ALTER COLUMN workspace_id SET NOT NULL;
ALTER TABLE campaign_recipients ALTER COLUMN workspace_id SET NOT NULL;
ALTER TABLE location_photos ALTER COLUMN workspace_id SET NOT NULL;
ALTER TABLE rate_cards ALTER COLUMN workspace_id SET NOT NULL;
ALTER TABLE mockup_frames ALTER COLUMN workspace_id SET NOT NULL;
ALTER TABLE profile_permissions ALTER COLUMN workspace_id SET NOT NULL;
ALTER TABLE permission_set_permissions ALTER COLUMN workspace_id SET NOT NULL;
ALTER TABLE user_permission_sets ALTER COLUMN workspace_id SET NOT NULL;
ALTER TABLE team_members ALTER COLUMN workspace_id SET NOT NULL;
ALTER TABLE telegram_group_admins ALTER COLUMN workspace_id SET NOT NULL;

-- 2. Foreign keys between workspace-scoped tables go; they come back with workspace_id below.
ALTER TABLE campaign_imports DROP CONSTRAINT campaign_imports_campaign_id_fkey;
ALTER TABLE location_photos DROP CONSTRAINT location_photos_location_id_fkey;
ALTER TABLE rate_cards DROP CONSTRAINT rate_cards_location_id_fkey;
ALTER TABLE mockup_frames DROP CONSTRAINT mockup_frames_photo_id_fkey;
ALTER TABLE mockup_files DROP CONSTRAINT mockup_files_location_id_fkey, DROP CONSTRAINT mockup_files_photo_id_fkey;
ALTER TABLE profile_permissions DROP CONSTRAINT profile_permissions_profile_id_fkey;
ALTER TABLE user_profiles DROP CONSTRAINT user_profiles_profile_id_fkey;
ALTER TABLE permission_set_permissions DROP CONSTRAINT permission_set_permissions_permission_set_id_fkey;
ALTER TABLE user_permission_sets DROP CONSTRAINT user_permission_sets_permission_set_id_fkey;
ALTER TABLE teams DROP CONSTRAINT teams_parent_team_id_fkey;
ALTER TABLE team_members DROP CONSTRAINT team_members_team_id_fkey;
ALTER TABLE record_shares DROP CONSTRAINT record_shares_team_id_fkey;
ALTER TABLE telegram_group_admins DROP CONSTRAINT telegram_group_admins_group_id_fkey;

-- 3. Primary keys lead with workspace_id.
ALTER TABLE workspace_members DROP CONSTRAINT workspace_members_pkey, ADD PRIMARY KEY (workspace_id, id);
ALTER TABLE workspace_invitations DROP CONSTRAINT workspace_invitations_pkey, ADD PRIMARY KEY (workspace_id, id);
ALTER TABLE profiles DROP CONSTRAINT profiles_pkey, ADD PRIMARY KEY (workspace_id, id);
ALTER TABLE permission_sets DROP CONSTRAINT permission_sets_pkey, ADD PRIMARY KEY (workspace_id, id);
ALTER TABLE teams DROP CONSTRAINT teams_pkey, ADD PRIMARY KEY (workspace_id, id);
ALTER TABLE record_shares DROP CONSTRAINT record_shares_pkey, ADD PRIMARY KEY (workspace_id, id);
ALTER TABLE telegram_groups DROP CONSTRAINT telegram_groups_pkey, ADD PRIMARY KEY (workspace_id, id);
ALTER TABLE locations DROP CONSTRAINT locations_pkey, ADD PRIMARY KEY (workspace_id, id);
ALTER TABLE location_photos DROP CONSTRAINT location_photos_pkey, ADD PRIMARY KEY (workspace_id, id);
ALTER TABLE rate_cards DROP CONSTRAINT rate_cards_pkey, ADD PRIMARY KEY (workspace_id, id);
ALTER TABLE proposals_log DROP CONSTRAINT proposals_log_pkey, ADD PRIMARY KEY (workspace_id, id);
ALTER TABLE campaigns DROP CONSTRAINT campaigns_pkey, ADD PRIMARY KEY (workspace_id, id);
ALTER TABLE campaign_imports DROP CONSTRAINT campaign_imports_pkey, ADD PRIMARY KEY (workspace_id, id);
ALTER TABLE campaign_recipients DROP CONSTRAINT campaign_recipients_pkey, ADD PRIMARY KEY (workspace_id, id);
ALTER TABLE mockup_frames DROP CONSTRAINT mockup_frames_pkey, ADD PRIMARY KEY (workspace_id, id);
ALTER TABLE mockup_files DROP CONSTRAINT mockup_files_pkey, ADD PRIMARY KEY (workspace_id, id);
ALTER TABLE profile_permissions DROP CONSTRAINT profile_permissions_pkey,
  ADD PRIMARY KEY (workspace_id, profile_id, permission);
ALTER TABLE permission_set_permissions DROP CONSTRAINT permission_set_permissions_pkey,
  ADD PRIMARY KEY (workspace_id, permission_set_id, permission);
ALTER TABLE user_permission_sets DROP CONSTRAINT user_permission_sets_pkey,
  ADD PRIMARY KEY (workspace_id, user_id, permission_set_id);
ALTER TABLE team_members DROP CONSTRAINT team_members_pkey, ADD PRIMARY KEY (workspace_id, team_id, user_id);
ALTER TABLE telegram_group_admins DROP CONSTRAINT telegram_group_admins_pkey,
  ADD PRIMARY KEY (workspace_id, group_id, telegram_user_id);
-- Lookups by id alone (a show by id, an accept by token) keep an index; on Citus they fan out.
CREATE INDEX workspace_members_id ON workspace_members (id);
CREATE INDEX workspace_invitations_id ON workspace_invitations (id);
CREATE INDEX profiles_id ON profiles (id);
CREATE INDEX permission_sets_id ON permission_sets (id);
CREATE INDEX teams_id ON teams (id);
CREATE INDEX record_shares_id ON record_shares (id);
CREATE INDEX telegram_groups_id ON telegram_groups (id);
CREATE INDEX locations_id ON locations (id);
CREATE INDEX location_photos_id ON location_photos (id);
CREATE INDEX rate_cards_id ON rate_cards (id);
CREATE INDEX proposals_log_id ON proposals_log (id);
CREATE INDEX campaigns_id ON campaigns (id);
CREATE INDEX campaign_imports_id ON campaign_imports (id);
CREATE INDEX mockup_frames_id ON mockup_frames (id);
CREATE INDEX mockup_files_id ON mockup_files (id);

-- 4. Unique constraints include workspace_id. What must be unique across workspaces (a Telegram chat
-- belongs to one workspace) is a reference table of its own.
ALTER TABLE workspace_invitations DROP CONSTRAINT workspace_invitations_token_hash_key,
  ADD UNIQUE (workspace_id, token_hash);
CREATE INDEX workspace_invitations_token ON workspace_invitations (token_hash);
CREATE TABLE telegram_chat_routes (
  chat_id       bigint PRIMARY KEY,
  workspace_id  uuid NOT NULL,
  group_id      uuid NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);
INSERT INTO telegram_chat_routes (chat_id, workspace_id, group_id) SELECT chat_id, workspace_id, id FROM telegram_groups;
ALTER TABLE telegram_groups DROP CONSTRAINT telegram_groups_chat_id_key, ADD UNIQUE (workspace_id, chat_id);
DROP INDEX location_photos_variant;
CREATE UNIQUE INDEX location_photos_variant ON location_photos (workspace_id, location_id, time_of_day, finish);
DROP INDEX rate_cards_window_start;
CREATE UNIQUE INDEX rate_cards_window_start ON rate_cards (workspace_id, location_id, duration_weeks, valid_from);
ALTER TABLE campaign_imports DROP CONSTRAINT campaign_imports_campaign_id_idempotency_key_key,
  ADD UNIQUE (workspace_id, campaign_id, idempotency_key);
ALTER TABLE campaign_recipients DROP CONSTRAINT campaign_recipients_campaign_id_phone_key,
  ADD UNIQUE (workspace_id, campaign_id, phone);
DROP INDEX campaign_recipients_page;
CREATE INDEX campaign_recipients_page ON campaign_recipients (workspace_id, campaign_id, id);
ALTER TABLE mockup_frames DROP CONSTRAINT mockup_frames_photo_id_key, ADD UNIQUE (workspace_id, photo_id);
ALTER TABLE mockup_files DROP CONSTRAINT mockup_files_cache_key_key, ADD UNIQUE (workspace_id, cache_key);

-- 5. Foreign keys between workspace-scoped tables carry workspace_id.
ALTER TABLE campaign_imports ADD FOREIGN KEY (workspace_id, campaign_id)
  REFERENCES campaigns (workspace_id, id) ON DELETE CASCADE;
ALTER TABLE location_photos ADD FOREIGN KEY (workspace_id, location_id)
  REFERENCES locations (workspace_id, id) ON DELETE CASCADE;
ALTER TABLE rate_cards ADD FOREIGN KEY (workspace_id, location_id)
  REFERENCES locations (workspace_id, id) ON DELETE CASCADE;
ALTER TABLE mockup_frames ADD FOREIGN KEY (workspace_id, photo_id)
  REFERENCES location_photos (workspace_id, id) ON DELETE CASCADE;
ALTER TABLE mockup_files ADD FOREIGN KEY (workspace_id, location_id)
  REFERENCES locations (workspace_id, id) ON DELETE CASCADE;
ALTER TABLE mockup_files ADD FOREIGN KEY (workspace_id, photo_id)
  REFERENCES location_photos (workspace_id, id) ON DELETE CASCADE;
ALTER TABLE profile_permissions ADD FOREIGN KEY (workspace_id, profile_id)
  REFERENCES profiles (workspace_id, id) ON DELETE CASCADE;
ALTER TABLE user_profiles ADD FOREIGN KEY (workspace_id, profile_id)
  REFERENCES profiles (workspace_id, id) ON DELETE CASCADE;
ALTER TABLE permission_set_permissions ADD FOREIGN KEY (workspace_id, permission_set_id)
  REFERENCES permission_sets (workspace_id, id) ON DELETE CASCADE;
ALTER TABLE user_permission_sets ADD FOREIGN KEY (workspace_id, permission_set_id)
  REFERENCES permission_sets (workspace_id, id) ON DELETE CASCADE;
ALTER TABLE teams ADD FOREIGN KEY (workspace_id, parent_team_id)
  REFERENCES teams (workspace_id, id) ON DELETE SET NULL (parent_team_id);
ALTER TABLE team_members ADD FOREIGN KEY (workspace_id, team_id)
  REFERENCES teams (workspace_id, id) ON DELETE CASCADE;
ALTER TABLE record_shares ADD FOREIGN KEY (workspace_id, team_id)
  REFERENCES teams (workspace_id, id) ON DELETE CASCADE;
ALTER TABLE telegram_group_admins ADD FOREIGN KEY (workspace_id, group_id)
  REFERENCES telegram_groups (workspace_id, id) ON DELETE CASCADE;

-- 6. A slug is unique within its partner across every workspace, so the reservation lives in a
-- reference table; a trigger keeps it with the workspace, and a clash still fails the insert as a
-- unique violation.
CREATE TABLE workspace_slugs (
  partner_id    uuid NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
  slug          text NOT NULL,
  workspace_id  uuid NOT NULL UNIQUE,
  PRIMARY KEY (partner_id, slug)
);
INSERT INTO workspace_slugs (partner_id, slug, workspace_id) SELECT partner_id, slug, id FROM workspaces;
DROP INDEX workspaces_partner_slug_key;
CREATE INDEX workspaces_partner_slug ON workspaces (partner_id, slug);

CREATE FUNCTION wfa_reserve_workspace_slug() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    DELETE FROM workspace_slugs WHERE workspace_id = OLD.id;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO workspace_slugs (partner_id, slug, workspace_id) VALUES (NEW.partner_id, NEW.slug, NEW.id);
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER workspaces_slug_reserved AFTER INSERT OR DELETE OR UPDATE OF partner_id, slug ON workspaces
  FOR EACH ROW EXECUTE FUNCTION wfa_reserve_workspace_slug();
