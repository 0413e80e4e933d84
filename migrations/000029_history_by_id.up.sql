-- A form's history is read newest first, by id (ids follow the order of the
-- changes; two changes of one transaction share their time). The index was
-- by (assessment_id, at): PostgreSQL read every entry of the form and sorted
-- them to show the latest 30. By id, it reads the 30 from the end of the
-- index and stops.
BEGIN;

DROP INDEX assessment_history_idx;
CREATE INDEX assessment_history_idx ON assessment_history (assessment_id, id);

COMMIT;
