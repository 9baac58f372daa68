-- An audit log that can grow for years: monthly range partitions on created_at (UTC months), made
-- ahead of time, a DEFAULT partition so no insert can ever fail, an index for every `audit list`
-- filter, and closed months archived to files and dropped by `wfa audit archive`.
ALTER TABLE audit_log RENAME TO audit_log_unpartitioned;
ALTER INDEX audit_log_pkey RENAME TO audit_log_unpartitioned_pkey;
DROP INDEX audit_log_partner_idx, audit_log_workspace_idx, audit_log_action_idx, audit_log_created_idx;

CREATE SEQUENCE audit_entry_id_seq;
SELECT setval('audit_entry_id_seq', COALESCE((SELECT max(id) FROM audit_log_unpartitioned), 0) + 1, false);

CREATE TABLE audit_log (
  id            bigint NOT NULL DEFAULT nextval('audit_entry_id_seq'),
  created_at    timestamptz NOT NULL DEFAULT now(),
  actor         text NOT NULL CHECK (actor <> ''),
  partner_id    uuid,
  workspace_id  uuid,
  action        text NOT NULL CHECK (action ~ '^[a-z_]+(\.[a-z_]+)+$'),
  entity_type   text NOT NULL,
  entity_id     text,
  old_values    jsonb,
  new_values    jsonb,
  metadata      jsonb NOT NULL DEFAULT '{}'::jsonb,
  PRIMARY KEY (created_at, id)
) PARTITION BY RANGE (created_at);
ALTER SEQUENCE audit_entry_id_seq OWNED BY audit_log.id;
CREATE TABLE audit_log_default PARTITION OF audit_log DEFAULT;

-- Every `audit list` filter leads an index whose tail is the list's order (created_at, id).
CREATE INDEX audit_log_partner_idx ON audit_log (partner_id, created_at, id);
CREATE INDEX audit_log_workspace_idx ON audit_log (workspace_id, created_at, id);
CREATE INDEX audit_log_action_idx ON audit_log (action COLLATE "C", created_at, id);
CREATE INDEX audit_log_actor_idx ON audit_log (actor, created_at, id);
CREATE INDEX audit_log_entity_idx ON audit_log (entity_type, entity_id, created_at, id);

-- Append-only, partitions included. The one exception is the owner moving rows out of DEFAULT
-- into a new month's partition inside wfa_audit_month_partition.
CREATE OR REPLACE FUNCTION wfa_audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('wfa.audit_partition_move', true) = 'on'
     AND pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = 'audit_log'::regclass), 'USAGE') THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege', HINT = 'audit rows can only be inserted';
END;
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION wfa_audit_log_is_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION wfa_audit_log_is_append_only();
CREATE TRIGGER audit_log_default_no_truncate BEFORE TRUNCATE ON audit_log_default
  FOR EACH STATEMENT EXECUTE FUNCTION wfa_audit_log_is_append_only();

-- wfa_audit_month_partition makes MONTH's partition (audit_log_YYYY_MM), moving in any rows of
-- that month that DEFAULT took meanwhile; it returns the partition's name.
CREATE FUNCTION wfa_audit_month_partition(month date) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  first date := date_trunc('month', month)::date;
  next date := (date_trunc('month', month) + interval '1 month')::date;
  name text := 'audit_log_' || to_char(month, 'YYYY_MM');
  low timestamptz := (first::timestamp AT TIME ZONE 'UTC');
  high timestamptz := (next::timestamp AT TIME ZONE 'UTC');
BEGIN
  IF to_regclass(name) IS NOT NULL THEN
    RETURN name;
  END IF;
  EXECUTE format('CREATE TABLE %I (LIKE audit_log INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', name);
  IF EXISTS (SELECT 1 FROM audit_log_default WHERE created_at >= low AND created_at < high) THEN
    PERFORM set_config('wfa.audit_partition_move', 'on', true);
    EXECUTE format('WITH moved AS (DELETE FROM audit_log_default WHERE created_at >= $1 AND created_at < $2'
                   ' RETURNING *) INSERT INTO %I SELECT * FROM moved', name) USING low, high;
    PERFORM set_config('wfa.audit_partition_move', '', true);
  END IF;
  EXECUTE format('ALTER TABLE audit_log ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)',
                 name, to_char(low AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS+00'),
                 to_char(high AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS+00'));
  EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %I FOR EACH STATEMENT'
                 ' EXECUTE FUNCTION wfa_audit_log_is_append_only()', name || '_no_truncate', name);
  RETURN name;
END;
$$;

-- wfa_audit_partitions_ahead makes the partitions of this month and the next AHEAD months; the
-- migrator runs it, and so do `wfa cleanup` and `wfa audit archive`.
CREATE FUNCTION wfa_audit_partitions_ahead(ahead integer) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  made integer := 0;
  m integer;
BEGIN
  FOR m IN 0..ahead LOOP
    IF to_regclass('audit_log_' || to_char((now() AT TIME ZONE 'UTC') + make_interval(months => m), 'YYYY_MM'))
       IS NULL THEN
      PERFORM wfa_audit_month_partition(((now() AT TIME ZONE 'UTC') + make_interval(months => m))::date);
      made := made + 1;
    END IF;
  END LOOP;
  RETURN made;
END;
$$;

SELECT wfa_audit_month_partition(m::date)
  FROM (SELECT DISTINCT date_trunc('month', created_at AT TIME ZONE 'UTC') AS m FROM audit_log_unpartitioned) x;
SELECT wfa_audit_partitions_ahead(3);
INSERT INTO audit_log (id, created_at, actor, partner_id, workspace_id, action, entity_type, entity_id, old_values,
                       new_values, metadata)
  SELECT id, created_at, actor, partner_id, workspace_id, action, entity_type, entity_id, old_values, new_values,
         metadata FROM audit_log_unpartitioned;
DROP TABLE audit_log_unpartitioned;

-- One row per archived month: where its rows went and how to check them.
CREATE TABLE audit_archives (
  month        date PRIMARY KEY CHECK (extract(day FROM month) = 1),
  file         text NOT NULL,
  sha256       text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  row_count    bigint NOT NULL CHECK (row_count >= 0),
  archived_at  timestamptz NOT NULL DEFAULT now(),
  archived_by  text NOT NULL
);
