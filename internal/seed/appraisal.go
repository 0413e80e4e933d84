package seed

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
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
	sum, size, err := store.Put(ctx, strings.NewReader(demoPDF(unit)), 1<<20, func(f io.ReaderAt, size int64) error {
		var err error
		contentType, err = storage.SniffEvidence(f, size)
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

// appraise has the appraiser receive a submitted form, appraise every
// criterion (as the unit scored it, but the adjusted ones, lowered with a
// comment) and complete the appraisal at instant at, which opens the unit's
// reply window of the phase's working days.
func appraise(ctx context.Context, db *postgres.DB, formID, setID int64, at time.Time) error {
	clock := db.Now
	db.Now = func() time.Time { return at }
	defer func() { db.Now = clock }()
	if _, err := db.ReceiveAssessment(ctx, formID); err != nil {
		return err
	}
	nodes, err := db.Criteria(ctx, setID)
	if err != nil {
		return err
	}
	a, err := db.AssessmentByID(ctx, formID)
	if err != nil {
		return err
	}
	stored, err := db.Scores(ctx, a)
	if err != nil {
		return err
	}
	leaves := domain.Leaves(nodes)
	adjusted := map[int64]string{}
	for _, adj := range demoAdjustments {
		adjusted[leaves[adj.leaf].ID] = adj.comment
	}
	var edits []postgres.ScoreEdit
	for _, n := range leaves {
		sc := stored[n.ID]
		e := domain.Entry{Points: sc.Points, Measured: sc.Measured, NA: sc.NA}
		// Lowered to half its maximum (points) or to "no" (yes/no); a
		// measured criterion would need another measured value: left as is.
		if comment, ok := adjusted[n.ID]; ok && n.Method != domain.MethodTiers && n.Method != domain.MethodTargetShare {
			var lowered domain.Points
			if n.Method == domain.MethodPoints {
				step := max(n.Step, 1)
				lowered = n.Max / 2 / step * step
			}
			e = domain.Entry{Points: &lowered, Explanation: comment}
		}
		edits = append(edits, postgres.ScoreEdit{CriterionID: n.ID, Entry: e, Version: sc.Version})
	}
	conflicts, err := db.SaveAppraisal(ctx, formID, edits)
	if err != nil {
		return err
	}
	if len(conflicts) > 0 {
		return fmt.Errorf("appraisal of form %d: %d conflicts", formID, len(conflicts))
	}
	_, err = db.CompleteAppraisal(ctx, formID)
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
		if err := appraise(appraiser, db, formID, a.SetID, at); err != nil {
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
		scores, err := db.Scores(ctx, a)
		if err != nil {
			return err
		}
		first, second := leaves[demoAdjustments[0].leaf].ID, leaves[demoAdjustments[1].leaf].ID
		edits := []postgres.ScoreEdit{
			{CriterionID: first, Version: scores[first].Version,
				Entry: domain.Entry{Explanation: "Đơn vị bổ sung Báo cáo số 45/BC-" + f.unit + " ngày 15/12 có đủ số liệu quý IV (đính kèm)."}},
			{CriterionID: second, Version: scores[second].Version,
				Entry: domain.Entry{Explanation: "Kế hoạch đã trình đúng hạn; văn bản ký ban hành chậm 02 ngày do lịch công tác của lãnh đạo."}},
		}
		if _, _, err := db.SaveReplies(focal, formID, edits, true); err != nil {
			return fmt.Errorf("%s reply: %w", f.unit, err)
		}
		if f.stage == "reply_sent" {
			continue
		}
		if scores, err = db.Scores(ctx, a); err != nil {
			return err
		}
		self := scores[first].Self()
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
