-- Billboard mockups: one frame (four corners and effect settings) per location photo, and the mockup files
-- generated from it, keyed by a content hash of every input so identical requests reuse the stored file.

CREATE TABLE mockup_frames (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  photo_id    uuid NOT NULL UNIQUE REFERENCES location_photos (id) ON DELETE CASCADE,
  points      jsonb NOT NULL,                   -- [[x,y] x 4]: top-left, top-right, bottom-right, bottom-left
  effects     jsonb NOT NULL DEFAULT '{}',      -- brightness, contrast, saturation, temperature, blur, feather
  version     integer NOT NULL DEFAULT 1 CHECK (version > 0),  -- bumped on every change
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  CHECK (jsonb_typeof(points) = 'array' AND jsonb_array_length(points) = 4),
  CHECK (jsonb_typeof(effects) = 'object')
);
CREATE TRIGGER mockup_frames_touch BEFORE UPDATE ON mockup_frames FOR EACH ROW EXECUTE FUNCTION wfa_touch_updated_at();

CREATE TABLE mockup_files (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id     uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  location_id      uuid NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
  photo_id         uuid NOT NULL REFERENCES location_photos (id) ON DELETE CASCADE,
  frame_version    integer NOT NULL,
  creative_sha256  text NOT NULL CHECK (creative_sha256 ~ '^[0-9a-f]{64}$'),
  cache_key        text NOT NULL UNIQUE CHECK (cache_key ~ '^[0-9a-f]{64}$'),  -- sha256 of photo, frame, effects, creative, quality
  path             text NOT NULL,               -- relative to $WFA_DATA_DIR/files
  bytes            bigint NOT NULL CHECK (bytes > 0),
  width            integer NOT NULL CHECK (width > 0),
  height           integer NOT NULL CHECK (height > 0),
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX mockup_files_location ON mockup_files (location_id, created_at);
CREATE INDEX mockup_files_workspace ON mockup_files (workspace_id, created_at);
