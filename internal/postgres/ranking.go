package postgres

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"thidua/internal/domain"
)

// RankingRow is one participant (a unit's form) of a campaign's phase and
// criteria set, with the totals stored on its form: converted to the
// 100-point scale, in hundredths.
type RankingRow struct {
	AssessmentID int64
	UnitID       int64
	UnitCode     string
	UnitName     string
	Status       domain.AssessmentStatus
	Self         domain.Points // the unit's own converted total
	Appraised    domain.Points // the appraisal team's
	Final        domain.Points // after the replies: what the rank is on
	FinalPoints  domain.Points
	FinalMax     domain.Points
	// Areas are the final points per area, in the order of the set's
	// areas; nil where every leaf of the area is not applicable. Only for
	// ranked forms.
	Areas []*domain.Points
	// Rank and Tied are the form's place (ranked forms only).
	Rank int
	Tied bool
}

// rankedStatuses are the statuses domain.AssessmentStatus.Ranked accepts,
// as SQL (the ranking index's predicate covers them).
const rankedStatuses = `('appraised', 'locked')`

// RankingAreas returns a set's criteria in tree order with its areas and,
// for each leaf, the index of its area: the shape the ranking's per-area
// subtotals take.
func (db *DB) RankingAreas(ctx context.Context, setID int64) (nodes, areas []domain.Criterion, leafArea map[int64]int, err error) {
	defer wrap(&err, "RankingAreas")
	nodes, err = loadCriteria(ctx, db.Pool, setID)
	if err != nil {
		return nil, nil, nil, err
	}
	areas, leafArea = domain.Areas(nodes)
	return nodes, areas, leafArea, nil
}

// AreaTotals are the final points per area of the ranked forms of one
// campaign, phase and criteria set.
type AreaTotals struct {
	key    areaKey
	leaves []int64 // leaf criteria and, in idx, the index of their area
	idx    []int32
	areas  int
	offset map[int64]int // form → its first value in values
	values []int64       // areas per form; naArea where no leaf applies
	sums   []int64       // per form: the sum of its areas, checked against its stored final points
}

const naArea = -1 << 62

// of returns the areas of a form and whether they add up to its stored
// final points (they do unless a score changed since they were read).
func (t *AreaTotals) of(form int64, finalPoints domain.Points) ([]*domain.Points, bool) {
	i, ok := t.offset[form]
	if !ok || t.sums[i/max(t.areas, 1)] != int64(finalPoints) {
		return nil, false
	}
	out, vals := make([]*domain.Points, t.areas), make([]domain.Points, t.areas)
	for k := range t.areas {
		if v := t.values[i+k]; v != naArea {
			vals[k] = domain.Points(v)
			out[k] = &vals[k]
		}
	}
	return out, true
}

// areaCache keeps the area totals of recent rankings. Reading them costs
// every score of the ranking (40 per form), the rest of the ranking only
// its forms: they are kept while the forms' rows are unchanged. Every
// score change rewrites its form's totals in the same transaction (a new
// row version, so a new xmin), which the fingerprint of the ranked forms
// (their ids and row versions) sees; each form's areas are also checked
// against its stored final points as they are used.
type areaCache struct {
	mu      sync.Mutex
	entries map[areaKey]*areaEntry
}

// areaKey names a ranking of one database (tests run many at once).
type areaKey struct {
	db                         *DB
	campaignID, phaseID, setID int64
}

type areaEntry struct {
	fingerprint [3]int64
	leaves      string // the leaf → area map it was read with
	totals      *AreaTotals
}

var rankingAreaCache = areaCache{entries: map[areaKey]*areaEntry{}}

// maxAreaEntries bounds the cache: a handful of rankings are read at once.
const maxAreaEntries = 32

