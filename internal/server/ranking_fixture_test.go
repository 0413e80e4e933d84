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
	if _, err = fx.a.db.SubmitAssessment(ctx, id); err != nil || u.status == domain.AssessSubmitted {
		return err
	}
	return fx.appraise(ctx, u)
}

// appraise receives a submitted form and saves its appraised values
// through the store (ReceiveAssessment, SaveAppraisal: a comment wherever
// a value differs from the unit's), completes the appraisal
// (CompleteAppraisal) unless the form is to stay received, then records
// the replies and the lock with replyAndLockForTest.
func (fx *rankingFixture) appraise(ctx context.Context, u *rankedUnit) error {
	db := fx.a.db
	if _, err := db.ReceiveAssessment(ctx, u.form); err != nil {
		return fmt.Errorf("receive: %w", err)
	}
	a, err := db.AssessmentByID(ctx, u.form)
	if err != nil {
		return err
	}
	stored, err := db.Scores(ctx, a)
	if err != nil {
		return err
	}
	var edits []postgres.ScoreEdit
	for _, l := range fx.leaves {
		e := u.appraised[l.ID]
		in := domain.Entry{NA: e.NA}
		if l.Method == domain.MethodTiers || l.Method == domain.MethodTargetShare {
			in.Measured = e.Measured
		} else {
			in.Points = e.Points
		}
		if !e.NA && (u.self[l.ID].Points == nil || *u.self[l.ID].Points != *e.Points || (e.Measured != nil && *e.Measured != *u.self[l.ID].Measured)) {
			in.Explanation = adjustComment
		}
		edits = append(edits, postgres.ScoreEdit{CriterionID: l.ID, Entry: in, Version: stored[l.ID].Version})
	}
	conflicts, err := db.SaveAppraisal(ctx, u.form, edits)
	if err != nil || len(conflicts) > 0 {
		return fmt.Errorf("appraisal: %v, %d conflicts", err, len(conflicts))
	}
	if u.status == domain.AssessReceived {
		return nil
	}
	if _, err := db.CompleteAppraisal(ctx, u.form); err != nil {
		return fmt.Errorf("complete: %w", err)
	}
	return replyAndLockForTest(ctx, db, u.form, u.status, fx.nodes, u.self, u.appraised, u.final)
}

// adjustComment is the appraisal team's comment on every adjusted criterion.
const adjustComment = "Tài liệu kiểm chứng chưa đủ; điều chỉnh điểm."

// replyAndLockForTest is a TEST FIXTURE that writes the outcome of the
// reply step directly, for speed (hundreds of forms × 40 criteria): for
// every adjusted criterion the decision on the unit's reply (accepted: the
// final value goes back to the unit's; kept otherwise) and the final value,
// then the form's final totals computed with the domain, and the status
// (locked or appraised). The real steps (SaveReplies, AnswerReply,
// LockAssessment) are tested in reply_test.go; checkPublicResults locks the
// remaining forms through LockAssessment.
func replyAndLockForTest(ctx context.Context, db *postgres.DB, form int64, status domain.AssessmentStatus, nodes []domain.Criterion,
	self, appraised, final map[int64]domain.Entry) error {
	pts := func(e domain.Entry) *int64 {
		if e.NA || e.Points == nil {
			return nil
		}
		v := int64(*e.Points)
		return &v
	}
	differs := func(a, b domain.Entry) bool { return pts(a) != nil && pts(b) != nil && *pts(a) != *pts(b) }
	var ids []int64
	var fPts, fMeas []*int64
	var fNA []bool
	var decisions []*string
	for id, ap := range appraised {
		f := final[id]
		var decision *string
		if differs(self[id], ap) {
			d := "kept"
			if differs(ap, f) {
				d = "accepted"
			}
			decision = &d
		}
		ids = append(ids, id)
		fPts, fMeas, fNA = append(fPts, pts(f)), append(fMeas, f.Measured), append(fNA, f.NA)
		decisions = append(decisions, decision)
	}
	if _, err := db.Pool.Exec(ctx, `UPDATE scores s SET final_points = v.fp, final_measured = v.fm, final_na = v.fn, reply_decision = v.decision,
			reply = CASE WHEN v.decision IS NOT NULL THEN 'Đơn vị bổ sung tài liệu kiểm chứng.' ELSE '' END
		FROM assessments a, unnest($2::bigint[], $3::int[], $4::bigint[], $5::bool[], $6::text[]) v (criterion_id, fp, fm, fn, decision)
		WHERE a.id = $1 AND s.campaign_id = a.campaign_id AND s.assessment_id = a.id AND s.criterion_id = v.criterion_id`,
		form, ids, fPts, fMeas, fNA, decisions); err != nil {
		return err
	}
	ft := domain.ComputeTotals(nodes, final)
	_, err := db.Pool.Exec(ctx, `UPDATE assessments SET status = $2, locked_at = CASE WHEN $2 = 'locked' THEN now() END,
		final_points = $3, final_max = $4, final_converted = $5, version = version + 1, updated_at = now() WHERE id = $1`,
		form, status, ft.Points, ft.ApplicableMax, ft.Converted)
	return err
}
