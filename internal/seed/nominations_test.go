package seed

import (
	"context"
	"testing"

	"thidua/internal/pgtest"
	"thidua/internal/storage"
)

// TestDemoNominations: the running campaign has nominations in every state
// the unit and staff take them through, each with its steps, and the
// received one carries the signed scan and the vote minutes.
func TestDemoNominations(t *testing.T) {
	db := pgtest.NewDB(t)
	ctx := context.Background()
	if _, _, err := Demo(ctx, db, WithEvidence(&storage.Local{Dir: t.TempDir()})); err != nil {
		t.Fatal(err)
	}
	rows, err := db.Pool.Query(ctx, `SELECT n.status, count(*), count(n.vote_file_id), min(u.code),
			(SELECT count(*) FROM nomination_steps s JOIN nominations m ON m.id = s.nomination_id WHERE m.status = n.status)
		FROM nominations n JOIN units u ON u.id = n.unit_id GROUP BY n.status`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := map[string][4]int{}
	for rows.Next() {
		var status, code string
		var count, files, steps int
		if err := rows.Scan(&status, &count, &files, &code, &steps); err != nil {
			t.Fatal(err)
		}
		got[status] = [4]int{count, files, steps}
	}
	// The received one went through the demo shortlist's proposal (seedAwards):
	// not shortlisted, its unit having no approved result, with that step.
	want := map[string][4]int{"draft": {1, 0, 1}, "submitted": {2, 1, 4}, "returned": {1, 0, 3}, "not_shortlisted": {1, 1, 4}}
	for st, w := range want {
		if got[st] != w {
			t.Errorf("%s: %v (nominations, with vote minutes, steps), want %v; all: %v", st, got[st], w, got)
		}
	}
}
