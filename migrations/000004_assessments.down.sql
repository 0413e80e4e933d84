BEGIN;
DROP TABLE assessment_extensions;
DROP TABLE score_evidence;
DROP TABLE evidence_files;
DROP TABLE assessment_history;
DROP TABLE scores;
DROP INDEX assessments_campaign_idx;
ALTER TABLE assessments
    DROP CONSTRAINT assessments_status_check,
    DROP COLUMN updated_at,
    DROP COLUMN scored,
    DROP COLUMN converted,
    DROP COLUMN applicable_max,
    DROP COLUMN total_points,
    DROP COLUMN deadline,
    DROP COLUMN submitted_by,
    DROP COLUMN submitted_at,
    DROP COLUMN version,
    DROP COLUMN registration_id;
DROP TABLE registration_people;
DROP TABLE registrations;
COMMIT;
