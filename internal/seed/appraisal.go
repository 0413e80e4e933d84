package seed

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"thidua/internal/domain"
	"thidua/internal/postgres"
	"thidua/internal/storage"
)

// Option changes what Demo loads.
type Option func(*options)

type options struct{ evidence storage.Store }

// WithEvidence gives Demo the evidence store: with it, the running campaign's
// forms get their required evidence (a short PDF) and go on through
// submission, appraisal, reply and lock; without it only the early steps are
// loaded.
func WithEvidence(s storage.Store) Option { return func(o *options) { o.evidence = s } }

// demoPDF is the evidence file of the demo's forms.
func demoPDF(unit string) string {
	return "%PDF-1.4\n% Tai lieu kiem chung minh hoa - " + unit + "\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
}

// attachEvidence stores the unit's demo PDF and attaches it to every
// criterion of the form that requires evidence.
func attachEvidence(ctx context.Context, db *postgres.DB, store storage.Store, formID, setID int64, unit string) error {
	var contentType string
	sum, size, err := store.Put(strings.NewReader(demoPDF(unit)), 1<<20, func(path string) error {
		var err error
		contentType, err = storage.SniffEvidence(path)
		return err
	})
	if err != nil {
		return err
	}
	nodes, err := db.Criteria(ctx, setID)
	if err != nil {
		return err
	}
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return err
	}
	key := hex.EncodeToString(b)
	for _, n := range domain.Leaves(nodes) {
		if !n.EvidenceRequired {
			continue
		}
		f := postgres.EvidenceFile{Key: key, SHA256: sum, Size: size, ContentType: contentType, FileName: "bao-cao-cchc-" + strings.ToLower(unit) + ".pdf"}
		if err := db.AddEvidence(ctx, formID, n.ID, f, "Báo cáo CCHC năm, mục "+n.Code); err != nil {
			return err
		}
	}
	return nil
}

// The running campaign's later steps, so that each can be seen at once:
// departments whose forms were submitted, appraised by the demo appraiser
// (thamdinh@thidua.local) with some criteria adjusted, and then
//   - Sở Tư pháp: waiting for its reply (its focal point can reply now);
//   - Sở Tài chính: reply sent, waiting for the appraiser's answers;
//   - Sở Xây dựng: answered (one reply accepted, one kept) and locked;
//   - Sở Công Thương: no reply before its window ended, the adjustments
//     stand, ready to lock;
//   - Sở Giáo dục và Đào tạo: submitted, waiting to be received;
//   - Sở Khoa học và Công nghệ: a form still being filled in.

// demoForm is a department's form in the running campaign.
type demoForm struct {
	unit  string // unit code
	stage string // "draft", "submitted", "reply_open", "reply_sent", "locked", "window_over"
	score int    // how well the unit scores itself, in percent of the maximum
}

var demoForms = []demoForm{
	{"STP", "reply_open", 95},
	{"STC", "reply_sent", 90},
	{"SXD", "locked", 85},
	{"SCT", "window_over", 80},
	{"SGDDT", "submitted", 88},
	{"SKHCN", "draft", 70},
}

// demoAdjustments are the criteria the appraiser lowers, by position among
// the leaves of the PAR template for departments, with the comment.
var demoAdjustments = []struct {
	leaf    int
	comment string
}{
	{1, "Báo cáo kết quả thực hiện kế hoạch chưa đủ số liệu quý IV; chấm theo tài liệu kiểm chứng đã nộp."},
	{0, "Kế hoạch CCHC năm ban hành sau thời hạn quy định (sau ngày 31/12 năm trước)."},
	{5, "Chưa có văn bản chứng minh việc kiểm tra công tác CCHC tại các đơn vị trực thuộc."},
}

// fillForm enters a full self-assessment: points at score percent of each
// maximum (rounded down to the step), measured values at score percent.
func fillForm(ctx context.Context, db *postgres.DB, formID, setID int64, score int) error {
	nodes, err := db.Criteria(ctx, setID)
	if err != nil {
		return err
	}
	var edits []postgres.ScoreEdit
	for i, n := range domain.Leaves(nodes) {
		e := domain.Entry{Explanation: fmt.Sprintf("Đơn vị đã thực hiện theo kế hoạch; tài liệu kiểm chứng số %d/BC kèm theo.", i+1)}
		switch n.Method {
		case domain.MethodTiers, domain.MethodTargetShare:
			m := int64(score) * 100
			if n.Method == domain.MethodTargetShare {
				m = n.Target * int64(score) / 100
			}
			e.Measured = &m
		case domain.MethodYesNo:
			p := n.Max
			e.Points = &p
		default:
			step := n.Step
			if step <= 0 {
				step = 1
			}
			p := n.Max * domain.Points(score) / 100 / step * step
			e.Points = &p
		}
		edits = append(edits, postgres.ScoreEdit{CriterionID: n.ID, Entry: e})
	}
	conflicts, err := db.SaveScores(ctx, formID, edits)
	if err != nil {
		return err
	}
	if len(conflicts) > 0 {
		return fmt.Errorf("form %d: %d conflicts", formID, len(conflicts))
	}
	return nil
}

