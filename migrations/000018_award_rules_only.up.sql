BEGIN;

-- The award plans' rules and quotas live in award_rules and award_quotas
-- (000016 copied them there): the plans' own columns are read by no code
-- any more, so they go, and there is one place to edit a rule.
ALTER TABLE award_plans
    DROP COLUMN collective_quota,
    DROP COLUMN individual_quota,
    DROP COLUMN min_band,
    DROP COLUMN no_pending_discipline,
    DROP COLUMN not_already_awarded;

COMMIT;
