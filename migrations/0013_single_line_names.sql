-- Names and titles are single lines of at most 200 characters without control characters (C0, DEL,
-- C1): a name is printed in tables, PDFs and terminals, where an escape sequence would act. The
-- constraints are named single_line__TABLE__COLUMN, which core/error.cpp turns into a readable
-- message. NOT VALID: rows stored before are kept as they are; every new or changed value is checked.
-- Recipients are checked by the importer (file:line), and Telegram's names are shown escaped instead.
DO $$
DECLARE
  c text[];
BEGIN
  FOREACH c SLICE 1 IN ARRAY ARRAY[
      ['campaigns', 'name'], ['currencies', 'name'], ['locations', 'display_name'],
      ['partner_requests', 'company_name'], ['partner_requests', 'contact_name'], ['partners', 'name'],
      ['permission_sets', 'name'], ['plan_tiers', 'display_name'], ['profiles', 'name'],
      ['proposals_log', 'client_name'], ['teams', 'name'], ['users', 'first_name'], ['users', 'last_name'],
      ['workspaces', 'name']] LOOP
    EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I CHECK (%I !~ ''[\x01-\x1f\x7f-\x9f]'' AND'
                   ' char_length(%I) <= 200) NOT VALID',
                   c[1], 'single_line__' || c[1] || '__' || c[2], c[2], c[2]);
  END LOOP;
END;
$$;
