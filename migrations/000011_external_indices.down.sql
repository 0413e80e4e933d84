BEGIN;

ALTER TABLE criteria DROP CONSTRAINT criteria_measure_check, DROP COLUMN measure_period, DROP COLUMN measure_id;
DROP TABLE measure_values;
DROP TABLE measures;
DELETE FROM import_jobs WHERE kind = 'measures';
ALTER TABLE import_jobs DROP CONSTRAINT import_jobs_kind_check;
ALTER TABLE import_jobs ADD CONSTRAINT import_jobs_kind_check CHECK (kind IN ('units', 'people'));

COMMIT;
