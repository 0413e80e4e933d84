package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"thidua/internal/config"
	"thidua/internal/postgres"
	"thidua/internal/storage"
)

// A backup directory holds:
//
//	database.dump           pg_dump --format=custom of the database
//	objects/aa/bb/<sha256>  every stored content, checked against its hash
//	manifest.json           written last: its presence marks a finished backup
const (
	dumpFile     = "database.dump"
	objectsDir   = "objects"
	manifestFile = "manifest.json"
	// manifestFormat is the layout of the directory; restore refuses others.
	manifestFormat = 1
)

const backupUsage = `usage: thidua backup DIR

Writes a backup of the database and of the store into DIR, which must be new or
empty: DIR/database.dump (pg_dump --format=custom), DIR/objects/aa/bb/<sha256> (every
stored file, its SHA-256 checked on the way) and DIR/manifest.json (written last).

The database is dumped FIRST, then the files are copied. A stored file never
changes (its name is its hash) and is written before the row that names it
commits, so every file the dump refers to is in the store when the copy starts;
files stored after the dump are copied too and are harmless. The portal may run
meanwhile. The backup checks that every file the dump refers to was copied
intact and exits with status 1, naming them, when one is missing or damaged.
`

const restoreUsage = `usage: thidua restore [--force] DIR

Restores a backup made by thidua backup into DATABASE_URL and the configured
store, with the portal stopped: it checks the manifest and the dump, puts every
file of the backup into the store (each one's SHA-256 must match its name: a
damaged backup is refused before the database is touched), then restores the
database in one transaction (pg_restore --clean --if-exists --no-owner
--no-privileges --single-transaction) and checks that every evidence file and
attachment the database names is in the store.

The database must be empty; --force restores over a database that has tables
(their data is replaced by the backup's).
`

// manifest describes a backup; it is written last.
type manifest struct {
	Format        int       `json:"format"`
	Created       time.Time `json:"created"`
	SchemaVersion uint      `json:"schema_version"`
	PostgreSQL    string    `json:"postgresql"` // the server's version
	Store         string    `json:"store"`      // where the files came from
	Database      struct {
		File   string `json:"file"`
		Size   int64  `json:"size"`
		SHA256 string `json:"sha256"`
	} `json:"database"`
	// Referenced counts the distinct files the dump's rows name.
	Referenced int `json:"referenced"`
	// ObjectCount and ObjectBytes total Objects.
	ObjectCount int           `json:"object_count"`
	ObjectBytes int64         `json:"object_bytes"`
	Objects     []backupEntry `json:"objects"`
	// Missing lists files the dump refers to that the store did not have or
	// had damaged (not in the backup): the backup exited with status 1.
	Missing []string `json:"missing,omitempty"`
}

type backupEntry struct {
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
}

func objectPath(dir, sum string) string {
	return filepath.Join(dir, objectsDir, sum[:2], sum[2:4], sum)
}

var sumRE = regexp.MustCompile(`^[0-9a-f]{64}$`)

