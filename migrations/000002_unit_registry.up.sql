BEGIN;

CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS btree_gist;

-- search_key is the accent- and case-insensitive form of Vietnamese text:
-- "Đồng Tháp" and "DONG THAP" both become "dong thap". unaccent() is only
-- STABLE (its dictionary could change), so this wrapper names the dictionary
-- explicitly and is declared IMMUTABLE, as generated columns and indexes need.
CREATE FUNCTION search_key(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$;

-- Units become a date-versioned tree. A unit's identity (its row in units)
-- lives from valid_from to valid_to (exclusive; NULL: still in force). Its
-- name and parent may change over that life: each span is a row of
-- unit_versions, and units.name/short_name/parent_id mirror the latest one.
ALTER TABLE units
    ADD COLUMN short_name text NOT NULL DEFAULT '' CHECK (short_name IS NFC NORMALIZED AND char_length(short_name) <= 100),
    ADD COLUMN kind text NOT NULL DEFAULT 'other'
        CHECK (kind IN ('province', 'department', 'district', 'commune', 'ward', 'special_zone', 'agency', 'division', 'other')),
    ADD COLUMN code text CHECK (code ~ '^[0-9A-Za-z][0-9A-Za-z._/-]{0,29}$'),
    ADD COLUMN valid_from date NOT NULL DEFAULT DATE '2000-01-01',
    ADD COLUMN valid_to date,
    ADD COLUMN version integer NOT NULL DEFAULT 1,
    ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN search text GENERATED ALWAYS AS (search_key(name || ' ' || short_name || ' ' || coalesce(code, ''))) STORED,
    ADD CONSTRAINT units_valid_range CHECK (valid_to IS NULL OR valid_to > valid_from),
    -- An official code (mã ĐVHC) is unique among units valid at the same time.
    ADD CONSTRAINT units_code_in_time EXCLUDE USING gist (code WITH =, daterange(valid_from, valid_to) WITH &&)
        WHERE (code IS NOT NULL);
CREATE INDEX units_search_idx ON units USING gin (search gin_trgm_ops);
CREATE INDEX units_name_vi_idx ON units (name COLLATE "vi-x-icu", id);
CREATE INDEX units_code_idx ON units (code) WHERE code IS NOT NULL;

CREATE TABLE unit_versions (
    unit_id    bigint NOT NULL REFERENCES units (id),
    valid_from date NOT NULL,
    valid_to   date,
    name       text NOT NULL CHECK (name IS NFC NORMALIZED AND char_length(name) BETWEEN 1 AND 300),
    short_name text NOT NULL DEFAULT '' CHECK (short_name IS NFC NORMALIZED AND char_length(short_name) <= 100),
    parent_id  bigint REFERENCES units (id),
    PRIMARY KEY (unit_id, valid_from),
    CHECK (valid_to IS NULL OR valid_to > valid_from),
    CHECK (parent_id IS NULL OR parent_id <> unit_id),
    EXCLUDE USING gist (unit_id WITH =, daterange(valid_from, valid_to) WITH &&)
);
CREATE INDEX unit_versions_parent_idx ON unit_versions (parent_id, valid_from);
INSERT INTO unit_versions (unit_id, valid_from, name, parent_id)
    SELECT id, valid_from, name, parent_id FROM units;

-- Reorganisations: one event (a merge of three communes, a split, a rename,
-- a move to another parent, a dissolution) links the units it ended to the
-- units it created or changed, so lineage reads both ways.
CREATE TABLE unit_events (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind           text NOT NULL CHECK (kind IN ('establish', 'merge', 'split', 'rename', 'move', 'dissolve')),
    effective_date date NOT NULL,
    decision       text NOT NULL DEFAULT '' CHECK (decision IS NFC NORMALIZED AND char_length(decision) <= 300),
    note           text NOT NULL DEFAULT '' CHECK (note IS NFC NORMALIZED AND char_length(note) <= 2000),
    created_by     bigint REFERENCES users (id),
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE unit_event_links (
    event_id     bigint NOT NULL REFERENCES unit_events (id),
    from_unit_id bigint REFERENCES units (id),
    to_unit_id   bigint REFERENCES units (id),
    CHECK (from_unit_id IS NOT NULL OR to_unit_id IS NOT NULL),
    UNIQUE NULLS NOT DISTINCT (event_id, from_unit_id, to_unit_id)
);
CREATE INDEX unit_event_links_from_idx ON unit_event_links (from_unit_id);
CREATE INDEX unit_event_links_to_idx ON unit_event_links (to_unit_id);

-- People: cán bộ, công chức, viên chức, người lao động. Personal data is kept
-- minimal. A person belongs to units over time (person_units).
CREATE TABLE people (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code       text CHECK (code ~ '^[0-9A-Za-z][0-9A-Za-z._/-]{0,29}$'),
    full_name  text NOT NULL CHECK (full_name IS NFC NORMALIZED AND char_length(full_name) BETWEEN 1 AND 200),
    gender     text CHECK (gender IN ('male', 'female')),
    birth_year smallint CHECK (birth_year BETWEEN 1900 AND 2100),
    position   text NOT NULL DEFAULT '' CHECK (position IS NFC NORMALIZED AND char_length(position) <= 200),
    category   text NOT NULL CHECK (category IN ('can_bo', 'cong_chuc', 'vien_chuc', 'nguoi_lao_dong')),
    search     text GENERATED ALWAYS AS (search_key(full_name || ' ' || coalesce(code, ''))) STORED,
    version    integer NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX people_code_key ON people (code) WHERE code IS NOT NULL;
CREATE INDEX people_search_idx ON people USING gin (search gin_trgm_ops);
CREATE INDEX people_name_vi_idx ON people (full_name COLLATE "vi-x-icu", id);

-- A person's memberships do not overlap. The SQL layer keeps them so (a new
-- membership ends the open one; back-dating is refused); the database holds
-- the cheap part of the rule: at most one open membership per person. A GiST
-- exclusion constraint would hold all of it but triples the cost of a
-- 100,000-person import.
CREATE TABLE person_units (
    person_id  bigint NOT NULL REFERENCES people (id),
    unit_id    bigint NOT NULL REFERENCES units (id),
    valid_from date NOT NULL,
    valid_to   date,
    PRIMARY KEY (person_id, valid_from),
    CHECK (valid_to IS NULL OR valid_to > valid_from)
);
CREATE UNIQUE INDEX person_units_open_key ON person_units (person_id) WHERE valid_to IS NULL;
CREATE INDEX person_units_unit_idx ON person_units (unit_id, valid_from);

-- Imports started from the web: the uploaded file, where the dry run or the
-- import stands, and its report, so the page can show progress and results.
CREATE TABLE import_jobs (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key         text NOT NULL UNIQUE CHECK (char_length(key) BETWEEN 16 AND 64),
    kind        text NOT NULL CHECK (kind IN ('units', 'people')),
    file_name   text NOT NULL CHECK (char_length(file_name) <= 255),
    file_path   text NOT NULL,
    status      text NOT NULL CHECK (status IN ('checking', 'checked', 'importing', 'done', 'failed')),
    rows_done   integer NOT NULL DEFAULT 0,
    report      jsonb,
    error       text NOT NULL DEFAULT '',
    created_by  bigint NOT NULL REFERENCES users (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

COMMIT;
