package server

import (
	"context"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"thidua/internal/domain"
	"thidua/internal/pgtest"
	"thidua/internal/postgres"
)

// sessionRow reads the stored session's row version (xmin changes with
// every write) and its expiry.
func sessionRow(t *testing.T, a *app, token string) (xmin string, expiry time.Time) {
	t.Helper()
	if err := a.db.Pool.QueryRow(context.Background(), `SELECT xmin::text, expiry FROM sessions WHERE token = $1`, token).Scan(&xmin, &expiry); err != nil {
		t.Fatal(err)
	}
	return xmin, expiry
}

// A signed-in GET must not write to the database: a burst of pages within a
// minute writes the session at most once.
func TestSignedInBurstWritesSessionAtMostOnce(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	c, _ := a.loggedIn(domain.RoleStaff)
	token := c.sessionCookie()
	last, _ := sessionRow(t, a, token)
	writes := 0
	for range 20 {
		for _, path := range []string{"/home", "/account", "/units"} {
			wantStatus(t, c.get(path), 200)
			if x, _ := sessionRow(t, a, token); x != last {
				writes++
				last = x
			}
		}
	}
	if writes > 1 {
		t.Errorf("60 signed-in GETs wrote the session %d times, want at most 1", writes)
	}
}

// When the stored idle deadline is more than a minute behind, the next
// request pushes it forward: the idle timeout still counts from the last
// request, give or take a minute.
func TestIdleDeadlineRefreshedAfterAMinute(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	c, _ := a.loggedIn(domain.RoleStaff)
	token := c.sessionCookie()
	if _, err := a.db.Pool.Exec(context.Background(), `UPDATE sessions SET expiry = now() + $2::interval - interval '2 minutes' WHERE token = $1`,
		token, a.cfg.SessionIdleTimeout.String()); err != nil {
		t.Fatal(err)
	}
	_, before := sessionRow(t, a, token)
	wantStatus(t, c.get("/home"), 200)
	_, after := sessionRow(t, a, token)
	if got := after.Sub(before); got < time.Minute {
		t.Errorf("idle deadline moved by %v, want about 2 minutes", got)
	}
	if want := time.Now().Add(a.cfg.SessionIdleTimeout); after.Before(want.Add(-time.Minute)) || after.After(want.Add(time.Minute)) {
		t.Errorf("idle deadline %v, want about %v", after, want)
	}
}

// A request that changes the session's data writes it at once, however
// recent the last write.
func TestSessionDataChangeWritten(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	c, _ := a.loggedIn(domain.RoleAdmin)
	token := c.sessionCookie()
	before, _ := sessionRow(t, a, token)
	// A user created with a generated password leaves the password, to be
	// shown once, in the session.
	key, _ := htmlOf(t, c.get("/users")).Find("input[name=idempotency_key]").Attr("value")
	resp := c.post("/users", url.Values{"idempotency_key": {key}, "email": {"moi@example.vn"}, "full_name": {"Nguyễn Văn Mới"},
		"role": {"staff"}, "password": {""}})
	wantStatus(t, resp, 303)
	after, _ := sessionRow(t, a, token)
	if after == before {
		t.Fatal("the generated password was not written to the session")
	}
	// The next page shows it and so takes it out of the session.
	page := c.get(resp.Header.Get("Location"))
	wantStatus(t, page, 200)
	if htmlOf(t, page).Find(".notice .secret").Length() == 0 {
		t.Error("the password was not shown")
	}
	if x, _ := sessionRow(t, a, token); x == after {
		t.Error("the shown password was not removed from the stored session")
	}
	if htmlOf(t, c.get(resp.Header.Get("Location"))).Find(".notice .secret").Length() != 0 {
		t.Error("the password was shown twice")
	}
}

