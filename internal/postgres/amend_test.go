package postgres_test

import (
	"context"
	"errors"
	"testing"

	"thidua/internal/domain"
	"thidua/internal/pgtest"
)

// TestAmendmentAfterAppraisal: amending a tiered criterion once forms are
// appraised moves the unit's, the appraisal team's and the final points
// with the new tiers (and every total with them); once a form of the set
// is locked, an amendment is refused with 409 and nothing is written.
func TestAmendmentAfterAppraisal(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ctx := context.Background()
	campaign, p, set := campaignWithSet(t, db)
	tiered := domain.Criterion{Code: "1", Title: "Tỷ lệ hồ sơ trực tuyến", Max: 1000, Method: domain.MethodTiers, Step: 25,
		Tiers: []domain.Tier{{Min: 0, Points: 0}, {Min: 50, Points: 500}, {Min: 90, Points: 1000}}}
	var err error
	if tiered.ID, err = db.SaveCriterion(ctx, set, tiered, ""); err != nil {
		t.Fatal(err)
	}
	form := func(name string, status domain.AssessmentStatus) int64 {
		unit, err := db.CreateUnit(ctx, domain.UnitInput{Name: name, Kind: domain.KindDepartment, ValidFrom: domain.Day(2020, 1, 1)})
		if err != nil {
			t.Fatal(err)
		}
		var id int64
		if err := db.Pool.QueryRow(ctx, `INSERT INTO assessments (campaign_id, set_id, phase_id, unit_id, status) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			campaign, set, p.ID, unit, status).Scan(&id); err != nil {
			t.Fatal(err)
		}
		// The unit measured 95 (10 points), the team 70 (5), final 70.
		if _, err := db.Pool.Exec(ctx, `INSERT INTO scores (campaign_id, assessment_id, criterion_id, measured, points, appraised_measured,
			appraised_points, final_measured, final_points) VALUES ($1, $2, $3, 95, 1000, 70, 500, 70, 500)`, campaign, id, tiered.ID); err != nil {
			t.Fatal(err)
		}
		return id
	}
	a := form("Sở Tài chính", domain.AssessAppraised)
	read := func() string {
		var pts, ap, fp, conv, aconv, fconv int64
		if err := db.Pool.QueryRow(ctx, `SELECT s.points, s.appraised_points, s.final_points, f.converted, f.appraised_converted, f.final_converted
			FROM scores s JOIN assessments f ON f.id = s.assessment_id WHERE f.id = $1`, a).Scan(&pts, &ap, &fp, &conv, &aconv, &fconv); err != nil {
			t.Fatal(err)
		}
		return domain.Points(pts).String() + " " + domain.Points(ap).String() + " " + domain.Points(fp).String() + " | " +
			domain.Points(conv).String() + " " + domain.Points(aconv).String() + " " + domain.Points(fconv).String()
	}

	// From 60 upwards is now 7 points (70 → 7), from 95 the full 10.
	tiered.Tiers = []domain.Tier{{Min: 0, Points: 0}, {Min: 60, Points: 700}, {Min: 95, Points: 1000}}
	if _, err := db.SaveCriterion(ctx, set, tiered, "Điều chỉnh ngưỡng theo Kế hoạch sửa đổi"); err != nil {
		t.Fatal(err)
	}
	if got, want := read(), "10 7 7 | 100 70 70"; got != want {
		t.Errorf("after the amendment: %s, want %s", got, want)
	}

	// A locked form: the next amendment is refused and writes nothing.
	form("Sở Xây dựng", domain.AssessLocked)
	var version, amendments int
	count := func() (int, int) {
		_ = db.Pool.QueryRow(ctx, `SELECT (SELECT version FROM criteria_sets WHERE id = $1), (SELECT count(*) FROM criteria_amendments WHERE set_id = $1)`,
			set).Scan(&version, &amendments)
		return version, amendments
	}
	v0, n0 := count()
	tiered.Tiers = []domain.Tier{{Min: 0, Points: 0}, {Min: 50, Points: 800}, {Min: 95, Points: 1000}}
	_, err = db.SaveCriterion(ctx, set, tiered, "Sửa lần hai")
	var de *domain.Error
	if !errors.As(err, &de) || de.Code != domain.ECONFLICT || de.Message != "criteria.amend.locked" {
		t.Fatalf("amendment with a locked form: %v, want the conflict criteria.amend.locked", err)
	}
	if v1, n1 := count(); v1 != v0 || n1 != n0 || read() != "10 7 7 | 100 70 70" {
		t.Errorf("the refused amendment wrote: version %d→%d, amendments %d→%d, %s", v0, v1, n0, n1, read())
	}
}
