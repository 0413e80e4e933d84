BEGIN;

ALTER TABLE score_evidence DROP COLUMN during_reply;
ALTER TABLE assessments DROP COLUMN reply_submitted_by, DROP COLUMN reply_submitted_at;

COMMIT;
