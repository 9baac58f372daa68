-- Foundation: shared trigger functions and the append-only audit log.

-- touch_updated_at keeps updated_at current on every UPDATE of a row.
CREATE FUNCTION wfa_touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;

-- audit_log records every mutation: who, on which tenant, what changed.
CREATE TABLE audit_log (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  created_at    timestamptz NOT NULL DEFAULT now(),
  actor         text NOT NULL CHECK (actor <> ''),
  partner_id    uuid,
  workspace_id  uuid,
  action        text NOT NULL CHECK (action ~ '^[a-z_]+(\.[a-z_]+)+$'),
  entity_type   text NOT NULL,
  entity_id     text,
  old_values    jsonb,
  new_values    jsonb,
  metadata      jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_log_partner_idx ON audit_log (partner_id, created_at);
CREATE INDEX audit_log_workspace_idx ON audit_log (workspace_id, created_at);
CREATE INDEX audit_log_action_idx ON audit_log (action, created_at);
CREATE INDEX audit_log_created_idx ON audit_log (created_at);

-- The audit log is append-only: the database itself refuses UPDATE, DELETE and TRUNCATE.
CREATE FUNCTION wfa_audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege', HINT = 'audit rows can only be inserted';
END;
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION wfa_audit_log_is_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION wfa_audit_log_is_append_only();
