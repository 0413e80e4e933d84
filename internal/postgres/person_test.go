package postgres_test

import (
	"context"
	"strings"
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

// TestImportJobQueued: the upload's job row and its dry run's queue job
// commit together; a double click on "run" queues one import; a job whose
// queue job is gone (its last attempt died with its instance) reads as
// stranded, and the clean-up ends it and releases its file once.
func TestImportJobQueued(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ctx := context.Background()
	u, _, err := db.CreateUser(ctx, domain.NewUser{Email: "staff@example.vn", FullName: "Cán bộ", Role: domain.RoleStaff}, "x", "")
	if err != nil {
		t.Fatal(err)
	}
	ctx = domain.WithActor(ctx, domain.Actor{UserID: u.ID, RequestID: "req-1"})
	sum := strings.Repeat("ab", 32)
	job, err := db.CreateImportJob(ctx, "0123456789abcdef0123", "units", "a.csv", sum)
	if err != nil {
		t.Fatal(err)
	}
	queued := func(dryRun bool) (n int) {
		t.Helper()
		_ = db.Pool.QueryRow(ctx, `SELECT count(*) FROM river_job WHERE kind = 'run_import' AND args->>'key' = $1
			AND (args->>'dry_run')::boolean = $2 AND (args->>'user_id')::bigint = $3`, job.Key, dryRun, u.ID).Scan(&n)
		return n
	}
	if queued(true) != 1 || job.FileSum != sum || job.Status != "checking" || job.Stranded || job.Attempt != 1 {
		t.Fatalf("after the upload: %d dry runs queued, job %+v", queued(true), job)
	}
	// The dry run found no problem; two clicks on "run".
	if err := db.FinishImportJob(ctx, job.Key, "checked", &domain.ImportReport{DryRun: true, Rows: 1, Inserted: 1}, "", nil); err != nil {
		t.Fatal(err)
	}
	_, _ = db.Pool.Exec(ctx, `UPDATE river_job SET state = 'completed', finalized_at = now() WHERE args->>'key' = $1`, job.Key)
	job, _ = db.ImportJobByKey(ctx, job.Key)
	first, err1 := db.StartImportRun(ctx, job)
	second, err2 := db.StartImportRun(ctx, job)
	if !first || second || err1 != nil || err2 != nil || queued(false) != 1 {
		t.Fatalf("two clicks: %v %v %v %v, %d imports queued", first, second, err1, err2, queued(false))
	}
	// The import's queue job was discarded (a killed instance, its last
	// attempt): the job reads as stranded until the clean-up ends it.
	_, _ = db.Pool.Exec(ctx, `UPDATE river_job SET state = 'discarded', finalized_at = now() WHERE args->>'key' = $1`, job.Key)
	job, _ = db.ImportJobByKey(ctx, job.Key)
	if !job.Stranded || job.Status != "importing" {
		t.Fatalf("discarded import: %+v", job)
	}
	for i := range 2 {
		files, paths, err := db.ReleaseImportFiles(ctx, "hết hạn", "hỏng")
		if err != nil || len(paths) != 0 || len(files) != 1-i || (i == 0 && files[0] != sum) {
			t.Fatalf("clean-up %d: %+v %v %v", i, files, paths, err)
		}
	}
	job, _ = db.ImportJobByKey(ctx, job.Key)
	if job.Status != "failed" || job.Error != "hỏng" || job.FileSum != "" || job.Stranded {
		t.Errorf("after the clean-up: %+v", job)
	}
}
