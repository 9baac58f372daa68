-- Prepaid credits (issue 20): every change of a balance is a row of an append-only ledger, and a balance moves only
-- with its row (a trigger applies the row and refuses any other change), so a balance always equals its ledger's sum.
-- Amounts are integer cents, as workspaces.credit_balance_cents and the calls' charges already are.
ALTER TABLE partners
  ADD COLUMN credit_balance_cents       bigint NOT NULL DEFAULT 0,
  ADD COLUMN credit_low_balance_cents   bigint CHECK (credit_low_balance_cents >= 0),
  ADD COLUMN credit_at_zero             text NOT NULL DEFAULT 'allow_overage'
                                        CHECK (credit_at_zero IN ('allow_overage', 'suspend_agents'));
-- credit_state: where the balance stood after its last change (ok, low: under the threshold, exhausted: at or under
-- zero); a change of state is a crossing, acted on once.
ALTER TABLE workspaces
  ADD COLUMN credit_low_balance_cents   bigint CHECK (credit_low_balance_cents >= 0),
  ADD COLUMN credit_state               text NOT NULL DEFAULT 'ok' CHECK (credit_state IN ('ok', 'low', 'exhausted'));
-- Agents stopped because their workspace ran out of credit, so a top-up restarts those and only those.
ALTER TABLE ai_agents ADD COLUMN suspended_for_credit_at timestamptz;

-- workspace_credits: a workspace's credit ledger. reason says why (topup, adjustment, usage: the calls a merge
-- charged, refund, grant); reference names what caused it (an ingest, a payment); a top-up's idempotency key makes a
-- retried top-up one row.
CREATE TABLE workspace_credits (
  workspace_id         uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  id                   bigint GENERATED ALWAYS AS IDENTITY,
  amount_cents         bigint NOT NULL CHECK (amount_cents <> 0),
  balance_after_cents  bigint NOT NULL DEFAULT 0,
  reason               text NOT NULL CHECK (reason IN ('opening', 'topup', 'adjustment', 'usage', 'refund', 'grant')),
  reference            text,
  idempotency_key      text CHECK (idempotency_key <> ''),
  note                 text,
  actor                text NOT NULL,
  created_at           timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id),
  UNIQUE (workspace_id, idempotency_key)
);
CREATE INDEX workspace_credits_at ON workspace_credits (workspace_id, created_at DESC, id DESC);

-- billing_credits: a partner's own credit ledger, the same way.
CREATE TABLE billing_credits (
  partner_id           uuid NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
  id                   bigint GENERATED ALWAYS AS IDENTITY,
  amount_cents         bigint NOT NULL CHECK (amount_cents <> 0),
  balance_after_cents  bigint NOT NULL DEFAULT 0,
  reason               text NOT NULL CHECK (reason IN ('opening', 'topup', 'adjustment', 'usage', 'refund', 'grant')),
  reference            text,
  idempotency_key      text CHECK (idempotency_key <> ''),
  note                 text,
  actor                text NOT NULL,
  created_at           timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (partner_id, id),
  UNIQUE (partner_id, idempotency_key)
);
CREATE INDEX billing_credits_at ON billing_credits (partner_id, created_at DESC, id DESC);

-- The balances standing today open their ledgers.
INSERT INTO workspace_credits (workspace_id, amount_cents, balance_after_cents, reason, actor)
SELECT id, credit_balance_cents, credit_balance_cents, 'opening', 'migration' FROM workspaces
 WHERE credit_balance_cents <> 0;

