-- Invitations whose e-mail bounced (issue 30): `wfa mail bounce` marks them undeliverable and tells the inviter.
ALTER TABLE partner_invitations ADD COLUMN undeliverable_at timestamptz;
ALTER TABLE workspace_invitations ADD COLUMN undeliverable_at timestamptz;
