package server

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"thidua/internal/criteria"
	"thidua/internal/domain"
	"thidua/internal/postgres"
)

// The public campaign page reads all its criteria sets' criteria in one
// query, however many sets the campaign has (no query per set), and the
// whole page in two round trips: the campaign, then one batch of the rest.
func TestPublicCampaignCriteriaInOneQuery(t *testing.T) {
	t.Parallel()
	a, log := newTracedApp(t)
	db := a.db
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
	sent, trips := log.takeTrips()
	var n int
	for _, q := range sent {
		if strings.Contains(q, "FROM criteria ") || strings.Contains(q, "FROM criteria\n") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("the public page read criteria in %d queries, want 1", n)
	}
	if trips != 2 {
		t.Errorf("the public page took %d round trips to PostgreSQL, want 2:\n%s", trips, strings.Join(sent, "\n"))
	}
}

// The focal point's form takes four round trips to PostgreSQL (the session,
// the campaign with the user's memberships, the form, then its scores,
// evidence and history in one batch) and, once read, takes its criteria from
// the process's copy of the set: the save posting it back unchanged does not
// read them either. A criterion changed in the database is on the next page.
func TestFormPageRoundTrips(t *testing.T) {
	t.Parallel()
	a, log := newTracedApp(t)
	wk := newWork(t, a)
	staff, _ := a.loggedIn(domain.RoleStaff)
	fp, _ := a.loggedIn(domain.RoleFocalPoint)
	wk.register(t, fp, staff)
	form := wk.start(t, fp)
	criteriaReads := func(sent []string) int {
		n := 0
		for _, q := range sent {
			if strings.Contains(q, "FROM criteria WHERE set_id") {
				n++
			}
		}
		return n
	}
	wantStatus(t, fp.get(form), 200) // the first read fills the copy
	log.take()
	resp := fp.get(form)
	wantStatus(t, resp, 200)
	vals := formValues(htmlOf(t, resp))
	sent, trips := log.takeTrips()
	if trips != 4 || criteriaReads(sent) != 0 {
		t.Errorf("the form page took %d round trips and read the criteria %d times, want 4 and 0:\n%s", trips, criteriaReads(sent), strings.Join(sent, "\n"))
	}
	wantStatus(t, fp.post(form, vals), 303)
	if sent, _ := log.takeTrips(); criteriaReads(sent) != 0 {
		t.Errorf("saving the form unchanged read the criteria %d times, want 0", criteriaReads(sent))
	}
	if _, err := a.db.Pool.Exec(context.Background(), `UPDATE criteria SET title = 'Công tác chỉ đạo, điều hành (sửa)' WHERE set_id = $1 AND code = '1'`, wk.set); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(bodyOf(fp.get(form)), "Công tác chỉ đạo, điều hành (sửa)") {
		t.Error("a criterion changed in the database is not on the next form page")
	}
}
