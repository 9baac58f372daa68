-- Row-level security for `wfa serve`: its role, wfa_serve, sees and writes only the rows of the workspaces its
-- request's caller may touch, named per request in the setting wfa.workspace_ids, so a query that forgets its
-- workspace filter still sees one tenant only. The owner bypasses it (no FORCE) and every other role, wfa_app
-- included, keeps seeing every row.

-- wfa_tenant_workspaces is the current request's tenant set: wfa.workspace_ids, comma-separated uuids; unset or
-- empty is no workspace at all. Policies call it through a scalar subquery, so it is read once per statement.
CREATE FUNCTION wfa_tenant_workspaces() RETURNS uuid[] LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT coalesce(string_to_array(nullif(current_setting('wfa.workspace_ids', true), ''), ',')::uuid[], '{}')
$$;

-- wfa_tenant_policies gives every table of schema public that has a workspace_id column (partitioned tables and
-- their partitions alike), and workspaces on its id, row-level security with two policies made if missing:
-- wfa_everyone, permissive for every role (so wfa_app and any verb role of an external database see every row), and
-- wfa_tenant, restrictive for wfa_serve (and its members): the row's workspace is in wfa_tenant_workspaces(). A
-- restrictive policy cannot be widened by a permissive one added later. A NULL workspace_id (an audit row of a
-- partner, an unmatched call) may be written but is never read back. Exempt: telegram_chat_routes, which routes a
-- chat to its workspace across every workspace before any tenant is known (it holds ids only), and
-- campaign_recipients, which the import fills with COPY FROM, which PostgreSQL refuses on a table with row-level
-- security for any role but its owner: wfa_serve gets no privilege on it instead. The migrator runs it
-- after every migration run (it locks only the tables it changes), so tables that later migrations add are covered
-- too; it also lets wfa_serve call the two functions below.
CREATE FUNCTION wfa_tenant_policies() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  t record;
  tenant text;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'wfa_serve') THEN
    RAISE NOTICE 'row-level security not set up: role wfa_serve does not exist (see wfa-db(1))';
    RETURN;
  END IF;
  FOR t IN
    SELECT c.oid::regclass AS tab, a.attname AS col, c.relrowsecurity AS secured
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
      JOIN pg_attribute a ON a.attrelid = c.oid AND NOT a.attisdropped
       AND a.attname = CASE WHEN c.relname = 'workspaces' THEN 'id' ELSE 'workspace_id' END
     WHERE c.relkind IN ('r', 'p') AND c.relname NOT IN ('telegram_chat_routes', 'campaign_recipients')
  LOOP
    tenant := format('%I = ANY ((SELECT wfa_tenant_workspaces())::uuid[])', t.col);
    IF NOT t.secured THEN
      EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', t.tab);
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_policy WHERE polrelid = t.tab AND polname = 'wfa_everyone') THEN
      EXECUTE format('CREATE POLICY wfa_everyone ON %s AS PERMISSIVE FOR ALL TO PUBLIC USING (true) WITH CHECK (true)',
                     t.tab);
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_policy WHERE polrelid = t.tab AND polname = 'wfa_tenant') THEN
      EXECUTE format('CREATE POLICY wfa_tenant ON %s AS RESTRICTIVE FOR ALL TO wfa_serve'
                     ' USING (%s) WITH CHECK (%I IS NULL OR %s)', t.tab, tenant, t.col, tenant);
    END IF;
  END LOOP;
  IF to_regclass('campaign_recipients') IS NOT NULL THEN
    REVOKE ALL ON campaign_recipients FROM wfa_serve;
  END IF;
  GRANT EXECUTE ON FUNCTION wfa_caller_workspaces(uuid, uuid), wfa_partner_workspace(uuid, text),
    wfa_invitation_workspace(text) TO wfa_serve;
END;
$$;
REVOKE EXECUTE ON FUNCTION wfa_tenant_policies() FROM PUBLIC;

-- wfa_caller_workspaces is the tenant set of a request: the live workspaces of PARTNER that USER may see, as the
-- verbs' rights decide it (visible_workspaces_sql): a live membership of the workspace or of the partner, or a super
-- admin. serve calls it before it has a tenant, so it runs with the owner's rights.
CREATE FUNCTION wfa_caller_workspaces(user_id uuid, partner_id uuid) RETURNS uuid[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT coalesce(array_agg(w.id ORDER BY w.id), '{}')
    FROM workspaces w
   WHERE w.partner_id = $2 AND w.deleted_at IS NULL
     AND (EXISTS (SELECT 1 FROM workspace_members m
                   WHERE m.workspace_id = w.id AND m.user_id = $1 AND m.removed_at IS NULL)
          OR EXISTS (SELECT 1 FROM partner_members p
                      WHERE p.partner_id = $2 AND p.user_id = $1 AND p.removed_at IS NULL)
          OR EXISTS (SELECT 1 FROM super_admins s WHERE s.user_id = $1))
$$;
REVOKE EXECUTE ON FUNCTION wfa_caller_workspaces(uuid, uuid) FROM PUBLIC;

-- wfa_partner_workspace finds a live workspace of PARTNER by `PARTNER/SLUG` or id, whether or not the caller's
-- tenant set holds it, so serve can tell "not yours" (403) from "not there" (404); NULL when there is none.
CREATE FUNCTION wfa_partner_workspace(partner_id uuid, reference text) RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT w.id FROM workspaces w JOIN partners p ON p.id = w.partner_id
   WHERE w.partner_id = $1 AND w.deleted_at IS NULL AND (p.slug || '/' || w.slug = $2 OR w.id::text = $2)
   LIMIT 1
$$;
REVOKE EXECUTE ON FUNCTION wfa_partner_workspace(uuid, text) FROM PUBLIC;

-- wfa_invitation_workspace is the workspace of the pending invitation whose token hashes to TOKEN_HASH: a Telegram
-- account opening an invitation's link has no tenant yet, so serve scopes its connection to that workspace to accept.
CREATE FUNCTION wfa_invitation_workspace(token_hash text) RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT workspace_id FROM workspace_invitations WHERE token_hash = $1 AND status = 'pending'
$$;
REVOKE EXECUTE ON FUNCTION wfa_invitation_workspace(text) FROM PUBLIC;

SELECT wfa_tenant_policies();
