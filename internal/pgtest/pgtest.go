// Package pgtest gives each test its own real PostgreSQL database, cloned
// from a migrated template, so tests run in parallel without seeing each
// other's rows. The server is TEST_DATABASE_URL when set, else a throwaway
// cluster started with the same code as `thidua dev`.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"thidua/internal/pgcluster"
	"thidua/internal/postgres"
)

var (
	adminURL string // maintenance database of the server
	template string // migrated template database
	cluster  *pgcluster.Cluster
	mu       sync.Mutex
	created  []string
)

// Main runs the tests of a package around one PostgreSQL server. A server
// that cannot be had fails the run: tests that need a database never skip.
// The cleanups, if any, run after the tests, before the process exits.
func Main(m *testing.M, cleanups ...func()) {
	code := run(m)
	for _, c := range cleanups {
		c()
	}
	os.Exit(code)
}

func run(m *testing.M) int {
	ctx := context.Background()
	if u := os.Getenv("TEST_DATABASE_URL"); u != "" {
		adminURL = u
	} else {
		dir, err := os.MkdirTemp("", "thidua-pgtest-")
		if err != nil {
			log.Fatal(err)
		}
		// The postgres user must be able to enter the directory when tests run as root.
		if err := os.Chmod(dir, 0o755); err != nil {
			log.Fatal(err)
		}
		defer os.RemoveAll(dir)
		cluster, err = pgcluster.Start(ctx, pgcluster.Options{Dir: filepath.Join(dir, "data"), Throwaway: true})
		if err != nil {
			log.Fatalf("pgtest: cannot start PostgreSQL: %v", err)
		}
		defer cluster.Stop()
		adminURL = cluster.AdminURL()
	}
	template = "thidua_tpl_" + randomName()
	if err := exec(ctx, "CREATE DATABASE "+template); err != nil {
		log.Fatalf("pgtest: %v", err)
	}
	defer exec(ctx, "DROP DATABASE IF EXISTS "+template+" WITH (FORCE)")
	if err := postgres.MigrateUp(withDatabase(adminURL, template)); err != nil {
		log.Fatalf("pgtest: migrate template: %v", err)
	}
	code := m.Run()
	mu.Lock()
	for _, db := range created {
		_ = exec(ctx, "DROP DATABASE IF EXISTS "+db+" WITH (FORCE)")
	}
	mu.Unlock()
	return code
}

// Cluster returns the throwaway cluster, or nil when TEST_DATABASE_URL is
// in use (tests that stop the server need the cluster).
func Cluster() *pgcluster.Cluster { return cluster }

// NewURL creates a fresh migrated database for tb and returns its URL.
func NewURL(tb testing.TB) string {
	tb.Helper()
	return newDatabase(tb, "TEMPLATE "+template)
}

// NewEmptyURL creates an empty, unmigrated database for tb.
func NewEmptyURL(tb testing.TB) string {
	tb.Helper()
	return newDatabase(tb, "")
}

func newDatabase(tb testing.TB, clause string) string {
	tb.Helper()
	if adminURL == "" {
		tb.Fatal("pgtest: call pgtest.Main from TestMain")
	}
	name := "thidua_t_" + randomName()
	if err := exec(context.Background(), "CREATE DATABASE "+name+" "+clause); err != nil {
		tb.Fatalf("pgtest: %v", err)
	}
	mu.Lock()
	created = append(created, name)
	mu.Unlock()
	return withDatabase(adminURL, name)
}

// NewDB creates a fresh migrated database for tb and opens it. The pool is
// closed when the test ends.
func NewDB(tb testing.TB) *postgres.DB {
	tb.Helper()
	db, err := postgres.Open(context.Background(), NewURL(tb))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(db.Close)
	return db
}

func exec(ctx context.Context, sql string) error {
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, sql)
	return err
}

func withDatabase(raw, db string) string {
	u, err := url.Parse(raw)
	if err != nil {
		panic(fmt.Sprintf("pgtest: bad URL: %v", err))
	}
	u.Path = "/" + db
	return u.String()
}

func randomName() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
