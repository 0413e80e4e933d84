package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
)

// ExistingSecret returns the named shared secret, or nil when no instance
// has made it yet (Secret makes it): a reader that must not write, such as
// a GET, uses this.
func (db *DB) ExistingSecret(ctx context.Context, name string) (_ []byte, err error) {
	defer wrap(&err, "ExistingSecret")
	var v []byte
	err = db.Pool.QueryRow(ctx, `SELECT value FROM app_secrets WHERE name = $1`, name).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	return v, err
}
