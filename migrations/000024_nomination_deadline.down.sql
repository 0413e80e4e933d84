BEGIN;

ALTER TABLE phases DROP COLUMN nomination_to;

COMMIT;
