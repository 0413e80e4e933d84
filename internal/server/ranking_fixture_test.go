package server

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"thidua/internal/domain"
	"thidua/internal/postgres"
)

// rankedUnit is one participant of a ranking fixture with the values the
// test chose for it, leaf by leaf.
type rankedUnit struct {
	unitID, form int64
	name, code   string
	status       domain.AssessmentStatus
	self         map[int64]domain.Entry
	appraised    map[int64]domain.Entry
	final        map[int64]domain.Entry
}

// rankingFixture is a campaign of department units whose forms were filled
// and submitted through the store (SaveScores, SubmitAssessment), then
// appraised by appraiseForTest.
type rankingFixture struct {
	a      *app
	wk     work
	nodes  []domain.Criterion
	leaves []domain.Criterion
	bands  domain.Bands
	units  []*rankedUnit
}

// randomEntry is a valid value for a leaf, near quality × max: a point
// value on the step, yes or no, or a measured value for tiers and targets.
func randomEntry(rng *rand.Rand, c *domain.Criterion, quality float64) domain.Entry {
	e := domain.Entry{Explanation: "Đơn vị giải trình theo báo cáo năm."}
	q := quality + (rng.Float64()-0.5)*0.4
	q = min(max(q, 0), 1)
	switch c.Method {
	case domain.MethodYesNo:
		p := domain.Points(0)
		if rng.Float64() < q+0.2 {
			p = c.Max
		}
		e.Points = &p
	case domain.MethodTiers:
		m := int64(q * 10000)
		e.Measured = &m
	case domain.MethodTargetShare:
		m := int64(q * float64(c.Target))
		e.Measured = &m
	default:
		step := c.Step
		if step <= 0 {
			step = 1
		}
		p := domain.Points(q*float64(c.Max)) / step * step
		e.Points = &p
	}
	return e
}

// withPoints is e with its points computed as the store computes them.
func withPoints(t *testing.T, c *domain.Criterion, e domain.Entry) domain.Entry {
	t.Helper()
	p, err := domain.EntryPoints(c, e)
	if err != nil {
		t.Fatalf("%s: %v", c.Code, err)
	}
	e.Points = p
	return e
}

// newRankingFixture builds n department units with random self scores
// (some criteria not applicable) and random appraisals; copies makes that
// many units score exactly as another, so ties are certain. Of the forms,
// pending stay not appraised (submitted, or received with the appraisal
// in progress).
func newRankingFixture(t *testing.T, a *app, n, copies, pending int, seed uint64) *rankingFixture {
	t.Helper()
	ctx := context.Background()
	wk := newWorkWith(t, a, func(nodes []domain.Criterion) {
		for i := range nodes {
			if nodes[i].Code == "1.5" || nodes[i].Code == "4.2" || nodes[i].Code == "2.1" {
				nodes[i].AllowNA = true
			}
		}
	})
	nodes, err := a.db.Criteria(ctx, wk.set)
	if err != nil {
		t.Fatal(err)
	}
	c, err := a.db.CampaignByID(ctx, wk.campaign)
	if err != nil {
		t.Fatal(err)
	}
	fx := &rankingFixture{a: a, wk: wk, nodes: nodes, leaves: domain.Leaves(nodes), bands: c.Bands}
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	var ids []int64
	for i := range n {
		u := &rankedUnit{name: fmt.Sprintf("Sở thử nghiệm %03d", (i*7919)%n), code: fmt.Sprintf("XH%d-%03d", seed, i)}
		u.unitID, err = a.db.CreateUnit(ctx, domain.UnitInput{Name: u.name, Code: u.code, Kind: domain.KindDepartment, ValidFrom: domain.Day(2020, 1, 1)})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, u.unitID)
		fx.units = append(fx.units, u)
	}
	if _, err := a.db.RegisterAll(ctx, wk.campaign, ids); err != nil {
		t.Fatal(err)
	}
	for i, u := range fx.units {
		quality := 0.35 + 0.65*rng.Float64()
		u.self, u.appraised, u.final = map[int64]domain.Entry{}, map[int64]domain.Entry{}, map[int64]domain.Entry{}
		if i >= n-copies { // the same values as an earlier unit: a certain tie
			src := fx.units[rng.IntN(n-copies)]
			u.self, u.appraised, u.final = src.self, src.appraised, src.final
			continue
		}
		for j := range fx.leaves {
			l := &fx.leaves[j]
			if l.AllowNA && rng.IntN(4) == 0 {
				na := domain.Entry{NA: true, Explanation: "Không phát sinh nhiệm vụ trong năm."}
				u.self[l.ID], u.appraised[l.ID], u.final[l.ID] = na, na, na
				continue
			}
			self := withPoints(t, l, randomEntry(rng, l, quality))
			u.self[l.ID] = self
			appraised := self
			if rng.IntN(3) == 0 { // the appraisal team adjusts
				appraised = withPoints(t, l, randomEntry(rng, l, quality-0.15))
			}
			u.appraised[l.ID] = appraised
			u.final[l.ID] = appraised
			if rng.IntN(4) == 0 { // the reply was accepted: back to the unit's value
				u.final[l.ID] = self
			}
		}
	}
	for i, u := range fx.units {
		switch {
		case i < pending/2:
			u.status = domain.AssessSubmitted
		case i < pending:
			u.status = domain.AssessReceived
		case i%3 == 0:
			u.status = domain.AssessLocked
		default:
			u.status = domain.AssessAppraised
		}
	}
	// Fill and submit through the store, four at a time.
	var wg sync.WaitGroup
	errs := make(chan error, len(fx.units))
	work := make(chan *rankedUnit)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for u := range work {
				if err := fx.fill(ctx, u); err != nil {
					errs <- fmt.Errorf("%s: %w", u.code, err)
				}
			}
		}()
	}
	for _, u := range fx.units {
		work <- u
	}
	close(work)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	for _, u := range fx.units {
		if u.status == domain.AssessSubmitted {
			continue
		}
		if err := appraiseForTest(ctx, a.db, u.form, u.status, fx.nodes, u.self, u.appraised, u.final); err != nil {
			t.Fatal(err)
		}
	}
	return fx
}

