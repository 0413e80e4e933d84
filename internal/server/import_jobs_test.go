package server

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"thidua/internal/domain"
	"thidua/internal/jobs"
	"thidua/internal/storage"
	"thidua/internal/storage/miniotest"
	"thidua/internal/storage/storagetest"
)

// TestFailedRowLeavesObjectForCleanUp is acceptance 2c, on the local
// store and on the S3 store: an evidence upload whose row insert fails (a
// trigger raises) answers 500 and leaves its stored file, which no row
// refers to; once older than a day the clean-up job removes it, once, and
// the file a row refers to stays. A local file is aged by its time; an
// object cannot be, so on S3 the clean-up is run as it will be a day later
// (its cutoff a day ahead of now).
func TestFailedRowLeavesObjectForCleanUp(t *testing.T) {
	t.Parallel()
	t.Run("local", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		failedRowCleanUp(t, map[string]string{"EVIDENCE_DIR": dir}, func(now time.Time) time.Time {
			old := now.Add(-48 * time.Hour)
			for _, f := range storeFiles(t, dir) {
				_ = os.Chtimes(f, old, old)
			}
			return now.Add(-jobs.CleanUpAge)
		})
	})
	t.Run("s3", func(t *testing.T) {
		t.Parallel()
		srv := miniotest.Start(t)
		failedRowCleanUp(t, s3Env(t, srv, srv.Bucket(t)), func(now time.Time) time.Time { return now.Add(time.Minute) })
	})
}

// failedRowCleanUp runs acceptance 2c on a portal with env; aDayLater
// makes the store's files a day old (or moves the cutoff) and returns the
// clean-up's cutoff.
func failedRowCleanUp(t *testing.T, env map[string]string, aDayLater func(now time.Time) time.Time) {
	a := newApp(t, env)
	wk := newWork(t, a)
	staff, _ := a.loggedIn(domain.RoleStaff)
	fp, _ := a.loggedIn(domain.RoleFocalPoint)
	wk.register(t, fp, staff)
	form := wk.start(t, fp)
	nodes, _ := a.db.Criteria(context.Background(), wk.set)
	ev := fmt.Sprintf("%s/criteria/%d/evidence", form, domain.Leaves(nodes)[0].ID)
	pdf := func(fill string) []byte { return append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte(fill), 4000)...) }
	ctx := context.Background()
	stored := func() []string {
		t.Helper()
		var sums []string
		if err := a.srv.store.Walk(ctx, func(sum string, _ int64) error { sums = append(sums, sum); return nil }); err != nil {
			t.Fatal(err)
		}
		return sums
	}

	wantStatus(t, fp.uploadEvidence(ev, "Trang 1", "giu-lai.pdf", pdf("a")), http.StatusSeeOther)
	if _, err := a.db.Pool.Exec(ctx, `CREATE FUNCTION refuse_evidence() RETURNS trigger LANGUAGE plpgsql AS
		$$ BEGIN RAISE EXCEPTION 'evidence refused by the test'; END $$;
		CREATE TRIGGER refuse_evidence BEFORE INSERT ON evidence_files FOR EACH ROW EXECUTE FUNCTION refuse_evidence()`); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, fp.uploadEvidence(ev, "Trang 2", "mo-coi.pdf", pdf("b")), http.StatusInternalServerError)
	if files := stored(); len(files) != 2 {
		t.Fatalf("store holds %v, want the kept file and the one whose row failed", files)
	}
	if f, s, _ := evidenceRows(t, a); f != 1 || s != 1 {
		t.Fatalf("%d evidence rows, %d attachments after the failed insert, want 1 and 1", f, s)
	}
	hashes, _ := a.db.EvidenceHashes(ctx)

	log := slog.New(slog.NewTextHandler(a.logs, nil))
	cleanUp := func(cutoff time.Time) jobs.CleanedUp {
		t.Helper()
		done, err := jobs.CleanUp(ctx, a.db, a.srv.store, "", cutoff, log)
		if err != nil {
			t.Fatal(err)
		}
		return done
	}
	// Younger than a day: the row's transaction might still be committing.
	if done := cleanUp(time.Now().Add(-jobs.CleanUpAge)); done != (jobs.CleanedUp{}) {
		t.Errorf("a clean-up removed %+v, younger than a day", done)
	}
	cutoff := aDayLater(time.Now())
	if done := cleanUp(cutoff); done != (jobs.CleanedUp{OrphanFiles: 1}) {
		t.Errorf("the clean-up removed %+v, want the one orphan", done)
	}
	if done := cleanUp(cutoff); done != (jobs.CleanedUp{}) {
		t.Errorf("a second clean-up removed %+v", done)
	}
	if left := stored(); len(left) != 1 || left[0] != hashes[0] {
		t.Errorf("store holds %v, want only %s", left, hashes[0])
	}
	resp := fp.get(fmt.Sprintf("%s/criteria/%d/evidence", form, domain.Leaves(nodes)[0].ID))
	wantStatus(t, resp, http.StatusOK)
}

