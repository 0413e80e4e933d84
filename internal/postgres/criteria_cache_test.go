package postgres_test

import (
	"context"
	"testing"

	"thidua/internal/domain"
	"thidua/internal/pgtest"
)

// TestFormCriteriaFollowsTheSet: the criteria a form page reads from the
// process's copy are the set as stored for the revision the form was read
// with. A change made outside this process (here by hand in SQL, as another
// instance or psql would) moves the set's revision, and the form read
// after it gets the changed tree; a form read before keeps the copy of its
// own revision while that is the copy held. Changing the returned slice
// does not change the copy.
func TestFormCriteriaFollowsTheSet(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ctx := context.Background()
	campaign, p, set := campaignWithSet(t, db)
	for _, c := range []domain.Criterion{
		{Code: "1", Title: "Công tác chỉ đạo", Max: 1000, Method: domain.MethodPoints, Step: 25},
		{Code: "2", Title: "Cải cách thủ tục", Max: 1000, Method: domain.MethodPoints, Step: 25},
	} {
		if _, err := db.SaveCriterion(ctx, set, c, ""); err != nil {
			t.Fatal(err)
		}
	}
	unit, err := db.CreateUnit(ctx, domain.UnitInput{Name: "Sở Tư pháp", Kind: domain.KindDepartment, ValidFrom: domain.Day(2020, 1, 1)})
	if err != nil {
		t.Fatal(err)
	}
	var id int64
	if err := db.Pool.QueryRow(ctx, `INSERT INTO assessments (campaign_id, set_id, phase_id, unit_id, status) VALUES ($1, $2, $3, $4, 'draft') RETURNING id`,
		campaign, set, p.ID, unit).Scan(&id); err != nil {
		t.Fatal(err)
	}
	titles := func(a *domain.Assessment) string {
		t.Helper()
		nodes, err := db.FormCriteria(ctx, a)
		if err != nil {
			t.Fatal(err)
		}
		s := ""
		for _, n := range nodes {
			s += n.Code + " " + n.Title + "; "
		}
		return s
	}
	read := func() *domain.Assessment {
		t.Helper()
		a, err := db.AssessmentByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	before := read()
	if got, want := titles(before), "1 Công tác chỉ đạo; 2 Cải cách thủ tục; "; got != want {
		t.Fatalf("first read: %q, want %q", got, want)
	}
	nodes, _ := db.FormCriteria(ctx, before)
	nodes[0].Title = "đã sửa trong bộ nhớ"

	steps := []struct{ sql, want string }{
		{`UPDATE criteria SET title = 'Công tác chỉ đạo, điều hành' WHERE set_id = $1 AND code = '1'`, "1 Công tác chỉ đạo, điều hành; 2 Cải cách thủ tục; "},
		{`INSERT INTO criteria (set_id, seq, code, title, max_points, method, step) VALUES ($1, 3, '3', 'Chính quyền số', 500, 'points', 25)`,
			"1 Công tác chỉ đạo, điều hành; 2 Cải cách thủ tục; 3 Chính quyền số; "},
		{`DELETE FROM criteria WHERE set_id = $1 AND code = '2'`, "1 Công tác chỉ đạo, điều hành; 3 Chính quyền số; "},
	}
	prev := "1 Công tác chỉ đạo; 2 Cải cách thủ tục; "
	for _, st := range steps {
		if _, err := db.Pool.Exec(ctx, st.sql, set); err != nil {
			t.Fatal(err)
		}
		// The form read before the change is served the copy of its own
		// revision, without a query: what it held, not the edit in memory.
		if got := titles(before); got != prev {
			t.Errorf("before %s: %q, want the copy %q", st.sql, got, prev)
		}
		prev = st.want
		after := read()
		if after.SetRevision <= before.SetRevision {
			t.Fatalf("%s: revision %d, was %d", st.sql, after.SetRevision, before.SetRevision)
		}
		if got := titles(after); got != st.want {
			t.Errorf("after %s: %q, want %q", st.sql, got, st.want)
		}
		before = after
	}
}