func (fx *rankingFixture) fill(ctx context.Context, u *rankedUnit) error {
	id, err := fx.a.db.StartAssessment(ctx, fx.wk.campaign, fx.wk.phase, u.unitID)
	if err != nil {
		return err
	}
	u.form = id
	var edits []postgres.ScoreEdit
	for _, l := range fx.leaves {
		e := u.self[l.ID]
		in := domain.Entry{NA: e.NA, Explanation: e.Explanation}
		if l.Method == domain.MethodTiers || l.Method == domain.MethodTargetShare {
			in.Measured = e.Measured
		} else {
			in.Points = e.Points
		}
		edits = append(edits, postgres.ScoreEdit{CriterionID: l.ID, Entry: in})
	}
	conflicts, err := fx.a.db.SaveScores(ctx, id, edits)
	if err != nil || len(conflicts) > 0 {
		return fmt.Errorf("save: %v, %d conflicts", err, len(conflicts))
	}
	_, err = fx.a.db.SubmitAssessment(ctx, id)
	return err
}

// appraiseForTest is a TEST FIXTURE standing in for the appraisal and
// reply store methods (issue 9, helper A's appraisal save and helper B's
// reply decision), which are not on this branch yet: it writes each
// criterion's appraised and final value, as those methods will, and the
// form's appraised and final totals computed by the domain as they will,
// then sets the form's status. Replace it by the real methods once they
// are merged.
func appraiseForTest(ctx context.Context, db *postgres.DB, form int64, status domain.AssessmentStatus, nodes []domain.Criterion,
	self, appraised, final map[int64]domain.Entry) error {
	pts := func(e domain.Entry) *int64 {
		if e.NA || e.Points == nil {
			return nil
		}
		v := int64(*e.Points)
		return &v
	}
	var ids []int64
	var apPts, apMeas, fPts, fMeas []*int64
	var apNA, fNA []bool
	var comments []string
	var decisions []*string
	for id, ap := range appraised {
		f := final[id]
		comment, decision := "", (*string)(nil)
		differs := func(a, b domain.Entry) bool { return pts(a) != nil && pts(b) != nil && *pts(a) != *pts(b) }
		if differs(self[id], ap) { // adjusted: a comment, and the reply's outcome once decided
			comment = "Tài liệu kiểm chứng chưa đủ; điều chỉnh điểm."
			d := "kept"
			if differs(ap, f) {
				d = "accepted"
			}
			if status != domain.AssessReceived {
				decision = &d
			}
		}
		ids = append(ids, id)
		apPts, apMeas, apNA = append(apPts, pts(ap)), append(apMeas, ap.Measured), append(apNA, ap.NA)
		fPts, fMeas, fNA = append(fPts, pts(f)), append(fMeas, f.Measured), append(fNA, f.NA)
		comments, decisions = append(comments, comment), append(decisions, decision)
	}
	if _, err := db.Pool.Exec(ctx, `UPDATE scores s SET appraised_points = v.ap, appraised_measured = v.am, appraised_na = v.an,
		appraisal_comment = v.comment, appraised_at = now(), final_points = v.fp, final_measured = v.fm, final_na = v.fn, reply_decision = v.decision
		FROM assessments a, unnest($2::bigint[], $3::int[], $4::bigint[], $5::bool[], $6::int[], $7::bigint[], $8::bool[], $9::text[], $10::text[])
			v (criterion_id, ap, am, an, fp, fm, fn, comment, decision)
		WHERE a.id = $1 AND s.campaign_id = a.campaign_id AND s.assessment_id = a.id AND s.criterion_id = v.criterion_id`,
		form, ids, apPts, apMeas, apNA, fPts, fMeas, fNA, comments, decisions); err != nil {
		return err
	}
	at, ft := domain.ComputeTotals(nodes, appraised), domain.ComputeTotals(nodes, final)
	_, err := db.Pool.Exec(ctx, `UPDATE assessments SET status = $2, received_at = now(), appraised_at = CASE WHEN $2 <> 'received' THEN now() END,
		locked_at = CASE WHEN $2 = 'locked' THEN now() END,
		appraised_points = $3, appraised_max = $4, appraised_converted = $5, appraised_scored = $6,
		final_points = $7, final_max = $8, final_converted = $9 WHERE id = $1`,
		form, status, at.Points, at.ApplicableMax, at.Converted, at.Scored, ft.Points, ft.ApplicableMax, ft.Converted)
	return err
}
