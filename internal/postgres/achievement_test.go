package postgres_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"thidua/internal/domain"
	"thidua/internal/pgtest"
)

// TestAchievementsAcrossMerger: a commune merged on 01/07/2025 keeps its
// awards, and they are part of the history seen from the commune it merged
// into (named after the predecessor), not of an unrelated unit's; a
// person's history is their own; flags come back lifted or not.
func TestAchievementsAcrossMerger(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ctx := context.Background()
	district := mustUnit(t, db, domain.UnitInput{Name: "UBND huyện Cao Lãnh", Kind: domain.KindDistrict, Code: "876"})
	province := mustUnit(t, db, domain.UnitInput{Name: "UBND tỉnh Đồng Tháp", Kind: domain.KindProvince, Code: "87"})
	a := mustUnit(t, db, domain.UnitInput{Name: "UBND thị trấn Mỹ Thọ", Code: "29995", ParentID: &district})
	b := mustUnit(t, db, domain.UnitInput{Name: "UBND xã Mỹ Hội", Code: "29998", ParentID: &district})
	other := mustUnit(t, db, domain.UnitInput{Name: "UBND xã Bình Hàng Trung", Code: "30007", ParentID: &district})
	person, err := db.CreatePerson(ctx, domain.PersonInput{FullName: "Nguyễn Văn An", Category: domain.CategoryCanBo, UnitID: b, From: before})
	if err != nil {
		t.Fatal(err)
	}
	_, created, err := db.Reorganise(ctx, domain.Reorganisation{Kind: domain.EventMerge, EffectiveDate: day0701,
		Decision: "Nghị quyết số 1663/NQ-UBTVQH15", Sources: []int64{a, b},
		Targets: []domain.UnitInput{{Name: "UBND xã Mỹ Thọ", Code: "29994", Kind: domain.KindCommune, ParentID: &province}}})
	if err != nil {
		t.Fatal(err)
	}
	merged := created[0]
	add := func(unit, person any, year int, title string) {
		if _, err := db.Pool.Exec(ctx, `INSERT INTO achievements (unit_id, person_id, year, title, decision_number, source)
			VALUES ($1, $2, $3, $4, $5, 'import')`, unit, person, year, title, fmt.Sprintf("%d/QĐ-UBND", year)); err != nil {
			t.Fatal(err)
		}
	}
	add(a, nil, 2023, "Tập thể lao động tiên tiến")
	add(b, nil, 2024, "Giấy khen")
	add(merged, nil, 2025, "Cờ thi đua của Ủy ban nhân dân tỉnh")
	add(other, nil, 2024, "Bằng khen")
	add(nil, person, 2024, "Chiến sĩ thi đua cơ sở")

	got, err := db.AchievementsOf(ctx, domain.Subject{UnitID: merged})
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, x := range got {
		lines = append(lines, x.Title+" "+x.Via)
	}
	if want := "Cờ thi đua của Ủy ban nhân dân tỉnh |Giấy khen UBND xã Mỹ Hội|Tập thể lao động tiên tiến UBND thị trấn Mỹ Thọ"; strings.Join(lines, "|") != want {
		t.Errorf("history of the merged commune:\n%s\nwant\n%s", strings.Join(lines, "|"), want)
	}
	if own, _ := db.AchievementsOf(ctx, domain.Subject{UnitID: b}); len(own) != 1 || own[0].Via != "" {
		t.Errorf("a predecessor's own history: %+v", own)
	}
	if mine, _ := db.AchievementsOf(ctx, domain.Subject{PersonID: person}); len(mine) != 1 || mine[0].Title != "Chiến sĩ thi đua cơ sở" {
		t.Errorf("a person's history: %+v", mine)
	}

	if _, err := db.Pool.Exec(ctx, `INSERT INTO pending_flags (unit_id, kind, reason, valid_from, valid_to) VALUES
		($1, 'inspection', 'Thanh tra công vụ năm 2025', '2025-03-01', '2025-06-30'), ($1, 'complaint', 'Đơn khiếu nại số 12', '2026-01-05', NULL)`, merged); err != nil {
		t.Fatal(err)
	}
	flags, err := db.FlagsOf(ctx, domain.Subject{UnitID: merged})
	if err != nil || len(flags) != 2 || flags[0].Kind != domain.FlagComplaint || flags[1].To == nil {
		t.Fatalf("flags %+v, %v", flags, err)
	}
	if !flags[0].PendingOn(domain.Day(2026, 12, 1)) || flags[1].PendingOn(domain.Day(2026, 12, 1)) || !flags[1].PendingOn(domain.Day(2025, 6, 30)) {
		t.Error("PendingOn reads the dates wrong")
	}
	// A person's flags are not the unit's.
	if none, _ := db.FlagsOf(ctx, domain.Subject{PersonID: person}); len(none) != 0 {
		t.Errorf("the person has the unit's flags: %+v", none)
	}
}
