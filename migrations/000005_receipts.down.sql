BEGIN;
DROP TABLE receipt_lines;
DROP INDEX receipts_assessment_idx;
DROP TABLE receipts;
DROP TABLE receipt_counters;
COMMIT;
