package postgres

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"

	"thidua/internal/domain"
)

// SessionStore keeps scs sessions in the sessions table. Unlike a plain
// store it skips the write scs asks for on every request (the idle
// deadline moves with each one): a session whose data is unchanged is
// written only when its stored deadline has fallen behind by more than
// MinRefresh. The stored deadline is then at most MinRefresh early, so
// the idle timeout holds to within that margin; the absolute lifetime is
// in the data and unaffected.
//
// The sessions table also records the session's user (UserOf reads it from
// the data), so that loading a session reads the user in the same query:
// SessionUser gives it to the request.
type SessionStore struct {
	db         *DB
	MinRefresh time.Duration
	// UserOf returns the user ID in a session's data, 0 if none.
	UserOf func(data []byte) int64
	stop   chan struct{}
	done   chan struct{}
}

// loadedSession is what FindCtx read, kept for CommitCtx of the same request.
type loadedSession struct {
	token  string
	data   []byte
	expiry time.Time
	user   *domain.User
}

// SessionUser returns the user read with the request's session, if any.
func SessionUser(ctx context.Context) *domain.User {
	if slot, ok := ctx.Value(loadedSessionKey{}).(*loadedSession); ok {
		return slot.user
	}
	return nil
}

type loadedSessionKey struct{}

// WithSessionSlot prepares a request's context for the store: what the
// session's load reads is remembered there for its commit.
func WithSessionSlot(ctx context.Context) context.Context {
	return context.WithValue(ctx, loadedSessionKey{}, &loadedSession{})
}

// NewSessionStore returns a store that deletes expired sessions every
// cleanup interval (none when 0) until Stop.
func NewSessionStore(db *DB, minRefresh, cleanup time.Duration, log *slog.Logger) *SessionStore {
	s := &SessionStore{db: db, MinRefresh: minRefresh}
	if cleanup > 0 {
		s.stop, s.done = make(chan struct{}), make(chan struct{})
		go func() {
			defer close(s.done)
			t := time.NewTicker(cleanup)
			defer t.Stop()
			for {
				select {
				case <-s.stop:
					return
				case <-t.C:
					if _, err := db.Pool.Exec(context.Background(), `DELETE FROM sessions WHERE expiry < current_timestamp;
						DELETE FROM session_revocations WHERE expiry < current_timestamp`); err != nil {
						log.Error("sessions: deleting expired sessions", "error", err)
					}
				}
			}
		}()
	}
	return s
}

// Stop ends the cleanup.
func (s *SessionStore) Stop() {
	if s.stop != nil {
		close(s.stop)
		<-s.done
		s.stop = nil
	}
}

// FindCtx returns an unexpired session's data.
func (s *SessionStore) FindCtx(ctx context.Context, token string) (_ []byte, _ bool, err error) {
	defer wrap(&err, "SessionStore.FindCtx")
	var b []byte
	var expiry time.Time
	var (
		id                                        *int64
		email, name, role, unitName, hash, locale *string
		unitID                                    *int64
		epoch, version, unread                    *int
		disabledAt, createdAt                     *time.Time
	)
	err = s.db.Pool.QueryRow(ctx, `SELECT s.data, s.expiry, u.id, u.email, u.full_name, u.role, u.unit_id, coalesce(n.name, ''),
		u.password_hash, u.locale, u.session_epoch, u.disabled_at, u.version, u.created_at,
		(SELECT count(*)::int FROM notifications x WHERE x.user_id = u.id AND x.read_at IS NULL)
		FROM sessions s LEFT JOIN users u ON u.id = s.user_id LEFT JOIN units n ON n.id = u.unit_id
		WHERE s.token = $1 AND current_timestamp < s.expiry`, token).
		Scan(&b, &expiry, &id, &email, &name, &role, &unitID, &unitName, &hash, &locale, &epoch, &disabledAt, &version, &createdAt, &unread)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	if slot, ok := ctx.Value(loadedSessionKey{}).(*loadedSession); ok {
		*slot = loadedSession{token: token, data: b, expiry: expiry}
		if id != nil {
			slot.user = &domain.User{ID: *id, Email: *email, FullName: *name, Role: domain.Role(*role), UnitID: unitID, UnitName: *unitName,
				PasswordHash: *hash, Locale: *locale, SessionEpoch: *epoch, DisabledAt: disabledAt, Version: *version, CreatedAt: *createdAt, Unread: *unread}
		}
	}
	return b, true, nil
}

// CommitCtx stores the session unless it is the one this request loaded,
// unchanged, with a deadline moved by less than MinRefresh.
func (s *SessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) (err error) {
	defer wrap(&err, "SessionStore.CommitCtx")
	if slot, ok := ctx.Value(loadedSessionKey{}).(*loadedSession); ok && slot.token == token &&
		bytes.Equal(slot.data, b) && expiry.Sub(slot.expiry) < s.MinRefresh {
		return nil
	}
	var user *int64
	if s.UserOf != nil {
		if id := s.UserOf(b); id != 0 {
			user = &id
		}
	}
	// A revoked token is never stored again: a request that loaded the
	// session before its sign-out would otherwise bring it back.
	_, err = s.db.Pool.Exec(ctx, `INSERT INTO sessions (token, data, expiry, user_id)
		SELECT $1, $2, $3, $4 WHERE NOT EXISTS (SELECT 1 FROM session_revocations WHERE token = $1)
		ON CONFLICT (token) DO UPDATE SET data = EXCLUDED.data, expiry = EXCLUDED.expiry, user_id = EXCLUDED.user_id`, token, b, expiry, user)
	if err != nil {
		return err
	}
	if slot, ok := ctx.Value(loadedSessionKey{}).(*loadedSession); ok {
		*slot = loadedSession{token: token, data: b, expiry: expiry} // the user is read again on the next load
	}
	return nil
}

// DeleteCtx removes a session (sign-out, or the old token at sign-in) and
// records its token as revoked until it would have expired, so that no
// request still holding it can store it again (CommitCtx).
func (s *SessionStore) DeleteCtx(ctx context.Context, token string) (err error) {
	defer wrap(&err, "SessionStore.DeleteCtx")
	_, err = s.db.Pool.Exec(ctx, `
		WITH gone AS (DELETE FROM sessions WHERE token = $1 RETURNING token, expiry)
		INSERT INTO session_revocations (token, expiry) SELECT token, expiry FROM gone
		ON CONFLICT (token) DO NOTHING`, token)
	return err
}

// Find, Commit and Delete serve callers without a context.
func (s *SessionStore) Find(token string) (_ []byte, _ bool, err error) {
	defer wrap(&err, "SessionStore.Find")
	return s.FindCtx(context.Background(), token)
}

func (s *SessionStore) Commit(token string, b []byte, expiry time.Time) (err error) {
	defer wrap(&err, "SessionStore.Commit")
	return s.CommitCtx(context.Background(), token, b, expiry)
}

func (s *SessionStore) Delete(token string) (err error) {
	defer wrap(&err, "SessionStore.Delete")
	return s.DeleteCtx(context.Background(), token)
}
