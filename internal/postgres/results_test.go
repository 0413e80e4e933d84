package postgres_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"thidua/internal/domain"
	"thidua/internal/pgtest"
	"thidua/internal/postgres"
)

// TestGroupChartDataAreas: an area's share is its points over the maximum
// of its applicable leaves, averaged over the appraised and locked forms;
// self and final values each skip their own "not applicable" leaves, and
// forms still in appraisal are not counted.
func TestGroupChartDataAreas(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ctx := context.Background()
	campaign, p, set := campaignWithSet(t, db)
	area1, _ := db.SaveCriterion(ctx, set, domain.Criterion{Code: "1", Title: "Chỉ đạo", Max: 2000, Method: domain.MethodPoints, Step: 25}, "")
	leaf11, _ := db.SaveCriterion(ctx, set, domain.Criterion{ParentID: &area1, Code: "1.1", Title: "Kế hoạch", Max: 1000, Method: domain.MethodPoints, Step: 25, AllowNA: true}, "")
	leaf12, _ := db.SaveCriterion(ctx, set, domain.Criterion{ParentID: &area1, Code: "1.2", Title: "Báo cáo", Max: 1000, Method: domain.MethodPoints, Step: 25}, "")
	area2, _ := db.SaveCriterion(ctx, set, domain.Criterion{Code: "2", Title: "Thể chế", Max: 1000, Method: domain.MethodPoints, Step: 25}, "")
	form := func(name string, status domain.AssessmentStatus, scores map[int64][4]any) {
		unit, err := db.CreateUnit(ctx, domain.UnitInput{Name: name, Kind: domain.KindDepartment, ValidFrom: domain.Day(2020, 1, 1)})
		if err != nil {
			t.Fatal(err)
		}
		var id int64
		if err := db.Pool.QueryRow(ctx, `INSERT INTO assessments (campaign_id, set_id, phase_id, unit_id, status, converted, appraised_converted, final_converted)
			VALUES ($1, $2, $3, $4, $5, 8000, 7000, 7500) RETURNING id`, campaign, set, p.ID, unit, status).Scan(&id); err != nil {
			t.Fatal(err)
		}
		for c, s := range scores {
			if _, err := db.Pool.Exec(ctx, `INSERT INTO scores (campaign_id, assessment_id, criterion_id, points, na, final_points, final_na)
				VALUES ($1, $2, $3, $4, $5, $6, $7)`, campaign, id, c, s[0], s[1], s[2], s[3]); err != nil {
				t.Fatal(err)
			}
		}
	}
	// A: area 1 self 10+10 of 20, final 5 of 10 (1.1 not applicable after
	// appraisal, 1.2 cut to 5); area 2 self 10, final 10.
	form("A", domain.AssessLocked, map[int64][4]any{leaf11: {1000, false, nil, true}, leaf12: {1000, false, 500, false}, area2: {1000, false, 1000, false}})
	// B: area 1 self 1.1 not applicable, 1.2 5 of 10; final the same;
	// area 2 self 5, final 0.
	form("B", domain.AssessAppraised, map[int64][4]any{leaf11: {nil, true, nil, true}, leaf12: {500, false, 500, false}, area2: {500, false, 0, false}})
	// C is still being appraised: not counted.
	form("C", domain.AssessReceived, map[int64][4]any{leaf11: {0, false, nil, nil}, leaf12: {0, false, nil, nil}, area2: {0, false, nil, nil}})
	forms, areas, err := db.GroupChartData(ctx, p.ID, set)
	if err != nil {
		t.Fatal(err)
	}
	if len(forms) != 3 || forms[0].UnitName != "A" || forms[0].Status != domain.AssessLocked || forms[0].FinalConverted != 7500 {
		t.Errorf("forms %+v", forms)
	}
	// Area 1: self (100 % + 50 %) / 2 = 75 %; final (50 % + 50 %) / 2 = 50 %.
	// Area 2: self (100 % + 50 %) / 2 = 75 %; final (100 % + 0 %) / 2 = 50 %.
	want := []struct {
		Code, Title string
		Self, Final domain.Points
	}{{"1", "Chỉ đạo", 7500, 5000}, {"2", "Thể chế", 7500, 5000}}
	var got []struct {
		Code, Title string
		Self, Final domain.Points
	}
	for _, a := range areas {
		got = append(got, struct {
			Code, Title string
			Self, Final domain.Points
		}{a.Code, a.Title, a.Self, a.Final})
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("areas mismatch (-want +got):\n%s", diff)
	}
}

// campaignWithSet creates a draft campaign of 2026 with one phase (the
// whole year) and one empty criteria set.
func campaignWithSet(t *testing.T, db *postgres.DB) (campaign int64, phase *domain.Phase, set int64) {
	t.Helper()
	ctx := context.Background()
	campaign, err := db.CreateCampaign(ctx, &domain.Campaign{PlanNumber: "1/KH", Title: "Phong trào", IssuerName: "Sở Nội vụ",
		IssueDate: domain.Day(2026, 1, 1), Kind: domain.KindRegular, PeriodStart: domain.Day(2026, 1, 1), PeriodEnd: domain.Day(2026, 12, 31)}, "")
	if err != nil {
		t.Fatal(err)
	}
	phase = &domain.Phase{CampaignID: campaign, Name: "Đợt 1", Start: domain.Day(2026, 1, 1), End: domain.Day(2026, 12, 31), ReviewKind: domain.ReviewAnnual}
	if _, err := db.SavePhase(ctx, phase); err != nil {
		t.Fatal(err)
	}
	if set, err = db.CreateCriteriaSet(ctx, campaign, "Bộ", nil, false); err != nil {
		t.Fatal(err)
	}
	return campaign, phase, set
}
