package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// A read is one query and the code that reads its rows. The same read runs
// on its own (DB.run with one read) or, with the others a page needs
// together, queued in one batch: one round trip to PostgreSQL for all of
// them instead of one per query. A round trip is the largest fixed cost of
// a query on a busy machine (a write and a read on both sides, and both
// processes woken), so a page reads what it needs in as few as it can.
type read struct {
	sql     string
	args    []any
	collect func(pgx.Rows) error
}

// run sends reads in one round trip and collects each one's rows, in order.
func (db *DB) run(ctx context.Context, reads ...read) error {
	if len(reads) == 1 {
		rows, err := db.Pool.Query(ctx, reads[0].sql, reads[0].args...)
		if err != nil {
			return err
		}
		return reads[0].collect(rows)
	}
	var b pgx.Batch
	for _, r := range reads {
		b.Queue(r.sql, r.args...).Query(r.collect)
	}
	return db.Pool.SendBatch(ctx, &b).Close()
}

// valueRead reads the one row of a query of one column into dest.
func valueRead(sql string, args []any, dest any) read {
	return read{sql, args, func(rows pgx.Rows) error {
		_, err := pgx.ForEachRow(rows, []any{dest}, func() error { return nil })
		return err
	}}
}

// collectInto collects every row into *out with fn.
func collectInto[T any](out *[]T, fn pgx.RowToFunc[T]) func(pgx.Rows) error {
	return func(rows pgx.Rows) (err error) {
		*out, err = pgx.CollectRows(rows, fn)
		return err
	}
}
