package server

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"thidua/internal/domain"
	"thidua/internal/pgcluster"
	"thidua/internal/postgres"
)

func TestHealthz(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	resp := a.client().get("/healthz")
	wantStatus(t, resp, http.StatusOK)
	resp = a.client().get("/readyz")
	wantStatus(t, resp, http.StatusOK)
	var report map[string]any
	if err := json.Unmarshal([]byte(bodyOf(resp)), &report); err != nil || report["ready"] != true {
		t.Errorf("readyz: %v %v", report, err)
	}
	if resp.Header.Get("Set-Cookie") != "" {
		t.Error("a probe created a session")
	}
}

func TestReadyzMigrationsBehind(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	if _, err := a.db.Pool.Exec(context.Background(), `UPDATE schema_migrations SET version = version - 1`); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, a.client().get("/readyz"), http.StatusServiceUnavailable)
}

// TestReadyzFollowsDatabase stops PostgreSQL under a running portal: /readyz
// and pages answer 503 (never hang or 500), and both recover by themselves
// when the database is back, without restarting the portal. It runs on a
// cluster of its own so that other tests keep theirs.
func TestReadyzFollowsDatabase(t *testing.T) {
	t.Parallel()
	// Not t.TempDir: its parent is private, and as root PostgreSQL runs as postgres.
	dir, err := os.MkdirTemp("", "thidua-readyz-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	cluster, err := pgcluster.Start(ctx, pgcluster.Options{Dir: filepath.Join(dir, "pg"), Throwaway: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cluster.Stop() })
	if err := postgres.MigrateUp(cluster.URL()); err != nil {
		t.Fatal(err)
	}
	db, err := postgres.Open(ctx, cluster.URL())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	a := newAppWithDB(t, db, nil)
	c, _ := a.loggedIn(domain.RoleStaff)
	wantStatus(t, c.get("/readyz"), http.StatusOK)

	if err := cluster.StopServer(); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, c.get("/readyz"), http.StatusServiceUnavailable)
	resp := c.get("/home")
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("GET /home with the database down: %d\n%s", resp.StatusCode, a.logs)
	}
	if resp.Header.Get("Retry-After") == "" {
		t.Error("503 page without Retry-After")
	}
	wantStatus(t, c.get("/healthz"), http.StatusOK)

	if err := cluster.StartServer(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for c.get("/readyz").StatusCode != http.StatusOK {
		if time.Now().After(deadline) {
			t.Fatal("/readyz did not recover after the database came back")
		}
		time.Sleep(100 * time.Millisecond)
	}
	// The session survived in the database, and pages work again.
	wantStatus(t, c.get("/home"), http.StatusOK)
}
