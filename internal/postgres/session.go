package postgres

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
)

// SessionStore keeps scs sessions in the sessions table. Unlike a plain
// store it skips the write scs asks for on every request (the idle
// deadline moves with each one): a session whose data is unchanged is
// written only when its stored deadline has fallen behind by more than
// MinRefresh. The stored deadline is then at most MinRefresh early, so
// the idle timeout holds to within that margin; the absolute lifetime is
// in the data and unaffected.
type SessionStore struct {
	db         *DB
	MinRefresh time.Duration
	stop       chan struct{}
	done       chan struct{}
}

// loadedSession is what FindCtx read, kept for CommitCtx of the same request.
type loadedSession struct {
	token  string
	data   []byte
	expiry time.Time
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
					if _, err := db.Pool.Exec(context.Background(), `DELETE FROM sessions WHERE expiry < current_timestamp`); err != nil {
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
func (s *SessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	var b []byte
	var expiry time.Time
	err := s.db.Pool.QueryRow(ctx, `SELECT data, expiry FROM sessions WHERE token = $1 AND current_timestamp < expiry`, token).Scan(&b, &expiry)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	if slot, ok := ctx.Value(loadedSessionKey{}).(*loadedSession); ok {
		*slot = loadedSession{token: token, data: b, expiry: expiry}
	}
	return b, true, nil
}

// CommitCtx stores the session unless it is the one this request loaded,
// unchanged, with a deadline moved by less than MinRefresh.
func (s *SessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	if slot, ok := ctx.Value(loadedSessionKey{}).(*loadedSession); ok && slot.token == token &&
		bytes.Equal(slot.data, b) && expiry.Sub(slot.expiry) < s.MinRefresh {
		return nil
	}
	_, err := s.db.Pool.Exec(ctx, `INSERT INTO sessions (token, data, expiry) VALUES ($1, $2, $3)
		ON CONFLICT (token) DO UPDATE SET data = EXCLUDED.data, expiry = EXCLUDED.expiry`, token, b, expiry)
	if err != nil {
		return err
	}
	if slot, ok := ctx.Value(loadedSessionKey{}).(*loadedSession); ok {
		*slot = loadedSession{token: token, data: b, expiry: expiry}
	}
	return nil
}

// DeleteCtx removes a session.
func (s *SessionStore) DeleteCtx(ctx context.Context, token string) error {
	_, err := s.db.Pool.Exec(ctx, `DELETE FROM sessions WHERE token = $1`, token)
	return err
}

// Find, Commit and Delete serve callers without a context.
func (s *SessionStore) Find(token string) ([]byte, bool, error) {
	return s.FindCtx(context.Background(), token)
}

func (s *SessionStore) Commit(token string, b []byte, expiry time.Time) error {
	return s.CommitCtx(context.Background(), token, b, expiry)
}

func (s *SessionStore) Delete(token string) error { return s.DeleteCtx(context.Background(), token) }