// appraise records the appraisal of a submitted form as completed at
// instant at by appraiserID: every criterion as the unit scored it but the
// adjusted ones, the totals, and the reply window of the phase's working
// days.
func appraise(ctx context.Context, db *postgres.DB, formID, setID, appraiserID int64, at time.Time) error {
	nodes, err := db.Criteria(ctx, setID)
	if err != nil {
		return err
	}
	leaves := domain.Leaves(nodes)
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback(ctx) }()
	if _, err := tx.Exec(ctx, `UPDATE scores SET appraised_points = points, appraised_measured = measured, appraised_na = na,
		appraised_by = $2, appraised_at = $3, final_points = points, final_measured = measured, final_na = na
		WHERE assessment_id = $1`, formID, appraiserID, at); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO assessment_history (assessment_id, criterion_id, action, old_value, new_value, actor_id, at)
		SELECT assessment_id, criterion_id, 'appraise', jsonb_build_object('points', points, 'measured', measured, 'na', na),
			jsonb_build_object('points', points, 'measured', measured, 'na', na), $2, $3 FROM scores WHERE assessment_id = $1`, formID, appraiserID, at); err != nil {
		return err
	}
	for _, adj := range demoAdjustments {
		n := leaves[adj.leaf]
		var lowered domain.Points
		if n.Method == domain.MethodPoints {
			step := max(n.Step, 1)
			lowered = n.Max / 2 / step * step
		}
		if _, err := tx.Exec(ctx, `UPDATE scores SET appraised_points = $3, final_points = $3, appraisal_comment = $4
			WHERE assessment_id = $1 AND criterion_id = $2`, formID, n.ID, lowered, adj.comment); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE assessment_history SET new_value = jsonb_set(new_value, '{points}', to_jsonb($3::int))
			WHERE assessment_id = $1 AND criterion_id = $2 AND action = 'appraise'`, formID, n.ID, lowered); err != nil {
			return err
		}
	}
	var days int
	if err := tx.QueryRow(ctx, `SELECT p.reply_days FROM assessments a JOIN phases p ON p.id = a.phase_id WHERE a.id = $1`, formID).Scan(&days); err != nil {
		return err
	}
	var off []time.Time
	for y := at.Year(); y <= at.Year()+1; y++ {
		hs, err := db.HolidaysOfYear(ctx, y)
		if err != nil {
			return err
		}
		for _, h := range hs {
			off = append(off, h.Day)
		}
	}
	until := domain.ReplyUntil(at, days, domain.NewHolidays(off...))
	if _, err := tx.Exec(ctx, `UPDATE assessments SET status = 'appraised', received_at = $2, received_by = $3, appraised_at = $2, appraised_by = $3,
		reply_until = $4 WHERE id = $1`, formID, at, appraiserID, until); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO assessment_history (assessment_id, action, actor_id, at) VALUES ($1, 'appraisal_complete', $2, $3)`,
		formID, appraiserID, at); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return err
	}
	return appraisedTotals(ctx, db, formID, nodes)
}

// appraisedTotals stores a form's appraised and final totals.
func appraisedTotals(ctx context.Context, db *postgres.DB, formID int64, nodes []domain.Criterion) error {
	a, err := db.AssessmentByID(ctx, formID)
	if err != nil {
		return err
	}
	scores, err := db.ReplyScores(ctx, a)
	if err != nil {
		return err
	}
	entries := map[int64]domain.Entry{}
	for id, s := range scores {
		v := s.Appraised
		entries[id] = domain.Entry{Points: v.Points, Measured: v.Measured, NA: v.NA != nil && *v.NA}
	}
	t := domain.ComputeTotals(nodes, entries)
	_, err = db.Pool.Exec(ctx, `UPDATE assessments SET appraised_points = $2, appraised_max = $3, appraised_converted = $4, appraised_scored = $5,
		final_points = $2, final_max = $3, final_converted = $4 WHERE id = $1`, formID, t.Points, t.ApplicableMax, t.Converted, t.Scored)
	return err
}

// seedAppraisal takes the departments of demoForms through the running
// campaign's steps, each change made by its actor.
func seedAppraisal(ctx context.Context, db *postgres.DB, store storage.Store, units map[string]int64, campaignID, phaseID int64, users map[string]int64) error {
	staff := domain.WithActor(ctx, domain.Actor{UserID: users["canbo@thidua.local"]})
	appraiserID := users["thamdinh@thidua.local"]
	appraiser := domain.WithActor(ctx, domain.Actor{UserID: appraiserID})
	pledge := postgres.RegistrationInput{Pledge: "Hoàn thành 100% nhiệm vụ CCHC năm theo kế hoạch của UBND tỉnh.", Submit: true}
	now := db.Now()
	if _, err := db.Pool.Exec(ctx, `INSERT INTO campaign_members (campaign_id, user_id, role, added_by) VALUES ($1, $2, 'appraiser', $3)`,
		campaignID, appraiserID, users["canbo@thidua.local"]); err != nil {
		return err
	}
	for _, f := range demoForms {
		unitID := units[f.unit]
		var formID int64
		if err := db.Pool.QueryRow(ctx, `SELECT id FROM assessments WHERE campaign_id = $1 AND unit_id = $2`, campaignID, unitID).Scan(&formID); err != nil {
			regID, err := db.SaveRegistration(ctx, campaignID, unitID, pledge)
			if err != nil {
				return fmt.Errorf("%s: %w", f.unit, err)
			}
			reg, err := db.RegistrationByID(ctx, regID)
			if err != nil {
				return err
			}
			if _, err := db.DecideRegistrations(staff, campaignID, []postgres.RegistrationChoice{{ID: reg.ID, Version: reg.Version}}, true, ""); err != nil {
				return fmt.Errorf("%s: %w", f.unit, err)
			}
			if formID, err = db.StartAssessment(ctx, campaignID, phaseID, unitID); err != nil {
				return fmt.Errorf("%s: %w", f.unit, err)
			}
		}
		a, err := db.AssessmentByID(ctx, formID)
		if err != nil {
			return err
		}
		focal := domain.WithActor(ctx, domain.Actor{UserID: users["unit:"+f.unit]})
		if err := fillForm(focal, db, formID, a.SetID, f.score); err != nil {
			return fmt.Errorf("%s: %w", f.unit, err)
		}
		if f.stage == "draft" {
			continue
		}
		if err := attachEvidence(focal, db, store, formID, a.SetID, f.unit); err != nil {
			return fmt.Errorf("%s evidence: %w", f.unit, err)
		}
		if _, err := db.SubmitAssessment(focal, formID); err != nil {
			return fmt.Errorf("%s: %w", f.unit, err)
		}
		if f.stage == "submitted" {
			continue
		}
		if _, err := db.Pool.Exec(ctx, `INSERT INTO appraisal_assignments (campaign_id, assessment_id, appraiser_id, assigned_by) VALUES ($1, $2, $3, $4)`,
			campaignID, formID, appraiserID, users["canbo@thidua.local"]); err != nil {
			return err
		}
		at := now.Add(-2 * time.Hour)
		if f.stage == "window_over" {
			at = now.AddDate(0, 0, -21) // appraised three weeks ago: its window has ended
		}
		if err := appraise(appraiser, db, formID, a.SetID, appraiserID, at); err != nil {
			return fmt.Errorf("%s: %w", f.unit, err)
		}
		if f.stage == "reply_open" || f.stage == "window_over" {
			continue
		}
		nodes, err := db.Criteria(ctx, a.SetID)
		if err != nil {
			return err
		}
		leaves := domain.Leaves(nodes)
		scores, err := db.ReplyScores(ctx, a)
		if err != nil {
			return err
		}
		first, second := leaves[demoAdjustments[0].leaf].ID, leaves[demoAdjustments[1].leaf].ID
		edits := []postgres.ReplyEdit{
			{CriterionID: first, Version: scores[first].Version,
				Text: "Đơn vị bổ sung Báo cáo số 45/BC-" + f.unit + " ngày 15/12 có đủ số liệu quý IV (đính kèm)."},
			{CriterionID: second, Version: scores[second].Version,
				Text: "Kế hoạch đã trình đúng hạn; văn bản ký ban hành chậm 02 ngày do lịch công tác của lãnh đạo."},
		}
		if _, _, err := db.SaveReplies(focal, formID, edits, true); err != nil {
			return fmt.Errorf("%s reply: %w", f.unit, err)
		}
		if f.stage == "reply_sent" {
			continue
		}
		if scores, err = db.ReplyScores(ctx, a); err != nil {
			return err
		}
		self := scores[first].Self
		if err := db.AnswerReply(appraiser, formID, first, scores[first].Version, domain.ReplyAnswer{Decision: domain.ReplyAccepted,
			Value: domain.Entry{Points: self.Points, Measured: self.Measured}, Reason: "Báo cáo bổ sung đủ số liệu: chấp nhận điểm đơn vị tự chấm."}); err != nil {
			return fmt.Errorf("%s accept: %w", f.unit, err)
		}
		if err := db.AnswerReply(appraiser, formID, second, scores[second].Version, domain.ReplyAnswer{Decision: domain.ReplyKept,
			Reason: "Ngày ban hành trên văn bản là căn cứ chấm điểm; giữ kết quả thẩm định."}); err != nil {
			return fmt.Errorf("%s keep: %w", f.unit, err)
		}
		if _, err := db.LockAssessment(appraiser, formID); err != nil {
			return fmt.Errorf("%s lock: %w", f.unit, err)
		}
	}
	return nil
}
