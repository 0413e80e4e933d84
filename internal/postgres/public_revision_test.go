package postgres_test

import (
	"context"
	"slices"
	"testing"

	"thidua/internal/domain"
	"thidua/internal/pgtest"
	"thidua/internal/postgres"
)

// A campaign's public revision (migration 000028) moves with a change,
// made by hand in SQL, to every kind of row its public page is drawn from,
// and only for the campaign whose page it is.
func TestPublicRevisionFollowsChanges(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ctx := context.Background()
	campaign, phase, set := campaignWithSet(t, db)
	other, err := db.CreateCampaign(ctx, &domain.Campaign{PlanNumber: "2/KH", Title: "Phong trào khác", IssuerName: "Sở Nội vụ",
		IssueDate: domain.Day(2026, 1, 1), Kind: domain.KindRegular, PeriodStart: domain.Day(2026, 1, 1), PeriodEnd: domain.Day(2026, 12, 31)}, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SaveCriterion(ctx, set, domain.Criterion{Code: "1", Title: "Công tác chỉ đạo", Max: 1000, Method: domain.MethodPoints, Step: 25}, ""); err != nil {
		t.Fatal(err)
	}
	scope, err := db.CreateUnit(ctx, domain.UnitInput{Name: "Huyện Mộc Châu", Kind: domain.KindDistrict, ValidFrom: domain.Day(2020, 1, 1)})
	if err != nil {
		t.Fatal(err)
	}
	forms, err := db.AwardForms(ctx)
	if err != nil || len(forms) < 2 {
		t.Fatalf("award forms: %v, %d", err, len(forms))
	}
	if err := db.SaveAwardPlan(ctx, postgres.AwardPlan{CampaignID: campaign, AwardFormID: forms[0].ID}); err != nil {
		t.Fatal(err)
	}
	if err := db.SaveAwardPlan(ctx, postgres.AwardPlan{CampaignID: other, AwardFormID: forms[1].ID}); err != nil {
		t.Fatal(err)
	}
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := db.Pool.Exec(ctx, sql, args...); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	exec(`UPDATE campaigns SET scope_unit_id = $2 WHERE id = $1`, campaign, scope)
	revision := func(id int64) int64 {
		t.Helper()
		acc, err := db.CampaignAccess(ctx, id, 0)
		if err != nil {
			t.Fatal(err)
		}
		return acc.PublicRevision
	}
	for _, c := range []struct {
		name string
		sql  string
		args []any
	}{
		{"the campaign", `UPDATE campaigns SET title = title || '.' WHERE id = $1`, []any{campaign}},
		{"a phase", `UPDATE phases SET name = 'Đợt I' WHERE id = $1`, []any{phase.ID}},
		{"a new phase", `INSERT INTO phases (campaign_id, seq, name, start_date, end_date, review_kind)
			VALUES ($1, 2, 'Đợt 2', '2026-06-01', '2026-12-31', 'annual')`, []any{campaign}},
		{"a phase deleted", `DELETE FROM phases WHERE campaign_id = $1 AND seq = 2`, []any{campaign}},
		{"a criterion", `UPDATE criteria SET title = 'Chỉ đạo, điều hành' WHERE set_id = $1`, []any{set}},
		{"a criteria set", `UPDATE criteria_sets SET name = 'Bộ tiêu chí sở' WHERE id = $1`, []any{set}},
		{"an award plan", `UPDATE award_plans SET note = 'Theo Luật Thi đua, khen thưởng' WHERE campaign_id = $1`, []any{campaign}},
		{"a quota", `UPDATE award_quotas SET quota = 3 WHERE plan_id IN (SELECT id FROM award_plans WHERE campaign_id = $1)`, []any{campaign}},
		{"a rule", `INSERT INTO award_rules (plan_id, kind, min_band) SELECT id, 'min_band', 'good' FROM award_plans WHERE campaign_id = $1`, []any{campaign}},
		{"the award form", `UPDATE award_forms SET legal_basis = legal_basis || ' ' WHERE id = $1`, []any{forms[0].ID}},
		{"an attachment", `INSERT INTO campaign_attachments (key, campaign_id, file_name, sha256, size, content_type)
			VALUES ('k-public-revision-0000000000000001', $1, 'ke-hoach.pdf', repeat('a', 64), 10, 'application/pdf')`, []any{campaign}},
		{"the scope unit", `UPDATE units SET name = 'Thị xã Mộc Châu' WHERE id = $1`, []any{scope}},
	} {
		before, beforeOther := revision(campaign), revision(other)
		exec(c.sql, c.args...)
		if got := revision(campaign); got <= before {
			t.Errorf("%s changed: revision %d → %d, want it moved", c.name, before, got)
		}
		if got := revision(other); got != beforeOther {
			t.Errorf("%s of another campaign changed: revision of this one %d → %d, want it kept", c.name, beforeOther, got)
		}
	}
	// The tables whose rows carry their campaign and are not changed above
	// (notices, shortlists, results need a whole appraisal to exist) have
	// the same triggers as phases: every table the page reads has them.
	rows, err := db.Pool.Query(ctx, `SELECT c.relname, count(*) FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid
		WHERE g.tgname LIKE 'public_touch_%' GROUP BY c.relname ORDER BY c.relname`)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var table string
		var n int
		if err := rows.Scan(&table, &n); err != nil {
			t.Fatal(err)
		}
		if want := 4; table == "campaigns" || table == "award_forms" || table == "units" {
			want = 3 // no row inserted there is on a page yet
			if n != want {
				t.Errorf("%s has %d triggers, want %d", table, n, want)
			}
		} else if n != want {
			t.Errorf("%s has %d triggers, want %d", table, n, want)
		}
		got = append(got, table)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	want := []string{"award_forms", "award_plans", "award_quotas", "award_rules", "campaign_attachments", "campaigns",
		"criteria_sets", "notices", "phase_results", "phases", "shortlists", "units"}
	if !slices.Equal(got, want) {
		t.Errorf("tables with the triggers: %v, want %v", got, want)
	}
}
