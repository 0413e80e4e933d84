package postgres_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"thidua/internal/domain"
	"thidua/internal/pgtest"
	"thidua/internal/postgres"
)

func TestSearchPeopleIgnoresAccents(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ctx := context.Background()
	unit := mustUnit(t, db, domain.UnitInput{Name: "Sở Nội vụ", Kind: domain.KindDepartment})
	other := mustUnit(t, db, domain.UnitInput{Name: "Sở Y tế", Kind: domain.KindDepartment})
	for _, p := range []struct {
		name string
		unit int64
	}{{"Nguyễn Văn A", unit}, {"Nguyễn Văn Ánh", unit}, {"Đặng Thị Bình", unit}, {"Nguyễn Văn An", other}, {"Trần Văn B", unit}} {
		if _, err := db.CreatePerson(ctx, domain.PersonInput{FullName: p.name, Category: domain.CategoryCongChuc, UnitID: p.unit, From: before}); err != nil {
			t.Fatal(err)
		}
	}
	search := func(q string, u *int64) []string {
		page, err := db.SearchPeople(ctx, postgres.PeopleFilter{Query: q, UnitID: u, Day: day0701, Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, p := range page.People {
			names = append(names, p.FullName)
		}
		return names
	}
	want := []string{"Nguyễn Văn A", "Nguyễn Văn An", "Nguyễn Văn Ánh"}
	for _, q := range []string{"nguyen van a", "NGUYỄN VĂN A", "Nguyễn Văn A"} {
		if diff := cmp.Diff(want, search(q, nil)); diff != "" {
			t.Errorf("%q (-want +got):\n%s", q, diff)
		}
	}
	if diff := cmp.Diff([]string{"Nguyễn Văn A", "Nguyễn Văn Ánh"}, search("nguyen van a", &unit)); diff != "" {
		t.Errorf("within a unit (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"Đặng Thị Bình", "Nguyễn Văn A", "Nguyễn Văn Ánh", "Trần Văn B"}, search("", &unit)); diff != "" {
		t.Errorf("Vietnamese order (-want +got):\n%s", diff)
	}
}

func TestMovePersonKeepsHistory(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ctx := context.Background()
	a := mustUnit(t, db, domain.UnitInput{Name: "A", Kind: domain.KindDepartment})
	b := mustUnit(t, db, domain.UnitInput{Name: "B", Kind: domain.KindDepartment})
	id, err := db.CreatePerson(ctx, domain.PersonInput{FullName: "Lê Văn Chuyển", Category: domain.CategoryCongChuc, UnitID: a, From: before})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.MovePerson(ctx, id, b, day0701); err != nil {
		t.Fatal(err)
	}
	ms, _ := db.Memberships(ctx, id)
	if len(ms) != 2 || ms[0].UnitID != a || ms[0].ValidTo == nil || !ms[0].ValidTo.Equal(day0701) || ms[1].UnitID != b {
		t.Errorf("memberships %+v", ms)
	}
	if err := db.MovePerson(ctx, id, a, day0630); err == nil {
		t.Error("a back-dated move was accepted")
	}
	units, _ := db.UnitsOfPerson(ctx, id)
	if len(units) != 2 {
		t.Errorf("units of person: %v", units)
	}
}

func TestInterruptedImportsFailAtStart(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ctx := context.Background()
	u, _, err := db.CreateUser(ctx, domain.NewUser{Email: "staff@example.vn", FullName: "Cán bộ", Role: domain.RoleStaff}, "x", "")
	if err != nil {
		t.Fatal(err)
	}
	ctx = domain.WithActor(ctx, domain.Actor{UserID: u.ID})
	if _, err := db.CreateImportJob(ctx, "0123456789abcdef0123", "units", "a.csv", "/tmp/a"); err != nil {
		t.Fatal(err)
	}
	n, err := db.FailInterruptedImports(ctx)
	if err != nil || n != 1 {
		t.Fatalf("marked %d, %v", n, err)
	}
	job, _ := db.ImportJobByKey(ctx, "0123456789abcdef0123")
	if job.Status != "failed" || job.Error != "interrupted" {
		t.Errorf("job %+v", job)
	}
}
