-- Phone numbers (issue 29): a workspace's numbers at one voice provider account, issued by the provider, imported
-- (Twilio, Vonage or Telnyx credentials, or a BYO SIP trunk) or adopted by the provider's id; at most one inbound
-- agent each. A number belongs to at most one workspace across the platform (phone_number_routes).

-- phone_numbers: number is E.164; provider_number_id is the provider's id for it (VAPI's id, Retell's E.164,
-- Synthflow's slug); provider_credential_id is the credential the provider made for an import (VAPI). credentials
-- holds the import's keys (Twilio, Vonage, Telnyx) or SIP username and password as JSON sealed with AES-256-GCM
-- (core/secret_box), with 'phone_numbers/' || workspace_id || '/' || id as authenticated data; credentials_hint is
-- what people see.
-- A released number keeps its row (status released) for the audit trail and frees its route.
CREATE TABLE phone_numbers (
  workspace_id            uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  id                      uuid NOT NULL DEFAULT gen_random_uuid(),
  provider                text NOT NULL CHECK (provider IN ('vapi', 'retell', 'synthflow')),
  number                  text NOT NULL CHECK (number ~ '^\+[1-9][0-9]{6,14}$'),
  provider_number_id      text CHECK (char_length(provider_number_id) BETWEEN 1 AND 200),
  provider_credential_id  text CHECK (char_length(provider_credential_id) BETWEEN 1 AND 200),
  source                  text NOT NULL CHECK (source IN ('provider', 'twilio', 'vonage', 'telnyx', 'sip', 'adopted')),
  agent_id                uuid,
  status                  text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'released')),
  termination_uri         text CHECK (char_length(termination_uri) BETWEEN 1 AND 500),
  credentials             bytea CHECK (octet_length(credentials) > 37),
  credentials_hint        text CHECK (char_length(credentials_hint) BETWEEN 1 AND 60),
  created_by              text,
  released_at             timestamptz,
  created_at              timestamptz NOT NULL DEFAULT now(),
  updated_at              timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id),
  FOREIGN KEY (workspace_id, agent_id) REFERENCES ai_agents (workspace_id, id) ON DELETE SET NULL (agent_id),
  CHECK ((status = 'released') = (released_at IS NOT NULL)),
  CHECK ((credentials IS NULL) = (credentials_hint IS NULL))
);
CREATE UNIQUE INDEX phone_numbers_active ON phone_numbers (workspace_id, number) WHERE status = 'active';
CREATE INDEX phone_numbers_id ON phone_numbers (id);
CREATE INDEX phone_numbers_agent ON phone_numbers (workspace_id, agent_id) WHERE agent_id IS NOT NULL;
CREATE TRIGGER phone_numbers_touch BEFORE UPDATE ON phone_numbers
  FOR EACH ROW EXECUTE FUNCTION wfa_touch_updated_at();

-- phone_number_routes: an active number's one workspace across the platform (a reference table, like
-- telegram_chat_routes: a unique constraint of a distributed table cannot span workspaces). Claimed in the
-- transaction that adds the number, removed in the one that releases it.
CREATE TABLE phone_number_routes (
  number           text PRIMARY KEY CHECK (number ~ '^\+[1-9][0-9]{6,14}$'),
  workspace_id     uuid NOT NULL,
  phone_number_id  uuid NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now()
);

-- Workspace admins manage numbers; every workspace role reads them through workspace:*:read.
INSERT INTO role_permissions (scope, role, permission) VALUES ('workspace', 'admin', 'workspace:numbers:*');

-- max_phone_numbers: a plan limit (a workspace's active numbers), known to every plan so workspaces may override it.
UPDATE subscription_plans SET resource_limits = resource_limits || jsonb_build_object('max_phone_numbers',
  CASE tier WHEN 'starter' THEN 3 WHEN 'professional' THEN 25 WHEN 'enterprise' THEN 500 ELSE 10 END)
 WHERE NOT resource_limits ? 'max_phone_numbers';
