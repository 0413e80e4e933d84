package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"thidua/internal/config"
	"thidua/internal/pgtest"
	"thidua/internal/postgres"
	"thidua/internal/seed"
	"thidua/internal/server"
	"thidua/internal/storage"
	"thidua/internal/storage/miniotest"
)

// thidua runs the binary's commands in-process with the environment env and
// returns what they printed and their error.
func thidua(t *testing.T, env map[string]string, args ...string) (string, error) {
	t.Helper()
	for k, v := range env {
		t.Setenv(k, v)
	}
	var out strings.Builder
	err := run(context.Background(), args, strings.NewReader(""), &out, io.Discard)
	return out.String(), err
}

// counts reads the number of rows of a few tables, to compare a database
// before the backup and after the restore.
func counts(t *testing.T, db *postgres.DB) map[string]int64 {
	t.Helper()
	c := map[string]int64{}
	for _, table := range []string{"users", "units", "campaigns", "assessments", "evidence_files", "campaign_attachments", "score_evidence"} {
		var n int64
		if err := db.Pool.QueryRow(context.Background(), "SELECT count(*) FROM "+table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		c[table] = n
	}
	return c
}

// checkStore opens and hashes the stored file of every evidence row and
// campaign attachment; it returns how many it checked.
func checkStore(t *testing.T, db *postgres.DB, store storage.Store) int {
	t.Helper()
	ctx := context.Background()
	sums, err := db.EvidenceHashes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, sum := range sums {
		rc, err := store.Open(ctx, sum)
		if err != nil {
			t.Fatalf("evidence %s: %v", sum, err)
		}
		h := sha256.New()
		_, err = io.Copy(h, rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if got := hex.EncodeToString(h.Sum(nil)); got != sum {
			t.Fatalf("evidence %s: the stored file hashes to %s", sum, got)
		}
	}
	return len(sums)
}

// TestBackupWipeRestore is acceptance 5 of the scale-out issue: the demo data
// with its evidence is backed up, the database and the store are wiped, the
// backup is restored; every evidence row's file is there with its SHA-256,
// and the portal serves the restored data. On the way: a backup into a
// non-empty directory, a restore over a database with data (without
// --force) and a restore of a backup with a damaged file are refused, each
// before anything changed; the database password is never printed.
func TestBackupWipeRestore(t *testing.T) {
	ctx := context.Background()
	dbURL := pgtest.NewURL(t)
	password := urlPassword(dbURL)
	if password == "" {
		t.Fatal("the test database's URL has no password: the test would not see it leak")
	}
	storeDir := t.TempDir()
	store := &storage.Local{Dir: storeDir}
	db, err := postgres.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := seed.Demo(ctx, db, seed.WithEvidence(store)); err != nil {
		t.Fatal(err)
	}
	before := counts(t, db)
	if before["evidence_files"] == 0 {
		t.Fatal("the demo data has no evidence: the test would prove nothing")
	}
	checked := checkStore(t, db, store)
	env := map[string]string{"DATABASE_URL": dbURL, "EVIDENCE_DIR": storeDir}
	noLeak := func(what, s string) {
		t.Helper()
		if strings.Contains(s, password) {
			t.Fatalf("%s prints the database password:\n%s", what, s)
		}
	}

	backup := filepath.Join(t.TempDir(), "backup")
	out, err := thidua(t, env, "backup", backup)
	noLeak("backup", out)
	if err != nil {
		t.Fatalf("backup: %v\n%s", err, out)
	}
	t.Logf("backup:\n%s", out)
	var m manifest
	b, err := os.ReadFile(filepath.Join(backup, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	stored := 0
	if err := store.Walk(ctx, func(string, int64) error { stored++; return nil }); err != nil {
		t.Fatal(err)
	}
	if m.ObjectCount != stored || len(m.Objects) != stored || m.Referenced != checked || m.SchemaVersion != postgres.LatestMigration() || len(m.Missing) != 0 {
		t.Fatalf("manifest: %d objects (%d listed), %d referenced, schema %d, missing %v; want %d stored, %d referenced, schema %d",
			m.ObjectCount, len(m.Objects), m.Referenced, m.SchemaVersion, m.Missing, stored, checked, postgres.LatestMigration())
	}
	for _, e := range m.Objects {
		if fi, err := os.Stat(objectPath(backup, e.SHA256)); err != nil || fi.Size() != e.Size {
			t.Fatalf("object %s of the manifest: %v", e.SHA256, err)
		}
	}

	// A second backup into the same directory is refused.
	if out, err := thidua(t, env, "backup", backup); err == nil || !strings.Contains(err.Error(), "is not empty") {
		t.Fatalf("backup into a non-empty directory: %v\n%s", err, out)
	}
	// A restore over the database with its data is refused without --force,
	// saying what it would replace, and changes nothing.
	out, err = thidua(t, env, "restore", backup)
	if err == nil || !strings.Contains(err.Error(), "not empty") || !strings.Contains(err.Error(), "--force") ||
		!strings.Contains(err.Error(), "evidence files") || !strings.Contains(err.Error(), "users") {
		t.Fatalf("restore over a database with data: %v\n%s", err, out)
	}
	t.Logf("refused: %v", err)

	// A backup with a damaged file is refused, naming the file, before the
	// database is touched.
	damaged := filepath.Join(t.TempDir(), "damaged")
	if err := os.CopyFS(damaged, os.DirFS(backup)); err != nil {
		t.Fatal(err)
	}
	bad := objectPath(damaged, m.Objects[0].SHA256)
	content, err := os.ReadFile(bad)
	if err != nil {
		t.Fatal(err)
	}
	content[len(content)/2] ^= 0x20
	if err := os.WriteFile(bad, content, 0o600); err != nil {
		t.Fatal(err)
	}
	emptyURL := pgtest.NewEmptyURL(t)
	emptyEnv := map[string]string{"DATABASE_URL": emptyURL, "EVIDENCE_DIR": t.TempDir()}
	out, err = thidua(t, emptyEnv, "restore", damaged)
	if err == nil || !strings.Contains(err.Error(), bad) || !strings.Contains(err.Error(), "damaged") || !strings.Contains(err.Error(), "nothing was restored into the database") {
		t.Fatalf("restore of a damaged backup: %v\n%s", err, out)
	}
	t.Logf("refused: %v", err)
	if tables := tableCount(t, emptyURL); tables != 0 {
		t.Fatalf("the refused restore left %d tables in the database", tables)
	}

	// Wipe: the database loses every table, the store every file.
	db.Close()
	wipe, err := postgres.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := wipe.Pool.Exec(ctx, `DROP SCHEMA public CASCADE; CREATE SCHEMA public`); err != nil {
		t.Fatal(err)
	}
	wipe.Close()
	if tables := tableCount(t, dbURL); tables != 0 {
		t.Fatalf("the wiped database still has %d tables", tables)
	}
	if err := os.RemoveAll(storeDir); err != nil {
		t.Fatal(err)
	}

	out, err = thidua(t, env, "restore", backup)
	noLeak("restore", out)
	if err != nil {
		noLeak("restore's error", err.Error())
		t.Fatalf("restore: %v\n%s", err, out)
	}
	t.Logf("restore:\n%s", out)
	if !strings.Contains(out, "restore complete") {
		t.Fatalf("restore's report:\n%s", out)
	}
	db, err = postgres.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if after := counts(t, db); !equalCounts(before, after) {
		t.Fatalf("rows before the backup %v, after the restore %v", before, after)
	}
	if n := checkStore(t, db, store); n != checked {
		t.Fatalf("after the restore %d stored files checked, before %d", n, checked)
	}
	if st, err := db.MigrationStatus(ctx); err != nil || !st.Current() {
		t.Fatalf("restored schema: %+v, %v", st, err)
	}

	servesRestoredData(t, db, store)

	// A restore over the restored database with --force replaces it, and a
	// file damaged in the store (kept by its deduplication) is replaced by
	// the backup's copy.
	if _, err := db.Pool.Exec(ctx, `DELETE FROM score_evidence`); err != nil {
		t.Fatal(err)
	}
	victim := m.Objects[len(m.Objects)-1].SHA256
	if err := os.WriteFile(filepath.Join(storeDir, victim[:2], victim[2:4], victim), []byte("damaged"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err = thidua(t, env, "restore", "--force", backup)
	if err != nil || !strings.Contains(out, "--force: replacing") || !strings.Contains(out, victim+": damaged in the store, replaced") || !strings.Contains(out, "restore complete") {
		t.Fatalf("restore --force: %v\n%s", err, out)
	}
	t.Logf("restore --force:\n%s", out)
	if after := counts(t, db); !equalCounts(before, after) {
		t.Fatalf("rows before the backup %v, after the forced restore %v", before, after)
	}
	checkStore(t, db, store)

	// Over a database of a newer schema even --force is refused: the newer
	// tables would stay.
	if _, err := db.Pool.Exec(ctx, `UPDATE schema_migrations SET version = version + 1`); err != nil {
		t.Fatal(err)
	}
	if out, err := thidua(t, env, "restore", "--force", backup); err == nil || !strings.Contains(err.Error(), "newer than the backup's") {
		t.Fatalf("restore --force over a newer schema: %v\n%s", err, out)
	}
}

// TestBackupReportsMissingFile: a file the database refers to that is gone
// from the store makes the backup exit with an error naming it (the dump and
// the other files are kept, the manifest lists it as missing), and the
// restore of that backup says the file is missing.
func TestBackupReportsMissingFile(t *testing.T) {
	ctx := context.Background()
	dbURL := pgtest.NewURL(t)
	storeDir := t.TempDir()
	store := &storage.Local{Dir: storeDir}
	db, err := postgres.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, _, err := seed.Demo(ctx, db, seed.WithEvidence(store)); err != nil {
		t.Fatal(err)
	}
	sums, err := db.EvidenceHashes(ctx)
	if err != nil || len(sums) == 0 {
		t.Fatalf("evidence hashes: %v, %v", sums, err)
	}
	gone := sums[0]
	if err := store.Delete(ctx, gone); err != nil {
		t.Fatal(err)
	}
	// And one other file is damaged in the store.
	damaged := sums[len(sums)-1]
	if err := os.WriteFile(filepath.Join(storeDir, damaged[:2], damaged[2:4], damaged), []byte("not the content"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"DATABASE_URL": dbURL, "EVIDENCE_DIR": storeDir}
	backup := filepath.Join(t.TempDir(), "backup")
	out, err := thidua(t, env, "backup", backup)
	if err == nil || !strings.Contains(err.Error(), "backup incomplete") || !strings.Contains(err.Error(), gone+": not in the store") ||
		!strings.Contains(err.Error(), damaged+": damaged in the store") {
		t.Fatalf("backup with a missing and a damaged file: %v\n%s", err, out)
	}
	t.Logf("backup: %v", err)
	var m manifest
	b, err := os.ReadFile(filepath.Join(backup, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if len(m.Missing) != 2 || m.ObjectCount != len(sums)-2 {
		t.Fatalf("manifest: missing %v, %d objects; want the 2 bad ones missing and %d objects", m.Missing, m.ObjectCount, len(sums)-2)
	}

	restoreEnv := map[string]string{"DATABASE_URL": pgtest.NewEmptyURL(t), "EVIDENCE_DIR": t.TempDir()}
	out, err = thidua(t, restoreEnv, "restore", backup)
	if err == nil || !strings.Contains(err.Error(), "2 of the") || !strings.Contains(err.Error(), gone) || !strings.Contains(err.Error(), damaged) {
		t.Fatalf("restore of an incomplete backup: %v\n%s", err, out)
	}
	t.Logf("restore: %v", err)
}

// TestRestoreRefusesBadBackups: a directory that is not a backup, a damaged
// manifest and a damaged dump are refused with a message saying so.
func TestRestoreRefusesBadBackups(t *testing.T) {
	env := map[string]string{"DATABASE_URL": pgtest.NewEmptyURL(t), "EVIDENCE_DIR": t.TempDir()}
	dir := t.TempDir()
	if _, err := thidua(t, env, "restore", dir); err == nil || !strings.Contains(err.Error(), "not a finished backup") {
		t.Fatalf("restore of an empty directory: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "manifest.json"), []byte("{\"format\": 1, \"dat"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := thidua(t, env, "restore", dir); err == nil || !strings.Contains(err.Error(), "manifest.json is damaged") {
		t.Fatalf("restore with a damaged manifest: %v", err)
	}
	m := manifest{Format: 1, SchemaVersion: 1}
	m.Database.File, m.Database.Size, m.Database.SHA256 = "database.dump", 5, strings.Repeat("ab", 32)
	b, _ := json.Marshal(m)
	if err := os.WriteFile(filepath.Join(dir, "manifest.json"), b, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "database.dump"), []byte("PGDMP"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := thidua(t, env, "restore", dir); err == nil || !strings.Contains(err.Error(), "database.dump is damaged") {
		t.Fatalf("restore with a damaged dump: %v", err)
	}
	if _, err := thidua(t, env, "restore"); err == nil || !strings.Contains(err.Error(), "usage: thidua restore") {
		t.Fatalf("restore without a directory: %v", err)
	}
}

func equalCounts(a, b map[string]int64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func tableCount(t *testing.T, dbURL string) int {
	t.Helper()
	conn, err := backupConn(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var n int
	if err := conn.QueryRow(context.Background(), `SELECT count(*) FROM pg_tables WHERE schemaname = 'public'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// servesRestoredData runs the portal on the restored database and store:
// a demo user signs in, sees a restored campaign, and downloads evidence
// with its bytes (whole and by range).
func servesRestoredData(t *testing.T, db *postgres.DB, store storage.Store) {
	t.Helper()
	ctx := context.Background()
	ts := httptest.NewUnstartedServer(nil)
	ts.StartTLS()
	defer ts.Close()
	cfg, err := config.Load(func(k string) string {
		return map[string]string{"BASE_URL": ts.URL, "LOG_FORMAT": "text"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := server.New(cfg, db, store, slog.New(slog.NewTextHandler(io.Discard, nil)))
	defer srv.Close()
	ts.Config.Handler = srv
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Transport: ts.Client().Transport, Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(path string, header ...string) (*http.Response, []byte) {
		t.Helper()
		req, err := http.NewRequest(http.MethodGet, ts.URL+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp, body
	}
	resp, err := c.PostForm(ts.URL+"/login", url.Values{"email": {"canbo@thidua.local"}, "password": {seed.DemoPassword}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/home" {
		t.Fatalf("sign-in on the restored database: status %d, location %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	var campaign string
	if err := db.Pool.QueryRow(ctx, `SELECT title FROM campaigns ORDER BY id DESC LIMIT 1`).Scan(&campaign); err != nil {
		t.Fatal(err)
	}
	resp, body := get("/campaigns")
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	if shown := doc.Find("main").Text(); resp.StatusCode != http.StatusOK || !strings.Contains(shown, campaign) {
		t.Fatalf("/campaigns on the restored database: status %d, campaign %q not shown in:\n%s", resp.StatusCode, campaign, shown)
	}
	var key, sum string
	var size int64
	if err := db.Pool.QueryRow(ctx, `SELECT key, sha256, size FROM evidence_files ORDER BY id LIMIT 1`).Scan(&key, &sum, &size); err != nil {
		t.Fatal(err)
	}
	resp, body = get("/evidence/" + key)
	if got := sha256.Sum256(body); resp.StatusCode != http.StatusOK || hex.EncodeToString(got[:]) != sum || int64(len(body)) != size {
		t.Fatalf("evidence download on the restored data: status %d, %d bytes hashing to %x; want %d bytes hashing to %s", resp.StatusCode, len(body), got, size, sum)
	}
	resp, part := get("/evidence/"+key, "Range", "bytes=0-9")
	if resp.StatusCode != http.StatusPartialContent || string(part) != string(body[:10]) {
		t.Fatalf("range request on restored evidence: status %d, %q; want 206 and %q", resp.StatusCode, part, body[:10])
	}
}

// TestLibpqURL: pg_dump and pg_restore get DATABASE_URL without its password
// (it goes in PGPASSWORD) and without pgx's own parameters, which libpq
// refuses; libpq's own parameters stay.
func TestLibpqURL(t *testing.T) {
	in := "postgres://thidua:s%40cr%C3%A8t@db.example:5433/thidua?sslmode=verify-full&pool_max_conns=40&default_query_exec_mode=exec&application_name=x"
	got := libpqURL(in)
	if strings.Contains(got, "s%40cr") || strings.Contains(got, "pool_") || strings.Contains(got, "default_query_exec_mode") ||
		!strings.Contains(got, "sslmode=verify-full") || !strings.Contains(got, "application_name=x") || !strings.HasPrefix(got, "postgres://thidua@db.example:5433/thidua?") {
		t.Fatalf("libpqURL = %q", got)
	}
	if pw := urlPassword(in); pw != "s@crèt" {
		t.Fatalf("urlPassword = %q", pw)
	}
}

// TestBackupLocalRestoreS3 is the move from a local store to an S3 bucket
// that docs/operations.md describes: a backup taken with STORE=local,
// restored with --force into the same database with STORE=s3, leaves
// every evidence file and attachment in the bucket with its SHA-256, and
// a backup taken from the bucket holds the same files.
func TestBackupLocalRestoreS3(t *testing.T) {
	ctx := context.Background()
	dbURL := pgtest.NewURL(t)
	storeDir := t.TempDir()
	db, err := postgres.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, _, err := seed.Demo(ctx, db, seed.WithEvidence(&storage.Local{Dir: storeDir})); err != nil {
		t.Fatal(err)
	}
	before := counts(t, db)
	local := filepath.Join(t.TempDir(), "local")
	if out, err := thidua(t, map[string]string{"DATABASE_URL": dbURL, "EVIDENCE_DIR": storeDir}, "backup", local); err != nil {
		t.Fatalf("backup of the local store: %v\n%s", err, out)
	}

	srv := miniotest.Start(t)
	bucket := srv.Bucket(t)
	s3env := map[string]string{"DATABASE_URL": dbURL, "EVIDENCE_DIR": filepath.Join(t.TempDir(), "unused"), "STORE": "s3",
		"S3_ENDPOINT": srv.Endpoint, "S3_BUCKET": bucket, "S3_ACCESS_KEY": srv.AccessKey, "S3_SECRET_KEY": srv.SecretKey,
		"S3_TLS": "false", "S3_REGION": "us-east-1"}
	out, err := thidua(t, s3env, "restore", "--force", local)
	if err != nil {
		t.Fatalf("restore into the bucket: %v\n%s", err, out)
	}
	t.Logf("restore:\n%s", out)
	if got := counts(t, db); !maps.Equal(got, before) {
		t.Errorf("after the restore: %v, want %v", got, before)
	}
	s3, err := storage.NewS3(srv.Config(bucket))
	if err != nil {
		t.Fatal(err)
	}
	if n := checkStore(t, db, s3); n == 0 {
		t.Fatal("no evidence checked in the bucket")
	}

	fromS3 := filepath.Join(t.TempDir(), "s3")
	if out, err := thidua(t, s3env, "backup", fromS3); err != nil {
		t.Fatalf("backup of the bucket: %v\n%s", err, out)
	}
	read := func(dir string) manifest {
		var m manifest
		b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	ml, ms := read(local), read(fromS3)
	if ml.ObjectCount != ms.ObjectCount || ml.Referenced != ms.Referenced || len(ms.Missing) != 0 {
		t.Errorf("backup of the bucket: %d files, %d named, missing %v; the local one had %d, %d", ms.ObjectCount, ms.Referenced, ms.Missing, ml.ObjectCount, ml.Referenced)
	}
}
