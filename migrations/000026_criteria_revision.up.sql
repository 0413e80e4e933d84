BEGIN;

-- A set's revision moves with every change to its criteria, however it is
-- made (the staff pages, an amendment, an import, a script in psql): the
-- triggers below, once per statement. Pages that read a set's criteria with
-- every request (the self-assessment and appraisal forms and their saves)
-- keep them in the process and read only the revision, with the form, to
-- know whether what they hold is still the set as stored. The same triggers
-- keep the set's count of criteria, which the campaign list shows for every
-- campaign and would otherwise count row by row on every request.
ALTER TABLE criteria_sets
    ADD COLUMN revision bigint NOT NULL DEFAULT 1,
    ADD COLUMN criteria_count integer NOT NULL DEFAULT 0;
UPDATE criteria_sets s SET criteria_count = (SELECT count(*) FROM criteria k WHERE k.set_id = s.id);

CREATE FUNCTION criteria_sets_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE criteria_sets s SET revision = s.revision + 1, criteria_count = (SELECT count(*) FROM criteria k WHERE k.set_id = s.id)
    WHERE s.id IN (SELECT DISTINCT set_id FROM changed);
    RETURN NULL;
END
$$;

CREATE TRIGGER criteria_touch_insert AFTER INSERT ON criteria
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION criteria_sets_touch();
CREATE TRIGGER criteria_touch_update_new AFTER UPDATE ON criteria
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION criteria_sets_touch();
CREATE TRIGGER criteria_touch_update_old AFTER UPDATE ON criteria
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION criteria_sets_touch();
CREATE TRIGGER criteria_touch_delete AFTER DELETE ON criteria
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION criteria_sets_touch();

COMMIT;
