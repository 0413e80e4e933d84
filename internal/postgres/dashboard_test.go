package postgres_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"thidua/internal/domain"
	"thidua/internal/pgtest"
)

// The dashboard reads its forms narrow (a few columns, phase and campaign
// set once): every form it lists holds, for what the dashboard shows and
// counts by, the same values as the form read whole, each its own (two
// forms submitted at different times, one deadline extended), and a unit
// that has not started is listed with no form.
func TestDashboardFormsAsReadWhole(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ctx := context.Background()
	campaign, phase, set := campaignWithSet(t, db)
	exec := func(sql string, args ...any) int64 {
		t.Helper()
		var id int64
		if err := db.Pool.QueryRow(ctx, sql+` RETURNING id`, args...).Scan(&id); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		return id
	}
	if _, err := db.Pool.Exec(ctx, `UPDATE phases SET assessment_from = '2026-03-01', assessment_to = '2026-03-10' WHERE id = $1`, phase.ID); err != nil {
		t.Fatal(err)
	}
	base := time.Date(2026, 3, 5, 9, 0, 0, 0, time.UTC)
	for i, status := range []string{"submitted", "received", "draft", ""} {
		unit, err := db.CreateUnit(ctx, domain.UnitInput{Name: fmt.Sprintf("Xã %c", 'A'+i), Kind: domain.KindCommune})
		if err != nil {
			t.Fatal(err)
		}
		reg := exec(`INSERT INTO registrations (campaign_id, unit_id, status) VALUES ($1, $2, 'approved')`, campaign, unit)
		if status == "" {
			continue // registered, not started
		}
		var submitted, deadline *time.Time
		if status != "draft" {
			at := base.Add(time.Duration(i) * 26 * time.Hour)
			submitted = &at
		} else {
			d := time.Date(2026, 3, 20, 0, 0, 0, 0, time.UTC)
			deadline = &d
		}
		exec(`INSERT INTO assessments (campaign_id, set_id, phase_id, unit_id, registration_id, status, submitted_at, deadline, converted, scored)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, campaign, set, phase.ID, unit, reg, status, submitted, deadline, 9000+i, 20+i)
	}
	c, err := db.CampaignByID(ctx, campaign)
	if err != nil {
		t.Fatal(err)
	}
	d, err := db.Dashboard(ctx, c, 0, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Forms) != 4 || d.Registered != 4 {
		t.Fatalf("%d forms listed, %d registered; want 4 and 4", len(d.Forms), d.Registered)
	}
	day := func(p *time.Time) string {
		if p == nil {
			return "none"
		}
		return p.UTC().Format(time.RFC3339)
	}
	started := 0
	for _, got := range d.Forms {
		if got.ID == 0 {
			if got.UnitName != "Xã D" || got.Status != "" || got.SubmittedAt != nil || got.PhaseName != "Đợt 1" {
				t.Errorf("the unit not started is listed as %+v", got)
			}
			continue
		}
		started++
		want, err := db.AssessmentByID(ctx, got.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range []struct{ name, got, want string }{
			{"campaign", fmt.Sprint(got.CampaignID), fmt.Sprint(want.CampaignID)},
			{"phase", fmt.Sprint(got.PhaseID), fmt.Sprint(want.PhaseID)},
			{"unit", fmt.Sprint(got.UnitID), fmt.Sprint(want.UnitID)},
			{"unit name", got.UnitName, want.UnitName},
			{"phase name", got.PhaseName, want.PhaseName},
			{"status", string(got.Status), string(want.Status)},
			{"campaign status", string(got.CampaignStatus), string(want.CampaignStatus)},
			{"submitted", day(got.SubmittedAt), day(want.SubmittedAt)},
			{"deadline", day(got.Deadline), day(want.Deadline)},
			{"window from", day(got.WindowFrom), day(want.WindowFrom)},
			{"window to", day(got.WindowTo), day(want.WindowTo)},
			{"converted", got.Converted.String(), want.Converted.String()},
			{"scored", fmt.Sprint(got.Scored), fmt.Sprint(want.Scored)},
		} {
			if f.got != f.want {
				t.Errorf("%s: %s is %s on the dashboard, %s read whole", got.UnitName, f.name, f.got, f.want)
			}
		}
	}
	if started != 3 {
		t.Errorf("%d started forms listed, want 3", started)
	}
	if d.Forms[0].SubmittedAt == nil || d.Forms[1].SubmittedAt == nil || d.Forms[0].SubmittedAt.Equal(*d.Forms[1].SubmittedAt) {
		t.Error("the two submitted forms do not each show their own time")
	}
}
