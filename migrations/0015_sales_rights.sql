-- The sales verbs' rights in the role matrix: admins manage locations, rate cards, proposals and mockups; members
-- make proposals and mockups; every role reads them (workspace:*:read).
INSERT INTO role_permissions (scope, role, permission) VALUES
  ('workspace', 'admin', 'workspace:locations:*'),
  ('workspace', 'admin', 'workspace:rate_cards:*'),
  ('workspace', 'admin', 'workspace:proposals:*'),
  ('workspace', 'admin', 'workspace:mockups:*'),
  ('workspace', 'member', 'workspace:proposals:create'),
  ('workspace', 'member', 'workspace:mockups:create')
ON CONFLICT DO NOTHING;
