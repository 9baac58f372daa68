-- proposal_numbers hands out `proposal generate` numbers (PR-YEAR-NNNNN): a reservation is one
-- upsert that takes the row's lock, so concurrent runs get distinct numbers, and it never goes
-- below the highest number already in proposals_log.
CREATE TABLE proposal_numbers (
  workspace_id  uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  year          text NOT NULL CHECK (year ~ '^[0-9]{4}$'),
  last_number   integer NOT NULL CHECK (last_number >= 0),
  PRIMARY KEY (workspace_id, year)
);
