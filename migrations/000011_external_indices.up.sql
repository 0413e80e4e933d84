BEGIN;

-- External measures (chỉ số bên ngoài) published about units by others:
-- PAR INDEX and SIPAS (Bộ Nội vụ), the eight PAPI dimensions (UNDP), the
-- share of administrative dossiers handled on time. Values are in
-- hundredths, like scores.measured: 85,23 % is 8523, 6,12 điểm is 612.
CREATE TABLE measures (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code        text NOT NULL UNIQUE CHECK (code ~ '^[A-Z][A-Z0-9_]*$' AND char_length(code) <= 30),
    short_name  text NOT NULL CHECK (short_name IS NFC NORMALIZED AND char_length(short_name) BETWEEN 1 AND 100),
    name        text NOT NULL CHECK (name IS NFC NORMALIZED AND char_length(name) BETWEEN 1 AND 300),
    scale       text NOT NULL CHECK (scale IN ('percent', 'points')),
    min_value   bigint NOT NULL,
    max_value   bigint NOT NULL,
    publisher   text NOT NULL CHECK (publisher IS NFC NORMALIZED AND char_length(publisher) BETWEEN 1 AND 300),
    seq         integer NOT NULL,
    CHECK (min_value < max_value)
);

-- A unit's value of a measure for a period (a year). Importing a new value
-- for the same unit, measure and period replaces the current one, which
-- stays as history (replaced_at); at most one value is current.
CREATE TABLE measure_values (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    measure_id    bigint NOT NULL REFERENCES measures (id),
    unit_id       bigint NOT NULL REFERENCES units (id),
    period        integer NOT NULL CHECK (period BETWEEN 2000 AND 2100),
    value         bigint NOT NULL,
    source        text NOT NULL CHECK (source IS NFC NORMALIZED AND char_length(source) BETWEEN 1 AND 300),
    published_on  date NOT NULL,
    imported_by   bigint REFERENCES users (id),
    import_job_id bigint REFERENCES import_jobs (id),
    imported_at   timestamptz NOT NULL DEFAULT now(),
    replaced_at   timestamptz,
    replaced_by   bigint REFERENCES users (id)
);
CREATE UNIQUE INDEX measure_values_current ON measure_values (measure_id, unit_id, period) WHERE replaced_at IS NULL;
CREATE INDEX measure_values_unit_idx ON measure_values (unit_id, measure_id, period);

-- A criterion scored by tiers or by share of a target may take its
-- appraised value from a measure's value for a period.
ALTER TABLE criteria
    ADD COLUMN measure_id     bigint REFERENCES measures (id),
    ADD COLUMN measure_period integer CHECK (measure_period BETWEEN 2000 AND 2100),
    ADD CONSTRAINT criteria_measure_check CHECK ((measure_id IS NULL) = (measure_period IS NULL)
        AND (measure_id IS NULL OR method IN ('tiers', 'target_share')));

-- External values are imported with the same jobs as units and people.
ALTER TABLE import_jobs DROP CONSTRAINT import_jobs_kind_check;
ALTER TABLE import_jobs ADD CONSTRAINT import_jobs_kind_check CHECK (kind IN ('units', 'people', 'measures'));

INSERT INTO measures (code, short_name, name, scale, min_value, max_value, publisher, seq) VALUES
    ('PAR_INDEX', 'PAR INDEX', 'Chỉ số cải cách hành chính (PAR INDEX)', 'percent', 0, 10000, 'Bộ Nội vụ', 1),
    ('SIPAS', 'SIPAS', 'Chỉ số hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan hành chính nhà nước (SIPAS)', 'percent', 0, 10000, 'Bộ Nội vụ', 2),
    ('PAPI_1', 'PAPI 1', 'PAPI – Tham gia của người dân ở cấp cơ sở', 'points', 100, 1000, 'UNDP', 11),
    ('PAPI_2', 'PAPI 2', 'PAPI – Công khai, minh bạch trong việc ra quyết định ở địa phương', 'points', 100, 1000, 'UNDP', 12),
    ('PAPI_3', 'PAPI 3', 'PAPI – Trách nhiệm giải trình với người dân', 'points', 100, 1000, 'UNDP', 13),
    ('PAPI_4', 'PAPI 4', 'PAPI – Kiểm soát tham nhũng trong khu vực công', 'points', 100, 1000, 'UNDP', 14),
    ('PAPI_5', 'PAPI 5', 'PAPI – Thủ tục hành chính công', 'points', 100, 1000, 'UNDP', 15),
    ('PAPI_6', 'PAPI 6', 'PAPI – Cung ứng dịch vụ công', 'points', 100, 1000, 'UNDP', 16),
    ('PAPI_7', 'PAPI 7', 'PAPI – Quản trị môi trường', 'points', 100, 1000, 'UNDP', 17),
    ('PAPI_8', 'PAPI 8', 'PAPI – Quản trị điện tử', 'points', 100, 1000, 'UNDP', 18),
    ('TTHC_DUNG_HAN', 'Hồ sơ TTHC đúng hạn', 'Tỷ lệ hồ sơ thủ tục hành chính giải quyết đúng hạn, trước hạn', 'percent', 0, 10000,
        'Văn phòng Chính phủ (Cổng Dịch vụ công quốc gia)', 21);

COMMIT;
