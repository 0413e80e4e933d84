BEGIN;

DROP TABLE result_steps;
DROP TABLE phase_results;
DROP TABLE holidays;
ALTER TABLE phases DROP COLUMN reply_days;
ALTER TABLE scores
    DROP COLUMN appraised_points, DROP COLUMN appraised_measured, DROP COLUMN appraised_na,
    DROP COLUMN appraisal_comment, DROP COLUMN appraisal_source, DROP COLUMN appraised_by, DROP COLUMN appraised_at,
    DROP COLUMN reply, DROP COLUMN reply_by, DROP COLUMN reply_at, DROP COLUMN reply_decision, DROP COLUMN reply_reason,
    DROP COLUMN final_points, DROP COLUMN final_measured, DROP COLUMN final_na;
DROP INDEX assessments_ranking_idx;
ALTER TABLE assessments DROP CONSTRAINT assessments_status_check;
UPDATE assessments SET status = 'submitted' WHERE status IN ('received', 'appraised', 'locked');
ALTER TABLE assessments
    DROP COLUMN received_at, DROP COLUMN received_by, DROP COLUMN appraised_at, DROP COLUMN appraised_by,
    DROP COLUMN reply_until, DROP COLUMN locked_at, DROP COLUMN locked_by,
    DROP COLUMN appraised_points, DROP COLUMN appraised_max, DROP COLUMN appraised_converted, DROP COLUMN appraised_scored,
    DROP COLUMN final_points, DROP COLUMN final_max, DROP COLUMN final_converted,
    ADD CONSTRAINT assessments_status_check CHECK (status IN ('draft', 'submitted', 'returned'));
DROP TABLE appraisal_assignments;
DROP TABLE campaign_members;

COMMIT;
