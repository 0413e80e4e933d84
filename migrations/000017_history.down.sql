BEGIN;

UPDATE achievements SET import_job_id = NULL WHERE import_job_id IN (SELECT id FROM import_jobs WHERE kind = 'awards');
DELETE FROM import_jobs WHERE kind = 'awards';
ALTER TABLE import_jobs DROP CONSTRAINT import_jobs_kind_check;
ALTER TABLE import_jobs ADD CONSTRAINT import_jobs_kind_check CHECK (kind IN ('units', 'people', 'measures'));

COMMIT;
