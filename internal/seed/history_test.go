package seed

import (
	"context"
	"testing"

	"thidua/internal/domain"
	"thidua/internal/pgtest"
)

// TestDemoHistory: the demo has past awards, among them those of the
// communes merged into UBND xã Mỹ Thọ on 01/07/2025, seen from it; Sở Công
// Thương has an inspection pending today, UBND xã Mỹ Thọ a lifted
// complaint.
func TestDemoHistory(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ctx := context.Background()
	if _, _, err := Demo(ctx, db); err != nil {
		t.Fatal(err)
	}
	unit := func(code string) int64 {
		var id int64
		if err := db.Pool.QueryRow(ctx, `SELECT id FROM units WHERE code = $1 ORDER BY valid_from DESC LIMIT 1`, code).Scan(&id); err != nil {
			t.Fatal(err)
		}
		return id
	}
	history, err := db.AchievementsOf(ctx, domain.Subject{UnitID: unit("29994")})
	if err != nil {
		t.Fatal(err)
	}
	via := map[string]int{}
	for _, a := range history {
		via[a.Via]++
	}
	if via[""] != 1 || via["UBND thị trấn Mỹ Thọ"] != 2 || via["UBND xã Mỹ Hội"] != 2 {
		t.Errorf("history of UBND xã Mỹ Thọ by unit: %v", via)
	}
	today := domain.DateOf(db.Now())
	flags, err := db.FlagsOf(ctx, domain.Subject{UnitID: unit("SCT")})
	if err != nil || len(flags) != 1 || !flags[0].PendingOn(today) || flags[0].Kind != domain.FlagInspection {
		t.Errorf("Sở Công Thương's flags: %+v, %v", flags, err)
	}
	lifted, err := db.FlagRecords(ctx, domain.Subject{UnitID: unit("29994")})
	if err != nil || len(lifted) != 1 || !lifted[0].Lifted() || lifted[0].PendingOn(today) {
		t.Errorf("UBND xã Mỹ Thọ's flags: %+v, %v", lifted, err)
	}
	var people int
	_ = db.Pool.QueryRow(ctx, `SELECT count(*) FROM achievements WHERE person_id IS NOT NULL`).Scan(&people)
	if people != 2 {
		t.Errorf("%d awards of people, want 2", people)
	}
}
