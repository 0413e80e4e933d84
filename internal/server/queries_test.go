package server

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"thidua/internal/criteria"
	"thidua/internal/domain"
	"thidua/internal/pgtest"
	"thidua/internal/postgres"
)

// The public campaign page reads all its criteria sets' criteria in one
// query, however many sets the campaign has (no query per set).
func TestPublicCampaignCriteriaInOneQuery(t *testing.T) {
	t.Parallel()
	log := &sqlLog{}
	db, err := postgres.OpenWith(context.Background(), pgtest.NewURL(t), func(c *pgxpool.Config) { c.ConnConfig.Tracer = log })
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	a := newAppWithDB(t, db, nil)
	ctx := context.Background()
	today := domain.DateOf(db.Now())
	c := domain.Campaign{PlanNumber: "12/KH-UBND", Title: "Thi đua cải cách hành chính", IssuerName: "Ủy ban nhân dân tỉnh", IssueDate: today,
		Kind: domain.KindRegular, TargetKinds: []string{"department", "commune", "ward"}, PeriodStart: today, PeriodEnd: today.AddDate(0, 6, 0),
		Bands: domain.DefaultBands}
	id, err := db.CreateCampaign(ctx, &c, "")
	if err != nil {
		t.Fatal(err)
	}
	from, to := today, today.AddDate(0, 0, 14)
	if _, err := db.SavePhase(ctx, &domain.Phase{CampaignID: id, Name: "Đợt 1", Start: today, End: today.AddDate(0, 6, 0),
		AssessmentFrom: &from, AssessmentTo: &to, ReviewKind: domain.ReviewAnnual}); err != nil {
		t.Fatal(err)
	}
	for i, kind := range []string{"department", "commune", "ward"} {
		set, err := db.CreateCriteriaSet(ctx, id, fmt.Sprintf("Bộ tiêu chí %d", i+1), []string{kind}, false)
		if err != nil {
			t.Fatal(err)
		}
		nodes, _ := criteria.Nodes([]criteria.Row{
			{Code: "1", Title: "Chỉ đạo, điều hành", Max: "60", Method: domain.MethodPoints, Step: "0,25"},
			{Code: "1.1", Title: "Kế hoạch năm", Max: "60", Method: domain.MethodPoints, Step: "0,25"},
			{Code: "2", Title: "Thủ tục hành chính", Max: "40", Method: domain.MethodYesNo},
		})
		if err := db.ReplaceCriteria(ctx, set, nodes, "test"); err != nil {
			t.Fatal(err)
		}
	}
	forms, _ := db.AwardForms(ctx)
	if err := db.SaveAwardPlan(ctx, postgres.AwardPlan{CampaignID: id, AwardFormID: forms[0].ID, MinBand: "good"}); err != nil {
		t.Fatal(err)
	}
	if err := db.Transition(ctx, id, domain.StatusAnnounced, ""); err != nil {
		t.Fatal(err)
	}
	log.take()
	resp := a.client().get(fmt.Sprintf("/public/campaigns/%d", id))
	wantStatus(t, resp, 200)
	if n := htmlOf(t, resp).Find("li:contains('Chỉ đạo, điều hành')").Length(); n != 3 {
		t.Errorf("the page shows the first area of %d sets, want 3", n)
	}
	var n int
	for _, q := range log.take() {
		if strings.Contains(q, "FROM criteria ") || strings.Contains(q, "FROM criteria\n") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("the public page read criteria in %d queries, want 1", n)
	}
}
