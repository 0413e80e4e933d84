BEGIN;

-- The unit's reply to its appraisal (giải trình bổ sung) is sent once for
-- the whole form: until then its per-criterion replies are a draft. A form
-- whose reply is sent, or whose reply window has ended, can be answered and
-- locked.
ALTER TABLE assessments
    ADD COLUMN reply_submitted_at timestamptz,
    ADD COLUMN reply_submitted_by bigint REFERENCES users (id);

-- Evidence attached while replying is marked as such, beside the evidence of
-- the self-assessment.
ALTER TABLE score_evidence ADD COLUMN during_reply boolean NOT NULL DEFAULT false;

COMMIT;
