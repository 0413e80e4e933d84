package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"thidua/internal/jobs"
	"thidua/internal/paths"
	"thidua/internal/postgres"
)

// portal is a running `thidua serve` process.
type portal struct {
	cmd  *exec.Cmd
	base string
}

func startPortal(t *testing.T, bin string, env []string) *portal {
	t.Helper()
	return startPortalLog(t, bin, env, io.Discard)
}

// startPortalLog is startPortal with the process's output written to log.
func startPortalLog(t *testing.T, bin string, env []string, log io.Writer) *portal {
	t.Helper()
	cmd := exec.Command(bin, "serve")
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &portal{cmd: cmd}
	for _, e := range env {
		if strings.HasPrefix(e, "LISTEN_ADDR=") {
			p.base = "http://" + strings.TrimPrefix(e, "LISTEN_ADDR=")
		}
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(p.base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return p
			}
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			t.Fatal("the portal did not become ready")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// TestKilledMidUpload is acceptance 5 of the self-assessment feature: the
// portal is killed (SIGKILL) while a large upload streams in; after a
// restart no row points to a missing file, no temporary file is left, and
// the form still holds what was saved before.
func TestKilledMidUpload(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	bin := portalBinary(t)
	dbURL, db := openTestDB(t)

	campaign, assessment, leaves := formFixture(t, db)

	evidence := filepath.Join(dir, "evidence")
	port := freePort(t)
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	env := []string{"DATABASE_URL=" + dbURL, "LISTEN_ADDR=" + fmt.Sprintf("127.0.0.1:%d", port), "BASE_URL=" + base,
		"SESSION_SECURE=false", "EVIDENCE_DIR=" + evidence, "MAX_UPLOAD_BYTES=" + fmt.Sprint(200<<20), "LOG_FORMAT=text"}
	p := startPortal(t, bin, env)
	// The start's own clean-up must be recorded as done before the kill:
	// a clean-up the kill leaves "running" in the queue keeps the next one
	// out (it is unique while running) until the queue rescues it.
	waitCleanUp(t, db, 0)
	defer func() { _ = p.cmd.Process.Kill(); _ = p.cmd.Wait() }()

	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.PostForm(base+"/login", url.Values{"email": {"dm@example.vn"}, "password": {"Mật khẩu thử nghiệm 2026"}})
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %v %v", err, resp)
	}
	form := fmt.Sprintf("%s/campaigns/%d/assessments/%d", base, campaign, assessment)
	leaf := leaves[0].ID
	resp, err = client.PostForm(form, url.Values{fmt.Sprintf("e_%d", leaf): {"Đã lưu trước khi mất điện"}, fmt.Sprintf("p_%d", leaf): {"10"}, fmt.Sprintf("v_%d", leaf): {"0"}})
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %v %v", err, resp.StatusCode)
	}

	// A 150 MB upload, sent by hand so it can stop half-way.
	startLargeUpload(t, base, jar, paths.Evidence(campaign, assessment, leaf))
	tmp := filepath.Join(evidence, "tmp")
	deadline := time.Now().Add(20 * time.Second)
	for {
		entries, _ := os.ReadDir(tmp)
		if len(entries) > 0 {
			if fi, err := entries[0].Info(); err == nil && fi.Size() > 10<<20 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("the upload never reached the disk")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = p.cmd.Wait()
	if entries, _ := os.ReadDir(tmp); len(entries) == 0 {
		t.Fatal("the kill left no temporary file: the test did not interrupt an upload")
	}

	// Restart: what the kill left is younger than a day, so the clean-up
	// job the new instance runs at its start leaves it (it could be another
	// instance's upload in flight).
	before := cleanUps(t, db)
	p2 := startPortal(t, bin, env)
	defer func() { _ = p2.cmd.Process.Signal(syscall.SIGTERM); _ = p2.cmd.Wait() }()
	if done := waitCleanUp(t, db, len(before)); done.TempFiles != 0 {
		t.Errorf("the clean-up at the restart removed %+v", done)
	}
	entries, _ := os.ReadDir(tmp)
	if len(entries) != 1 {
		t.Fatalf("%d temporary files after the restart, want the killed upload's, younger than a day", len(entries))
	}
	// A day later it is abandoned: the next clean-up removes it, once.
	old := time.Now().Add(-25 * time.Hour)
	_ = os.Chtimes(filepath.Join(tmp, entries[0].Name()), old, old)
	inserter, err := river.NewClient(riverpgxv5.New(db.Pool), &river.Config{})
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []int{1, 0} {
		n := len(cleanUps(t, db))
		if _, err := inserter.Insert(ctx, jobs.CleanUpArgs{}, nil); err != nil {
			t.Fatal(err)
		}
		if done := waitCleanUp(t, db, n); done.TempFiles != want {
			t.Errorf("clean-up %d removed %d temporary files, want %d", i+1, done.TempFiles, want)
		}
	}
	if entries, _ := os.ReadDir(tmp); len(entries) != 0 {
		t.Errorf("%d temporary files after the clean-up", len(entries))
	}
	hashes, _ := db.EvidenceHashes(ctx)
	for _, h := range hashes {
		if _, err := os.Stat(filepath.Join(evidence, h[:2], h[2:4], h)); err != nil {
			t.Errorf("row points to a missing file %s", h)
		}
	}
	resp, err = client.Get(form)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("form after restart: %v %v", err, resp)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), "Đã lưu trước khi mất điện") {
		t.Error("the saved explanation is gone after the crash")
	}
	a, _ := db.AssessmentByID(ctx, assessment)
	if a.Points != 1000 {
		t.Errorf("total after the crash %s, want 10", a.Points)
	}
}

// cleanUps returns the outputs of the completed clean-up jobs, in order.
func cleanUps(t *testing.T, db *postgres.DB) []jobs.CleanedUp {
	t.Helper()
	rows, err := db.Pool.Query(context.Background(), `SELECT metadata->'output' FROM river_job
		WHERE kind = 'clean_up' AND state = 'completed' ORDER BY finalized_at, id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []jobs.CleanedUp
	for rows.Next() {
		var c jobs.CleanedUp
		if err := rows.Scan(&c); err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	return out
}

// waitCleanUp waits for a clean-up beyond the first n to complete and
// returns what it removed.
func waitCleanUp(t *testing.T, db *postgres.DB, n int) jobs.CleanedUp {
	t.Helper()
	for deadline := time.Now().Add(90 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if out := cleanUps(t, db); len(out) > n {
			return out[n]
		}
		if time.Now().After(deadline) {
			t.Fatal("no clean-up ran")
		}
	}
}
