BEGIN;

-- The previous version runs imports in its own process from IMPORT_DIR: jobs
-- whose file is in the store cannot go on there.
UPDATE import_jobs SET status = 'failed', updated_at = now(),
    error = 'Lần nhập bị dừng khi cổng thông tin được cập nhật; chưa có dữ liệu nào được ghi. Hãy tải tệp lên lại.'
WHERE file_sum IS NOT NULL AND status IN ('checking', 'checked', 'importing');
DELETE FROM river_job WHERE kind IN ('run_import', 'clean_up');
DROP INDEX river_job_run_import_key_idx;
DROP INDEX import_jobs_file_sum_idx;
ALTER TABLE import_jobs DROP COLUMN file_sum;

COMMIT;
