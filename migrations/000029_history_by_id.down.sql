BEGIN;

DROP INDEX assessment_history_idx;
CREATE INDEX assessment_history_idx ON assessment_history (assessment_id, at);

COMMIT;
