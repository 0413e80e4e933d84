BEGIN;

ALTER TABLE award_plans
    ADD COLUMN collective_quota integer CHECK (collective_quota >= 0),
    ADD COLUMN individual_quota integer CHECK (individual_quota >= 0),
    ADD COLUMN min_band text NOT NULL DEFAULT 'good' CHECK (min_band IN ('excellent', 'good', 'fair', 'average', 'weak')),
    ADD COLUMN no_pending_discipline boolean NOT NULL DEFAULT true,
    ADD COLUMN not_already_awarded boolean NOT NULL DEFAULT true;

-- Back from the rules and quotas, as far as the old columns can say it.
UPDATE award_plans p SET
    collective_quota = (SELECT q.quota FROM award_quotas q WHERE q.plan_id = p.id AND q.phase_id IS NULL AND q.target = 'collective'),
    individual_quota = (SELECT q.quota FROM award_quotas q WHERE q.plan_id = p.id AND q.phase_id IS NULL AND q.target = 'individual'),
    min_band = coalesce((SELECT r.min_band FROM award_rules r WHERE r.plan_id = p.id AND r.kind = 'min_band' ORDER BY r.sort, r.id LIMIT 1), 'good'),
    no_pending_discipline = EXISTS (SELECT 1 FROM award_rules r WHERE r.plan_id = p.id AND r.kind = 'no_pending_flag'),
    not_already_awarded = EXISTS (SELECT 1 FROM award_rules r WHERE r.plan_id = p.id AND r.kind = 'one_award');

COMMIT;
