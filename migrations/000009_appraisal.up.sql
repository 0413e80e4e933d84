BEGIN;

-- Membership per campaign: who is on its appraisal team (tổ thẩm định) and,
-- later, its council (Hội đồng TĐKT). A NULL phase means every phase.
-- Nothing is deleted: a member leaves with removed_at.
CREATE TABLE campaign_members (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    campaign_id bigint NOT NULL REFERENCES campaigns (id),
    phase_id    bigint REFERENCES phases (id),
    user_id     bigint NOT NULL REFERENCES users (id),
    role        text NOT NULL CHECK (role IN ('appraiser', 'council')),
    added_by    bigint REFERENCES users (id),
    added_at    timestamptz NOT NULL DEFAULT now(),
    removed_by  bigint REFERENCES users (id),
    removed_at  timestamptz
);
CREATE UNIQUE INDEX campaign_members_key ON campaign_members (campaign_id, COALESCE(phase_id, 0), user_id, role)
    WHERE removed_at IS NULL;
CREATE INDEX campaign_members_user_idx ON campaign_members (user_id, campaign_id) WHERE removed_at IS NULL;

-- Which appraiser checks which participant's form. Conflicts of interest are
-- refused by the domain before a row is written; a recusal keeps the row with
-- its reason.
CREATE TABLE appraisal_assignments (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    campaign_id    bigint NOT NULL REFERENCES campaigns (id),
    assessment_id  bigint NOT NULL REFERENCES assessments (id),
    appraiser_id   bigint NOT NULL REFERENCES users (id),
    assigned_by    bigint REFERENCES users (id),
    assigned_at    timestamptz NOT NULL DEFAULT now(),
    recused_at     timestamptz,
    recusal_reason text NOT NULL DEFAULT '' CHECK (recusal_reason IS NFC NORMALIZED AND char_length(recusal_reason) <= 2000),
    CHECK (recused_at IS NULL OR char_length(recusal_reason) > 0)
);
CREATE UNIQUE INDEX appraisal_assignments_key ON appraisal_assignments (assessment_id, appraiser_id) WHERE recused_at IS NULL;
CREATE INDEX appraisal_assignments_appraiser_idx ON appraisal_assignments (appraiser_id, campaign_id) WHERE recused_at IS NULL;

-- The form's lifecycle after submission: received (tiếp nhận, appraisal in
-- progress) → appraised (the reply window is open until reply_until) →
-- locked. A reopening is recorded in assessment_history with its reason.
ALTER TABLE assessments DROP CONSTRAINT assessments_status_check;
ALTER TABLE assessments
    ADD CONSTRAINT assessments_status_check
        CHECK (status IN ('draft', 'submitted', 'returned', 'received', 'appraised', 'locked')),
    ADD COLUMN received_at         timestamptz,
    ADD COLUMN received_by         bigint REFERENCES users (id),
    ADD COLUMN appraised_at        timestamptz,
    ADD COLUMN appraised_by        bigint REFERENCES users (id),
    ADD COLUMN reply_until         date,
    ADD COLUMN locked_at           timestamptz,
    ADD COLUMN locked_by           bigint REFERENCES users (id),
    -- Totals kept current in the transaction that changes a score, like the
    -- self-assessment's: the appraised values, and the final ones (after the
    -- replies). Points in hundredths; converted on the 100-point scale.
    ADD COLUMN appraised_points    integer NOT NULL DEFAULT 0,
    ADD COLUMN appraised_max       integer NOT NULL DEFAULT 0,
    ADD COLUMN appraised_converted integer NOT NULL DEFAULT 0,
    ADD COLUMN appraised_scored    integer NOT NULL DEFAULT 0,
    ADD COLUMN final_points        integer NOT NULL DEFAULT 0,
    ADD COLUMN final_max           integer NOT NULL DEFAULT 0,
    ADD COLUMN final_converted     integer NOT NULL DEFAULT 0;
CREATE INDEX assessments_ranking_idx ON assessments (campaign_id, phase_id, set_id, final_converted DESC)
    WHERE status IN ('received', 'appraised', 'locked');

-- Per criterion: the appraised value with its comment and source, the unit's
-- reply, the appraiser's answer to it, and the final value.
ALTER TABLE scores
    ADD COLUMN appraised_points   integer,
    ADD COLUMN appraised_measured bigint,
    ADD COLUMN appraised_na       boolean,
    ADD COLUMN appraisal_comment  text NOT NULL DEFAULT '' CHECK (appraisal_comment IS NFC NORMALIZED AND char_length(appraisal_comment) <= 4000),
    ADD COLUMN appraisal_source   text NOT NULL DEFAULT '' CHECK (appraisal_source IS NFC NORMALIZED AND char_length(appraisal_source) <= 500),
    ADD COLUMN appraised_by       bigint REFERENCES users (id),
    ADD COLUMN appraised_at       timestamptz,
    ADD COLUMN reply              text NOT NULL DEFAULT '' CHECK (reply IS NFC NORMALIZED AND char_length(reply) <= 4000),
    ADD COLUMN reply_by           bigint REFERENCES users (id),
    ADD COLUMN reply_at           timestamptz,
    ADD COLUMN reply_decision     text CHECK (reply_decision IN ('accepted', 'kept')),
    ADD COLUMN reply_reason       text NOT NULL DEFAULT '' CHECK (reply_reason IS NFC NORMALIZED AND char_length(reply_reason) <= 2000),
    ADD COLUMN final_points       integer,
    ADD COLUMN final_measured     bigint,
    ADD COLUMN final_na           boolean;

-- The reply window in working days, per phase.
ALTER TABLE phases ADD COLUMN reply_days integer NOT NULL DEFAULT 5 CHECK (reply_days BETWEEN 1 AND 60);

-- Public holidays skipped by working-day counts (weekends always are).
CREATE TABLE holidays (
    day  date PRIMARY KEY,
    name text NOT NULL CHECK (name IS NFC NORMALIZED AND char_length(name) BETWEEN 1 AND 200)
);

-- A phase's results per participant group (criteria set): proposed by staff,
-- approved (and so published) or returned by a leader who did not propose
-- them. Every step is a row of result_steps.
CREATE TABLE phase_results (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    campaign_id  bigint NOT NULL REFERENCES campaigns (id),
    phase_id     bigint NOT NULL REFERENCES phases (id),
    set_id       bigint NOT NULL REFERENCES criteria_sets (id),
    status       text NOT NULL CHECK (status IN ('proposed', 'returned', 'approved')),
    proposed_by  bigint REFERENCES users (id),
    proposed_at  timestamptz,
    decided_by   bigint REFERENCES users (id),
    decided_at   timestamptz,
    reason       text NOT NULL DEFAULT '' CHECK (reason IS NFC NORMALIZED AND char_length(reason) <= 2000),
    published_at timestamptz,
    version      integer NOT NULL DEFAULT 1,
    UNIQUE (phase_id, set_id),
    CHECK (status <> 'approved' OR decided_by IS DISTINCT FROM proposed_by)
);
CREATE INDEX phase_results_published_idx ON phase_results (campaign_id) WHERE published_at IS NOT NULL;

CREATE TABLE result_steps (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    phase_result_id bigint NOT NULL REFERENCES phase_results (id),
    action          text NOT NULL CHECK (action IN ('proposed', 'returned', 'approved')),
    reason          text NOT NULL DEFAULT '' CHECK (reason IS NFC NORMALIZED AND char_length(reason) <= 2000),
    actor_id        bigint REFERENCES users (id),
    at              timestamptz NOT NULL DEFAULT now()
);

COMMIT;
