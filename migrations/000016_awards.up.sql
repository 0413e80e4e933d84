BEGIN;

-- Awards, part 1 (issue 11): the schema shared by the eligibility rules, the
-- achievement history, the pending flags, the shortlist, the nominations and
-- the public notice. Later migrations of the same work add to these tables.

-- Eligibility rules of an award plan: data with their legal citation and the
-- days they are in force, never code. One row per rule; the columns a kind
-- needs are checked below. A rule in force on the phase's end date applies.
CREATE TABLE award_rules (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    plan_id              bigint NOT NULL REFERENCES award_plans (id),
    kind                 text NOT NULL CHECK (kind IN ('min_band', 'one_award', 'no_pending_flag', 'not_thematic', 'prerequisite')),
    -- min_band: the lowest band that passes.
    min_band             text CHECK (min_band IN ('excellent', 'good', 'fair', 'average', 'weak')),
    -- prerequisite: the award form held, in that many consecutive years up to
    -- the year before the phase's.
    prerequisite_form_id bigint REFERENCES award_forms (id),
    prerequisite_years   integer CHECK (prerequisite_years BETWEEN 1 AND 10),
    citation             text NOT NULL DEFAULT '' CHECK (citation IS NFC NORMALIZED AND char_length(citation) <= 1000),
    in_force_from        date,
    in_force_to          date,
    sort                 integer NOT NULL DEFAULT 0,
    created_by           bigint REFERENCES users (id),
    created_at           timestamptz NOT NULL DEFAULT now(),
    CHECK (in_force_to IS NULL OR in_force_from IS NULL OR in_force_to >= in_force_from),
    CHECK (kind <> 'min_band' OR min_band IS NOT NULL),
    CHECK (kind <> 'prerequisite' OR (prerequisite_form_id IS NOT NULL AND prerequisite_years IS NOT NULL))
);
CREATE INDEX award_rules_plan_idx ON award_rules (plan_id, sort, id);

-- Quotas of an award plan per phase (NULL: every phase) and per group; a NULL
-- quota is a number the plan leaves open.
CREATE TABLE award_quotas (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    plan_id   bigint NOT NULL REFERENCES award_plans (id),
    phase_id  bigint REFERENCES phases (id),
    target    text NOT NULL CHECK (target IN ('collective', 'individual')),
    quota     integer CHECK (quota BETWEEN 0 AND 100000),
    citation  text NOT NULL DEFAULT '' CHECK (citation IS NFC NORMALIZED AND char_length(citation) <= 1000),
    UNIQUE NULLS NOT DISTINCT (plan_id, phase_id, target)
);

-- The plans' switches and quotas so far become rules and quotas (no citation
-- was recorded with them).
INSERT INTO award_rules (plan_id, kind, min_band, sort)
    SELECT id, 'min_band', min_band, 10 FROM award_plans;
INSERT INTO award_rules (plan_id, kind, sort)
    SELECT id, 'no_pending_flag', 20 FROM award_plans WHERE no_pending_discipline;
INSERT INTO award_rules (plan_id, kind, sort)
    SELECT id, 'one_award', 30 FROM award_plans WHERE not_already_awarded;
INSERT INTO award_quotas (plan_id, target, quota)
    SELECT p.id, 'collective', p.collective_quota FROM award_plans p JOIN award_forms f ON f.id = p.award_form_id
    WHERE f.target IN ('collective', 'both');
INSERT INTO award_quotas (plan_id, target, quota)
    SELECT p.id, 'individual', p.individual_quota FROM award_plans p JOIN award_forms f ON f.id = p.award_form_id
    WHERE f.target IN ('individual', 'both');

