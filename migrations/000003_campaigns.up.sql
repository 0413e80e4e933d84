BEGIN;

-- The catalogue of award forms under the Law on Emulation and Commendation
-- 2022: data, not code. target says who may receive it; authority who grants it.
CREATE TABLE award_forms (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code        text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9_]{1,40}$'),
    name        text NOT NULL CHECK (name IS NFC NORMALIZED AND char_length(name) BETWEEN 1 AND 200),
    target      text NOT NULL CHECK (target IN ('collective', 'individual', 'both')),
    authority   text NOT NULL CHECK (authority IS NFC NORMALIZED AND char_length(authority) BETWEEN 1 AND 200),
    legal_basis text NOT NULL DEFAULT '' CHECK (legal_basis IS NFC NORMALIZED),
    sort        integer NOT NULL DEFAULT 0
);

INSERT INTO award_forms (code, name, target, authority, legal_basis, sort) VALUES
    ('bang_khen_thu_tuong', 'Bằng khen của Thủ tướng Chính phủ', 'both', 'Thủ tướng Chính phủ', 'Luật Thi đua, khen thưởng 2022', 10),
    ('co_thi_dua_chinh_phu', 'Cờ thi đua của Chính phủ', 'collective', 'Thủ tướng Chính phủ', 'Luật Thi đua, khen thưởng 2022', 20),
    ('bang_khen_chu_tich_tinh', 'Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh', 'both', 'Chủ tịch Ủy ban nhân dân cấp tỉnh', 'Luật Thi đua, khen thưởng 2022', 30),
    ('co_thi_dua_tinh', 'Cờ thi đua của Ủy ban nhân dân tỉnh', 'collective', 'Chủ tịch Ủy ban nhân dân cấp tỉnh', 'Luật Thi đua, khen thưởng 2022', 40),
    ('chien_si_thi_dua_tinh', 'Chiến sĩ thi đua cấp tỉnh', 'individual', 'Chủ tịch Ủy ban nhân dân cấp tỉnh', 'Luật Thi đua, khen thưởng 2022', 50),
    ('tap_the_lao_dong_xuat_sac', 'Tập thể lao động xuất sắc', 'collective', 'Chủ tịch Ủy ban nhân dân cấp tỉnh', 'Luật Thi đua, khen thưởng 2022', 60),
    ('giay_khen', 'Giấy khen', 'both', 'Thủ trưởng cơ quan chuyên môn thuộc Ủy ban nhân dân cấp tỉnh; Chủ tịch Ủy ban nhân dân cấp xã', 'Luật Thi đua, khen thưởng 2022', 70),
    ('chien_si_thi_dua_co_so', 'Chiến sĩ thi đua cơ sở', 'individual', 'Thủ trưởng cơ quan chuyên môn thuộc Ủy ban nhân dân cấp tỉnh; Chủ tịch Ủy ban nhân dân cấp xã', 'Luật Thi đua, khen thưởng 2022', 80),
    ('tap_the_lao_dong_tien_tien', 'Tập thể lao động tiên tiến', 'collective', 'Thủ trưởng cơ quan chuyên môn thuộc Ủy ban nhân dân cấp tỉnh; Chủ tịch Ủy ban nhân dân cấp xã', 'Luật Thi đua, khen thưởng 2022', 90),
    ('lao_dong_tien_tien', 'Lao động tiên tiến', 'individual', 'Thủ trưởng cơ quan chuyên môn thuộc Ủy ban nhân dân cấp tỉnh; Chủ tịch Ủy ban nhân dân cấp xã', 'Luật Thi đua, khen thưởng 2022', 100);

