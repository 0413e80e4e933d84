BEGIN;

-- Receipt numbers: one counter per campaign, locked by each submission, so
-- concurrent submissions of different units get consecutive, distinct numbers.
CREATE TABLE receipt_counters (
    campaign_id bigint PRIMARY KEY REFERENCES campaigns (id),
    last_number integer NOT NULL CHECK (last_number > 0)
);

-- A receipt records what a unit submitted, as it was at that moment: written
-- in the submission's transaction and never changed afterwards (a later
-- criteria amendment changes the form's totals, not its receipts).
CREATE TABLE receipts (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    campaign_id    bigint NOT NULL REFERENCES campaigns (id),
    assessment_id  bigint NOT NULL REFERENCES assessments (id),
    number         integer NOT NULL CHECK (number > 0),
    submitted_at   timestamptz NOT NULL,
    submitted_by   bigint REFERENCES users (id),
    set_version    integer NOT NULL,
    total_points   integer NOT NULL,
    applicable_max integer NOT NULL,
    converted      integer NOT NULL,
    scored         integer NOT NULL,
    leaves         integer NOT NULL,
    band           text NOT NULL CHECK (band IN ('excellent', 'good', 'fair', 'average', 'weak')),
    UNIQUE (campaign_id, number)
);
CREATE INDEX receipts_assessment_idx ON receipts (assessment_id, id);

-- Every node of the form as submitted: a leaf's entry, an area's subtotal.
CREATE TABLE receipt_lines (
    receipt_id     bigint NOT NULL REFERENCES receipts (id),
    criterion_id   bigint NOT NULL REFERENCES criteria (id),
    ord            integer NOT NULL,
    parent_id      bigint,
    code           text NOT NULL,
    title          text NOT NULL,
    max_points     integer NOT NULL,
    leaf           boolean NOT NULL,
    points         integer,
    applicable_max integer NOT NULL DEFAULT 0,
    measured       bigint,
    na             boolean NOT NULL DEFAULT false,
    evidence       integer NOT NULL DEFAULT 0,
    PRIMARY KEY (receipt_id, criterion_id)
);

-- Forms submitted before receipts existed get one from what is stored.
INSERT INTO receipts (campaign_id, assessment_id, number, submitted_at, submitted_by, set_version,
    total_points, applicable_max, converted, scored, leaves, band)
SELECT a.campaign_id, a.id, row_number() OVER (PARTITION BY a.campaign_id ORDER BY a.submitted_at, a.id),
    a.submitted_at, a.submitted_by, s.version, a.total_points, a.applicable_max, a.converted, a.scored,
    (SELECT count(*) FROM criteria c WHERE c.set_id = a.set_id AND NOT EXISTS (SELECT 1 FROM criteria k WHERE k.parent_id = c.id)),
    CASE WHEN a.converted >= cp.band_excellent * 100 THEN 'excellent'
         WHEN a.converted >= cp.band_good * 100 THEN 'good'
         WHEN a.converted >= cp.band_fair * 100 THEN 'fair'
         WHEN a.converted >= cp.band_average * 100 THEN 'average'
         ELSE 'weak' END
FROM assessments a JOIN criteria_sets s ON s.id = a.set_id JOIN campaigns cp ON cp.id = a.campaign_id
WHERE a.status = 'submitted' AND a.submitted_at IS NOT NULL;

INSERT INTO receipt_counters (campaign_id, last_number)
SELECT campaign_id, max(number) FROM receipts GROUP BY campaign_id;

-- Lines in the form's order, as the submit writes them (postgres.TreeOrder:
-- parents first, siblings by seq then code), whatever order the ids have.
WITH RECURSIVE up (leaf, node) AS (
    SELECT id, id FROM criteria
    UNION ALL
    SELECT up.leaf, c.parent_id FROM up JOIN criteria c ON c.id = up.node WHERE c.parent_id IS NOT NULL
), paths (id, path) AS (
    SELECT id, ARRAY[lpad(seq::text, 10, '0') || ' ' || code] FROM criteria WHERE parent_id IS NULL
    UNION ALL
    SELECT c.id, p.path || (lpad(c.seq::text, 10, '0') || ' ' || c.code) FROM criteria c JOIN paths p ON p.id = c.parent_id
), leaves AS (
    SELECT c.id FROM criteria c WHERE NOT EXISTS (SELECT 1 FROM criteria k WHERE k.parent_id = c.id)
)
INSERT INTO receipt_lines (receipt_id, criterion_id, ord, parent_id, code, title, max_points, leaf, points, applicable_max, measured, na, evidence)
SELECT r.id, n.id, row_number() OVER (PARTITION BY r.id ORDER BY pa.path COLLATE "C"), n.parent_id, n.code, n.title, n.max_points,
    n.id IN (SELECT id FROM leaves),
    CASE WHEN n.id IN (SELECT id FROM leaves) THEN (SELECT s.points FROM scores s WHERE s.assessment_id = a.id AND s.criterion_id = n.id AND NOT (s.na AND n.allow_na))
         ELSE (SELECT coalesce(sum(s.points), 0) FROM up JOIN scores s ON s.criterion_id = up.leaf AND s.assessment_id = a.id
               JOIN criteria l ON l.id = up.leaf
               WHERE up.node = n.id AND up.leaf IN (SELECT id FROM leaves) AND NOT (s.na AND l.allow_na)) END,
    (SELECT coalesce(sum(l.max_points), 0) FROM up JOIN criteria l ON l.id = up.leaf
     WHERE up.node = n.id AND up.leaf IN (SELECT id FROM leaves)
       AND NOT (l.allow_na AND EXISTS (SELECT 1 FROM scores s WHERE s.assessment_id = a.id AND s.criterion_id = l.id AND s.na))),
    (SELECT s.measured FROM scores s WHERE s.assessment_id = a.id AND s.criterion_id = n.id),
    coalesce((SELECT s.na AND n.allow_na FROM scores s WHERE s.assessment_id = a.id AND s.criterion_id = n.id), false),
    (SELECT count(*) FROM score_evidence e WHERE e.assessment_id = a.id AND e.criterion_id = n.id AND e.removed_at IS NULL)
FROM receipts r JOIN assessments a ON a.id = r.assessment_id JOIN criteria n ON n.set_id = a.set_id JOIN paths pa ON pa.id = n.id;

COMMIT;
