BEGIN;

-- Registrations (đăng ký thi đua) of units for campaigns, with pledges.
CREATE TABLE registrations (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    campaign_id  bigint NOT NULL REFERENCES campaigns (id),
    unit_id      bigint NOT NULL REFERENCES units (id),
    status       text NOT NULL CHECK (status IN ('draft', 'pending', 'approved', 'rejected', 'withdrawn')),
    pledge       text NOT NULL DEFAULT '' CHECK (pledge IS NFC NORMALIZED AND char_length(pledge) <= 10000),
    targets      jsonb NOT NULL DEFAULT '[]',
    reason       text NOT NULL DEFAULT '' CHECK (reason IS NFC NORMALIZED AND char_length(reason) <= 2000),
    submitted_at timestamptz,
    decided_at   timestamptz,
    decided_by   bigint REFERENCES users (id),
    version      integer NOT NULL DEFAULT 1,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (campaign_id, unit_id)
);
CREATE INDEX registrations_campaign_idx ON registrations (campaign_id, status);

-- Individuals a unit proposes for individual titles.
CREATE TABLE registration_people (
    registration_id bigint NOT NULL REFERENCES registrations (id),
    person_id       bigint NOT NULL REFERENCES people (id),
    PRIMARY KEY (registration_id, person_id)
);

-- Self-assessment forms: one per registered unit and phase.
ALTER TABLE assessments
    ADD COLUMN registration_id bigint REFERENCES registrations (id),
    ADD COLUMN version        integer NOT NULL DEFAULT 1,
    ADD COLUMN submitted_at   timestamptz,
    ADD COLUMN submitted_by   bigint REFERENCES users (id),
    ADD COLUMN deadline       date,
    ADD COLUMN total_points   integer NOT NULL DEFAULT 0,
    ADD COLUMN applicable_max integer NOT NULL DEFAULT 0,
    ADD COLUMN converted      integer NOT NULL DEFAULT 0,
    ADD COLUMN scored         integer NOT NULL DEFAULT 0,
    ADD COLUMN updated_at     timestamptz NOT NULL DEFAULT now(),
    ADD CONSTRAINT assessments_status_check CHECK (status IN ('draft', 'submitted', 'returned'));
CREATE INDEX assessments_campaign_idx ON assessments (campaign_id, phase_id, status);

-- Scores carry the campaign in their key, so a ranking reads only its own
-- campaign's rows. Points and measured values are in hundredths.
CREATE TABLE scores (
    campaign_id   bigint NOT NULL REFERENCES campaigns (id),
    assessment_id bigint NOT NULL REFERENCES assessments (id),
    criterion_id  bigint NOT NULL REFERENCES criteria (id),
    points        integer,
    measured      bigint,
    na            boolean NOT NULL DEFAULT false,
    explanation   text NOT NULL DEFAULT '' CHECK (explanation IS NFC NORMALIZED AND char_length(explanation) <= 4000),
    returned_reason text NOT NULL DEFAULT '' CHECK (returned_reason IS NFC NORMALIZED AND char_length(returned_reason) <= 2000),
    reopened      boolean NOT NULL DEFAULT false,
    version       integer NOT NULL DEFAULT 1,
    updated_by    bigint REFERENCES users (id),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (campaign_id, assessment_id, criterion_id)
);

-- Every change of a form: who, when, old → new.
CREATE TABLE assessment_history (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    assessment_id bigint NOT NULL REFERENCES assessments (id),
    criterion_id  bigint REFERENCES criteria (id),
    action        text NOT NULL,
    old_value     jsonb,
    new_value     jsonb,
    actor_id      bigint REFERENCES users (id),
    at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX assessment_history_idx ON assessment_history (assessment_id, at);

-- Evidence files belong to a unit (a library it can reuse across criteria);
-- the content lives in the content-addressed store under its SHA-256.
CREATE TABLE evidence_files (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key          text NOT NULL UNIQUE CHECK (char_length(key) BETWEEN 32 AND 64),
    unit_id      bigint NOT NULL REFERENCES units (id),
    sha256       text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    size         bigint NOT NULL CHECK (size > 0),
    content_type text NOT NULL,
    file_name    text NOT NULL CHECK (char_length(file_name) BETWEEN 1 AND 255),
    created_by   bigint REFERENCES users (id),
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX evidence_files_unit_idx ON evidence_files (unit_id, created_at);

CREATE TABLE score_evidence (
    campaign_id   bigint NOT NULL,
    assessment_id bigint NOT NULL REFERENCES assessments (id),
    criterion_id  bigint NOT NULL REFERENCES criteria (id),
    evidence_id   bigint NOT NULL REFERENCES evidence_files (id),
    reference     text NOT NULL DEFAULT '' CHECK (reference IS NFC NORMALIZED AND char_length(reference) <= 300),
    removed_at    timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (assessment_id, criterion_id, evidence_id)
);

-- Extensions of the self-assessment window for one unit, recorded.
CREATE TABLE assessment_extensions (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    assessment_id bigint NOT NULL REFERENCES assessments (id),
    until         date NOT NULL,
    reason        text NOT NULL CHECK (reason IS NFC NORMALIZED AND char_length(reason) BETWEEN 1 AND 2000),
    actor_id      bigint REFERENCES users (id),
    at            timestamptz NOT NULL DEFAULT now()
);

COMMIT;
