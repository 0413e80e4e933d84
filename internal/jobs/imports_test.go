package jobs_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"thidua/internal/domain"
	"thidua/internal/i18n"
	"thidua/internal/jobs"
	"thidua/internal/password"
	"thidua/internal/pgtest"
	"thidua/internal/postgres"
	"thidua/internal/storage"
)

// unitsFile is a units import of a province and n communes: over a
// thousand rows, so that the import records its progress on the way.
func unitsFile(n int) []byte {
	var b bytes.Buffer
	b.WriteString("ma,ten,ten_viet_tat,loai,ma_cap_tren,hieu_luc_tu,hieu_luc_den\n")
	b.WriteString("T0,UBND tỉnh Nhập Thử,,tỉnh,,01/07/2025,\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "T%d,UBND xã Nhập Thử %d,,xã,T0,01/07/2025,\n", i, i)
	}
	return b.Bytes()
}

// staffCtx is a context acting for a new staff user.
func staffCtx(t *testing.T, db *postgres.DB) context.Context {
	t.Helper()
	hash, _ := password.Hash("Mật khẩu thử nghiệm 2026", password.Default)
	u, _, err := db.CreateUser(context.Background(), domain.NewUser{Email: "canbo@sonv.gov.vn", FullName: "Cán bộ", Role: domain.RoleStaff}, hash, "")
	if err != nil {
		t.Fatal(err)
	}
	return domain.WithActor(context.Background(), domain.Actor{UserID: u.ID, RequestID: "req-import"})
}

// upload stores content and records its import job (the dry run queued),
// as the upload handler does.
func upload(t *testing.T, ctx context.Context, db *postgres.DB, store storage.Store, key string, content []byte) string {
	t.Helper()
	sum, _, err := store.Put(ctx, bytes.NewReader(content), 1<<30, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateImportJob(ctx, key, "units", "don-vi.csv", sum); err != nil {
		t.Fatal(err)
	}
	return sum
}

// startRunner starts a runner working imports from store.
func startRunner(t *testing.T, c jobs.Config) *jobs.Runner {
	t.Helper()
	c.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	c.Poll = 100 * time.Millisecond
	if c.RetryPolicy == nil {
		c.RetryPolicy = fastRetry{}
	}
	r, err := jobs.Start(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_ = r.Stop(ctx)
	})
	return r
}

