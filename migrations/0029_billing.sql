-- Billing (issue 20, the Stripe half): the plan catalogue, subscriptions of partners and workspaces, invoices (from
-- Stripe, and later from the usage run) and every Stripe event applied once. Money is integer minor units.

-- subscription_plans is the one catalogue: plan_tiers' rows move here, and plan_tiers stays as a read-only view so
-- nothing reads two sources. A retired plan keeps the subscriptions it has; no new one may choose it.
CREATE TABLE subscription_plans (
  tier                    text PRIMARY KEY CHECK (tier ~ '^[a-z][a-z0-9_]*$'),
  display_name            text NOT NULL CHECK (display_name <> ''),
  price_minor             bigint NOT NULL DEFAULT 0 CHECK (price_minor >= 0),
  currency                text NOT NULL DEFAULT 'USD' REFERENCES currencies (code),
  period                  text NOT NULL DEFAULT 'month' CHECK (period IN ('month', 'year')),
  included_minutes        bigint NOT NULL DEFAULT 0 CHECK (included_minutes >= 0),
  overage_minor_per_minute bigint NOT NULL DEFAULT 0 CHECK (overage_minor_per_minute >= 0),
  features                jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(features) = 'object'),
  resource_limits         jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(resource_limits) = 'object'),
  stripe_price_id         text UNIQUE CHECK (stripe_price_id ~ '^[A-Za-z0-9_]{1,255}$'),
  retired_at              timestamptz,
  created_at              timestamptz NOT NULL DEFAULT now(),
  updated_at              timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT single_line__subscription_plans__display_name
    CHECK (display_name !~ '[\x01-\x1f\x7f-\x9f]' AND char_length(display_name) <= 200)
);
CREATE TRIGGER subscription_plans_touch BEFORE UPDATE ON subscription_plans
  FOR EACH ROW EXECUTE FUNCTION wfa_touch_updated_at();

INSERT INTO subscription_plans (tier, display_name, price_minor, currency, period, included_minutes, features,
                                resource_limits)
SELECT tier, display_name, monthly_price_cents, currency, 'month',
       CASE WHEN jsonb_typeof(resource_limits -> 'monthly_minutes') = 'number'
            THEN (resource_limits ->> 'monthly_minutes')::bigint ELSE 0 END,
       features, resource_limits
  FROM plan_tiers;

ALTER TABLE partners DROP CONSTRAINT partners_plan_tier_fkey,
  ADD CONSTRAINT partners_plan_tier_fkey FOREIGN KEY (plan_tier) REFERENCES subscription_plans (tier);
ALTER TABLE partner_requests DROP CONSTRAINT partner_requests_plan_tier_fkey,
  ADD CONSTRAINT partner_requests_plan_tier_fkey FOREIGN KEY (plan_tier) REFERENCES subscription_plans (tier);
DROP TABLE plan_tiers;
-- plan_tiers reads the catalogue as it was shaped before (a yearly price counts per month, rounded down).
CREATE VIEW plan_tiers AS
  SELECT tier, display_name, features, resource_limits,
         CASE period WHEN 'year' THEN price_minor / 12 ELSE price_minor END AS monthly_price_cents, currency
    FROM subscription_plans;

-- A partner's subscription may also be incomplete or paused, as Stripe's are.
ALTER TABLE partners DROP CONSTRAINT partners_subscription_status_check,
  ADD CONSTRAINT partners_subscription_status_check
    CHECK (subscription_status IN ('trialing', 'active', 'past_due', 'canceled', 'unpaid', 'incomplete', 'paused'));

-- subscriptions: one per subject (a partner, or a workspace of one), kept by wfa or by Stripe (stripe_subscription_id).
-- subject_id is the partner's or the workspace's id; no foreign key to workspaces (a reference table, Citus layout).
-- stripe_updated is the `created` of the newest Stripe event applied: an older one never overwrites it.
CREATE TABLE subscriptions (
  id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  subject_type            text NOT NULL CHECK (subject_type IN ('partner', 'workspace')),
  subject_id              uuid NOT NULL,
  partner_id              uuid NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
  plan                    text NOT NULL REFERENCES subscription_plans (tier),
  status                  text NOT NULL
                          CHECK (status IN ('trialing', 'active', 'past_due', 'canceled', 'incomplete', 'paused')),
  current_period_start    timestamptz,
  current_period_end      timestamptz,
  trial_end               timestamptz,
  cancel_at_period_end    boolean NOT NULL DEFAULT false,
  canceled_at             timestamptz,
  stripe_customer_id      text,
  stripe_subscription_id  text UNIQUE,
  stripe_updated          timestamptz,
  created_at              timestamptz NOT NULL DEFAULT now(),
  updated_at              timestamptz NOT NULL DEFAULT now(),
  UNIQUE (subject_type, subject_id),
  CHECK (subject_type <> 'partner' OR subject_id = partner_id)
);
CREATE INDEX subscriptions_partner ON subscriptions (partner_id);
CREATE INDEX subscriptions_customer ON subscriptions (stripe_customer_id) WHERE stripe_customer_id IS NOT NULL;
CREATE TRIGGER subscriptions_touch BEFORE UPDATE ON subscriptions FOR EACH ROW EXECUTE FUNCTION wfa_touch_updated_at();

