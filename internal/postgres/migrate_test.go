package postgres_test

import (
	"context"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/google/go-cmp/cmp"

	"thidua/internal/pgcluster"
	"thidua/internal/pgtest"
	"thidua/internal/postgres"
)

// TestMigrateUpDownUp shows that every migration reverts cleanly: the schema
// after up, down to zero and up again is the schema after the first up.
func TestMigrateUpDownUp(t *testing.T) {
	t.Parallel()
	url := pgtest.NewEmptyURL(t)
	if err := postgres.MigrateUp(url); err != nil {
		t.Fatal(err)
	}
	first := schemaDump(t, url)
	if err := postgres.MigrateDown(url, 0); err != nil {
		t.Fatal(err)
	}
	empty := schemaDump(t, url)
	if regexp.MustCompile(`CREATE TABLE public\.(users|units|audit_log)`).MatchString(empty) {
		t.Errorf("tables left after migrating down to zero:\n%s", empty)
	}
	if err := postgres.MigrateUp(url); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(first, schemaDump(t, url)); diff != "" {
		t.Errorf("schema after up/down/up differs (-first +second):\n%s", diff)
	}

	db, err := postgres.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	st, err := db.MigrationStatus(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !st.Current() || st.Version != postgres.LatestMigration() {
		t.Errorf("status after up = %+v, want current at %d", st, postgres.LatestMigration())
	}
	if err := postgres.MigrateDown(url, 1); err != nil {
		t.Fatal(err)
	}
	if st, _ := db.MigrationStatus(context.Background()); st.Current() {
		t.Errorf("status after one down = %+v, want not current", st)
	}
}

func schemaDump(t *testing.T, url string) string {
	t.Helper()
	bin := "pg_dump"
	if dir, err := pgcluster.FindBinDir(); err == nil {
		bin = filepath.Join(dir, "pg_dump")
	}
	out, err := exec.Command(bin, "--schema-only", "--no-owner", "--exclude-table=schema_migrations", url).CombinedOutput()
	if err != nil {
		t.Fatalf("pg_dump: %v\n%s", err, out)
	}
	// pg_dump 15.14+ writes a random \restrict key on each run.
	return restrictLine.ReplaceAllString(string(out), "")
}

var restrictLine = regexp.MustCompile(`(?m)^\\(un)?restrict .*$`)
