-- Campaigns that dial (issue 29), the rules every dial obeys: the calling law of each country as data, and the
-- do-not-call lists of a workspace, of a partner and of the platform (national registries).

-- calling_rules: per country (ISO 3166 alpha-2, or 'default' for every country without a row) the weekdays and the
-- local hours calls are allowed in (window_end exclusive), how often one number may be called per local day and per
-- week, whether a refusal ends contact, and the notices the law asks for. A campaign's own window only narrows them;
-- `wfa calling-rules set` (super admins) changes them, audited.
CREATE TABLE calling_rules (
  country                     text PRIMARY KEY CHECK (country ~ '^([A-Z]{2}|default)$'),
  days                        text[] NOT NULL CHECK (cardinality(days) BETWEEN 1 AND 7
                                AND days <@ ARRAY['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']),
  window_start                time NOT NULL,
  window_end                  time NOT NULL CHECK (window_end > window_start),
  max_attempts_per_day        smallint NOT NULL CHECK (max_attempts_per_day >= 1),
  max_attempts_per_week       smallint NOT NULL CHECK (max_attempts_per_week >= max_attempts_per_day),
  refusal_ends_contact        boolean NOT NULL,
  ai_consent_required         boolean NOT NULL DEFAULT false,
  recording_notice_required   boolean NOT NULL DEFAULT false,
  registered_caller_required  boolean NOT NULL DEFAULT false,
  source                      text,
  updated_by                  text NOT NULL,
  created_at                  timestamptz NOT NULL DEFAULT now(),
  updated_at                  timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER calling_rules_touch BEFORE UPDATE ON calling_rules FOR EACH ROW EXECUTE FUNCTION wfa_touch_updated_at();

INSERT INTO calling_rules (country, days, window_start, window_end, max_attempts_per_day, max_attempts_per_week,
                           refusal_ends_contact, ai_consent_required, recording_notice_required,
                           registered_caller_required, source, updated_by) VALUES
  ('AE', ARRAY['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], '09:00', '18:00', 1, 2, true, false, true, true,
   'UAE Cabinet Resolution 56 of 2024 (telemarketing): 09:00-18:00; no call back after a refusal; an unanswered or'
   ' ended call at most once a day and twice a week; recording notice and company identity first; company-registered'
   ' numbers only', 'migration'),
  ('US', ARRAY['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], '08:00', '21:00', 3, 10, true, true, false, false,
   'TCPA 47 U.S.C. 227 and 47 CFR 64.1200: 08:00-21:00 in the called party''s local time; prior express consent'
   ' for artificial or prerecorded (AI) voices', 'migration'),
  ('default', ARRAY['mon', 'tue', 'wed', 'thu', 'fri', 'sat'], '09:00', '18:00', 1, 3, true, false, true, false,
   'wfa''s conservative default for countries without rules of their own', 'migration');

-- do_not_call: a workspace's own list. reason: 'manual', 'import', 'opt_out' or 'refusal' (the last two added by a
-- call's outcome).
CREATE TABLE do_not_call (
  workspace_id  uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  phone_e164    text NOT NULL CHECK (phone_e164 ~ '^\+[1-9][0-9]{6,14}$'),
  reason        text NOT NULL CHECK (reason IN ('manual', 'import', 'opt_out', 'refusal')),
  note          text CHECK (char_length(note) <= 500),
  added_by      text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, phone_e164)
);

-- do_not_call_registry: a partner's list (partner_id) or the platform's (partner_id NULL), e.g. the UAE's DNCR or the
-- US national registry imported from their files. registry names the list a number came from.
CREATE TABLE do_not_call_registry (
  partner_id    uuid REFERENCES partners (id) ON DELETE CASCADE,
  phone_e164    text NOT NULL CHECK (phone_e164 ~ '^\+[1-9][0-9]{6,14}$'),
  registry      text NOT NULL DEFAULT 'manual' CHECK (registry ~ '^[a-z0-9][a-z0-9_-]{0,39}$'),
  added_by      text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE NULLS NOT DISTINCT (partner_id, phone_e164)
);
CREATE INDEX do_not_call_registry_phone ON do_not_call_registry (phone_e164);

INSERT INTO role_permissions (scope, role, permission) VALUES
  ('workspace', 'admin', 'workspace:dnc:*'),
  ('workspace', 'member', 'workspace:dnc:create'),
  ('partner', 'admin', 'partner:dnc:*')
ON CONFLICT DO NOTHING;
