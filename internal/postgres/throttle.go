package postgres

import (
	"context"
	"fmt"
	"net/netip"
	"time"

	"thidua/internal/domain"
)

// RecordLoginAttempt stores a sign-in attempt as a failure before it is
// judged, so that parallel guesses see each other and cannot all slip under
// a limit (a good password then clears it, see ClearLoginFailures), prunes
// entries older than a day, which no window looks at, and returns the
// counts over the window that the throttle decides on (domain.LoginCounts)
// with the attempt's ID (see ForgetLoginAttempt). Everything lives in the
// database, so the limits hold across instances.
func (db *DB) RecordLoginAttempt(ctx context.Context, account string, addr netip.Addr, window time.Duration) (_ domain.LoginCounts, _ int64, err error) {
	defer wrap(&err, "RecordLoginAttempt")
	var id int64
	err = db.Pool.QueryRow(ctx, `
		WITH pruned AS (DELETE FROM login_failures WHERE failed_at < now() - interval '1 day')
		INSERT INTO login_failures (account, client_addr) VALUES ($1, $2) RETURNING id`, account, addr).Scan(&id)
	if err != nil {
		return domain.LoginCounts{}, 0, fmt.Errorf("record login attempt: %w", err)
	}
	var c domain.LoginCounts
	var last *time.Time
	err = db.Pool.QueryRow(ctx, `
		SELECT count(*) FILTER (WHERE account = $1 AND client_addr = $2),
		       count(*) FILTER (WHERE client_addr = $2),
		       count(DISTINCT account) FILTER (WHERE client_addr = $2 AND account <> $1),
		       count(*) FILTER (WHERE account = $1 AND id <> $3),
		       max(failed_at) FILTER (WHERE account = $1 AND id <> $3),
		       now()
		FROM login_failures
		WHERE (account = $1 OR client_addr = $2) AND failed_at > now() - $4::interval`,
		account, addr, id, window).Scan(&c.Pair, &c.Address, &c.AddressAccounts, &c.Account, &last, &c.Now)
	if err != nil {
		return domain.LoginCounts{}, 0, fmt.Errorf("count login failures: %w", err)
	}
	if last != nil {
		c.LastAccountFailure = *last
	}
	return c, id, nil
}

// ForgetLoginAttempt removes an attempt recorded by RecordLoginAttempt that
// the throttle refused without checking its password.
func (db *DB) ForgetLoginAttempt(ctx context.Context, id int64) (err error) {
	defer wrap(&err, "ForgetLoginAttempt")
	_, err = db.Pool.Exec(ctx, `DELETE FROM login_failures WHERE id = $1`, id)
	return err
}

// ClearLoginFailures forgets an account's failures from one address after a
// good sign-in from it. Failures from other addresses stay: they may be an
// attacker's, who must stay throttled.
func (db *DB) ClearLoginFailures(ctx context.Context, account string, addr netip.Addr) (err error) {
	defer wrap(&err, "ClearLoginFailures")
	if _, err := db.Pool.Exec(ctx, `DELETE FROM login_failures WHERE account = $1 AND client_addr = $2`, account, addr); err != nil {
		return fmt.Errorf("clear login failures: %w", err)
	}
	return nil
}
