package postgres

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"regexp"
	"strconv"

	"github.com/golang-migrate/migrate/v4"
	_ "github.com/golang-migrate/migrate/v4/database/pgx/v5" // the pgx5:// driver
	"github.com/golang-migrate/migrate/v4/source/iofs"
	"github.com/jackc/pgx/v5"

	"thidua/migrations"
)

// newMigrate returns a golang-migrate instance over the embedded migrations.
func newMigrate(databaseURL string) (*migrate.Migrate, error) {
	src, err := iofs.New(migrations.FS, ".")
	if err != nil {
		return nil, err
	}
	u, err := url.Parse(databaseURL)
	if err != nil {
		return nil, fmt.Errorf("DATABASE_URL: %w", err)
	}
	u.Scheme = "pgx5"
	return migrate.NewWithSourceInstance("iofs", src, u.String())
}

func closeMigrate(m *migrate.Migrate, err error) error {
	srcErr, dbErr := m.Close()
	return errors.Join(err, srcErr, dbErr)
}

// MigrateUp applies every pending migration.
func MigrateUp(databaseURL string) (err error) {
	defer wrap(&err, "MigrateUp")
	m, err := newMigrate(databaseURL)
	if err != nil {
		return err
	}
	if err = m.Up(); errors.Is(err, migrate.ErrNoChange) {
		err = nil
	}
	return closeMigrate(m, err)
}

// MigrateDown reverts n migrations; n <= 0 reverts them all.
func MigrateDown(databaseURL string, n int) (err error) {
	defer wrap(&err, "MigrateDown")
	m, err := newMigrate(databaseURL)
	if err != nil {
		return err
	}
	if n <= 0 {
		err = m.Down()
	} else {
		err = m.Steps(-n)
	}
	if errors.Is(err, migrate.ErrNoChange) {
		err = nil
	}
	return closeMigrate(m, err)
}

// LatestMigration is the highest version among the embedded migrations.
func LatestMigration() uint {
	var latest uint
	names, _ := fs.Glob(migrations.FS, "*.up.sql")
	for _, name := range names {
		if m := versionPrefix.FindStringSubmatch(name); m != nil {
			if v, _ := strconv.ParseUint(m[1], 10, 64); uint(v) > latest {
				latest = uint(v)
			}
		}
	}
	return latest
}

var versionPrefix = regexp.MustCompile(`^(\d+)_`)

// MigrationState is the database's schema version and whether a migration
// failed half-way (dirty).
type MigrationState struct {
	Version uint
	Dirty   bool
	Latest  uint
}

// Current reports whether the schema is at the binary's latest version.
func (s MigrationState) Current() bool { return !s.Dirty && s.Version == s.Latest }

// MigrationStatus reads the schema version with a plain query, cheap enough
// for /readyz.
func (db *DB) MigrationStatus(ctx context.Context) (_ MigrationState, err error) {
	defer wrap(&err, "MigrationStatus")
	st := MigrationState{Latest: LatestMigration()}
	var version int64
	err = db.Pool.QueryRow(ctx, `SELECT version, dirty FROM schema_migrations LIMIT 1`).Scan(&version, &st.Dirty)
	if err != nil {
		if isUndefinedTable(err) || errors.Is(err, pgx.ErrNoRows) {
			return st, nil
		}
		return st, err
	}
	st.Version = uint(version)
	return st, nil
}
