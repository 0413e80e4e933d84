-- The ranking's index no longer holds final_converted. With it, every save
-- that moved a form's final total (each appraisal save, each accepted
-- reply) changed an indexed column of assessments, so PostgreSQL could not
-- update the row in place (a HOT update) and wrote a new entry in each of
-- the table's indexes. The ranking reads every form of its phase and set
-- and sorts them by total, name and id: the index finds the forms; the
-- order of at most a few thousand rows costs the sort, not the index.
BEGIN;

DROP INDEX assessments_ranking_idx;
CREATE INDEX assessments_ranking_idx ON assessments (campaign_id, phase_id, set_id)
    WHERE status IN ('received', 'appraised', 'locked');

COMMIT;
