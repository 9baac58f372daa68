-- Sales: billboard locations and their photos, rate cards, currencies and exchange rates,
-- and the log of generated proposals. Money is integer minor units of the row's currency.

-- currencies is the list wfa can price in, with each one's minor-unit exponent: data, not C++.
CREATE TABLE currencies (
  code      text PRIMARY KEY CHECK (code ~ '^[A-Z]{3}$'),
  name      text NOT NULL,
  exponent  smallint NOT NULL CHECK (exponent BETWEEN 0 AND 3)
);
INSERT INTO currencies (code, name, exponent) VALUES
  ('AED', 'UAE dirham', 2), ('SAR', 'Saudi riyal', 2), ('QAR', 'Qatari riyal', 2),
  ('KWD', 'Kuwaiti dinar', 3), ('BHD', 'Bahraini dinar', 3), ('OMR', 'Omani rial', 3),
  ('USD', 'US dollar', 2), ('EUR', 'Euro', 2), ('GBP', 'Pound sterling', 2),
  ('INR', 'Indian rupee', 2), ('EGP', 'Egyptian pound', 2), ('JPY', 'Japanese yen', 0),
  ('CHF', 'Swiss franc', 2), ('CNY', 'Chinese yuan', 2);

CREATE TABLE locations (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id  uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  location_key  text NOT NULL CHECK (location_key ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$'),
  display_name  text NOT NULL CHECK (display_name <> ''),
  width_m       numeric(8, 2) CHECK (width_m > 0),
  height_m      numeric(8, 2) CHECK (height_m > 0),
  location_type text NOT NULL DEFAULT 'static' CHECK (location_type IN ('static', 'led', 'digital')),
  series        text,
  address       text,
  latitude      double precision CHECK (latitude BETWEEN -90 AND 90),
  longitude     double precision CHECK (longitude BETWEEN -180 AND 180),
  is_active     boolean NOT NULL DEFAULT true,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX locations_workspace_key ON locations (workspace_id, location_key);
CREATE TRIGGER locations_touch BEFORE UPDATE ON locations FOR EACH ROW EXECUTE FUNCTION wfa_touch_updated_at();

-- A location has at most one photo per time of day and finish; path is relative to the
-- file store ($WFA_DATA_DIR/files), content-addressed by sha256, so identical photos share a file.
CREATE TABLE location_photos (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  location_id  uuid NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
  time_of_day  text NOT NULL CHECK (time_of_day IN ('day', 'night')),
  finish       text NOT NULL CHECK (finish IN ('gold', 'silver')),
  path         text NOT NULL CHECK (path <> ''),
  sha256       text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  media_type   text NOT NULL CHECK (media_type IN ('image/jpeg', 'image/png')),
  width        integer NOT NULL CHECK (width > 0),
  height       integer NOT NULL CHECK (height > 0),
  bytes        bigint NOT NULL CHECK (bytes > 0),
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX location_photos_variant ON location_photos (location_id, time_of_day, finish);
CREATE TRIGGER location_photos_touch BEFORE UPDATE ON location_photos FOR EACH ROW EXECUTE FUNCTION wfa_touch_updated_at();

-- A rate card prices a location for duration_weeks (1 = the weekly base rate; longer ones are
-- package prices) from valid_from to valid_to (inclusive, NULL = open). Windows of one
-- location and duration never overlap: `wfa rate-card set` checks under a location row lock.
-- municipality_fee_bp is basis points of net (500 = 5 %).
CREATE TABLE rate_cards (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  location_id          uuid NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
  duration_weeks       integer NOT NULL DEFAULT 1 CHECK (duration_weeks BETWEEN 1 AND 520),
  net_rate             bigint NOT NULL CHECK (net_rate >= 0),
  upload_fee           bigint NOT NULL DEFAULT 0 CHECK (upload_fee >= 0),
  municipality_fee_bp  integer NOT NULL DEFAULT 0 CHECK (municipality_fee_bp BETWEEN 0 AND 10000),
  currency             text NOT NULL DEFAULT 'AED' REFERENCES currencies (code),
  valid_from           date NOT NULL,
  valid_to             date CHECK (valid_to >= valid_from),
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX rate_cards_window_start ON rate_cards (location_id, duration_weeks, valid_from);
CREATE TRIGGER rate_cards_touch BEFORE UPDATE ON rate_cards FOR EACH ROW EXECUTE FUNCTION wfa_touch_updated_at();

-- currency_rates converts from AED: rate_ppm is units of CURRENCY per 1 AED times 1,000,000,
-- effective from valid_from until a later row of the same currency.
CREATE TABLE currency_rates (
  currency    text NOT NULL REFERENCES currencies (code) CHECK (currency <> 'AED'),
  valid_from  date NOT NULL,
  rate_ppm    bigint NOT NULL CHECK (rate_ppm > 0),
  source      text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (currency, valid_from)
);
CREATE TRIGGER currency_rates_touch BEFORE UPDATE ON currency_rates FOR EACH ROW EXECUTE FUNCTION wfa_touch_updated_at();

-- proposals_log records every proposal written: what was priced, where the PDF went and its
-- digest, so `wfa proposal batch --resume` can skip proposals already written and logged;
-- total is the total of the longest duration option offered, in the proposal's currency.
CREATE TABLE proposals_log (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id   uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  proposal_id    text NOT NULL CHECK (proposal_id <> ''),
  client_name    text NOT NULL,
  location_keys  text[] NOT NULL,
  start_date     date NOT NULL,
  end_date       date NOT NULL,
  currency       text NOT NULL REFERENCES currencies (code),
  total          bigint NOT NULL CHECK (total >= 0),
  file_path      text NOT NULL,
  sha256         text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  bytes          bigint NOT NULL CHECK (bytes > 0),
  pages          integer NOT NULL CHECK (pages > 0),
  batch_file     text,
  created_by     text NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX proposals_log_workspace_proposal ON proposals_log (workspace_id, proposal_id);
CREATE TRIGGER proposals_log_touch BEFORE UPDATE ON proposals_log FOR EACH ROW EXECUTE FUNCTION wfa_touch_updated_at();
