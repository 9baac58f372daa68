-- Record owners: who owns a record of a domain table, the anchor of record-level access (the
-- owner, and leaders of the owner's teams up the team hierarchy, may open it).
-- A domain table registers a record here when it creates one, in the same transaction
-- (INSERT ... ON CONFLICT (workspace_id, record_type, record_id) DO UPDATE), or an operator sets it
-- with `wfa perm owner set TYPE:ID --user U --workspace W`. record_type names the kind of record
-- (lead, campaign, proposal), as record_shares does; record_id is the record's key as text.
CREATE TABLE record_owners (
  workspace_id   uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  record_type    text NOT NULL CHECK (record_type ~ '^[a-z][a-z0-9_]*$'),
  record_id      text NOT NULL CHECK (record_id <> ''),
  owner_user_id  uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  set_by         text NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, record_type, record_id)
);
CREATE INDEX record_owners_owner_idx ON record_owners (owner_user_id);
CREATE TRIGGER record_owners_touch BEFORE UPDATE ON record_owners FOR EACH ROW EXECUTE FUNCTION wfa_touch_updated_at();

-- A record check reads the shares of one record of one workspace.
CREATE INDEX record_shares_workspace_record_idx ON record_shares (workspace_id, record_type, record_id);
