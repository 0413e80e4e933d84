package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"thidua/internal/pgtest"
)

func TestMain(m *testing.M) {
	pgtest.Main(m, func() {
		if portalBin != "" {
			os.RemoveAll(filepath.Dir(portalBin))
		}
	})
}

// TestDevStartsAndReuses runs `thidua dev` twice in an empty directory: the
// first run creates the cluster under ./.data, migrates, seeds and prints the
// logins; the second reuses the data. Each serves the login page and stops
// its cluster on shutdown.
func TestDevStartsAndReuses(t *testing.T) {
	dir, err := os.MkdirTemp("", "thidua-dev-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	t.Setenv("DATABASE_URL", "")
	t.Setenv("LISTEN_ADDR", "127.0.0.1:0")

	first := runDevOnce(t)
	for _, want := range []string{"Demo data loaded.", "admin@thidua.local", "canbo@thidua.local", "daumoi.tuphap@thidua.local", "lanhdao@thidua.local", "ThiDua@Demo2026"} {
		if !strings.Contains(first, want) {
			t.Errorf("first run output lacks %q:\n%s", want, first)
		}
	}
	if _, err := os.Stat(".data/postgres/PG_VERSION"); err != nil {
		t.Errorf("no cluster under ./.data/postgres: %v", err)
	}
	second := runDevOnce(t)
	if !strings.Contains(second, "Reusing the existing data.") || strings.Contains(second, "Demo data loaded.") {
		t.Errorf("second run did not reuse the data:\n%s", second)
	}
}

var listening = regexp.MustCompile(`listening on (127\.0\.0\.1:\d+)`)

func runDevOnce(t *testing.T) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"dev"}, strings.NewReader(""), pw, io.Discard)
		pw.Close()
	}()
	var out strings.Builder
	sc := bufio.NewScanner(pr)
	addr := ""
	for addr == "" && sc.Scan() {
		out.WriteString(sc.Text() + "\n")
		if m := listening.FindStringSubmatch(sc.Text()); m != nil {
			addr = m[1]
		}
	}
	if addr == "" {
		cancel()
		t.Fatalf("dev did not start: %v\n%s", <-done, out.String())
	}
	go func() {
		for sc.Scan() {
			out.WriteString(sc.Text() + "\n")
		}
	}()
	resp, err := http.Get("http://" + addr + "/login")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "Đăng nhập") {
		t.Errorf("login page: %d", resp.StatusCode)
	}
	time.Sleep(300 * time.Millisecond) // let the logins print
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("dev: %v", err)
	}
	return out.String()
}

func TestUserCreateAndMigrateStatus(t *testing.T) {
	url := pgtest.NewURL(t)
	t.Setenv("DATABASE_URL", url)
	var out strings.Builder
	err := run(context.Background(), []string{"user", "create", "--email", "CanBo@Example.vn", "--name", "Nguyễn Văn Cán Bộ", "--role", "staff", "--password-stdin"},
		strings.NewReader("Một mật khẩu đủ dài\n"), &out, io.Discard)
	if err != nil || !strings.Contains(out.String(), "<canbo@example.vn> (staff)") {
		t.Fatalf("user create: %v\n%s", err, out.String())
	}
	out.Reset()
	err = run(context.Background(), []string{"user", "create", "--email", "fp@example.vn", "--name", "X", "--role", "focal_point"}, nil, &out, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "unit_id") {
		t.Errorf("focal point without unit: %v", err)
	}
	err = run(context.Background(), []string{"user", "create", "--email", "weak@example.vn", "--name", "X", "--role", "staff", "--password-stdin"},
		strings.NewReader("12345678\n"), &out, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "password.common") {
		t.Errorf("common password: %v", err)
	}
	out.Reset()
	if err := run(context.Background(), []string{"user", "create", "--email", "gen@example.vn", "--name", "Y", "--role", "leader"}, nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`password \(shown once\): \S{16}`).MatchString(out.String()) {
		t.Errorf("generated password not printed: %s", out.String())
	}
	out.Reset()
	if err := run(context.Background(), []string{"migrate", "status"}, nil, &out, io.Discard); err != nil || !strings.Contains(out.String(), "current=true") {
		t.Errorf("migrate status: %v %s", err, out.String())
	}
}

func TestConfigErrorsAreClear(t *testing.T) {
	t.Setenv("SESSION_SECURE", "sometimes")
	t.Setenv("DATABASE_URL", "")
	err := run(context.Background(), []string{"serve"}, nil, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "SESSION_SECURE: must be true or false") {
		t.Errorf("got %v", err)
	}
	t.Setenv("SESSION_SECURE", "")
	if err := run(context.Background(), []string{"serve"}, nil, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "DATABASE_URL is not set") {
		t.Errorf("got %v", err)
	}
	if err := run(context.Background(), []string{"frobnicate"}, nil, io.Discard, io.Discard); err == nil {
		t.Error("unknown command accepted")
	}
}