CREATE TABLE campaigns (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    plan_number      text NOT NULL CHECK (plan_number IS NFC NORMALIZED AND char_length(plan_number) BETWEEN 1 AND 60),
    title            text NOT NULL CHECK (title IS NFC NORMALIZED AND char_length(title) BETWEEN 1 AND 500),
    issuer_unit_id   bigint REFERENCES units (id),
    issuer_name      text NOT NULL CHECK (issuer_name IS NFC NORMALIZED AND char_length(issuer_name) BETWEEN 1 AND 300),
    signer_name      text NOT NULL DEFAULT '' CHECK (signer_name IS NFC NORMALIZED AND char_length(signer_name) <= 200),
    signer_position  text NOT NULL DEFAULT '' CHECK (signer_position IS NFC NORMALIZED AND char_length(signer_position) <= 200),
    issue_date       date NOT NULL,
    kind             text NOT NULL CHECK (kind IN ('regular', 'thematic')),
    purposes         text NOT NULL DEFAULT '' CHECK (purposes IS NFC NORMALIZED AND char_length(purposes) <= 20000),
    content          text NOT NULL DEFAULT '' CHECK (content IS NFC NORMALIZED AND char_length(content) <= 20000),
    target_kinds     text[] NOT NULL DEFAULT '{}',
    target_categories text[] NOT NULL DEFAULT '{}',
    target_note      text NOT NULL DEFAULT '' CHECK (target_note IS NFC NORMALIZED AND char_length(target_note) <= 4000),
    scope_unit_id    bigint REFERENCES units (id),
    period_start     date NOT NULL,
    period_end       date NOT NULL,
    status           text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'announced', 'closed', 'cancelled')),
    -- Classification bands: minimum converted total for each band, else Yếu.
    band_excellent   numeric(5,2) NOT NULL DEFAULT 90,
    band_good        numeric(5,2) NOT NULL DEFAULT 80,
    band_fair        numeric(5,2) NOT NULL DEFAULT 65,
    band_average     numeric(5,2) NOT NULL DEFAULT 50,
    version          integer NOT NULL DEFAULT 1,
    created_by       bigint REFERENCES users (id),
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CHECK (period_end >= period_start),
    CHECK (band_excellent <= 100 AND band_excellent > band_good AND band_good > band_fair AND band_fair > band_average AND band_average > 0)
);
CREATE INDEX campaigns_status_idx ON campaigns (status, period_start);
CREATE UNIQUE INDEX campaigns_plan_key ON campaigns (issuer_name, plan_number) WHERE status <> 'cancelled';