// waitStatus polls the import job until its status is one of want.
func waitStatus(t *testing.T, db *postgres.DB, key string, want ...string) *postgres.ImportJob {
	t.Helper()
	for deadline := time.Now().Add(90 * time.Second); ; {
		job, err := db.ImportJobByKey(context.Background(), key)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range want {
			if job.Status == w {
				return job
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("import %s is %s, never %v (%+v)", key, job.Status, want, job)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// importOnce dry-runs and imports content on a fresh database with one
// runner, uninterrupted, and returns the import's report.
func importOnce(t *testing.T, content []byte) *domain.ImportReport {
	t.Helper()
	db := pgtest.NewDB(t)
	ctx := staffCtx(t, db)
	store := &storage.Local{Dir: t.TempDir()}
	key := "0123456789abcdef0123456789abcdef"
	upload(t, ctx, db, store, key, content)
	startRunner(t, jobs.Config{DB: db, Store: store, ScratchDir: t.TempDir()})
	job := waitStatus(t, db, key, "checked", "failed")
	if started, err := db.StartImportRun(ctx, job); !started || err != nil {
		t.Fatalf("run: %v %v", started, err)
	}
	return waitStatus(t, db, key, "done", "failed").Report
}

// TestImportHandedOverOnStop: an import started on runner A goes on
// runner B when A stops mid-way (its grace ends before the import does):
// A's transaction rolls back, the queue gives the job to B without
// counting A's attempt, B finishes it, and the report is the one of an
// uninterrupted run. The file leaves the store when the job ends; the
// scratch copies leave both disks.
func TestImportHandedOverOnStop(t *testing.T) {
	content := unitsFile(3000)
	want := importOnce(t, content)

	db := pgtest.NewDB(t)
	ctx := staffCtx(t, db)
	store := &storage.Local{Dir: t.TempDir()}
	key := "fedcba9876543210fedcba9876543210"
	sum := upload(t, ctx, db, store, key, content)
	scratchA, scratchB := t.TempDir(), t.TempDir()
	var armed atomic.Bool
	midway := make(chan int, 1)
	a := startRunner(t, jobs.WithImportProgress(jobs.Config{DB: db, Store: store, ScratchDir: scratchA, StopGrace: 300 * time.Millisecond},
		func(ctx context.Context, _ string, rows int) {
			if armed.Load() {
				select {
				case midway <- rows:
				default:
				}
				select { // a long import: still going when A stops
				case <-ctx.Done():
				case <-time.After(time.Minute):
				}
			}
		}))
	job := waitStatus(t, db, key, "checked", "failed")
	if job.Status != "checked" || !job.Report.OK() {
		t.Fatalf("dry run: %+v", job)
	}
	armed.Store(true)
	if started, err := db.StartImportRun(ctx, job); !started || err != nil {
		t.Fatalf("run: %v %v", started, err)
	}
	var rows int
	select {
	case rows = <-midway:
	case <-time.After(60 * time.Second):
		t.Fatal("the import never started on A")
	}
	if entries, _ := os.ReadDir(scratchA); len(entries) != 1 {
		t.Errorf("A reads from %d scratch files, want 1", len(entries))
	}
	startRunner(t, jobs.Config{DB: db, Store: store, ScratchDir: scratchB})
	stopCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := a.Stop(stopCtx); err != nil {
		t.Fatal(err)
	}
	if got := waitStatus(t, db, key, "importing", "done", "failed"); got.Status == "importing" && got.Attempt != 1 {
		t.Errorf("after A's stop the job shows attempt %d, want 1 (a stop is not an attempt)", got.Attempt)
	}
	job = waitStatus(t, db, key, "done", "failed")
	if job.Status != "done" {
		t.Fatalf("after the handover: %+v", job)
	}
	if diff := cmp.Diff(want, job.Report); diff != "" {
		t.Errorf("report differs from an uninterrupted run's (-want +got):\n%s", diff)
	}
	var units, audits, attempt int
	_ = db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM units WHERE code LIKE 'T%'`).Scan(&units)
	_ = db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE action = 'unit.import'`).Scan(&audits)
	_ = db.Pool.QueryRow(context.Background(), `SELECT attempt FROM river_job WHERE kind = 'run_import' AND NOT (args->>'dry_run')::boolean`).Scan(&attempt)
	if units != 3001 || audits != 1 || attempt != 1 {
		t.Errorf("%d units, %d imports audited, import job at attempt %d; want 3001, 1, 1 (A stopped after %d rows)", units, audits, attempt, rows)
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		_, err := store.Open(context.Background(), sum)
		if err == storage.ErrNotFound {
			break
		}
		if time.Now().After(deadline) { // the job deletes it just after recording "done"
			t.Errorf("the ended job's file is still in the store: %v", err)
			break
		}
	}
	for _, dir := range []string{scratchA, scratchB} {
		if entries, _ := os.ReadDir(dir); len(entries) != 0 {
			t.Errorf("%d scratch files left in %s", len(entries), dir)
		}
	}
}

// TestKilledImportRunsAgain: a job whose instance was killed (SIGKILL
// leaves it running in the queue, attempted an hour ago by a process that
// is gone) is rescued and run by another instance; its second attempt
// shows on the job.
func TestKilledImportRunsAgain(t *testing.T) {
	db := pgtest.NewDB(t)
	ctx := staffCtx(t, db)
	store := &storage.Local{Dir: t.TempDir()}
	key := "00112233445566778899aabbccddeeff"
	upload(t, ctx, db, store, key, unitsFile(10))
	if _, err := db.Pool.Exec(ctx, `UPDATE river_job SET state = 'running', attempt = 1, attempted_at = now() - interval '1 hour',
		attempted_by = ARRAY['killed-instance'] WHERE kind = 'run_import'`); err != nil {
		t.Fatal(err)
	}
	if job, _ := db.ImportJobByKey(ctx, key); job.Status != "checking" || job.Attempt != 1 || job.Stranded {
		t.Fatalf("before the rescue: %+v", job)
	}
	startRunner(t, jobs.Config{DB: db, Store: store, ScratchDir: t.TempDir()})
	job := waitStatus(t, db, key, "checked", "failed")
	if job.Status != "checked" || job.Report.Inserted != 11 {
		t.Fatalf("after the rescue: %+v", job)
	}
	var attempt int
	var errs string
	_ = db.Pool.QueryRow(ctx, `SELECT attempt, errors::text FROM river_job WHERE kind = 'run_import'`).Scan(&attempt, &errs)
	if attempt != 2 || !strings.Contains(errs, "Stuck job rescued") {
		t.Errorf("attempt %d, errors %s", attempt, errs)
	}
}

// failingStore is a store whose disk fails when a file is read.
type failingStore struct{ storage.Store }

func (s failingStore) Open(context.Context, string) (io.ReadSeekCloser, error) {
	return nil, &storage.Error{Op: "open", Dir: s.String(), Err: os.ErrPermission}
}

// TestImportFailsAfterLastAttempt: a job that fails on the server's side
// is tried again, keeping its status, and after its last attempt it is
// failed with a Vietnamese message; its file is released.
func TestImportFailsAfterLastAttempt(t *testing.T) {
	db := pgtest.NewDB(t)
	ctx := staffCtx(t, db)
	local := &storage.Local{Dir: t.TempDir()}
	key := "ffeeddccbbaa99887766554433221100"
	sum := upload(t, ctx, db, local, key, unitsFile(10))
	startRunner(t, jobs.Config{DB: db, Store: failingStore{local}, ScratchDir: t.TempDir()})
	// Between attempts the job stays "checking" and shows the attempt.
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		job, _ := db.ImportJobByKey(ctx, key)
		if job.Status == "checking" && job.Attempt >= 2 && job.MaxAttempts == postgres.ImportMaxAttempts {
			break
		}
		if job.Status != "checking" || time.Now().After(deadline) {
			t.Fatalf("never seen checking again at attempt 2 or more: %+v", job)
		}
	}
	job := waitStatus(t, db, key, "checked", "failed")
	want := i18n.Translate(i18n.Vietnamese, "import_job.failed.attempts", postgres.ImportMaxAttempts)
	if job.Status != "failed" || job.Error != want {
		t.Fatalf("after the last attempt: %+v", job)
	}
	var attempt int
	var state string
	for deadline := time.Now().Add(30 * time.Second); state != "discarded" && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		_ = db.Pool.QueryRow(ctx, `SELECT attempt, state FROM river_job WHERE kind = 'run_import'`).Scan(&attempt, &state)
	}
	if attempt != postgres.ImportMaxAttempts || state != "discarded" {
		t.Errorf("queue job at attempt %d, %s", attempt, state)
	}
	if job, _ := db.ImportJobByKey(ctx, key); job.FileSum != "" { // released before the queue records the end
		t.Errorf("the failed job still holds its file: %+v", job)
	}
	if _, err := local.Open(ctx, sum); err != storage.ErrNotFound {
		t.Errorf("the failed job's file is still stored: %v", err)
	}
}

// cleanUpOutputs returns the outputs of the completed clean-up jobs.
func cleanUpOutputs(t *testing.T, db *postgres.DB) []jobs.CleanedUp {
	t.Helper()
	rows, err := db.Pool.Query(context.Background(), `SELECT metadata->'output' FROM river_job WHERE kind = 'clean_up' AND state = 'completed' ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []jobs.CleanedUp
	for rows.Next() {
		var raw []byte
		var c jobs.CleanedUp
		if err := rows.Scan(&raw); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(raw, &c); err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	return out
}

// waitCleanUps waits until n clean-up jobs have completed.
func waitCleanUps(t *testing.T, db *postgres.DB, n int) []jobs.CleanedUp {
	t.Helper()
	for deadline := time.Now().Add(90 * time.Second); ; {
		if out := cleanUpOutputs(t, db); len(out) >= n {
			return out
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d clean-ups never completed", n)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestCleanUpOnce is acceptance 4 on two instances sharing a database and a
// store: the periodic clean-up runs once when both start; a temporary
// upload younger than a day survives it, one older than a day is removed
// once, like an unreferenced stored file older than a day and the file of
// an ended import job; the file of an import waiting to be run stays. A
// second clean-up finds nothing to remove.
func TestCleanUpOnce(t *testing.T) {
	db := pgtest.NewDB(t)
	ctx := staffCtx(t, db)
	dir := t.TempDir()
	store := &storage.Local{Dir: dir}
	old := time.Now().Add(-48 * time.Hour)
	tmp := filepath.Join(dir, "tmp")
	_ = os.MkdirAll(tmp, 0o700)
	young, abandoned := filepath.Join(tmp, "upload-young"), filepath.Join(tmp, "upload-abandoned")
	for _, p := range []string{young, abandoned} {
		if err := os.WriteFile(p, []byte("nửa tệp"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	_ = os.Chtimes(abandoned, old, old)
	stored := func(content string) string {
		sum, _, err := store.Put(ctx, strings.NewReader(content), 1<<20, nil)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, sum[:2], sum[2:4], sum)
		_ = os.Chtimes(p, old, old)
		return sum
	}
	orphan, waiting, ended := stored("mồ côi"), stored("chờ nhập"), stored("đã nhập")
	for i, f := range []struct{ sum, status string }{{waiting, "checked"}, {ended, "done"}} {
		if _, err := db.Pool.Exec(ctx, `INSERT INTO import_jobs (key, kind, file_name, file_path, file_sum, status, created_by)
			VALUES ($1, 'units', 'a.csv', '', $2, $3, $4)`, fmt.Sprintf("cleanupjob%022d", i), f.sum, f.status, domain.ActorFrom(ctx).UserID); err != nil {
			t.Fatal(err)
		}
	}
	scratch := t.TempDir()
	leftover := filepath.Join(scratch, "thidua-import-123")
	_ = os.WriteFile(leftover, []byte("x"), 0o600)
	_ = os.Chtimes(leftover, old, old)

	startRunner(t, jobs.Config{DB: db, Store: store, ScratchDir: scratch})
	startRunner(t, jobs.Config{DB: db, Store: store, ScratchDir: scratch})
	first := waitCleanUps(t, db, 1)
	if want := (jobs.CleanedUp{TempFiles: 1, OrphanFiles: 1, ImportFiles: 1, ScratchFiles: 1}); first[0] != want {
		t.Errorf("first clean-up removed %+v, want %+v", first[0], want)
	}
	if _, err := os.Stat(young); err != nil {
		t.Errorf("the upload younger than a day is gone: %v", err)
	}
	if _, err := os.Stat(abandoned); !os.IsNotExist(err) {
		t.Errorf("the abandoned upload is still there: %v", err)
	}
	for sum, keep := range map[string]bool{orphan: false, ended: false, waiting: true} {
		if _, err := store.Open(ctx, sum); (err == nil) != keep {
			t.Errorf("stored %s: %v, want kept %v", sum[:8], err, keep)
		}
	}
	// Run it again (an instance's hourly run): nothing left to remove.
	inserter, err := river.NewClient(riverpgxv5.New(db.Pool), &river.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := inserter.Insert(ctx, jobs.CleanUpArgs{}, nil); err != nil {
		t.Fatal(err)
	}
	all := waitCleanUps(t, db, 2)
	if len(all) != 2 || all[1] != (jobs.CleanedUp{}) {
		t.Errorf("clean-ups %+v: the second removed something, or the first ran twice", all)
	}
	var total jobs.CleanedUp
	for _, c := range all {
		total.TempFiles += c.TempFiles
	}
	if total.TempFiles != 1 {
		t.Errorf("the abandoned upload was removed %d times", total.TempFiles)
	}
}
