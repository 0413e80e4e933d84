package pgcluster

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/jackc/pgx/v5"
)

// TestStartReuseStop starts a cluster, finds it again while it runs (as after
// a portal killed hard), stops it, and starts it again with its data kept.
func TestStartReuseStop(t *testing.T) {
	ctx := context.Background()
	base, err := os.MkdirTemp("", "thidua-cluster-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(base)
	if err := os.Chmod(base, 0o755); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(base, "pg")
	c1, err := Start(ctx, Options{Dir: dir, Throwaway: true})
	if err != nil {
		t.Fatal(err)
	}
	defer c1.Stop()
	execSQL(t, c1.URL(), `CREATE TABLE kept (note text); INSERT INTO kept VALUES ('còn đây')`)

	c2, err := Start(ctx, Options{Dir: dir, Throwaway: true})
	if err != nil {
		t.Fatal(err)
	}
	if c2.started || c2.URL() != c1.URL() {
		t.Errorf("second Start did not reuse the running server: started=%v %s vs %s", c2.started, c2.URL(), c1.URL())
	}
	if err := c2.Stop(); err != nil { // not ours: a no-op
		t.Fatal(err)
	}
	if err := c1.Stop(); err != nil {
		t.Fatal(err)
	}
	if _, running := c1.runningPort(); running {
		t.Fatal("server still running after Stop")
	}
	c3, err := Start(ctx, Options{Dir: dir, Throwaway: true})
	if err != nil {
		t.Fatal(err)
	}
	defer c3.Stop()
	var note string
	conn, err := pgx.Connect(ctx, c3.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if err := conn.QueryRow(ctx, `SELECT note FROM kept`).Scan(&note); err != nil || note != "còn đây" {
		t.Errorf("data not kept across restarts: %q %v", note, err)
	}
	// The password is not the same for every cluster and the server is on loopback only.
	var listen string
	_ = conn.QueryRow(ctx, `SHOW listen_addresses`).Scan(&listen)
	if listen != "127.0.0.1" {
		t.Errorf("listen_addresses = %q", listen)
	}
}

func TestFindBinDir(t *testing.T) {
	if _, err := FindBinDir(); err != nil {
		t.Fatal(err)
	}
}

func execSQL(t *testing.T, url, sql string) {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(context.Background(), sql); err != nil {
		t.Fatal(err)
	}
}
