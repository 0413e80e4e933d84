BEGIN;

-- What staff propose and a leader approves is a fixed table, not the live
-- totals: the rows of a group's ranking as they stood at the proposal (rank,
-- band, the self, appraised and final totals, the unit's name then). The
-- published results are those rows, so a form reopened after the approval
-- cannot change what was published. A new proposal after a return writes new
-- rows; the earlier ones stay with their step.
ALTER TABLE phase_results ADD COLUMN proposal_step_id bigint REFERENCES result_steps (id);

CREATE TABLE result_rows (
    step_id             bigint NOT NULL REFERENCES result_steps (id),
    assessment_id       bigint NOT NULL REFERENCES assessments (id),
    unit_id             bigint NOT NULL REFERENCES units (id),
    unit_name           text NOT NULL CHECK (unit_name IS NFC NORMALIZED AND char_length(unit_name) BETWEEN 1 AND 500),
    rank                integer NOT NULL CHECK (rank >= 1),
    band                text NOT NULL CHECK (band IN ('excellent', 'good', 'fair', 'average', 'weak')),
    self_converted      integer NOT NULL,
    appraised_converted integer NOT NULL,
    final_converted     integer NOT NULL,
    PRIMARY KEY (step_id, assessment_id)
);

COMMIT;
