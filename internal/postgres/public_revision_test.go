package postgres_test

import (
	"context"
	"slices"
	"testing"
	"time"

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
	// the same trigger as phases: every table the page reads has it,
	// deferred to the commit (so that it holds the revision's row only
	// while the transaction commits).
	rows, err := db.Pool.Query(ctx, `SELECT c.relname, g.tgdeferrable AND g.tginitdeferred FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid
		WHERE g.tgname = 'public_touch' ORDER BY c.relname`)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var table string
		var deferred bool
		if err := rows.Scan(&table, &deferred); err != nil {
			t.Fatal(err)
		}
		if !deferred {
			t.Errorf("the trigger on %s is not deferred to the commit", table)
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

// The revision's row is taken only as a transaction commits: a transaction
// that locked the campaign's row and then changes a tracked table, and one
// that changed a tracked table and then waits for the campaign's row (a
// foreign key check), do not deadlock. Bumped at the change, the first
// would wait for the revision's row held by the second, which waits for it.
func TestPublicRevisionTakesNoLockBeforeCommit(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ctx := context.Background()
	campaign, _, _ := campaignWithSet(t, db)
	forms, err := db.AwardForms(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SaveAwardPlan(ctx, postgres.AwardPlan{CampaignID: campaign, AwardFormID: forms[0].ID}); err != nil {
		t.Fatal(err)
	}
	before, err := db.CampaignAccess(ctx, campaign, 0)
	if err != nil {
		t.Fatal(err)
	}
	a, err := db.Pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Rollback(ctx)
	b, err := db.Pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Rollback(ctx)
	var bPID int
	if err := b.QueryRow(ctx, `SELECT pg_backend_pid()`).Scan(&bPID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Exec(ctx, `SELECT 1 FROM campaigns WHERE id = $1 FOR UPDATE`, campaign); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Exec(ctx, `UPDATE phases SET name = 'Đợt I' WHERE campaign_id = $1`, campaign); err != nil {
		t.Fatal(err)
	}
	inserted := make(chan error, 1)
	go func() {
		_, err := b.Exec(ctx, `INSERT INTO campaign_attachments (key, campaign_id, file_name, sha256, size, content_type)
			VALUES ('k-public-revision-lock-000000000001', $1, 'ke-hoach.pdf', repeat('b', 64), 10, 'application/pdf')`, campaign)
		inserted <- err
	}()
	// Wait until b waits for the campaign's row.
	for i := 0; ; i++ {
		var waiting bool
		if err := db.Pool.QueryRow(ctx, `SELECT coalesce(wait_event_type = 'Lock', false) FROM pg_stat_activity WHERE pid = $1`, bPID).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		if waiting {
			break
		}
		if i == 500 {
			t.Fatal("the insert never waited for the campaign's row")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if _, err := a.Exec(ctx, `UPDATE award_plans SET note = 'Theo Luật' WHERE campaign_id = $1`, campaign); err != nil {
		t.Fatalf("the campaign's holder changing a tracked table: %v", err)
	}
	if err := a.Commit(ctx); err != nil {
		t.Fatalf("commit of the campaign's holder: %v", err)
	}
	if err := <-inserted; err != nil {
		t.Fatalf("the waiting insert: %v", err)
	}
	if err := b.Commit(ctx); err != nil {
		t.Fatalf("commit of the waiting transaction: %v", err)
	}
	after, err := db.CampaignAccess(ctx, campaign, 0)
	if err != nil {
		t.Fatal(err)
	}
	if after.PublicRevision < before.PublicRevision+2 {
		t.Errorf("revision %d → %d, want both transactions to have moved it", before.PublicRevision, after.PublicRevision)
	}
}
