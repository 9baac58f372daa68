-- How an internationalised domain is shown: its U-label (bücher.example) beside the A-label wfa stores, compares
-- and verifies (xn--bcher-kva.example). NULL when the two are the same.
ALTER TABLE partner_domains ADD COLUMN display_hostname text;