// runBackup is `thidua backup DIR`.
func runBackup(ctx context.Context, cfg *config.Config, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil || fs.NArg() != 1 {
		return errors.New(strings.TrimSpace(backupUsage))
	}
	dir := fs.Arg(0)
	if cfg.DatabaseURL == "" {
		return errNoDatabase
	}
	if err := emptyDir(dir); err != nil {
		return err
	}
	conn, err := backupConn(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	major, version, err := serverVersion(ctx, conn)
	if err != nil {
		return err
	}
	pgDump, err := findPGTool("pg_dump", major)
	if err != nil {
		return err
	}
	store, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}

	// One snapshot for the dump and for the list of files it refers to: the
	// transaction that exports it stays open until pg_dump is done.
	tx, err := conn.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	var snapshot string
	if err := tx.QueryRow(ctx, `SELECT pg_export_snapshot()`).Scan(&snapshot); err != nil {
		return fmt.Errorf("backup: export a snapshot: %w", err)
	}
	m := manifest{Format: manifestFormat, Created: time.Now().UTC(), PostgreSQL: version, Store: store.String()}
	if err := tx.QueryRow(ctx, `SELECT version FROM schema_migrations LIMIT 1`).Scan(&m.SchemaVersion); err != nil {
		return fmt.Errorf("backup: read the schema version (is the database migrated?): %w", err)
	}
	referenced, err := referencedSums(ctx, tx)
	if err != nil {
		return err
	}
	m.Referenced = len(referenced)
	dumpPath := filepath.Join(dir, dumpFile)
	if err := pgTool(ctx, pgDump, cfg.DatabaseURL, "--format=custom", "--snapshot="+snapshot, "--file="+dumpPath); err != nil {
		return err
	}
	if err := tx.Rollback(ctx); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	m.Database.File = dumpFile
	if m.Database.SHA256, m.Database.Size, err = hashFile(dumpPath, true); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "database: %s, %d bytes, schema version %d, PostgreSQL %s\n", dumpPath, m.Database.Size, m.SchemaVersion, version)

	// Then the files: everything the store holds now.
	var listed []backupEntry
	if err := store.Walk(ctx, func(sum string, size int64) error {
		listed = append(listed, backupEntry{SHA256: sum, Size: size})
		return nil
	}); err != nil {
		return fmt.Errorf("backup: list the store %s: %w", store, err)
	}
	sort.Slice(listed, func(i, j int) bool { return listed[i].SHA256 < listed[j].SHA256 })
	copied := make(map[string]bool, len(listed))
	var damaged []string
	for _, e := range listed {
		size, err := copyObject(ctx, store, e.SHA256, objectPath(dir, e.SHA256))
		var bad *damagedError
		switch {
		case errors.Is(err, storage.ErrNotFound):
			continue // removed since the listing (swept); if the dump names it, it is reported missing below
		case errors.As(err, &bad):
			damaged = append(damaged, bad.Error())
			continue
		case err != nil:
			return err
		}
		m.Objects = append(m.Objects, backupEntry{SHA256: e.SHA256, Size: size})
		m.ObjectBytes += size
		copied[e.SHA256] = true
	}
	m.ObjectCount = len(m.Objects)
	for _, sum := range referenced {
		if !copied[sum] {
			m.Missing = append(m.Missing, sum)
		}
	}
	if err := writeManifest(dir, &m); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "files: %d copied to %s, %d bytes; the dump refers to %d\n", m.ObjectCount, filepath.Join(dir, objectsDir), m.ObjectBytes, m.Referenced)
	if len(m.Missing) > 0 || len(damaged) > 0 {
		var b strings.Builder
		fmt.Fprintf(&b, "backup incomplete: %d file(s) the database refers to are missing from the store %s or damaged there (listed as \"missing\" in %s); the dump and every other file are in the backup:", len(m.Missing), store, filepath.Join(dir, manifestFile))
		for _, d := range damaged {
			b.WriteString("\n  " + d)
		}
		for _, sum := range m.Missing {
			if !strings.Contains(b.String(), sum) {
				b.WriteString("\n  " + sum + ": not in the store")
			}
		}
		return errors.New(b.String())
	}
	fmt.Fprintf(stdout, "backup complete: %s\n", filepath.Join(dir, manifestFile))
	return nil
}

// damagedError is a stored file whose content does not match its name.
type damagedError struct{ sum, got string }

func (e *damagedError) Error() string {
	return e.sum + ": damaged in the store (its content hashes to " + e.got + ")"
}