// TestImportPageShowsAttemptsAndStrandedJob: while a job waits for another
// attempt the page still says "checking" and which attempt comes; a job
// whose queue job is gone for good (its last attempt died with its
// instance) shows failed, with the reason.
func TestImportPageShowsAttemptsAndStrandedJob(t *testing.T) {
	t.Parallel()
	a := newApp(t, map[string]string{"IMPORT_DIR": t.TempDir()})
	staff, _ := a.loggedIn(domain.RoleStaff)
	resp := staff.upload("/units/import", "don-vi.csv", []byte("ma,ten,loai,hieu_luc_tu\nT1,UBND tỉnh,tỉnh,01/07/2025\n"))
	wantStatus(t, resp, http.StatusSeeOther)
	job := resp.Header.Get("Location")
	key := filepath.Base(job)
	ctx := context.Background()
	if _, err := a.db.Pool.Exec(ctx, `UPDATE river_job SET state = 'retryable', attempt = 1, scheduled_at = now() + interval '1 minute'
		WHERE args->>'key' = $1`, key); err != nil {
		t.Fatal(err)
	}
	doc := htmlOf(t, staff.get(job))
	if got := doc.Find(".status-line").Text(); !strings.Contains(got, "Đang kiểm tra") {
		t.Errorf("status while waiting for a retry: %q", got)
	}
	if got := doc.Find("[role=status]").Text(); !strings.Contains(got, "Lần thử thứ 2 (tối đa 5)") {
		t.Errorf("the coming attempt is not shown: %q", got)
	}
	if doc.Find("meta[http-equiv=refresh]").Length() != 1 {
		t.Error("the page waiting for a retry does not refresh itself")
	}
	if _, err := a.db.Pool.Exec(ctx, `UPDATE river_job SET state = 'discarded', attempt = 5, finalized_at = now() WHERE args->>'key' = $1`, key); err != nil {
		t.Fatal(err)
	}
	doc = htmlOf(t, staff.get(job))
	if got := doc.Find(".status-line").Text(); !strings.Contains(got, "Không thành công") {
		t.Errorf("status of a stranded job: %q", got)
	}
	if got := doc.Find(".error-summary").Text(); !strings.Contains(got, "sau 5 lần thử") {
		t.Errorf("reason of a stranded job: %q", got)
	}
	if doc.Find("meta[http-equiv=refresh]").Length() != 0 {
		t.Error("a failed job's page still refreshes itself")
	}
	// Other roles do not see it.
	fp, _ := a.loggedIn(domain.RoleFocalPoint)
	wantStatus(t, fp.get(job), http.StatusForbidden)
}

// TestImportUploadDiskFull: an import file the store cannot take (its disk
// is full) is answered 507 on the upload page with the reason; nothing is
// stored and no job is recorded.
func TestImportUploadDiskFull(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	a := newApp(t, map[string]string{"EVIDENCE_DIR": dir})
	staff, _ := a.loggedIn(domain.RoleStaff)
	a.srv.store = &storage.Local{Dir: dir, Writer: storagetest.FullDisk(1024)}
	resp := staff.upload("/units/import", "don-vi.csv", bytes.Repeat([]byte("ma,ten\n"), 1000))
	wantStatus(t, resp, http.StatusInsufficientStorage)
	doc := htmlOf(t, resp)
	if msg := doc.Find(".error-summary").Text(); !strings.Contains(msg, "hết dung lượng") {
		t.Errorf("message %q does not say the server is out of space", msg)
	}
	if doc.Find(`input[type=file]`).Length() != 1 {
		t.Error("no upload form to try again")
	}
	if files := storeFiles(t, dir); len(files) != 0 {
		t.Errorf("files left: %v", files)
	}
	var jobsN, queued int
	_ = a.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM import_jobs`).Scan(&jobsN)
	_ = a.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM river_job WHERE kind = 'run_import'`).Scan(&queued)
	if jobsN+queued != 0 {
		t.Errorf("%d import jobs, %d queued after the failed upload", jobsN, queued)
	}
}

// TestSameFileTwice: the same file uploaded twice (a double submit) is
// stored once for two jobs; the first job's end leaves it for the second,
// whose end removes it.
func TestSameFileTwice(t *testing.T) {
	t.Parallel()
	a := newApp(t, map[string]string{"IMPORT_DIR": t.TempDir()})
	staff, _ := a.loggedIn(domain.RoleStaff)
	csv := []byte("ma,ten,ten_viet_tat,loai,ma_cap_tren,hieu_luc_tu,hieu_luc_den\nT1,UBND tỉnh Hai Lần,,tỉnh,,01/07/2025,\n")
	var jobs []string
	for range 2 {
		resp := staff.upload("/units/import", "don-vi.csv", csv)
		wantStatus(t, resp, http.StatusSeeOther)
		jobs = append(jobs, resp.Header.Get("Location"))
	}
	if jobs[0] == jobs[1] {
		t.Fatal("two uploads, one job")
	}
	content := func() int {
		n := 0
		for _, f := range storeFiles(t, a.cfg.EvidenceDir) {
			if rel, _ := filepath.Rel(a.cfg.EvidenceDir, f); !strings.HasPrefix(rel, "tmp"+string(filepath.Separator)) {
				n++
			}
		}
		return n
	}
	if n := content(); n != 1 {
		t.Fatalf("%d stored files for the same content twice", n)
	}
	for i, job := range jobs {
		waitJob(t, staff, job)
		wantStatus(t, staff.post(job+"/run", nil), http.StatusSeeOther)
		if doc := waitJob(t, staff, job); !strings.Contains(doc.Find(".status-line").Text(), "Đã nhập xong") {
			t.Fatalf("job %d: %q", i, doc.Find(".status-line").Text())
		}
		want := 1 - i
		for deadline := time.Now().Add(10 * time.Second); content() != want && time.Now().Before(deadline); {
			time.Sleep(20 * time.Millisecond)
		}
		if n := content(); n != want {
			t.Errorf("after job %d ended: %d stored files, want %d", i+1, n, want)
		}
	}
}
