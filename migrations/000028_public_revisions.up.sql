BEGIN;

-- What a campaign's public page shows has a revision, moved by every change
-- to the rows the page is drawn from, however the change is made (the staff
-- pages, an import, a script in psql): the triggers below, once per changed
-- row, as the transaction commits. The portal keeps the page as rendered for
-- anonymous visitors and, on each request, reads the revision with the
-- campaign (one row) to know whether what it holds is still the page as
-- stored. Several instances
-- each keep their own copy; none serves one older than the revision.
--
-- A campaign's public page is drawn from: the campaign; its phases; its
-- award plans with their forms, quotas and rules; its criteria sets and
-- their criteria (a change to criteria moves the set's revision, migration
-- 000026, which is an update of criteria_sets); its attachments; its
-- notices with their shortlists; its published results; the unit it is
-- scoped to. A table added to the page must be added here.
CREATE TABLE public_revisions (
    campaign_id bigint PRIMARY KEY, -- no foreign key: a campaign's rows may be deleted with it
    revision    bigint NOT NULL
);

CREATE FUNCTION public_revisions_bump(ids bigint[]) RETURNS void LANGUAGE sql AS $$
    INSERT INTO public_revisions AS r (campaign_id, revision)
    SELECT DISTINCT id, 1 FROM unnest(ids) AS id WHERE id IS NOT NULL ORDER BY id
    ON CONFLICT (campaign_id) DO UPDATE SET revision = r.revision + 1
$$;

-- The triggers are deferred constraint triggers: they run as the
-- transaction commits, once it holds every other lock it takes. Run at the
-- change, the bump would hold the revision's row from then to the commit,
-- and a transaction that locked the campaign's row first (SELECT … FOR
-- UPDATE, as a phase's save does) and then changed a tracked table could
-- deadlock with one that changed a tracked table first and then needed the
-- campaign's row (a foreign key check, as a notice's insert does).

-- The row changed carries its campaign.
CREATE FUNCTION public_touch_campaign() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM public_revisions_bump(ARRAY[NEW.campaign_id]);
    ELSIF TG_OP = 'UPDATE' THEN
        PERFORM public_revisions_bump(ARRAY[OLD.campaign_id, NEW.campaign_id]);
    ELSE
        PERFORM public_revisions_bump(ARRAY[OLD.campaign_id]);
    END IF;
    RETURN NULL;
END
$$;

-- The campaigns themselves.
CREATE FUNCTION public_touch_self() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM public_revisions_bump(ARRAY[OLD.id]);
    RETURN NULL;
END
$$;

-- Quotas and rules: through their award plan.
CREATE FUNCTION public_touch_plan() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM public_revisions_bump(ARRAY(SELECT p.campaign_id FROM award_plans p WHERE p.id = NEW.plan_id));
    ELSIF TG_OP = 'UPDATE' THEN
        PERFORM public_revisions_bump(ARRAY(SELECT p.campaign_id FROM award_plans p WHERE p.id IN (OLD.plan_id, NEW.plan_id)));
    ELSE
        PERFORM public_revisions_bump(ARRAY(SELECT p.campaign_id FROM award_plans p WHERE p.id = OLD.plan_id));
    END IF;
    RETURN NULL;
END
$$;

-- Award forms: every campaign with a plan of the form.
CREATE FUNCTION public_touch_award_form() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM public_revisions_bump(ARRAY(SELECT p.campaign_id FROM award_plans p WHERE p.award_form_id = OLD.id));
    RETURN NULL;
END
$$;

-- Units: the campaigns scoped to one of them.
CREATE FUNCTION public_touch_unit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM public_revisions_bump(ARRAY(SELECT c.id FROM campaigns c WHERE c.scope_unit_id = OLD.id));
    RETURN NULL;
END
$$;

DO $$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT * FROM (VALUES
        ('phases', 'campaign', true), ('award_plans', 'campaign', true), ('criteria_sets', 'campaign', true),
        ('campaign_attachments', 'campaign', true), ('notices', 'campaign', true), ('shortlists', 'campaign', true),
        ('phase_results', 'campaign', true), ('award_quotas', 'plan', true), ('award_rules', 'plan', true),
        ('campaigns', 'self', false), ('award_forms', 'award_form', false), ('units', 'unit', false)
    ) AS v (tbl, via, inserts) LOOP
        -- A new campaign, award form or unit is on no page held yet.
        EXECUTE format('CREATE CONSTRAINT TRIGGER public_touch AFTER %s ON %I
            DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public_touch_%s()',
            CASE WHEN t.inserts THEN 'INSERT OR UPDATE OR DELETE' ELSE 'UPDATE OR DELETE' END, t.tbl, t.via);
    END LOOP;
END
$$;

COMMIT;
