package postgres_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"thidua/internal/domain"
	"thidua/internal/pgtest"
	"thidua/internal/postgres"
)

// TestEndedImportDropsItsFile: an import that ends deletes its file in the
// same transaction, unless another job not ended has the same content; and
// an upload of the same content committing while the ending job decides
// makes it wait and keep the file (the two take the content's lock).
func TestEndedImportDropsItsFile(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ctx, u := staffActing(t, db)
	sum := strings.Repeat("cd", 32)
	var mu sync.Mutex
	var deleted []string
	del := func(_ context.Context, s string) {
		mu.Lock()
		defer mu.Unlock()
		deleted = append(deleted, s)
	}
	deletions := func() int {
		mu.Lock()
		defer mu.Unlock()
		return len(deleted)
	}
	create := func(key string) {
		t.Helper()
		if _, err := db.CreateImportJob(ctx, key, "awards", "khen-thuong.csv", sum); err != nil {
			t.Fatal(err)
		}
	}

	// Alone, the ended job deletes its file as it ends; "checked" keeps it.
	create("job-one-000000000000")
	if err := db.FinishImportJob(ctx, "job-one-000000000000", "checked", &domain.ImportReport{DryRun: true}, "", del); err != nil || deletions() != 0 {
		t.Fatalf("checked: %v, %d deletions", err, deletions())
	}
	if err := db.FinishImportJob(ctx, "job-one-000000000000", "done", &domain.ImportReport{}, "", del); err != nil || deletions() != 1 || deleted[0] != sum {
		t.Fatalf("done: %v, deleted %v", err, deleted)
	}
	if j, _ := db.ImportJobByKey(ctx, "job-one-000000000000"); j.FileSum != "" || j.Status != "done" {
		t.Fatalf("after the end: %+v", j)
	}

	// Two jobs with the same content: the first to fail leaves the file.
	create("job-two-000000000000")
	create("job-three-0000000000")
	if err := db.FinishImportJob(ctx, "job-two-000000000000", "failed", nil, "hỏng", del); err != nil || deletions() != 1 {
		t.Fatalf("failed beside a live job: %v, %d deletions", err, deletions())
	}

	// An upload of the same content holds the content's lock, its row not
	// yet committed, while the third job ends: the end waits, then sees the
	// new job and keeps the file.
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('stored file ' || $1, 0))`, sum); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO import_jobs (key, kind, file_name, file_path, file_sum, status, created_by)
		VALUES ('job-four-00000000000', 'awards', 'khen-thuong.csv', '', $1, 'checking', $2)`, sum, u.ID); err != nil {
		t.Fatal(err)
	}
	ended := make(chan error, 1)
	go func() {
		ended <- db.FinishImportJob(ctx, "job-three-0000000000", "done", &domain.ImportReport{}, "", del)
	}()
	waitForLockWait(t, db)
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if err := <-ended; err != nil || deletions() != 1 {
		t.Fatalf("ended beside an upload: %v, %d deletions", err, deletions())
	}

	// The clean-up releases nothing more while the fourth job lives; once it
	// ends, the content goes.
	if err := db.FinishImportJob(ctx, "job-four-00000000000", "failed", nil, "hỏng", del); err != nil || deletions() != 2 {
		t.Fatalf("last job failed: %v, %d deletions", err, deletions())
	}
	sums, _, err := db.ReleaseImportFiles(ctx, "hết hạn", "hỏng")
	if err != nil || len(sums) != 0 {
		t.Fatalf("clean-up after: %v %v", sums, err)
	}
}

// staffActing creates a staff user and returns a context acting as them.
func staffActing(t *testing.T, db *postgres.DB) (context.Context, *domain.User) {
	t.Helper()
	ctx := context.Background()
	u, _, err := db.CreateUser(ctx, domain.NewUser{Email: "staff@example.vn", FullName: "Cán bộ", Role: domain.RoleStaff}, "x", "")
	if err != nil {
		t.Fatal(err)
	}
	return domain.WithActor(ctx, domain.Actor{UserID: u.ID}), u
}

// waitForLockWait returns once some session of db waits for a lock.
func waitForLockWait(t *testing.T, db *postgres.DB) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var n int
		if err := db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM pg_stat_activity
			WHERE wait_event_type = 'Lock' AND datname = current_database()`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("nobody waits for the content's lock")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestUploadClaimsItsFile: a row that comes to refer to a stored content
// asks the store for it only once it holds the content's lock, and a
// content gone by then (deleted by a job ending meanwhile) is refused
// with nothing written.
func TestUploadClaimsItsFile(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ctx, _ := staffActing(t, db)
	campaign, err := db.CreateCampaign(ctx, quangNgai(), "")
	if err != nil {
		t.Fatal(err)
	}
	sum := strings.Repeat("ef", 32)
	var mu sync.Mutex
	stored, asked := false, 0
	db.FileStored = func(_ context.Context, s string) (bool, error) {
		mu.Lock()
		defer mu.Unlock()
		if s != sum {
			t.Errorf("asked for %s", s)
		}
		asked++
		return stored, nil
	}
	count := func() (n int) {
		_ = db.Pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM import_jobs) + (SELECT count(*) FROM campaign_attachments)`).Scan(&n)
		return n
	}

	// The content is gone: both kinds of rows are refused.
	_, err = db.CreateImportJob(ctx, "job-gone-000000000000", "units", "don-vi.csv", sum)
	if domain.ErrorCode(err) != domain.ECONFLICT || count() != 0 {
		t.Fatalf("import of a content gone: %v, %d rows", err, count())
	}
	err = db.AddAttachment(ctx, postgres.Attachment{Key: "attachment-gone-00000000", CampaignID: campaign, FileName: "ke-hoach.pdf",
		SHA256: sum, Size: 10, ContentType: "application/pdf"})
	if domain.ErrorCode(err) != domain.ECONFLICT || count() != 0 || asked != 2 {
		t.Fatalf("attachment of a content gone: %v, %d rows, asked %d times", err, count(), asked)
	}

	// The content is there, but an ending job holds its lock: the upload
	// waits for it before asking the store.
	stored = true
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('stored file ' || $1, 0))`, sum); err != nil {
		t.Fatal(err)
	}
	created := make(chan error, 1)
	go func() {
		_, err := db.CreateImportJob(ctx, "job-kept-000000000000", "units", "don-vi.csv", sum)
		created <- err
	}()
	waitForLockWait(t, db)
	mu.Lock()
	before := asked
	mu.Unlock()
	if before != 2 {
		t.Fatalf("the store was asked before the lock: %d", before)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if err := <-created; err != nil || count() != 1 || asked != 3 {
		t.Fatalf("upload after the lock: %v, %d rows, asked %d times", err, count(), asked)
	}
}