// copyObject copies the stored content sum to path, checking its hash, and
// returns its size.
func copyObject(ctx context.Context, store storage.Store, sum, path string) (int64, error) {
	rc, err := store.Open(ctx, sum)
	if err != nil {
		if errors.Is(err, storage.ErrNotFound) {
			return 0, err
		}
		return 0, fmt.Errorf("backup: open %s in the store %s: %w", sum, store, err)
	}
	defer rc.Close()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".partial-*")
	if err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	defer os.Remove(f.Name()) // gone after the rename
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), rc)
	if err != nil {
		return 0, fmt.Errorf("backup: copy %s from the store %s: %w", sum, store, err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != sum {
		return 0, &damagedError{sum: sum, got: got}
	}
	if err := f.Sync(); err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	if err := f.Close(); err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	return n, nil
}

// runRestore is `thidua restore [--force] DIR`.
func runRestore(ctx context.Context, cfg *config.Config, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	force := fs.Bool("force", false, "restore over a database that is not empty")
	if err := fs.Parse(args); err != nil || fs.NArg() != 1 {
		return errors.New(strings.TrimSpace(restoreUsage))
	}
	dir := fs.Arg(0)
	if cfg.DatabaseURL == "" {
		return errNoDatabase
	}
	m, err := readManifest(dir)
	if err != nil {
		return err
	}
	if latest := postgres.LatestMigration(); m.SchemaVersion > latest {
		return fmt.Errorf("restore: the backup's schema version %d is newer than this binary's %d: restore it with the release that made it", m.SchemaVersion, latest)
	}
	dumpPath := filepath.Join(dir, m.Database.File)
	if sum, size, err := hashFile(dumpPath, false); err != nil {
		return err
	} else if sum != m.Database.SHA256 || size != m.Database.Size {
		return fmt.Errorf("restore: %s is damaged: %d bytes hashing to %s, the manifest says %d bytes hashing to %s; nothing was restored", dumpPath, size, sum, m.Database.Size, m.Database.SHA256)
	}
	conn, err := backupConn(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	major, _, err := serverVersion(ctx, conn)
	if err != nil {
		return err
	}
	pgRestore, err := findPGTool("pg_restore", major)
	if err != nil {
		return err
	}
	// pg_restore reads the dump's table of contents: a dump it cannot read
	// is refused before anything is touched.
	if out, err := exec.CommandContext(ctx, pgRestore, "--list", dumpPath).CombinedOutput(); err != nil {
		return fmt.Errorf("restore: %s cannot read %s: %v\n%s", pgRestore, dumpPath, err, strings.TrimSpace(string(out)))
	}
	contents, version, err := databaseContents(ctx, conn)
	if err != nil {
		return err
	}
	if contents != "" {
		if version > int64(m.SchemaVersion) {
			return fmt.Errorf("restore: the database is at schema version %d, newer than the backup's %d: the tables of the newer version would stay beside the restored ones; restore into a new, empty database; nothing was restored", version, m.SchemaVersion)
		}
		if !*force {
			return fmt.Errorf("restore: the database is not empty (%s): restoring would replace all of it with the backup; restore into a new, empty database, or run again with --force to replace it; nothing was restored", contents)
		}
		fmt.Fprintf(stdout, "--force: replacing the database's contents (%s)\n", contents)
	}

	// The files first: each one is checked against its name on the way, so
	// a damaged backup is refused before the database is touched. Putting
	// them into the store changes nothing another row could see.
	store, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	var bytes int64
	verified := make(map[string]bool, len(m.Objects))
	for _, e := range m.Objects {
		path := objectPath(dir, e.SHA256)
		if err := putObject(ctx, store, path, e); err != nil {
			return err
		}
		// The store keeps content it already has (it deduplicates), so its
		// copy is read back: one damaged there is replaced by the backup's.
		intact, err := storedIntact(ctx, store, e.SHA256)
		if err == nil && !intact {
			fmt.Fprintf(stdout, "%s: damaged in the store, replaced by the backup's copy\n", e.SHA256)
			if err = store.Delete(ctx, e.SHA256); err == nil {
				if err = putObject(ctx, store, path, e); err == nil {
					intact, err = storedIntact(ctx, store, e.SHA256)
				}
			}
		}
		if err != nil {
			return fmt.Errorf("restore: read back %s from the store %s: %w; nothing was restored into the database", e.SHA256, store, err)
		}
		if !intact {
			return fmt.Errorf("restore: the store %s does not keep %s intact (read back, it hashes differently); nothing was restored into the database", store, e.SHA256)
		}
		verified[e.SHA256] = true
		bytes += e.Size
	}
	fmt.Fprintf(stdout, "files: %d put into the store %s, %d bytes, each read back and checked against its SHA-256\n", len(m.Objects), store, bytes)

	if err := pgTool(ctx, pgRestore, cfg.DatabaseURL, "--clean", "--if-exists", "--no-owner", "--no-privileges",
		"--single-transaction", "--exit-on-error", dumpPath); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "database: restored from %s (schema version %d)\n", dumpPath, m.SchemaVersion)

	// Every file the restored rows name must be in the store.
	tx, err := conn.Begin(ctx)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	sums, err := referencedSums(ctx, tx)
	if err != nil {
		return err
	}
	var missing []string
	for _, sum := range sums {
		if verified[sum] {
			continue // put and read back above
		}
		// Not in the backup: the store may have it from before.
		intact, err := storedIntact(ctx, store, sum)
		if err != nil {
			return fmt.Errorf("restore: read %s from the store %s: %w", sum, store, err)
		}
		if !intact {
			missing = append(missing, sum)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("restore: the database is restored, but %d of the %d files its evidence and attachments refer to are not in the store %s, or damaged there (the backup lacked them): their downloads will fail:\n  %s",
			len(missing), len(sums), store, strings.Join(missing, "\n  "))
	}
	fmt.Fprintf(stdout, "check: all %d files the evidence and attachments refer to are in the store, intact\n", len(sums))
	if latest := postgres.LatestMigration(); m.SchemaVersion < latest {
		fmt.Fprintf(stdout, "the backup's schema version %d is older than this binary's %d: run `thidua migrate up` before `thidua serve`\n", m.SchemaVersion, latest)
	}
	fmt.Fprintln(stdout, "restore complete")
	return nil
}

// storedIntact reads the stored content sum and reports whether it is
// there and hashes to sum.
func storedIntact(ctx context.Context, store storage.Store, sum string) (bool, error) {
	rc, err := store.Open(ctx, sum)
	if errors.Is(err, storage.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	defer rc.Close()
	h := sha256.New()
	if _, err := io.Copy(h, rc); err != nil {
		return false, err
	}
	return hex.EncodeToString(h.Sum(nil)) == sum, nil
}

// putObject puts the backup's file into the store and checks that it is
// stored under the name the manifest gives it.
func putObject(ctx context.Context, store storage.Store, path string, e backupEntry) error {
	if !sumRE.MatchString(e.SHA256) {
		return fmt.Errorf("restore: the manifest names a file %q that is not a SHA-256; nothing was restored into the database", e.SHA256)
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("restore: the backup lacks a file its manifest lists: %w; nothing was restored into the database", err)
	}
	defer f.Close()
	sum, size, err := store.Put(ctx, f, e.Size, nil)
	if errors.Is(err, storage.ErrTooLarge) {
		return fmt.Errorf("restore: %s is damaged: longer than the %d bytes the manifest says; nothing was restored into the database", path, e.Size)
	}
	if err != nil {
		return fmt.Errorf("restore: put %s into the store %s: %w", path, store, err)
	}
	if sum != e.SHA256 || size != e.Size {
		return fmt.Errorf("restore: %s is damaged: its %d bytes hash to %s, not to its name; nothing was restored into the database", path, size, sum)
	}
	return nil
}

// emptyDir makes sure dir exists and holds nothing.
func emptyDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return fmt.Errorf("backup: %w", err)
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if len(entries) > 0 {
		return fmt.Errorf("backup: %s is not empty: give a new directory (e.g. one named after the date) so that no earlier backup is mixed in or overwritten", dir)
	}
	return nil
}

func writeManifest(dir string, m *manifest) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	tmp := filepath.Join(dir, manifestFile+".partial")
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	_, err = f.Write(append(b, '\n'))
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, filepath.Join(dir, manifestFile))
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("backup: write the manifest: %w", err)
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
	return nil
}

