BEGIN;

ALTER TABLE nominations DROP COLUMN updated_by;

COMMIT;
