BEGIN;
-- Thị trấn (towns) were a kind of commune-level unit until 01/07/2025: the
-- registry keeps them as their own kind, as it keeps districts.
ALTER TABLE units DROP CONSTRAINT units_kind_check;
ALTER TABLE units ADD CONSTRAINT units_kind_check
    CHECK (kind IN ('province', 'department', 'district', 'commune', 'ward', 'town', 'special_zone', 'agency', 'division', 'other'));
COMMIT;
