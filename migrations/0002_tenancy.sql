-- Tenancy: users, super admins, plans, partners and their domains, requests, members,
-- invitations, workspaces.

CREATE TABLE users (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email        text NOT NULL CHECK (email = lower(email) AND email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
  first_name   text,
  last_name    text,
  telegram_id  bigint UNIQUE,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  deleted_at   timestamptz
);
CREATE UNIQUE INDEX users_email_key ON users (email);
CREATE TRIGGER users_touch BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION wfa_touch_updated_at();

CREATE TABLE super_admins (
  user_id     uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  granted_by  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- plan_tiers holds the defaults a partner gets for its plan: data, not C++.
CREATE TABLE plan_tiers (
  tier             text PRIMARY KEY CHECK (tier ~ '^[a-z][a-z0-9_]*$'),
  display_name     text NOT NULL,
  features         jsonb NOT NULL DEFAULT '{}'::jsonb,
  resource_limits  jsonb NOT NULL DEFAULT '{}'::jsonb,
  monthly_price_cents bigint NOT NULL DEFAULT 0 CHECK (monthly_price_cents >= 0),
  currency         text NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$')
);
INSERT INTO plan_tiers (tier, display_name, features, resource_limits, monthly_price_cents) VALUES
  ('starter', 'Starter',
   '{"white_label": false, "custom_domain": false, "voice_agents": true, "telegram_agents": true, "api_access": false}',
   '{"max_workspaces": 3, "max_users": 10, "max_agents": 5, "monthly_minutes": 1000}', 9900),
  ('professional', 'Professional',
   '{"white_label": true, "custom_domain": true, "voice_agents": true, "telegram_agents": true, "api_access": true}',
   '{"max_workspaces": 25, "max_users": 100, "max_agents": 50, "monthly_minutes": 10000}', 49900),
  ('enterprise', 'Enterprise',
   '{"white_label": true, "custom_domain": true, "voice_agents": true, "telegram_agents": true, "api_access": true, "sso": true}',
   '{"max_workspaces": 500, "max_users": 5000, "max_agents": 1000, "monthly_minutes": 250000}', 199900);

CREATE TABLE partners (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug                 text NOT NULL CHECK (slug ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$'),
  name                 text NOT NULL CHECK (name <> ''),
  branding             jsonb NOT NULL DEFAULT '{}'::jsonb,
  plan_tier            text NOT NULL REFERENCES plan_tiers (tier),
  features             jsonb NOT NULL DEFAULT '{}'::jsonb,
  resource_limits      jsonb NOT NULL DEFAULT '{}'::jsonb,
  is_platform_partner  boolean NOT NULL DEFAULT false,
  subscription_status  text NOT NULL DEFAULT 'trialing'
                       CHECK (subscription_status IN ('trialing', 'active', 'past_due', 'canceled', 'unpaid')),
  subscription_id      text,
  trial_ends_at        timestamptz,
  current_period_end   timestamptz,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  deleted_at           timestamptz
);
CREATE UNIQUE INDEX partners_slug_key ON partners (slug);
-- At most one platform partner: the fallback of white-label resolution.
CREATE UNIQUE INDEX partners_one_platform ON partners (is_platform_partner) WHERE is_platform_partner;
CREATE TRIGGER partners_touch BEFORE UPDATE ON partners FOR EACH ROW EXECUTE FUNCTION wfa_touch_updated_at();

CREATE TABLE partner_domains (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  partner_id          uuid NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
  hostname            text NOT NULL CHECK (hostname = lower(hostname) AND length(hostname) <= 253),
  is_primary          boolean NOT NULL DEFAULT false,
  is_platform_subdomain boolean NOT NULL DEFAULT false,
  verification_token  text NOT NULL,
  verified_at         timestamptz,
  created_at          timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX partner_domains_hostname_key ON partner_domains (hostname);
CREATE UNIQUE INDEX partner_domains_one_primary ON partner_domains (partner_id) WHERE is_primary;

CREATE TABLE partner_requests (
  id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  status                  text NOT NULL DEFAULT 'pending'
                          CHECK (status IN ('pending', 'approved', 'rejected', 'provisioning', 'provisioned')),
  company_name            text NOT NULL CHECK (company_name <> ''),
  contact_name            text NOT NULL CHECK (contact_name <> ''),
  contact_email           text NOT NULL CHECK (contact_email = lower(contact_email)),
  contact_phone           text,
  desired_subdomain       text NOT NULL CHECK (desired_subdomain ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$'),
  custom_domain           text CHECK (custom_domain = lower(custom_domain)),
  plan_tier               text NOT NULL REFERENCES plan_tiers (tier),
  branding                jsonb NOT NULL DEFAULT '{}'::jsonb,
  notes                   text,
  rejection_reason        text,
  reviewed_by             text,
  reviewed_at             timestamptz,
  provisioned_partner_id  uuid REFERENCES partners (id),
  created_at              timestamptz NOT NULL DEFAULT now(),
  updated_at              timestamptz NOT NULL DEFAULT now(),
  CHECK (status <> 'rejected' OR rejection_reason IS NOT NULL),
  CHECK (status <> 'provisioned' OR provisioned_partner_id IS NOT NULL)
);
CREATE INDEX partner_requests_status_idx ON partner_requests (status, created_at);
CREATE TRIGGER partner_requests_touch BEFORE UPDATE ON partner_requests FOR EACH ROW EXECUTE FUNCTION wfa_touch_updated_at();

CREATE TABLE partner_members (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  partner_id  uuid NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
  user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role        text NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
  invited_by  text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  removed_at  timestamptz,
  removed_by  text
);
-- One live membership per user and partner; removed rows stay as history.
CREATE UNIQUE INDEX partner_members_live_key ON partner_members (partner_id, user_id) WHERE removed_at IS NULL;
CREATE TRIGGER partner_members_touch BEFORE UPDATE ON partner_members FOR EACH ROW EXECUTE FUNCTION wfa_touch_updated_at();

CREATE TABLE partner_invitations (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  partner_id   uuid NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
  email        text NOT NULL CHECK (email = lower(email)),
  role         text NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
  token_hash   text NOT NULL UNIQUE,
  status       text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'expired', 'revoked')),
  message      text,
  invited_by   text NOT NULL,
  expires_at   timestamptz NOT NULL,
  accepted_at  timestamptz,
  accepted_by  uuid REFERENCES users (id),
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX partner_invitations_partner_idx ON partner_invitations (partner_id, status);

CREATE TABLE workspaces (
  id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  partner_id              uuid NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
  slug                    text NOT NULL CHECK (slug ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$'),
  name                    text NOT NULL CHECK (name <> ''),
  resource_limits         jsonb NOT NULL DEFAULT '{}'::jsonb,
  settings                jsonb NOT NULL DEFAULT '{}'::jsonb,
  status                  text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
  current_month_minutes   bigint NOT NULL DEFAULT 0 CHECK (current_month_minutes >= 0),
  current_month_cost      bigint NOT NULL DEFAULT 0,
  per_minute_rate_cents   bigint NOT NULL DEFAULT 0 CHECK (per_minute_rate_cents >= 0),
  is_billing_exempt       boolean NOT NULL DEFAULT false,
  last_usage_reset_at     timestamptz,
  created_at              timestamptz NOT NULL DEFAULT now(),
  updated_at              timestamptz NOT NULL DEFAULT now(),
  deleted_at              timestamptz
);
CREATE UNIQUE INDEX workspaces_partner_slug_key ON workspaces (partner_id, slug);
CREATE TRIGGER workspaces_touch BEFORE UPDATE ON workspaces FOR EACH ROW EXECUTE FUNCTION wfa_touch_updated_at();

CREATE TABLE workspace_members (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id  uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role          text NOT NULL CHECK (role IN ('owner', 'admin', 'member', 'viewer')),
  invited_by    text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  removed_at    timestamptz,
  removed_by    text
);
CREATE UNIQUE INDEX workspace_members_live_key ON workspace_members (workspace_id, user_id) WHERE removed_at IS NULL;
CREATE TRIGGER workspace_members_touch BEFORE UPDATE ON workspace_members FOR EACH ROW EXECUTE FUNCTION wfa_touch_updated_at();

CREATE TABLE workspace_invitations (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id  uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  email         text NOT NULL CHECK (email = lower(email)),
  role          text NOT NULL CHECK (role IN ('owner', 'admin', 'member', 'viewer')),
  token_hash    text NOT NULL UNIQUE,
  status        text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'expired', 'revoked')),
  message       text,
  invited_by    text NOT NULL,
  expires_at    timestamptz NOT NULL,
  accepted_at   timestamptz,
  accepted_by   uuid REFERENCES users (id),
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX workspace_invitations_workspace_idx ON workspace_invitations (workspace_id, status);