-- Pending discipline, inspection or complaint on a unit or a person (Nghị
-- định 152/2025): set by staff with a reason and its dates; it is pending on
-- every day from valid_from to valid_to (open when NULL). Lifting a flag sets
-- valid_to with the reason; a flag is never deleted.
CREATE TABLE pending_flags (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    unit_id      bigint REFERENCES units (id),
    person_id    bigint REFERENCES people (id),
    kind         text NOT NULL CHECK (kind IN ('discipline', 'inspection', 'complaint')),
    reason       text NOT NULL CHECK (reason IS NFC NORMALIZED AND char_length(reason) BETWEEN 1 AND 2000),
    valid_from   date NOT NULL,
    valid_to     date,
    set_by       bigint REFERENCES users (id),
    set_at       timestamptz NOT NULL DEFAULT now(),
    lifted_by    bigint REFERENCES users (id),
    lifted_at    timestamptz,
    lift_reason  text NOT NULL DEFAULT '' CHECK (lift_reason IS NFC NORMALIZED AND char_length(lift_reason) <= 2000),
    CHECK ((unit_id IS NULL) <> (person_id IS NULL)),
    CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX pending_flags_unit_idx ON pending_flags (unit_id) WHERE unit_id IS NOT NULL;
CREATE INDEX pending_flags_person_idx ON pending_flags (person_id) WHERE person_id IS NOT NULL;

-- The achievement history (hồ sơ thành tích): every award or title a unit or
-- person received, with its decision, whether granted through the portal or
-- imported from earlier records. Campaign results are read from the
-- published result rows, not copied here. thematic: it came from a thematic
-- campaign, so it does not ground later merit awards.
CREATE TABLE achievements (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    unit_id         bigint REFERENCES units (id),
    person_id       bigint REFERENCES people (id),
    year            integer NOT NULL CHECK (year BETWEEN 1945 AND 2100),
    award_form_id   bigint REFERENCES award_forms (id),
    title           text NOT NULL CHECK (title IS NFC NORMALIZED AND char_length(title) BETWEEN 1 AND 300),
    decision_number text NOT NULL DEFAULT '' CHECK (decision_number IS NFC NORMALIZED AND char_length(decision_number) <= 60),
    decision_date   date,
    issuer          text NOT NULL DEFAULT '' CHECK (issuer IS NFC NORMALIZED AND char_length(issuer) <= 300),
    campaign_id     bigint REFERENCES campaigns (id),
    thematic        boolean NOT NULL DEFAULT false,
    source          text NOT NULL CHECK (source IN ('portal', 'import', 'manual')),
    import_job_id   bigint REFERENCES import_jobs (id),
    note            text NOT NULL DEFAULT '' CHECK (note IS NFC NORMALIZED AND char_length(note) <= 2000),
    created_by      bigint REFERENCES users (id),
    created_at      timestamptz NOT NULL DEFAULT now(),
    CHECK ((unit_id IS NULL) <> (person_id IS NULL)),
    -- The same award of the same decision is recorded once (imports are
    -- idempotent on it).
    UNIQUE NULLS NOT DISTINCT (unit_id, person_id, year, title, decision_number)
);
CREATE INDEX achievements_unit_idx ON achievements (unit_id, year) WHERE unit_id IS NOT NULL;
CREATE INDEX achievements_person_idx ON achievements (person_id, year) WHERE person_id IS NOT NULL;

-- Individuals nominated by their unit for an award plan in a phase, with the
-- achievement report (báo cáo thành tích) typed in, an optional signed scan
-- and the unit's vote (biên bản bình xét), both in the evidence store.
CREATE TABLE nominations (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    campaign_id     bigint NOT NULL REFERENCES campaigns (id),
    phase_id        bigint NOT NULL REFERENCES phases (id),
    plan_id         bigint NOT NULL REFERENCES award_plans (id),
    unit_id         bigint NOT NULL REFERENCES units (id),
    person_id       bigint NOT NULL REFERENCES people (id),
    status          text NOT NULL DEFAULT 'draft'
        CHECK (status IN ('draft', 'submitted', 'received', 'returned', 'shortlisted', 'not_shortlisted')),
    position        text NOT NULL DEFAULT '' CHECK (position IS NFC NORMALIZED AND char_length(position) <= 300),
    tasks           text NOT NULL DEFAULT '' CHECK (tasks IS NFC NORMALIZED AND char_length(tasks) <= 20000),
    achievements    text NOT NULL DEFAULT '' CHECK (achievements IS NFC NORMALIZED AND char_length(achievements) <= 20000),
    initiatives     text NOT NULL DEFAULT '' CHECK (initiatives IS NFC NORMALIZED AND char_length(initiatives) <= 20000),
    prior_awards    text NOT NULL DEFAULT '' CHECK (prior_awards IS NFC NORMALIZED AND char_length(prior_awards) <= 20000),
    report_file_id  bigint REFERENCES evidence_files (id),
    vote_file_id    bigint REFERENCES evidence_files (id),
    -- Why staff returned it, or why it was not shortlisted.
    reason          text NOT NULL DEFAULT '' CHECK (reason IS NFC NORMALIZED AND char_length(reason) <= 2000),
    version         integer NOT NULL DEFAULT 1,
    created_by      bigint REFERENCES users (id),
    created_at      timestamptz NOT NULL DEFAULT now(),
    submitted_by    bigint REFERENCES users (id),
    submitted_at    timestamptz,
    received_by     bigint REFERENCES users (id),
    received_at     timestamptz,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (phase_id, plan_id, person_id)
);
CREATE INDEX nominations_unit_idx ON nominations (unit_id, campaign_id);

-- Every step of a nomination: who, when, from which state to which, why.
CREATE TABLE nomination_steps (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    nomination_id bigint NOT NULL REFERENCES nominations (id),
    from_status   text NOT NULL DEFAULT '',
    to_status     text NOT NULL,
    reason        text NOT NULL DEFAULT '' CHECK (reason IS NFC NORMALIZED AND char_length(reason) <= 2000),
    actor_id      bigint REFERENCES users (id),
    at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX nomination_steps_nomination_idx ON nomination_steps (nomination_id, id);

-- The shortlist of one award plan in one phase: proposed from the approved
-- results (collectives) and the received nominations (individuals) under the
-- rules and quotas, then edited by staff with reasons, posted publicly, and
-- sent on to the council.
CREATE TABLE shortlists (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    campaign_id bigint NOT NULL REFERENCES campaigns (id),
    phase_id    bigint NOT NULL REFERENCES phases (id),
    plan_id     bigint NOT NULL REFERENCES award_plans (id),
    status      text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'noticed', 'council')),
    version     integer NOT NULL DEFAULT 1,
    created_by  bigint REFERENCES users (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (phase_id, plan_id)
);

-- A candidate of a shortlist: a collective (its unit and form) or an
-- individual (the person, their unit and nomination). status: proposed (in
-- the list), tie (at the quota boundary, waiting for staff's decision),
-- excluded (fails a rule or beyond the quota), added or removed by staff
-- with reason. outcomes are the rules' answers at the last evaluation
-- ([{"kind", "pass", "key", "args"}]); override_reason is given when staff
-- keep a candidate who fails a rule, shown to everyone who reads the list.
CREATE TABLE shortlist_entries (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    shortlist_id    bigint NOT NULL REFERENCES shortlists (id),
    target          text NOT NULL CHECK (target IN ('collective', 'individual')),
    unit_id         bigint NOT NULL REFERENCES units (id),
    person_id       bigint REFERENCES people (id),
    assessment_id   bigint REFERENCES assessments (id),
    nomination_id   bigint REFERENCES nominations (id),
    rank            integer,
    final_converted integer,
    band            text CHECK (band IN ('excellent', 'good', 'fair', 'average', 'weak')),
    status          text NOT NULL CHECK (status IN ('proposed', 'tie', 'excluded', 'added', 'removed')),
    outcomes        jsonb NOT NULL DEFAULT '[]',
    reason          text NOT NULL DEFAULT '' CHECK (reason IS NFC NORMALIZED AND char_length(reason) <= 2000),
    override_reason text NOT NULL DEFAULT '' CHECK (override_reason IS NFC NORMALIZED AND char_length(override_reason) <= 2000),
    grounds         text NOT NULL DEFAULT '' CHECK (grounds IS NFC NORMALIZED AND char_length(grounds) <= 2000),
    sent_to_council_at timestamptz,
    version         integer NOT NULL DEFAULT 1,
    CHECK ((target = 'individual') = (person_id IS NOT NULL)),
    UNIQUE NULLS NOT DISTINCT (shortlist_id, unit_id, person_id)
);
CREATE INDEX shortlist_entries_list_idx ON shortlist_entries (shortlist_id, status);

-- Every change of a shortlist or of one of its entries, with its reason.
CREATE TABLE shortlist_steps (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    shortlist_id bigint NOT NULL REFERENCES shortlists (id),
    entry_id     bigint REFERENCES shortlist_entries (id),
    action       text NOT NULL CHECK (char_length(action) BETWEEN 1 AND 40),
    reason       text NOT NULL DEFAULT '' CHECK (reason IS NFC NORMALIZED AND char_length(reason) <= 2000),
    actor_id     bigint REFERENCES users (id),
    at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX shortlist_steps_list_idx ON shortlist_steps (shortlist_id, id);

-- Public notice (công khai): a shortlist posted for a number of working days
-- set on the campaign (weekends and holidays skipped), with an objection
-- channel open to anyone.
ALTER TABLE campaigns ADD COLUMN notice_days integer NOT NULL DEFAULT 5 CHECK (notice_days BETWEEN 1 AND 60);

CREATE TABLE notices (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    campaign_id  bigint NOT NULL REFERENCES campaigns (id),
    shortlist_id bigint NOT NULL UNIQUE REFERENCES shortlists (id),
    starts_on    date NOT NULL,
    ends_on      date NOT NULL,
    working_days integer NOT NULL CHECK (working_days BETWEEN 1 AND 60),
    published_by bigint REFERENCES users (id),
    published_at timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_on >= starts_on)
);

-- An objection to a nominee, from anyone, never lost: each gets a receipt
-- number. client_key is a keyed hash of the sender's address, kept for the
-- rate limit only. Staff answer each one with an outcome.
CREATE SEQUENCE objection_receipts;
CREATE TABLE objections (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    notice_id   bigint NOT NULL REFERENCES notices (id),
    entry_id    bigint NOT NULL REFERENCES shortlist_entries (id),
    receipt     text NOT NULL UNIQUE CHECK (char_length(receipt) BETWEEN 1 AND 40),
    name        text NOT NULL CHECK (name IS NFC NORMALIZED AND char_length(name) BETWEEN 1 AND 200),
    contact     text NOT NULL CHECK (contact IS NFC NORMALIZED AND char_length(contact) BETWEEN 1 AND 200),
    body        text NOT NULL CHECK (body IS NFC NORMALIZED AND char_length(body) BETWEEN 1 AND 4000),
    client_key  text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now(),
    outcome     text CHECK (outcome IN ('upheld', 'dismissed')),
    answer      text NOT NULL DEFAULT '' CHECK (answer IS NFC NORMALIZED AND char_length(answer) <= 4000),
    answered_by bigint REFERENCES users (id),
    answered_at timestamptz,
    CHECK ((outcome IS NULL) = (answered_at IS NULL))
);
CREATE INDEX objections_notice_idx ON objections (notice_id, created_at);
CREATE INDEX objections_entry_idx ON objections (entry_id) WHERE outcome IS NULL;

COMMIT;
