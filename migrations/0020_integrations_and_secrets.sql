-- workspace_integrations: a workspace's account at a voice provider. api_key is sealed with
-- AES-256-GCM (core/secret_box): version, key id, nonce, ciphertext and tag, with the row's
-- workspace and provider as authenticated data, so a sealed key copied onto another row does not
-- open. key_hint is the masked key shown to people ("sk_…a1b2"); the whole key is never stored in
-- the clear, printed or logged.
CREATE TABLE workspace_integrations (
  workspace_id      uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  provider          text NOT NULL CHECK (provider IN ('vapi', 'retell', 'synthflow')),
  api_key           bytea NOT NULL CHECK (octet_length(api_key) > 37),
  key_hint          text NOT NULL CHECK (char_length(key_hint) BETWEEN 2 AND 12),
  is_active         boolean NOT NULL DEFAULT true,
  last_tested_at    timestamptz,
  last_test_result  text,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, provider)
);
CREATE TRIGGER workspace_integrations_touch BEFORE UPDATE ON workspace_integrations
  FOR EACH ROW EXECUTE FUNCTION wfa_touch_updated_at();

-- secret_key_state names the key every sealed secret is sealed with. A writer reads it FOR SHARE
-- before it seals; `wfa secret rotate` takes it FOR UPDATE, re-seals every secret and names the new
-- key in one transaction, so no secret is ever sealed with a key the state does not name.
CREATE TABLE secret_key_state (
  singleton       boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  current_key_id  text NOT NULL CHECK (current_key_id ~ '^[0-9a-f]{16}$'),
  rotated_at      timestamptz,
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER secret_key_state_touch BEFORE UPDATE ON secret_key_state
  FOR EACH ROW EXECUTE FUNCTION wfa_touch_updated_at();
