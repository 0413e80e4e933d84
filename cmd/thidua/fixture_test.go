package main

import (
	"context"
	"testing"
	"time"

	"thidua/internal/criteria"
	"thidua/internal/domain"
	"thidua/internal/password"
	"thidua/internal/postgres"
)

// formFixture makes a unit with its focal point dm@example.vn (password
// "Mật khẩu thử nghiệm 2026") and an announced campaign whose
// self-assessment form is open today; it returns the campaign, the unit's
// form and the form's criteria.
func formFixture(t *testing.T, db *postgres.DB) (int64, int64, []domain.Criterion) {
	t.Helper()
	ctx := context.Background()
	// A unit, its focal point, an announced campaign with a form open today.
	unit, _ := db.CreateUnit(ctx, domain.UnitInput{Name: "Sở Tư pháp", Code: "STP", Kind: domain.KindDepartment, ValidFrom: domain.Day(2020, 1, 1)})
	hash, _ := password.Hash("Mật khẩu thử nghiệm 2026", password.Default)
	if _, _, err := db.CreateUser(ctx, domain.NewUser{Email: "dm@example.vn", FullName: "Đầu mối", Role: domain.RoleFocalPoint, UnitID: &unit}, hash, ""); err != nil {
		t.Fatal(err)
	}
	today := domain.DateOf(time.Now())
	campaign, _ := db.CreateCampaign(ctx, &domain.Campaign{PlanNumber: "1/KH", Title: "Thử", IssuerName: "Sở Nội vụ", IssueDate: today,
		Kind: domain.KindRegular, PeriodStart: today.AddDate(0, -1, 0), PeriodEnd: today.AddDate(0, 1, 0)}, "")
	from, to := today.AddDate(0, 0, -1), today.AddDate(0, 0, 1)
	phase := &domain.Phase{CampaignID: campaign, Name: "Đợt 1", Start: today.AddDate(0, -1, 0), End: today.AddDate(0, 1, 0), AssessmentFrom: &from, AssessmentTo: &to, ReviewKind: domain.ReviewAnnual}
	if _, err := db.SavePhase(ctx, phase); err != nil {
		t.Fatal(err)
	}
	forms, _ := db.AwardForms(ctx)
	_ = db.SaveAwardPlan(ctx, postgres.AwardPlan{CampaignID: campaign, AwardFormID: forms[0].ID, MinBand: "good"})
	set, _ := db.CreateCriteriaSet(ctx, campaign, "Bộ", nil, false)
	tpl, _ := criteria.TemplateByKey("papi")
	nodes, _ := criteria.Nodes(tpl.Rows)
	if err := db.ReplaceCriteria(ctx, set, nodes, "test"); err != nil {
		t.Fatal(err)
	}
	if err := db.Transition(ctx, campaign, domain.StatusAnnounced, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := db.RegisterAll(ctx, campaign, []int64{unit}); err != nil {
		t.Fatal(err)
	}
	assessment, err := db.StartAssessment(ctx, campaign, phase.ID, unit)
	if err != nil {
		t.Fatal(err)
	}
	leaves, _ := db.Criteria(ctx, set)
	return campaign, assessment, leaves
}