-- wfa_credit_apply moves the balance by the new row's amount and records the balance after it. A row whose key is
-- taken is skipped here, after the balance's row lock is held (so a concurrent twin has committed and is seen): a
-- BEFORE trigger runs before ON CONFLICT looks, and would otherwise move the balance for a row never kept.
CREATE FUNCTION wfa_credit_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'workspace_credits' THEN
    PERFORM 1 FROM workspaces WHERE id = NEW.workspace_id FOR NO KEY UPDATE;
    IF NEW.idempotency_key IS NOT NULL AND EXISTS (SELECT 1 FROM workspace_credits WHERE workspace_id =
       NEW.workspace_id AND idempotency_key = NEW.idempotency_key) THEN
      RETURN NULL;
    END IF;
  ELSE
    PERFORM 1 FROM partners WHERE id = NEW.partner_id FOR NO KEY UPDATE;
    IF NEW.idempotency_key IS NOT NULL AND EXISTS (SELECT 1 FROM billing_credits WHERE partner_id = NEW.partner_id
       AND idempotency_key = NEW.idempotency_key) THEN
      RETURN NULL;
    END IF;
  END IF;
  PERFORM set_config('wfa.credit_ledger', 'on', true);
  IF TG_TABLE_NAME = 'workspace_credits' THEN
    UPDATE workspaces SET credit_balance_cents = credit_balance_cents + NEW.amount_cents WHERE id = NEW.workspace_id
    RETURNING credit_balance_cents INTO NEW.balance_after_cents;
  ELSE
    UPDATE partners SET credit_balance_cents = credit_balance_cents + NEW.amount_cents WHERE id = NEW.partner_id
    RETURNING credit_balance_cents INTO NEW.balance_after_cents;
  END IF;
  PERFORM set_config('wfa.credit_ledger', 'off', true);
  IF NEW.balance_after_cents IS NULL THEN
    RAISE EXCEPTION 'no such % for this credit', CASE WHEN TG_TABLE_NAME = 'workspace_credits' THEN 'workspace' ELSE 'partner' END;
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER workspace_credits_apply BEFORE INSERT ON workspace_credits FOR EACH ROW EXECUTE FUNCTION wfa_credit_apply();
CREATE TRIGGER billing_credits_apply BEFORE INSERT ON billing_credits FOR EACH ROW EXECUTE FUNCTION wfa_credit_apply();

-- wfa_credit_guard refuses a balance that moves without its ledger row, and a ledger row that changes.
CREATE FUNCTION wfa_credit_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME IN ('workspace_credits', 'billing_credits') THEN
    RAISE EXCEPTION 'the credit ledger is append-only: add a correcting row (wfa credits adjust)';
  END IF;
  IF NEW.credit_balance_cents IS DISTINCT FROM OLD.credit_balance_cents
     AND current_setting('wfa.credit_ledger', true) IS DISTINCT FROM 'on' THEN
    RAISE EXCEPTION 'a credit balance moves only with a row of its ledger (wfa credits adjust)';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER workspaces_credit_guard BEFORE UPDATE OF credit_balance_cents ON workspaces
  FOR EACH ROW EXECUTE FUNCTION wfa_credit_guard();
CREATE TRIGGER partners_credit_guard BEFORE UPDATE OF credit_balance_cents ON partners
  FOR EACH ROW EXECUTE FUNCTION wfa_credit_guard();
CREATE TRIGGER workspace_credits_append_only BEFORE UPDATE ON workspace_credits
  FOR EACH ROW EXECUTE FUNCTION wfa_credit_guard();
CREATE TRIGGER billing_credits_append_only BEFORE UPDATE ON billing_credits
  FOR EACH ROW EXECUTE FUNCTION wfa_credit_guard();

-- The verb roles may add ledger rows, never change or remove one (a workspace's or partner's removal cascades as the
-- owner).
CREATE OR REPLACE FUNCTION wfa_grant_roles() RETURNS void LANGUAGE plpgsql AS $$
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
    EXECUTE format('REVOKE UPDATE, DELETE ON workspace_credits, billing_credits FROM %I', r);
    FOR t IN SELECT 'audit_log'::regclass
             UNION ALL SELECT inhrelid::regclass FROM pg_inherits WHERE inhparent = 'audit_log'::regclass LOOP
      EXECUTE format('REVOKE UPDATE, DELETE ON %s FROM %I', t, r);
    END LOOP;
  END LOOP;
END;
$$;
REVOKE EXECUTE ON FUNCTION wfa_grant_roles() FROM PUBLIC;
