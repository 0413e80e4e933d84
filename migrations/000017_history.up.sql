BEGIN;

-- Past awards (hồ sơ thành tích) are imported with the import machinery:
-- its jobs gain the kind "awards".
ALTER TABLE import_jobs DROP CONSTRAINT import_jobs_kind_check;
ALTER TABLE import_jobs ADD CONSTRAINT import_jobs_kind_check CHECK (kind IN ('units', 'people', 'measures', 'awards'));

COMMIT;
