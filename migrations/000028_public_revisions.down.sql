BEGIN;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['phases', 'award_plans', 'criteria_sets', 'campaign_attachments', 'notices', 'shortlists',
        'phase_results', 'award_quotas', 'award_rules', 'campaigns', 'award_forms', 'units'] LOOP
        EXECUTE format('DROP TRIGGER public_touch ON %I', t);
    END LOOP;
END
$$;
DROP FUNCTION public_touch_campaign(), public_touch_self(), public_touch_plan(), public_touch_award_form(), public_touch_unit();
DROP FUNCTION public_revisions_bump(bigint[]);
DROP TABLE public_revisions;

COMMIT;