func readManifest(dir string) (*manifest, error) {
	path := filepath.Join(dir, manifestFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("restore: %s has no %s: not a finished backup of thidua backup", dir, manifestFile)
	}
	if err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	var m manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("restore: %s is damaged: %v", path, err)
	}
	if m.Format != manifestFormat {
		return nil, fmt.Errorf("restore: %s has format %d; this binary reads format %d", path, m.Format, manifestFormat)
	}
	if m.Database.File != dumpFile || !sumRE.MatchString(m.Database.SHA256) {
		return nil, fmt.Errorf("restore: %s is damaged: no database dump named in it", path)
	}
	return &m, nil
}

// hashFile returns the SHA-256 and size of a file, syncing it first when
// asked (a dump just written).
func hashFile(path string, sync bool) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	if sync {
		if err := f.Sync(); err != nil {
			return "", 0, err
		}
	}
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", 0, err
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// backupConn connects for the backup's snapshot and checks: no statement or
// idle-transaction timeout (the snapshot stays open while pg_dump runs).
func backupConn(ctx context.Context, databaseURL string) (*pgx.Conn, error) {
	pc, err := pgxpool.ParseConfig(databaseURL)
	if err != nil {
		return nil, fmt.Errorf("DATABASE_URL: %w", err)
	}
	cc := pc.ConnConfig
	cc.RuntimeParams["application_name"] = "thidua backup"
	cc.RuntimeParams["statement_timeout"] = "0"
	cc.RuntimeParams["idle_in_transaction_session_timeout"] = "0"
	conn, err := pgx.ConnectConfig(ctx, cc)
	if err != nil {
		return nil, fmt.Errorf("connect to the database: %w", err)
	}
	return conn, nil
}

