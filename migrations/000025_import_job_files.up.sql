BEGIN;

-- An import's file lives in the store (EVIDENCE_DIR or the S3 bucket) under
-- its SHA-256, so that any instance can run the job from the queue
-- (river_job, kind run_import). file_path stays for rows written before:
-- their files were in a local IMPORT_DIR. file_sum is cleared once the job
-- has ended and its file is released.
ALTER TABLE import_jobs ADD COLUMN file_sum text CHECK (file_sum ~ '^[0-9a-f]{64}$');
CREATE INDEX import_jobs_file_sum_idx ON import_jobs (file_sum) WHERE file_sum IS NOT NULL;
-- The import page finds its job in the queue by the import's key.
CREATE INDEX river_job_run_import_key_idx ON river_job ((args->>'key')) WHERE kind = 'run_import';

-- Imports that were running in a process of the previous version have no
-- job in the queue: their transaction ended with that process.
UPDATE import_jobs SET status = 'failed', updated_at = now(),
    error = 'Lần nhập bị dừng khi cổng thông tin được cập nhật; chưa có dữ liệu nào được ghi. Hãy tải tệp lên lại.'
WHERE status IN ('checking', 'importing');

COMMIT;
