BEGIN;

DROP INDEX assessments_ranking_idx;
CREATE INDEX assessments_ranking_idx ON assessments (campaign_id, phase_id, set_id, final_converted DESC)
    WHERE status IN ('received', 'appraised', 'locked');

COMMIT;
