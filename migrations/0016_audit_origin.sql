-- Where each change came from: the CLI process's host, pid and command line (secrets masked) and the operator who
-- ran it, or serve's client IP and user agent. NULL for rows written before this migration.
ALTER TABLE audit_log ADD COLUMN origin jsonb;
