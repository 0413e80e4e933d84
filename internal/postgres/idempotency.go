package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"thidua/internal/domain"
)

// claimIdempotencyKey claims key for the acting user inside tx. When the key
// was already used, it returns the result stored by the first use and
// claimed=false. A concurrent second use waits on the primary key until the
// first transaction ends, so it never sees a half-done first attempt.
func claimIdempotencyKey(ctx context.Context, tx pgx.Tx, key string) (result string, claimed bool, err error) {
	var user *int64
	if id := domain.ActorFrom(ctx).UserID; id != 0 {
		user = &id
	}
	tag, err := tx.Exec(ctx, `INSERT INTO idempotency_keys (key, user_id) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`, key, user)
	if err != nil {
		return "", false, err
	}
	if tag.RowsAffected() == 1 {
		return "", true, nil
	}
	var sameUser bool
	err = tx.QueryRow(ctx, `SELECT user_id IS NOT DISTINCT FROM $2, result FROM idempotency_keys WHERE key = $1`,
		key, user).Scan(&sameUser, &result)
	if err != nil {
		return "", false, err
	}
	if !sameUser || result == "" {
		return "", false, domain.Errorf(domain.ECONFLICT, "error.duplicate_submit")
	}
	return result, false, nil
}

// setIdempotencyResult records what the first use of key produced.
func setIdempotencyResult(ctx context.Context, tx pgx.Tx, key, result string) error {
	_, err := tx.Exec(ctx, `UPDATE idempotency_keys SET result = $2 WHERE key = $1`, key, result)
	return err
}
