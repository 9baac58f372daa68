-- A VAPI integration's public key (issue 29): not a secret (VAPI's web SDK runs in the browser with it), so it is kept
-- in the clear; the Mini App's test call hands it to the browser with the assistant's id.
ALTER TABLE workspace_integrations
  ADD COLUMN public_key text CHECK (public_key ~ '^[A-Za-z0-9_-]{8,200}$');
