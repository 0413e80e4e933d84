package seed

import (
	"context"
	"fmt"

	"thidua/internal/domain"
	"thidua/internal/i18n"
	"thidua/internal/postgres"
	"thidua/internal/storage"
)

// demoCommunes are the running campaign's communes carried through to the
// award: self-assessed at score percent, appraised (some criteria lowered)
// three weeks ago, locked, their group's results approved by the leader;
// then the award plan's shortlist is proposed from those results and put on
// public notice, with one objection answered and one waiting.
var demoCommunes = []struct {
	code  string
	score int
}{
	{"29866", 99}, {"29994", 97}, {"30003", 94}, {"29901", 90}, {"29883", 78}, {"29889", 70},
}

// seedAwards takes the communes of demoCommunes from registration to a
// shortlist on public notice, each step by its actor through the store.
func seedAwards(ctx context.Context, db *postgres.DB, store storage.Store, units map[string]int64, campaignID, phaseID int64, users map[string]int64) error {
	staffID, leaderID, appraiserID := users["canbo@thidua.local"], users["lanhdao@thidua.local"], users["thamdinh@thidua.local"]
	staff := domain.WithActor(ctx, domain.Actor{UserID: staffID})
	leader := domain.WithActor(ctx, domain.Actor{UserID: leaderID})
	appraiser := domain.WithActor(ctx, domain.Actor{UserID: appraiserID})
	pledge := postgres.RegistrationInput{Pledge: "Hoàn thành 100% nhiệm vụ CCHC năm; 100% hồ sơ TTHC giải quyết đúng hạn.", Submit: true}
	now := db.Now()
	var setID int64
	for _, c := range demoCommunes {
		unitID := units[c.code]
		focal := ctx // a commune without a demo login: its focal point is not among the demo users
		if id, ok := users["unit:"+c.code]; ok {
			focal = domain.WithActor(ctx, domain.Actor{UserID: id})
		}
		regID, err := db.SaveRegistration(focal, campaignID, unitID, pledge)
		if err != nil {
			return fmt.Errorf("%s: %w", c.code, err)
		}
		reg, err := db.RegistrationByID(ctx, regID)
		if err != nil {
			return err
		}
		if _, err := db.DecideRegistrations(staff, campaignID, []postgres.RegistrationChoice{{ID: reg.ID, Version: reg.Version}}, true, ""); err != nil {
			return fmt.Errorf("%s: %w", c.code, err)
		}
		formID, err := db.StartAssessment(focal, campaignID, phaseID, unitID)
		if err != nil {
			return fmt.Errorf("%s: %w", c.code, err)
		}
		a, err := db.AssessmentByID(ctx, formID)
		if err != nil {
			return err
		}
		setID = a.SetID
		if err := fillForm(focal, db, formID, a.SetID, c.score); err != nil {
			return fmt.Errorf("%s: %w", c.code, err)
		}
		if err := attachEvidence(focal, db, store, formID, a.SetID, c.code); err != nil {
			return fmt.Errorf("%s evidence: %w", c.code, err)
		}
		if _, err := db.SubmitAssessment(focal, formID); err != nil {
			return fmt.Errorf("%s: %w", c.code, err)
		}
		if _, err := db.Pool.Exec(ctx, `INSERT INTO appraisal_assignments (campaign_id, assessment_id, appraiser_id, assigned_by) VALUES ($1, $2, $3, $4)`,
			campaignID, formID, appraiserID, staffID); err != nil {
			return err
		}
		if err := appraise(appraiser, db, formID, a.SetID, now.AddDate(0, 0, -21)); err != nil {
			return fmt.Errorf("%s: %w", c.code, err)
		}
		if _, err := db.LockAssessment(appraiser, formID); err != nil {
			return fmt.Errorf("%s lock: %w", c.code, err)
		}
	}
	if err := db.ProposeResults(staff, campaignID, phaseID, setID, staffID, 0, now); err != nil {
		return fmt.Errorf("results: %w", err)
	}
	if err := db.DecideResults(leader, campaignID, phaseID, setID, leaderID, true, "", 1, now); err != nil {
		return fmt.Errorf("results approval: %w", err)
	}
	plans, err := db.AwardPlans(ctx, campaignID)
	if err != nil || len(plans) == 0 {
		return fmt.Errorf("award plan: %v", err)
	}
	listID, err := db.ProposeShortlist(staff, campaignID, phaseID, plans[0].ID, staffID, 0, i18n.ProposalReason)
	if err != nil {
		return fmt.Errorf("shortlist: %w", err)
	}
	today := domain.DateOf(now)
	notice, err := db.PublishNotice(staff, campaignID, listID, today.AddDate(0, 0, -1))
	if err != nil {
		return fmt.Errorf("notice: %w", err)
	}
	entries, err := db.NoticeEntries(ctx, listID)
	if err != nil || len(entries) < 2 {
		return fmt.Errorf("notice entries: %d, %v", len(entries), err)
	}
	for i, o := range []domain.ObjectionInput{
		{EntryID: entries[1].ID, Name: "Nguyễn Văn Hải", Contact: "0912 345 678",
			Body: "Đề nghị làm rõ: năm qua xã còn 3 hồ sơ đất đai giải quyết trễ hạn, có đúng là 100% đúng hạn như báo cáo không?"},
		{EntryID: entries[0].ID, Name: "Trần Thị Lan", Contact: "lan.tran@example.vn",
			Body: "Tôi đề nghị xem lại việc niêm yết công khai thủ tục hành chính tại bộ phận một cửa của phường."},
	} {
		receipt, err := db.AddObjection(ctx, notice.ID, o, "demo", fmt.Sprintf("demo-objection-%d", i), today)
		if err != nil {
			return fmt.Errorf("objection: %w", err)
		}
		if i == 0 {
			continue // the first waits for its answer
		}
		objs, err := db.Objections(ctx, notice.ID)
		if err != nil {
			return err
		}
		for _, x := range objs {
			if x.Receipt == receipt.Receipt {
				if err := db.AnswerObjection(staff, notice.ID, x.ID, domain.ObjectionAnswer{Outcome: domain.ObjectionDismissed,
					Text: "Đã kiểm tra tại bộ phận một cửa ngày " + i18n.Day(today) + ": các thủ tục được niêm yết đầy đủ, có biên bản kiểm tra kèm theo."}); err != nil {
					return fmt.Errorf("answer: %w", err)
				}
			}
		}
	}
	return nil
}