-- Every change of status, with who and when: the lifecycle's record.
CREATE TABLE campaign_transitions (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    campaign_id bigint NOT NULL REFERENCES campaigns (id),
    from_status text NOT NULL,
    to_status   text NOT NULL,
    reason      text NOT NULL DEFAULT '' CHECK (reason IS NFC NORMALIZED AND char_length(reason) <= 2000),
    actor_id    bigint REFERENCES users (id),
    at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX campaign_transitions_campaign_idx ON campaign_transitions (campaign_id, at);

CREATE TABLE phases (
    id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    campaign_id           bigint NOT NULL REFERENCES campaigns (id),
    seq                   integer NOT NULL CHECK (seq > 0),
    name                  text NOT NULL CHECK (name IS NFC NORMALIZED AND char_length(name) BETWEEN 1 AND 200),
    start_date            date NOT NULL,
    end_date              date NOT NULL,
    registration_deadline date,
    assessment_from       date,
    assessment_to         date,
    appraisal_from        date,
    appraisal_to          date,
    reply_from            date,
    reply_to              date,
    review_kind           text NOT NULL CHECK (review_kind IN ('interim', 'final', 'annual')),
    review_date           date,
    version               integer NOT NULL DEFAULT 1,
    UNIQUE (campaign_id, seq),
    CHECK (end_date >= start_date),
    CHECK (assessment_to IS NULL OR assessment_from IS NULL OR assessment_to >= assessment_from),
    CHECK (appraisal_to IS NULL OR appraisal_from IS NULL OR appraisal_to >= appraisal_from),
    CHECK (reply_to IS NULL OR reply_from IS NULL OR reply_to >= reply_from)
);

-- Award plans: which forms a campaign gives, to whom, how many per phase.
CREATE TABLE award_plans (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    campaign_id       bigint NOT NULL REFERENCES campaigns (id),
    award_form_id     bigint NOT NULL REFERENCES award_forms (id),
    collective_quota  integer CHECK (collective_quota >= 0),
    individual_quota  integer CHECK (individual_quota >= 0),
    min_band          text NOT NULL DEFAULT 'good' CHECK (min_band IN ('excellent', 'good', 'fair', 'average', 'weak')),
    no_pending_discipline boolean NOT NULL DEFAULT true,
    not_already_awarded   boolean NOT NULL DEFAULT true,
    note              text NOT NULL DEFAULT '' CHECK (note IS NFC NORMALIZED AND char_length(note) <= 1000),
    -- A NULL quota: the plan sets no number.
    UNIQUE (campaign_id, award_form_id)
);

-- Criteria sets per campaign and target group, and their trees.
CREATE TABLE criteria_sets (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    campaign_id  bigint NOT NULL REFERENCES campaigns (id),
    name         text NOT NULL CHECK (name IS NFC NORMALIZED AND char_length(name) BETWEEN 1 AND 200),
    target_kinds text[] NOT NULL DEFAULT '{}',
    individual   boolean NOT NULL DEFAULT false,
    version      integer NOT NULL DEFAULT 1,
    UNIQUE (campaign_id, name)
);

CREATE TABLE criteria (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    set_id               bigint NOT NULL REFERENCES criteria_sets (id),
    parent_id            bigint REFERENCES criteria (id),
    seq                  integer NOT NULL,
    code                 text NOT NULL CHECK (code ~ '^[0-9A-Za-z]+([.][0-9A-Za-z]+)*$' AND char_length(code) <= 20),
    title                text NOT NULL CHECK (title IS NFC NORMALIZED AND char_length(title) BETWEEN 1 AND 500),
    guidance             text NOT NULL DEFAULT '' CHECK (guidance IS NFC NORMALIZED AND char_length(guidance) <= 4000),
    -- Points in hundredths: 12.5 points is 1250.
    max_points           integer NOT NULL CHECK (max_points BETWEEN 0 AND 100000),
    method               text NOT NULL CHECK (method IN ('points', 'yes_no', 'tiers', 'target_share')),
    step                 integer NOT NULL DEFAULT 25 CHECK (step > 0),
    tiers                jsonb NOT NULL DEFAULT '[]',
    target_value         numeric(14,4),
    evidence_required    boolean NOT NULL DEFAULT false,
    explain_without_evidence boolean NOT NULL DEFAULT true,
    allow_na             boolean NOT NULL DEFAULT false,
    UNIQUE (set_id, code),
    CHECK (parent_id IS NULL OR parent_id <> id)
);
CREATE INDEX criteria_parent_idx ON criteria (set_id, parent_id, seq);

-- A change to a frozen criteria set is an amendment: recorded, with its reason.
CREATE TABLE criteria_amendments (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    set_id      bigint NOT NULL REFERENCES criteria_sets (id),
    version     integer NOT NULL,
    criterion   text NOT NULL,
    reason      text NOT NULL CHECK (reason IS NFC NORMALIZED AND char_length(reason) BETWEEN 1 AND 2000),
    changes     jsonb NOT NULL,
    actor_id    bigint REFERENCES users (id),
    at          timestamptz NOT NULL DEFAULT now()
);

-- Self-assessments (the forms units fill in; built out by the next feature).
-- Their existence freezes a criteria set.
CREATE TABLE assessments (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    campaign_id bigint NOT NULL REFERENCES campaigns (id),
    set_id      bigint NOT NULL REFERENCES criteria_sets (id),
    phase_id    bigint NOT NULL REFERENCES phases (id),
    unit_id     bigint NOT NULL REFERENCES units (id),
    status      text NOT NULL DEFAULT 'draft',
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (phase_id, set_id, unit_id)
);

CREATE TABLE campaign_attachments (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key         text NOT NULL UNIQUE,
    campaign_id bigint NOT NULL REFERENCES campaigns (id),
    file_name   text NOT NULL CHECK (char_length(file_name) BETWEEN 1 AND 255),
    sha256      text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    size        bigint NOT NULL CHECK (size > 0),
    content_type text NOT NULL,
    withdrawn_at timestamptz,
    created_by  bigint REFERENCES users (id),
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX campaign_attachments_campaign_idx ON campaign_attachments (campaign_id);

COMMIT;
