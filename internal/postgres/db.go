// Package postgres holds all the SQL of Thi Đua: one file per concept, each
// method taking a context first and returning domain types and errors.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"thidua/internal/domain"
)

// pingAfterIdle is how long a pooled connection may sit idle before it is
// checked with a ping when next acquired.
const pingAfterIdle = time.Minute

// DB is the portal's database: a pgx pool plus the clock used for deadlines.
type DB struct {
	Pool *pgxpool.Pool
	// Now is the server clock; tests replace it to move past deadlines.
	Now func() time.Time
	// jobs inserts background jobs (a notification's mail) in the
	// transaction of the event that queues them; internal/jobs works them.
	jobs *river.Client[pgx.Tx]
	// sets keeps criteria trees for FormCriteria.
	sets setCache
	// FileStored reports whether the file store holds a content. A row
	// that comes to refer to a content asks it under the content's lock
	// (claimFile): a delete decided just before the lock would otherwise
	// leave the row pointing to nothing. The server sets it to its store;
	// when nil (the seed, tests without a store) it is not asked.
	FileStored func(ctx context.Context, sum string) (bool, error)
}

// Open connects a pool to url and checks that the database answers.
func Open(ctx context.Context, url string) (_ *DB, err error) {
	defer wrap(&err, "Open")
	return OpenWith(ctx, url, nil)
}

// OpenWith is Open with a hook that may adjust the pool's configuration
// before it connects (the benchmark harness adds a query tracer).
func OpenWith(ctx context.Context, url string, configure func(*pgxpool.Config)) (_ *DB, err error) {
	defer wrap(&err, "OpenWith")
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("DATABASE_URL: %w", err)
	}
	// The default (4 on two cores) starves a deadline-day burst of saves.
	if cfg.MaxConns < 20 {
		cfg.MaxConns = 20
	}
	cfg.ConnConfig.RuntimeParams["timezone"] = "UTC"
	cfg.ConnConfig.RuntimeParams["application_name"] = "thidua"
	// A request that waits on a lock or a slow query gives up rather than
	// piling up connections on the deadline day.
	cfg.ConnConfig.RuntimeParams["statement_timeout"] = "30000"
	cfg.ConnConfig.RuntimeParams["idle_in_transaction_session_timeout"] = "60000"
	// pgxpool pings a connection idle for more than a second before handing
	// it out: on a quiet portal, a round trip before nearly every request.
	// Only connections idle for over a minute are checked; one broken
	// meanwhile fails its request, which the next one retries on a new
	// connection.
	cfg.ShouldPing = func(_ context.Context, p pgxpool.ShouldPingParams) bool { return p.IdleDuration > pingAfterIdle }
	if configure != nil {
		configure(cfg)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := pool.Ping(pingCtx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("database unreachable: %w", err)
	}
	jobs, err := river.NewClient(riverpgxv5.New(pool), &river.Config{})
	if err != nil {
		pool.Close()
		return nil, err
	}
	return &DB{Pool: pool, Now: time.Now, jobs: jobs}, nil
}

// Close closes the pool.
func (db *DB) Close() { db.Pool.Close() }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) (err error) {
	defer wrap(&err, "Ping")
	return db.Pool.Ping(ctx)
}

// inTx runs fn in one transaction: committed when fn returns nil, rolled back
// otherwise.
func (db *DB) inTx(ctx context.Context, fn func(pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, db.Pool, fn)
}

// notFound turns pgx.ErrNoRows into the domain's not-found error.
func notFound(err error, message string) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return domain.Errorf(domain.ENOTFOUND, message)
	}
	return err
}

// isUniqueViolation reports whether err is a unique constraint failure,
// optionally of the named constraint.
func isUniqueViolation(err error, constraint string) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23505" && (constraint == "" || pgErr.ConstraintName == constraint)
}

func isUndefinedTable(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "42P01"
}

func isForeignKeyViolation(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23503"
}

func asPgError(err error, target **pgconn.PgError) bool { return errors.As(err, target) }

type pgconnTag = pgconn.CommandTag

type timeAlias = time.Time

// wrap prefixes a failed operation's error with the operation's name, so a
// log line says which query failed; errors.Is and errors.As still see the
// cause. Domain errors (a refusal with its code and message, a form's field
// problems) are answers for the user, not failures, and pass unchanged.
func wrap(errp *error, op string) {
	if *errp == nil {
		return
	}
	var de *domain.Error
	var ve *domain.ValidationError
	if errors.As(*errp, &de) || errors.As(*errp, &ve) {
		return
	}
	*errp = fmt.Errorf("postgres.%s: %w", op, *errp)
}
