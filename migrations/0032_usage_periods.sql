-- usage_periods (issue 21): each workspace's month as `wfa usage reset` found it before zeroing the month's counters,
-- once per workspace and period (the key), in the transaction that zeroes them.
CREATE TABLE usage_periods (
  workspace_id      uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  period            date NOT NULL CHECK (extract(day FROM period) = 1),
  minutes           bigint NOT NULL CHECK (minutes >= 0),
  cost_micros       bigint NOT NULL CHECK (cost_micros >= 0),
  calls             bigint NOT NULL CHECK (calls >= 0),
  charged_cents     bigint NOT NULL CHECK (charged_cents >= 0),
  included_minutes  bigint NOT NULL DEFAULT 0 CHECK (included_minutes >= 0),
  overage_minutes   bigint NOT NULL DEFAULT 0 CHECK (overage_minutes >= 0),
  reset_at          timestamptz NOT NULL DEFAULT now(),
  reset_by          text NOT NULL,
  PRIMARY KEY (workspace_id, period)
);
CREATE INDEX usage_periods_period ON usage_periods (period, workspace_id);
