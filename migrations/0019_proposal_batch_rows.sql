-- The batch row a logged proposal came from, so `proposal batch --resume` finds the numbers it gave rows without a
-- proposal_id (numbered from the workspace's sequence, unique across batches and `generate` calls). NULL for generate.
ALTER TABLE proposals_log ADD COLUMN batch_row integer;