// The session codec gives the same bytes for the same data whatever Go's
// map order, and still reads sessions written by scs's gob codec.
func TestStableSessionCodec(t *testing.T) {
	deadline := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	values := map[string]any{sessUserID: int64(7), sessEpoch: 3, "note": "logout.done", "a": "x", "b": true, "c": 1.5,
		"d": time.Date(2026, 1, 2, 3, 4, 5, 6, time.FixedZone("ICT", 7*3600)), "e": false}
	first, err := stableCodec{}.Encode(deadline, values)
	if err != nil {
		t.Fatal(err)
	}
	for range 20 {
		again, _ := stableCodec{}.Encode(deadline, values)
		if string(again) != string(first) {
			t.Fatal("the same session encoded to different bytes")
		}
	}
	d, got, err := stableCodec{}.Decode(first)
	if err != nil || !d.Equal(deadline) || got[sessUserID] != int64(7) || got[sessEpoch] != 3 || got["note"] != "logout.done" || len(got) != len(values) ||
		got["b"] != true || got["c"] != 1.5 || !got["d"].(time.Time).Equal(values["d"].(time.Time)) || got["e"] != false {
		t.Fatalf("decoded %v %v %v", d, got, err)
	}
	// A value of another type takes the gob form, still stable.
	other := map[string]any{sessUserID: int64(7), "list": []string{"a", "b"}}
	g1, _ := stableCodec{}.Encode(deadline, other)
	g2, _ := stableCodec{}.Encode(deadline, other)
	if string(g1) != string(g2) {
		t.Error("the gob form is not stable")
	}
	if _, got, err := (stableCodec{}).Decode(g1); err != nil || got[sessUserID] != int64(7) || len(got["list"].([]string)) != 2 {
		t.Errorf("gob form decoded %v %v", got, err)
	}
	// Cut data is an error, never a panic.
	for i := range first {
		if _, _, err := (stableCodec{}).Decode(first[:i]); err == nil && i > len(compactMagic) {
			t.Errorf("data cut at %d of %d bytes decoded", i, len(first))
		}
	}
	old, err := scs.GobCodec{}.Encode(deadline, map[string]any{sessUserID: int64(7), sessEpoch: 3})
	if err != nil {
		t.Fatal(err)
	}
	if d, got, err := (stableCodec{}).Decode(old); err != nil || !d.Equal(deadline) || got[sessUserID] != int64(7) {
		t.Fatalf("old session decoded %v %v %v", d, got, err)
	}
}

// sqlLog records the statements the pool sends.
// sqlLog records the statements a pool sends, those of a batch too, and
// the round trips they took (a batch is one).
type sqlLog struct {
	mu    sync.Mutex
	sql   []string
	trips int
}

func (l *sqlLog) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	l.mu.Lock()
	l.sql = append(l.sql, d.SQL)
	l.trips++
	l.mu.Unlock()
	return ctx
}
func (l *sqlLog) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}
func (l *sqlLog) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	l.mu.Lock()
	l.trips++
	l.mu.Unlock()
	return ctx
}
func (l *sqlLog) TraceBatchQuery(_ context.Context, _ *pgx.Conn, d pgx.TraceBatchQueryData) {
	l.mu.Lock()
	l.sql = append(l.sql, d.SQL)
	l.mu.Unlock()
}
func (l *sqlLog) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData) {}

// newTracedApp is newApp on a pool whose statements the returned log
// records.
func newTracedApp(t *testing.T) (*app, *sqlLog) {
	t.Helper()
	log := &sqlLog{}
	db, err := postgres.OpenWith(context.Background(), pgtest.NewURL(t), func(c *pgxpool.Config) { c.ConnConfig.Tracer = log })
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	return newAppWithDB(t, db, nil), log
}

// take returns the statements sent since the last take.
func (l *sqlLog) take() []string {
	s, _ := l.takeTrips()
	return s
}

// takeTrips returns the statements and the round trips since the last take.
func (l *sqlLog) takeTrips() ([]string, int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	s, n := l.sql, l.trips
	l.sql, l.trips = nil, 0
	return s, n
}

// A signed-in request reads its session and its user in one round trip.
func TestSignedInRequestReadsSessionAndUserTogether(t *testing.T) {
	t.Parallel()
	a, log := newTracedApp(t)
	c, _ := a.loggedIn(domain.RoleStaff)
	log.take()
	wantStatus(t, c.get("/account"), 200)
	var sessions, users int
	for _, q := range log.take() {
		if strings.Contains(q, "FROM sessions") {
			sessions++
		}
		if strings.Contains(q, "FROM users u") && strings.Contains(q, "WHERE u.id = $1") {
			users++
		}
	}
	if sessions != 1 || users != 0 {
		t.Errorf("a signed-in GET read the session %d times and the user by ID %d times, want 1 and 0", sessions, users)
	}
}

// TestSignedOutSessionStaysOut: a request that loaded the session before
// its sign-out and commits after it (a page still loading in another tab)
// cannot bring the session back.
func TestSignedOutSessionStaysOut(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	c, _ := a.loggedIn(domain.RoleStaff)
	token := c.sessionCookie()
	ctx := context.Background()
	var data []byte
	if err := a.db.Pool.QueryRow(ctx, `SELECT data FROM sessions WHERE token = $1`, token).Scan(&data); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, c.post("/logout", nil), 303)
	// The in-flight request commits what it loaded, with a later deadline.
	store := postgres.NewSessionStore(a.db, time.Minute, 0, nil)
	if err := store.CommitCtx(ctx, token, data, time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, found, err := store.FindCtx(ctx, token); err != nil || found {
		t.Fatalf("the signed-out session was stored again (found %v, %v)", found, err)
	}
	// The old cookie, presented again, is not signed in.
	if resp := a.withSession(token).get("/home"); resp.StatusCode != 303 {
		t.Errorf("GET /home with the signed-out token: %d, want a redirect to sign in", resp.StatusCode)
	}
}
