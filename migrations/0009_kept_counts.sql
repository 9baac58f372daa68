-- Counts that list and show verbs print are kept, not scanned: triggers change them in the
-- transaction that changes the counted rows, so they are exact at every commit.
ALTER TABLE partners ADD COLUMN workspace_count bigint NOT NULL DEFAULT 0,
                     ADD COLUMN member_count bigint NOT NULL DEFAULT 0;
ALTER TABLE workspaces ADD COLUMN member_count bigint NOT NULL DEFAULT 0;
ALTER TABLE campaigns ADD COLUMN recipient_count bigint NOT NULL DEFAULT 0;
ALTER TABLE campaign_imports ADD COLUMN recipient_count bigint NOT NULL DEFAULT 0;

UPDATE partners p SET
  workspace_count = (SELECT count(*) FROM workspaces w WHERE w.partner_id = p.id AND w.deleted_at IS NULL),
  member_count = (SELECT count(*) FROM partner_members m WHERE m.partner_id = p.id AND m.removed_at IS NULL);
UPDATE workspaces w SET
  member_count = (SELECT count(*) FROM workspace_members m WHERE m.workspace_id = w.id AND m.removed_at IS NULL);
UPDATE campaigns c SET recipient_count = (SELECT count(*) FROM campaign_recipients r WHERE r.campaign_id = c.id);
UPDATE campaign_imports i SET recipient_count = (SELECT count(*) FROM campaign_recipients r WHERE r.import_id = i.id);

-- A change of a count alone is not an edit of the parent: updated_at stays.
DROP TRIGGER partners_touch ON partners;
CREATE TRIGGER partners_touch BEFORE UPDATE ON partners FOR EACH ROW
  WHEN (OLD.workspace_count = NEW.workspace_count AND OLD.member_count = NEW.member_count)
  EXECUTE FUNCTION wfa_touch_updated_at();
DROP TRIGGER workspaces_touch ON workspaces;
CREATE TRIGGER workspaces_touch BEFORE UPDATE ON workspaces FOR EACH ROW
  WHEN (OLD.member_count = NEW.member_count)
  EXECUTE FUNCTION wfa_touch_updated_at();
DROP TRIGGER campaigns_touch ON campaigns;
CREATE TRIGGER campaigns_touch BEFORE UPDATE ON campaigns FOR EACH ROW
  WHEN (OLD.recipient_count = NEW.recipient_count)
  EXECUTE FUNCTION wfa_touch_updated_at();

-- wfa_count_live keeps a parent's count of its live children (those whose "gone" column is NULL).
-- Arguments: the parent table, its count column, the child's key to the parent, the child's gone column.
CREATE FUNCTION wfa_count_live() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  parent text := TG_ARGV[0];
  counter text := TG_ARGV[1];
  parent_key text := TG_ARGV[2];
  gone text := TG_ARGV[3];
  child jsonb;
BEGIN
  IF TG_OP <> 'INSERT' THEN
    child := to_jsonb(OLD);
    IF child->>gone IS NULL THEN
      EXECUTE format('UPDATE %I SET %I = %I - 1 WHERE id = $1', parent, counter, counter)
        USING (child->>parent_key)::uuid;
    END IF;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    child := to_jsonb(NEW);
    IF child->>gone IS NULL THEN
      EXECUTE format('UPDATE %I SET %I = %I + 1 WHERE id = $1', parent, counter, counter)
        USING (child->>parent_key)::uuid;
    END IF;
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER workspaces_counted AFTER INSERT OR DELETE OR UPDATE OF deleted_at, partner_id ON workspaces
  FOR EACH ROW EXECUTE FUNCTION wfa_count_live('partners', 'workspace_count', 'partner_id', 'deleted_at');
CREATE TRIGGER partner_members_counted AFTER INSERT OR DELETE OR UPDATE OF removed_at, partner_id ON partner_members
  FOR EACH ROW EXECUTE FUNCTION wfa_count_live('partners', 'member_count', 'partner_id', 'removed_at');
CREATE TRIGGER workspace_members_counted
  AFTER INSERT OR DELETE OR UPDATE OF removed_at, workspace_id ON workspace_members
  FOR EACH ROW EXECUTE FUNCTION wfa_count_live('workspaces', 'member_count', 'workspace_id', 'removed_at');

-- Recipients per campaign and per import: the importer adds what it loaded in its own transaction (a trigger
-- would copy every loaded row into a transition table: a fifth more time for a million-row import); removals
-- of any kind are counted here, once per statement.
CREATE FUNCTION wfa_uncount_recipients() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE campaigns c SET recipient_count = c.recipient_count - d.n
    FROM (SELECT campaign_id, count(*) AS n FROM old_recipients GROUP BY campaign_id) d WHERE c.id = d.campaign_id;
  UPDATE campaign_imports i SET recipient_count = i.recipient_count - d.n
    FROM (SELECT import_id, count(*) AS n FROM old_recipients WHERE import_id IS NOT NULL GROUP BY import_id) d
    WHERE i.id = d.import_id;
  RETURN NULL;
END;
$$;
CREATE TRIGGER campaign_recipients_uncounted AFTER DELETE ON campaign_recipients
  REFERENCING OLD TABLE AS old_recipients FOR EACH STATEMENT EXECUTE FUNCTION wfa_uncount_recipients();

-- Keyset pages need an index in each list's order.
CREATE INDEX campaign_recipients_page ON campaign_recipients (campaign_id, id);
CREATE INDEX partner_requests_page ON partner_requests (created_at DESC, id DESC);
