BEGIN;
-- Towns become communes again, as they were typed before the kind existed.
UPDATE units SET kind = 'commune' WHERE kind = 'town';
ALTER TABLE units DROP CONSTRAINT units_kind_check;
ALTER TABLE units ADD CONSTRAINT units_kind_check
    CHECK (kind IN ('province', 'department', 'district', 'commune', 'ward', 'special_zone', 'agency', 'division', 'other'));
COMMIT;
