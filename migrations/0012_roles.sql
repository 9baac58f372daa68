-- Least privilege: migrations run as the schema's owner; verbs connect as wfa_app and `wfa serve` as
-- wfa_serve. Neither owns anything, so neither can disable a trigger, set session_replication_role,
-- rewrite the audit log or change the schema. An owner that may not create roles leaves them to the
-- operator (wfa-db(1) has the SQL); `wfa db migrate` grants them their rights once they exist.
DO $$
DECLARE
  r text;
BEGIN
  FOREACH r IN ARRAY ARRAY['wfa_app', 'wfa_serve'] LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
      BEGIN
        EXECUTE format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS', r);
      EXCEPTION WHEN insufficient_privilege THEN
        RAISE NOTICE 'role % not made: the migrating role may not create roles (see wfa-db(1))', r;
      END;
    END IF;
  END LOOP;
END;
$$;

-- wfa_grant_roles gives each verb role that exists read and write on every table, and on the audit
-- log, its partitions, schema_migrations and audit_archives only what the verbs need. The migrator
-- runs it after every migration run, so tables that later migrations add are covered too.
CREATE FUNCTION wfa_grant_roles() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  r text;
  t regclass;
BEGIN
  FOREACH r IN ARRAY ARRAY['wfa_app', 'wfa_serve'] LOOP
    CONTINUE WHEN NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r);
    EXECUTE format('GRANT USAGE ON SCHEMA public TO %I', r);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %I', r);
    EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO %I', r);
    EXECUTE format('REVOKE INSERT, UPDATE, DELETE ON schema_migrations, audit_archives FROM %I', r);
    FOR t IN SELECT 'audit_log'::regclass
             UNION ALL SELECT inhrelid::regclass FROM pg_inherits WHERE inhparent = 'audit_log'::regclass LOOP
      EXECUTE format('REVOKE UPDATE, DELETE ON %s FROM %I', t, r);
    END LOOP;
  END LOOP;
END;
$$;
REVOKE EXECUTE ON FUNCTION wfa_grant_roles() FROM PUBLIC;

-- The verb roles make the audit log's monthly partitions ahead (`audit partitions`, `cleanup`), so
-- the functions that make them run with the owner's rights and the owner owns every partition.
ALTER FUNCTION wfa_audit_month_partition(date) SECURITY DEFINER SET search_path = public, pg_temp;
ALTER FUNCTION wfa_audit_partitions_ahead(integer) SECURITY DEFINER SET search_path = public, pg_temp;

SELECT wfa_grant_roles();
