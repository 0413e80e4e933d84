BEGIN;
DROP TRIGGER criteria_touch_insert ON criteria;
DROP TRIGGER criteria_touch_update_new ON criteria;
DROP TRIGGER criteria_touch_update_old ON criteria;
DROP TRIGGER criteria_touch_delete ON criteria;
DROP FUNCTION criteria_sets_touch();
ALTER TABLE criteria_sets DROP COLUMN revision, DROP COLUMN criteria_count;
COMMIT;