// RankingAreaTotals returns the final points per area of every ranked
// form of a campaign's phase and criteria set, reading the scores of this
// campaign only (their key starts with the campaign) when the forms
// changed since they were last read.
func (db *DB) RankingAreaTotals(ctx context.Context, campaignID, phaseID, setID int64, areaCount int, leafArea map[int64]int) (_ *AreaTotals, err error) {
	defer wrap(&err, "RankingAreaTotals")
	var fp [3]int64
	if err := db.Pool.QueryRow(ctx, `SELECT count(*), coalesce(sum(a.xmin::text::bigint), 0), coalesce(bit_xor((a.id << 32) # a.xmin::text::bigint), 0)
		FROM assessments a WHERE a.campaign_id = $1 AND a.phase_id = $2 AND a.set_id = $3 AND a.status IN `+rankedStatuses,
		campaignID, phaseID, setID).Scan(&fp[0], &fp[1], &fp[2]); err != nil {
		return nil, err
	}
	leaves := make([]int64, 0, len(leafArea))
	for id := range leafArea {
		leaves = append(leaves, id)
	}
	slices.Sort(leaves)
	idx := make([]int32, len(leaves))
	var sig strings.Builder
	for i, id := range leaves {
		idx[i] = int32(leafArea[id])
		fmt.Fprintf(&sig, "%d:%d,", id, idx[i])
	}
	key := areaKey{db, campaignID, phaseID, setID}
	c := &rankingAreaCache
	c.mu.Lock()
	e := c.entries[key]
	c.mu.Unlock()
	if e != nil && e.fingerprint == fp && e.leaves == sig.String() {
		return e.totals, nil
	}
	rows, err := db.Pool.Query(ctx, `
		SELECT s.assessment_id, m.area, sum(s.final_points) FILTER (WHERE NOT coalesce(s.final_na, false))
		FROM scores s JOIN unnest($4::bigint[], $5::int[]) m (criterion_id, area) ON m.criterion_id = s.criterion_id
		WHERE s.campaign_id = $1 AND s.assessment_id IN (
			SELECT a.id FROM assessments a WHERE a.campaign_id = $1 AND a.phase_id = $2 AND a.set_id = $3 AND a.status IN `+rankedStatuses+`)
		GROUP BY s.assessment_id, m.area`, campaignID, phaseID, setID, leaves, idx)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	t := &AreaTotals{key: key, leaves: leaves, idx: idx, areas: areaCount, offset: map[int64]int{}}
	var form int64
	var area int32
	var points *int64
	for rows.Next() {
		if err := rows.Scan(&form, &area, &points); err != nil {
			return nil, err
		}
		i, ok := t.offset[form]
		if !ok {
			i = len(t.values)
			t.offset[form] = i
			for range areaCount {
				t.values = append(t.values, naArea)
			}
			t.sums = append(t.sums, 0)
		}
		if points != nil && int(area) < areaCount {
			t.values[i+int(area)] = *points
			t.sums[i/max(areaCount, 1)] += *points
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	c.mu.Lock()
	if len(c.entries) >= maxAreaEntries {
		for k := range c.entries { // any one: the cache only saves reading
			delete(c.entries, k)
			break
		}
	}
	c.entries[key] = &areaEntry{fingerprint: fp, leaves: sig.String(), totals: t}
	c.mu.Unlock()
	return t, nil
}

// StreamRanking calls fn for every ranked form of a campaign's phase and
// criteria set, best final total first (ties by unit name in Vietnamese
// order, for reading only), with its rank and its per-area subtotals from
// areas (RankingAreaTotals). It reads the totals stored on the forms, so
// its cost is the size of the ranking, whatever else the tables hold; rows
// are not held in memory but for one of look-ahead, which tells whether a
// total is tied with the next. A form whose areas do not add up to its
// stored final points (a score changed since they were read) has its own
// read again.
func (db *DB) StreamRanking(ctx context.Context, campaignID, phaseID, setID int64, areas *AreaTotals, fn func(r *RankingRow) error) (err error) {
	defer wrap(&err, "StreamRanking")
	rows, err := db.Pool.Query(ctx, `
		SELECT a.id, a.unit_id, coalesce(u.code, ''), u.name, a.status, a.converted, a.appraised_converted, a.final_converted,
			a.final_points, a.final_max
		FROM assessments a JOIN units u ON u.id = a.unit_id
		WHERE a.campaign_id = $1 AND a.phase_id = $2 AND a.set_id = $3 AND a.status IN `+rankedStatuses+`
		ORDER BY a.final_converted DESC, u.name COLLATE "vi-x-icu", a.id`, campaignID, phaseID, setID)
	if err != nil {
		return err
	}
	defer rows.Close()
	var ranker domain.Ranker
	var cur, next RankingRow
	have := false
	for rows.Next() {
		if err := rows.Scan(&next.AssessmentID, &next.UnitID, &next.UnitCode, &next.UnitName, &next.Status, &next.Self, &next.Appraised,
			&next.Final, &next.FinalPoints, &next.FinalMax); err != nil {
			return err
		}
		var ok bool
		if next.Areas, ok = areas.of(next.AssessmentID, next.FinalPoints); !ok {
			// A score changed since the areas were read: read this form's
			// own, and the whole ranking's again next time.
			rankingAreaCache.forget(areas.key)
			if next.Areas, err = db.formAreas(ctx, campaignID, next.AssessmentID, areas); err != nil {
				return err
			}
		}
		next.Rank = ranker.Next(next.Final)
		next.Tied = false
		if have {
			if cur.Final == next.Final {
				cur.Tied, next.Tied = true, true
			}
			if err := fn(&cur); err != nil {
				return err
			}
		}
		cur, have = next, true
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if have {
		return fn(&cur)
	}
	return nil
}

// Ranking is StreamRanking with the area totals read first.
func (db *DB) Ranking(ctx context.Context, campaignID, phaseID, setID int64, areaCount int, leafArea map[int64]int, fn func(r *RankingRow) error) error {
	areas, err := db.RankingAreaTotals(ctx, campaignID, phaseID, setID, areaCount, leafArea)
	if err != nil {
		return err
	}
	return db.StreamRanking(ctx, campaignID, phaseID, setID, areas, fn)
}

func (c *areaCache) forget(key areaKey) {
	c.mu.Lock()
	delete(c.entries, key)
	c.mu.Unlock()
}

// formAreas reads one form's final points per area.
func (db *DB) formAreas(ctx context.Context, campaignID, form int64, t *AreaTotals) ([]*domain.Points, error) {
	rows, err := db.Pool.Query(ctx, `
		SELECT m.area, sum(s.final_points) FILTER (WHERE NOT coalesce(s.final_na, false))
		FROM scores s JOIN unnest($3::bigint[], $4::int[]) m (criterion_id, area) ON m.criterion_id = s.criterion_id
		WHERE s.campaign_id = $1 AND s.assessment_id = $2 GROUP BY m.area`, campaignID, form, t.leaves, t.idx)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make([]*domain.Points, t.areas)
	for rows.Next() {
		var area int32
		var points *int64
		if err := rows.Scan(&area, &points); err != nil {
			return nil, err
		}
		if int(area) < t.areas {
			out[area] = pointsOf(points)
		}
	}
	return out, rows.Err()
}

// RankingPending returns the forms of a campaign's phase and criteria set
// that are not ranked yet (not appraised: draft, submitted, returned, or
// received with the appraisal in progress), by unit name.
func (db *DB) RankingPending(ctx context.Context, campaignID, phaseID, setID int64) (_ []RankingRow, err error) {
	defer wrap(&err, "RankingPending")
	rows, err := db.Pool.Query(ctx, `
		SELECT a.id, a.unit_id, coalesce(u.code, ''), u.name, a.status, a.converted
		FROM assessments a JOIN units u ON u.id = a.unit_id
		WHERE a.campaign_id = $1 AND a.phase_id = $2 AND a.set_id = $3 AND a.status NOT IN `+rankedStatuses+`
		ORDER BY u.name COLLATE "vi-x-icu", a.id`, campaignID, phaseID, setID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (RankingRow, error) {
		var r RankingRow
		err := row.Scan(&r.AssessmentID, &r.UnitID, &r.UnitCode, &r.UnitName, &r.Status, &r.Self)
		return r, err
	})
}

// RankingDetailRow is one leaf criterion of one ranked form, for the
// export's detail sheet.
type RankingDetailRow struct {
	AssessmentID int64
	Rank         int
	UnitCode     string
	UnitName     string
	Criterion    domain.Criterion
	Values       ScoreValues
}

// ScoreValues are one criterion's three values with the appraisal's comment
// and the reply, as stored.
type ScoreValues struct {
	CriterionID      int64
	Self             domain.Entry
	Appraised        domain.Entry
	Final            domain.Entry
	AppraisalComment string
	AppraisalSource  string
	Reply            string
	ReplyDecision    string // "", "accepted" or "kept"
	ReplyReason      string
}

// scoreValueColumns are read by scoreValuesScanner, scores aliased s.
const scoreValueColumns = `s.points, s.measured, s.na, s.explanation,
	s.appraised_points, s.appraised_measured, s.appraised_na, s.final_points, s.final_measured, s.final_na,
	s.appraisal_comment, s.appraisal_source, s.reply, coalesce(s.reply_decision, ''), s.reply_reason`

// scoreValuesScanner scans scoreValueColumns into v; finish fills what the
// columns leave NULL.
type scoreValuesScanner struct {
	v                    *ScoreValues
	selfPts, apPts, fPts *int64
	apNA, fNA            *bool
}

func (s *scoreValuesScanner) dest() []any {
	v := s.v
	return []any{&s.selfPts, &v.Self.Measured, &v.Self.NA, &v.Self.Explanation, &s.apPts, &v.Appraised.Measured, &s.apNA,
		&s.fPts, &v.Final.Measured, &s.fNA, &v.AppraisalComment, &v.AppraisalSource, &v.Reply, &v.ReplyDecision, &v.ReplyReason}
}

func pointsOf(p *int64) *domain.Points {
	if p == nil {
		return nil
	}
	v := domain.Points(*p)
	return &v
}

func (s *scoreValuesScanner) finish() {
	v := s.v
	v.Self.Points, v.Appraised.Points, v.Final.Points = pointsOf(s.selfPts), pointsOf(s.apPts), pointsOf(s.fPts)
	v.Appraised.NA = s.apNA != nil && *s.apNA
	v.Final.NA = s.fNA != nil && *s.fNA
	if v.Self.NA {
		v.Self.Points = nil
	}
	if v.Appraised.NA {
		v.Appraised.Points = nil
	}
	if v.Final.NA {
		v.Final.Points = nil
	}
}

// StreamRankingDetail calls fn for every leaf criterion of every ranked
// form of a campaign's phase and criteria set, in the ranking's order and,
// within a form, in the order of the tree (leaves as RankingAreas returns
// them in nodes), with the three values, the comment and the reply.
func (db *DB) StreamRankingDetail(ctx context.Context, campaignID, phaseID, setID int64, nodes []domain.Criterion, fn func(r *RankingDetailRow) error) (err error) {
	defer wrap(&err, "StreamRankingDetail")
	leaves := domain.Leaves(nodes)
	ids := make([]int64, len(leaves))
	for i, l := range leaves {
		ids[i] = l.ID
	}
	rows, err := db.Pool.Query(ctx, `
		SELECT a.id, a.final_converted, coalesce(u.code, ''), u.name, m.ord, `+scoreValueColumns+`
		FROM assessments a JOIN units u ON u.id = a.unit_id
		CROSS JOIN unnest($4::bigint[]) WITH ORDINALITY m (criterion_id, ord)
		LEFT JOIN scores s ON s.campaign_id = a.campaign_id AND s.assessment_id = a.id AND s.criterion_id = m.criterion_id
		WHERE a.campaign_id = $1 AND a.phase_id = $2 AND a.set_id = $3 AND a.status IN `+rankedStatuses+`
		ORDER BY a.final_converted DESC, u.name COLLATE "vi-x-icu", a.id, m.ord`, campaignID, phaseID, setID, ids)
	if err != nil {
		return err
	}
	defer rows.Close()
	var ranker domain.Ranker
	var r RankingDetailRow
	var last int64
	var final domain.Points
	var ord int64
	// Columns of a leaf with no score row read as NULL: scan them
	// through nullable holders.
	var selfNA *bool
	var expl, comment, source, reply, reason *string
	sc := scoreValuesScanner{v: &r.Values}
	for rows.Next() {
		r.Values = ScoreValues{}
		dest := sc.dest()
		dest[2], dest[3], dest[10], dest[11], dest[12], dest[14] = &selfNA, &expl, &comment, &source, &reply, &reason
		if err := rows.Scan(append([]any{&r.AssessmentID, &final, &r.UnitCode, &r.UnitName, &ord}, dest...)...); err != nil {
			return err
		}
		sc.v.Self.NA = selfNA != nil && *selfNA
		for _, p := range []struct {
			to   *string
			from *string
		}{{&r.Values.Self.Explanation, expl}, {&r.Values.AppraisalComment, comment}, {&r.Values.AppraisalSource, source},
			{&r.Values.Reply, reply}, {&r.Values.ReplyReason, reason}} {
			*p.to = ""
			if p.from != nil {
				*p.to = *p.from
			}
		}
		sc.finish()
		if r.AssessmentID != last {
			r.Rank = ranker.Next(final)
			last = r.AssessmentID
		}
		r.Criterion = leaves[ord-1]
		r.Values.CriterionID = r.Criterion.ID
		if err := fn(&r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// RankedForm is a form as "why this total" shows it: its totals and every
// criterion's values.
type RankedForm struct {
	AssessmentID       int64
	CampaignID         int64
	PhaseID, SetID     int64
	UnitID             int64
	UnitCode, UnitName string
	PhaseName, SetName string
	Status             domain.AssessmentStatus
	Self               domain.Points
	SelfPoints         domain.Points
	SelfMax            domain.Points
	Appraised          domain.Points
	AppraisedPoints    domain.Points
	AppraisedMax       domain.Points
	Final              domain.Points
	FinalPoints        domain.Points
	FinalMax           domain.Points
	AppraisedAt        *time.Time
	LockedAt           *time.Time
	Values             map[int64]ScoreValues
}

// RankedFormByID returns one form of a campaign with its stored totals and
// every criterion's values; a form of another campaign is not found.
func (db *DB) RankedFormByID(ctx context.Context, campaignID, assessmentID int64) (_ *RankedForm, err error) {
	defer wrap(&err, "RankedFormByID")
	f := RankedForm{Values: map[int64]ScoreValues{}}
	err = db.Pool.QueryRow(ctx, `
		SELECT a.id, a.campaign_id, a.phase_id, a.set_id, a.unit_id, coalesce(u.code, ''), u.name, p.name, cs.name, a.status,
			a.converted, a.total_points, a.applicable_max, a.appraised_converted, a.appraised_points, a.appraised_max,
			a.final_converted, a.final_points, a.final_max, a.appraised_at, a.locked_at
		FROM assessments a JOIN units u ON u.id = a.unit_id JOIN phases p ON p.id = a.phase_id JOIN criteria_sets cs ON cs.id = a.set_id
		WHERE a.id = $2 AND a.campaign_id = $1`, campaignID, assessmentID).Scan(&f.AssessmentID, &f.CampaignID, &f.PhaseID, &f.SetID, &f.UnitID,
		&f.UnitCode, &f.UnitName, &f.PhaseName, &f.SetName, &f.Status, &f.Self, &f.SelfPoints, &f.SelfMax, &f.Appraised, &f.AppraisedPoints,
		&f.AppraisedMax, &f.Final, &f.FinalPoints, &f.FinalMax, &f.AppraisedAt, &f.LockedAt)
	if err != nil {
		return nil, notFound(err, "assessment.not_found")
	}
	rows, err := db.Pool.Query(ctx, `SELECT s.criterion_id, `+scoreValueColumns+` FROM scores s WHERE s.campaign_id = $1 AND s.assessment_id = $2`,
		campaignID, assessmentID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var v ScoreValues
		sc := scoreValuesScanner{v: &v}
		if err := rows.Scan(append([]any{&v.CriterionID}, sc.dest()...)...); err != nil {
			return nil, fmt.Errorf("scores: %w", err)
		}
		sc.finish()
		f.Values[v.CriterionID] = v
	}
	return &f, rows.Err()
}

// RankOf returns the place of a ranked form among its phase and set: one
// more than the forms with a higher final total, and whether another form
// has the same total.
func (db *DB) RankOf(ctx context.Context, f *RankedForm) (rank int, tied bool, err error) {
	defer wrap(&err, "RankOf")
	err = db.Pool.QueryRow(ctx, `
		SELECT 1 + count(*) FILTER (WHERE final_converted > $4), count(*) FILTER (WHERE final_converted = $4 AND id <> $5) > 0
		FROM assessments WHERE campaign_id = $1 AND phase_id = $2 AND set_id = $3 AND status IN `+rankedStatuses,
		f.CampaignID, f.PhaseID, f.SetID, f.Final, f.AssessmentID).Scan(&rank, &tied)
	return rank, tied, err
}
