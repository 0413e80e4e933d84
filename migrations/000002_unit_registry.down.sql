BEGIN;
DROP TABLE import_jobs;
DROP TABLE person_units;
DROP TABLE people;
DROP TABLE unit_event_links;
DROP TABLE unit_events;
DROP TABLE unit_versions;
ALTER TABLE units
    DROP CONSTRAINT units_code_in_time,
    DROP CONSTRAINT units_valid_range,
    DROP COLUMN search,
    DROP COLUMN updated_at,
    DROP COLUMN version,
    DROP COLUMN valid_to,
    DROP COLUMN valid_from,
    DROP COLUMN code,
    DROP COLUMN kind,
    DROP COLUMN short_name;
DROP FUNCTION search_key(text);
DROP EXTENSION btree_gist;
DROP EXTENSION pg_trgm;
DROP EXTENSION unaccent;
COMMIT;
