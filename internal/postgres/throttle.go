package postgres

import (
	"context"
	"net/netip"
	"time"
)

// LoginFailures counts failed logins within the last window, for one account and for
// one client address.
func (db *DB) LoginFailures(ctx context.Context, account string, addr netip.Addr, window time.Duration) (byAccount, byAddr int, err error) {
	err = db.Pool.QueryRow(ctx, `
		SELECT (SELECT count(*) FROM login_failures WHERE account = $1 AND failed_at > now() - $3::interval),
		       (SELECT count(*) FROM login_failures WHERE client_addr = $2 AND failed_at > now() - $3::interval)`,
		account, addr, window).Scan(&byAccount, &byAddr)
	return byAccount, byAddr, err
}

// RecordLoginFailure stores a failed login and prunes entries older than a
// day, which no window looks at.
func (db *DB) RecordLoginFailure(ctx context.Context, account string, addr netip.Addr) error {
	_, err := db.Pool.Exec(ctx, `
		WITH pruned AS (DELETE FROM login_failures WHERE failed_at < now() - interval '1 day')
		INSERT INTO login_failures (account, client_addr) VALUES ($1, $2)`, account, addr)
	return err
}

// ClearLoginFailures forgets an account's failures after a good login.
func (db *DB) ClearLoginFailures(ctx context.Context, account string) error {
	_, err := db.Pool.Exec(ctx, `DELETE FROM login_failures WHERE account = $1`, account)
	return err
}