-- invoices: Stripe's invoices of subscriptions (source stripe) and wfa's own usage invoices (source usage), for a
-- partner or a workspace. Amounts in minor units of currency.
CREATE TABLE invoices (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  source              text NOT NULL CHECK (source IN ('stripe', 'usage')),
  subject_type        text NOT NULL CHECK (subject_type IN ('partner', 'workspace')),
  subject_id          uuid NOT NULL,
  partner_id          uuid NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
  subscription_id     uuid REFERENCES subscriptions (id) ON DELETE SET NULL,
  number              text,
  currency            text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  subtotal            bigint NOT NULL DEFAULT 0,
  tax                 bigint NOT NULL DEFAULT 0,
  total               bigint NOT NULL DEFAULT 0,
  amount_paid         bigint NOT NULL DEFAULT 0 CHECK (amount_paid >= 0),
  amount_due          bigint NOT NULL DEFAULT 0 CHECK (amount_due >= 0),
  status              text NOT NULL CHECK (status IN ('draft', 'open', 'paid', 'void', 'uncollectible')),
  period_start        timestamptz,
  period_end          timestamptz,
  issued_at           timestamptz,
  paid_at             timestamptz,
  voided_at           timestamptz,
  payment_failures    integer NOT NULL DEFAULT 0,
  stripe_invoice_id   text UNIQUE,
  hosted_invoice_url  text,
  stripe_updated      timestamptz,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  CHECK ((source = 'stripe') = (stripe_invoice_id IS NOT NULL)),
  UNIQUE (source, number)
);
-- A usage invoice is made once per subject and period, however often the run is repeated.
CREATE UNIQUE INDEX invoices_usage_once ON invoices (subject_type, subject_id, period_start) WHERE source = 'usage';
CREATE INDEX invoices_subject ON invoices (subject_type, subject_id, created_at DESC);
CREATE INDEX invoices_partner ON invoices (partner_id, created_at DESC);
CREATE TRIGGER invoices_touch BEFORE UPDATE ON invoices FOR EACH ROW EXECUTE FUNCTION wfa_touch_updated_at();

CREATE TABLE invoice_lines (
  invoice_id   uuid NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
  position     integer NOT NULL CHECK (position >= 1),
  description  text NOT NULL,
  quantity     bigint NOT NULL DEFAULT 1,
  unit_amount  bigint NOT NULL DEFAULT 0,
  amount       bigint NOT NULL,
  period_start timestamptz,
  period_end   timestamptz,
  PRIMARY KEY (invoice_id, position)
);

-- payment_events: each provider event applied once. event_id is the idempotency key; the row commits with the effect.
-- outcome: applied (state changed), stale (older than the state kept), recorded (kept for another part of billing),
-- ignored (not an event billing acts on), failed (the event cannot be applied).
CREATE TABLE payment_events (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  provider        text NOT NULL CHECK (provider IN ('stripe')),
  event_id        text NOT NULL CHECK (event_id <> ''),
  event_type      text NOT NULL,
  payload         jsonb NOT NULL,
  object_id       text,
  object_created  timestamptz,
  event_created   timestamptz,
  received_at     timestamptz NOT NULL DEFAULT now(),
  processed_at    timestamptz,
  outcome         text CHECK (outcome IN ('applied', 'stale', 'recorded', 'ignored', 'failed')),
  error           text,
  UNIQUE (provider, event_id)
);
CREATE INDEX payment_events_received ON payment_events (received_at DESC, id);
CREATE INDEX payment_events_object ON payment_events (object_id) WHERE object_id IS NOT NULL;

-- The platform's Stripe API key joins its webhook secrets.
ALTER TABLE platform_secrets DROP CONSTRAINT platform_secrets_name_check,
  ADD CONSTRAINT platform_secrets_name_check CHECK (name IN ('stripe_webhook', 'slack_signing', 'stripe_api'));

-- plan show counts a plan's subscriptions through this index.
CREATE INDEX subscriptions_plan ON subscriptions (plan);