func serverVersion(ctx context.Context, conn *pgx.Conn) (major int, version string, err error) {
	var num int
	if err := conn.QueryRow(ctx, `SELECT current_setting('server_version_num')::int, current_setting('server_version')`).Scan(&num, &version); err != nil {
		return 0, "", fmt.Errorf("read the server's version: %w", err)
	}
	return num / 10000, version, nil
}

// referencedSums lists the distinct hashes the rows name (evidence files and
// campaign attachments).
func referencedSums(ctx context.Context, tx pgx.Tx) ([]string, error) {
	rows, err := tx.Query(ctx, `SELECT sha256 FROM evidence_files UNION SELECT sha256 FROM campaign_attachments ORDER BY 1`)
	if err != nil {
		return nil, fmt.Errorf("list the files the database refers to: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

// databaseContents describes what the database holds, "" when it has no
// table at all, and its schema version (0 when it has none).
func databaseContents(ctx context.Context, conn *pgx.Conn) (string, int64, error) {
	var tables int
	err := conn.QueryRow(ctx, `SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
		  AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp\_%'`).Scan(&tables)
	if err != nil {
		return "", 0, fmt.Errorf("look into the database: %w", err)
	}
	if tables == 0 {
		return "", 0, nil
	}
	parts := []string{fmt.Sprintf("%d tables", tables)}
	var version int64
	if err := conn.QueryRow(ctx, `SELECT version FROM schema_migrations LIMIT 1`).Scan(&version); err == nil {
		parts = append(parts, fmt.Sprintf("schema version %d", version))
	}
	for _, t := range []struct{ table, what string }{
		{"users", "users"}, {"units", "units"}, {"campaigns", "campaigns"}, {"evidence_files", "evidence files"},
	} {
		var exists bool
		// The table may not exist in a database that is not the portal's.
		if err := conn.QueryRow(ctx, `SELECT to_regclass($1) IS NOT NULL`, "public."+t.table).Scan(&exists); err != nil || !exists {
			continue
		}
		var n int64
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM public.`+t.table).Scan(&n); err == nil {
			parts = append(parts, fmt.Sprintf("%d %s", n, t.what))
		}
	}
	return strings.Join(parts, ", "), version, nil
}

// findPGTool finds a PostgreSQL client program (pg_dump, pg_restore) of the
// server's major version or newer: the newest on the machine, in
// /usr/lib/postgresql/*/bin (Debian's packages) or on PATH.
func findPGTool(name string, serverMajor int) (string, error) {
	var candidates []string
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	for _, d := range dirs {
		candidates = append(candidates, filepath.Join(d, name))
	}
	if p, err := exec.LookPath(name); err == nil {
		candidates = append(candidates, p)
	}
	best, bestMajor := "", 0
	var seen []string
	for _, c := range candidates {
		out, err := exec.Command(c, "--version").Output()
		if err != nil {
			continue
		}
		m := toolVersionRE.FindStringSubmatch(string(out))
		if m == nil {
			continue
		}
		major, _ := strconv.Atoi(m[1])
		seen = append(seen, fmt.Sprintf("%s (%d)", c, major))
		if major >= serverMajor && major > bestMajor {
			best, bestMajor = c, major
		}
	}
	if best == "" {
		found := "none found"
		if len(seen) > 0 {
			found = "found only " + strings.Join(seen, ", ")
		}
		return "", fmt.Errorf("%s of PostgreSQL %d or newer is needed (the server's version; %s in /usr/lib/postgresql/*/bin or PATH): install it, e.g. apt-get install -y postgresql-client-%d", name, serverMajor, found, serverMajor)
	}
	return best, nil
}

var toolVersionRE = regexp.MustCompile(`\(PostgreSQL\) (\d+)`)

// pgTool runs pg_dump or pg_restore against databaseURL. The password goes
// in the environment (PGPASSWORD), not on the command line where other
// users of the machine could read it, and is never printed.
func pgTool(ctx context.Context, bin, databaseURL string, args ...string) error {
	cmd := exec.CommandContext(ctx, bin, append([]string{"--dbname=" + libpqURL(databaseURL)}, args...)...)
	cmd.Env = os.Environ()
	if pw := urlPassword(databaseURL); pw != "" {
		cmd.Env = append(cmd.Env, "PGPASSWORD="+pw)
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		msg := strings.TrimSpace(string(out))
		if pw := urlPassword(databaseURL); pw != "" {
			msg = strings.ReplaceAll(msg, pw, "***")
		}
		return fmt.Errorf("%s failed: %v\n%s", filepath.Base(bin), err, msg)
	}
	return nil
}

// pgxOnly are parameters of DATABASE_URL that pgx reads and libpq refuses.
var pgxOnly = map[string]bool{
	"statement_cache_capacity": true, "description_cache_capacity": true,
	"default_query_exec_mode": true, "servicefile": true,
}

// libpqURL is DATABASE_URL for libpq's programs: without its password and
// without the parameters only pgx knows.
func libpqURL(databaseURL string) string {
	u, err := url.Parse(databaseURL)
	if err != nil {
		return databaseURL // config.Load checked it
	}
	if u.User != nil {
		u.User = url.User(u.User.Username())
	}
	q := u.Query()
	for k := range q {
		if strings.HasPrefix(k, "pool_") || pgxOnly[k] {
			q.Del(k)
		}
	}
	u.RawQuery = q.Encode()
	return u.String()
}

func urlPassword(databaseURL string) string {
	u, err := url.Parse(databaseURL)
	if err != nil || u.User == nil {
		return ""
	}
	pw, _ := u.User.Password()
	return pw
}
