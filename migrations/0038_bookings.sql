-- Booking orders (issue 23): a client's order for locations over dates, moved draft → submitted → approved |
-- rejected, or cancelled, through an approval workflow the workspace defines as data; documents attached through the
-- file store; and location_occupations, the share of voice each approved booking holds on each location, which no
-- day may push above 100 %. Owned like leads (record_owners, record type 'booking').

-- booking_workflow_steps is a workspace's approval workflow: ordered steps, each decided by someone holding PERMISSION
-- (through a grant, never through owning the booking), applying only to bookings whose total converted to AED is at
-- least min_total_aed (NULL: every booking). A workspace without rows uses one step, 'approval', needing
-- sales:bookings:approve. A booking copies its applicable steps when submitted (booking_steps), so changing the
-- workflow never changes a booking already in it.
CREATE TABLE booking_workflow_steps (
  workspace_id   uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  position       smallint NOT NULL CHECK (position BETWEEN 1 AND 20),
  name           text NOT NULL CHECK (name ~ '^[a-z][a-z0-9_-]{0,39}$'),
  permission     text NOT NULL CHECK (permission ~ '^[a-z_]+:[a-z_]+:[a-z_]+$'),
  min_total_aed  bigint CHECK (min_total_aed >= 0),
  created_by     text NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, position),
  UNIQUE (workspace_id, name)
);

-- booking_numbers hands out BO-YEAR-NNNN per workspace and year, one UPSERT each, so concurrent creates never clash.
CREATE TABLE booking_numbers (
  workspace_id  uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  year          text NOT NULL CHECK (year ~ '^[0-9]{4}$'),
  last_number   integer NOT NULL CHECK (last_number > 0),
  PRIMARY KEY (workspace_id, year)
);

-- booking_orders: total is in minor units of currency; proposal_id is the logged proposal it was made from, if any.
CREATE TABLE booking_orders (
  workspace_id   uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  id             uuid NOT NULL DEFAULT gen_random_uuid(),
  number         text NOT NULL CHECK (number ~ '^BO-[0-9]{4}-[0-9]{4,}$'),
  client_name    text NOT NULL CHECK (client_name <> '' AND char_length(client_name) <= 200),
  proposal_id    text,
  currency       text NOT NULL REFERENCES currencies (code),
  total          bigint NOT NULL CHECK (total >= 0),
  status         text NOT NULL DEFAULT 'draft'
                 CHECK (status IN ('draft', 'submitted', 'approved', 'rejected', 'cancelled')),
  owner_user_id  uuid REFERENCES users (id) ON DELETE SET NULL,
  notes          text CHECK (char_length(notes) <= 4000),
  created_by     text NOT NULL,
  submitted_at   timestamptz,
  decided_at     timestamptz,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id),
  UNIQUE (workspace_id, number),
  FOREIGN KEY (workspace_id, proposal_id) REFERENCES proposals_log (workspace_id, proposal_id)
);
CREATE INDEX booking_orders_created ON booking_orders (workspace_id, created_at, id);
CREATE TRIGGER booking_orders_touch BEFORE UPDATE ON booking_orders FOR EACH ROW EXECUTE FUNCTION wfa_touch_updated_at();

-- booking_order_locations: each location of a booking, the days it runs (inclusive) and its share of voice in basis
-- points (10000 = the whole face; a digital loop of six slots is 1667).
CREATE TABLE booking_order_locations (
  workspace_id  uuid NOT NULL,
  booking_id    uuid NOT NULL,
  location_id   uuid NOT NULL,
  start_date    date NOT NULL,
  end_date      date NOT NULL CHECK (end_date >= start_date),
  share_bp      integer NOT NULL CHECK (share_bp BETWEEN 1 AND 10000),
  PRIMARY KEY (workspace_id, booking_id, location_id),
  FOREIGN KEY (workspace_id, booking_id) REFERENCES booking_orders (workspace_id, id) ON DELETE CASCADE,
  FOREIGN KEY (workspace_id, location_id) REFERENCES locations (workspace_id, id)
);

-- booking_steps: a submitted booking's copy of its applicable workflow steps and how each was decided.
CREATE TABLE booking_steps (
  workspace_id  uuid NOT NULL,
  booking_id    uuid NOT NULL,
  position      smallint NOT NULL,
  name          text NOT NULL,
  permission    text NOT NULL,
  status        text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
  decided_by    text,
  decided_at    timestamptz,
  comment       text CHECK (char_length(comment) <= 2000),
  PRIMARY KEY (workspace_id, booking_id, position),
  FOREIGN KEY (workspace_id, booking_id) REFERENCES booking_orders (workspace_id, id) ON DELETE CASCADE
);

-- documents: files attached to a record (a booking's signed order, artwork), kept content-addressed in the file store
-- (path relative to it); file_name is the name it was attached under.
CREATE TABLE documents (
  workspace_id  uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  id            uuid NOT NULL DEFAULT gen_random_uuid(),
  entity_type   text NOT NULL CHECK (entity_type ~ '^[a-z][a-z0-9_]*$'),
  entity_id     text NOT NULL CHECK (entity_id <> ''),
  file_name     text NOT NULL CHECK (file_name <> '' AND char_length(file_name) <= 255),
  path          text NOT NULL CHECK (path <> ''),
  sha256        text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  media_type    text NOT NULL,
  bytes         bigint NOT NULL CHECK (bytes > 0),
  created_by    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id),
  UNIQUE (workspace_id, entity_type, entity_id, file_name)
);

-- location_occupations: the share of voice an approved booking holds on a location from start_date to end_date
-- (inclusive). Rows are written only under the location's row lock after checking every day stays within 10000
-- basis points, so concurrent approvals cannot overbook; cancelling the booking deletes them.
CREATE TABLE location_occupations (
  workspace_id  uuid NOT NULL,
  id            uuid NOT NULL DEFAULT gen_random_uuid(),
  location_id   uuid NOT NULL,
  booking_id    uuid NOT NULL,
  start_date    date NOT NULL,
  end_date      date NOT NULL CHECK (end_date >= start_date),
  share_bp      integer NOT NULL CHECK (share_bp BETWEEN 1 AND 10000),
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id),
  UNIQUE (workspace_id, booking_id, location_id),
  FOREIGN KEY (workspace_id, booking_id) REFERENCES booking_orders (workspace_id, id) ON DELETE CASCADE,
  FOREIGN KEY (workspace_id, location_id) REFERENCES locations (workspace_id, id) ON DELETE CASCADE
);
CREATE INDEX location_occupations_days ON location_occupations (workspace_id, location_id, start_date, end_date);

-- Booking rights: sales:bookings:* lies outside workspace:*:read, like crm:leads:*. Owners hold every sales right,
-- admins every booking right (approving included); members create bookings and act on their own through record
-- access. A dedicated approver gets sales:bookings:approve from a permission set.
INSERT INTO role_permissions (scope, role, permission) VALUES
  ('workspace', 'owner', 'sales:*:*'),
  ('workspace', 'admin', 'sales:bookings:*'),
  ('workspace', 'member', 'sales:bookings:create')
ON CONFLICT DO NOTHING;
