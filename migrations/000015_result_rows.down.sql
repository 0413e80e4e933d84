BEGIN;

DROP TABLE result_rows;
ALTER TABLE phase_results DROP COLUMN proposal_step_id;

COMMIT;
