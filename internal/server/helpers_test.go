package server

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"thidua/internal/config"
	"thidua/internal/domain"
	"thidua/internal/jobs"
	"thidua/internal/password"
	"thidua/internal/pgtest"
	"thidua/internal/postgres"
)

// testPassword is the password of every user made by the helpers.
const testPassword = "Mật khẩu thử nghiệm 2026"

// app is the real router over a fresh database, served over TLS so that the
// production cookie settings (__Host-, Secure) are in force.
type app struct {
	t    *testing.T
	db   *postgres.DB
	srv  *Server
	ts   *httptest.Server
	cfg  *config.Config
	unit int64 // a unit for focal points
	logs *lockedWriter
	// slept records the sign-in delays the server asked for; tests never
	// wait them out.
	slept chan time.Duration
	// runner works the queued jobs (imports) once runJobs started it.
	runner *jobs.Runner
}

// runJobs starts a job runner on the app's database and store, as `thidua
// serve` does, so that queued imports run; once per app.
func (a *app) runJobs() {
	a.t.Helper()
	if a.runner != nil {
		return
	}
	r, err := jobs.Start(context.Background(), jobs.Config{DB: a.db, Log: slog.New(slog.NewTextHandler(a.logs, nil)),
		Store: a.srv.store, ScratchDir: a.cfg.ImportDir, Poll: 100 * time.Millisecond, StopGrace: time.Second})
	if err != nil {
		a.t.Fatal(err)
	}
	a.runner = r
	a.t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_ = r.Stop(ctx)
	})
}

func newApp(t *testing.T, env map[string]string) *app {
	t.Helper()
	return newAppWithDB(t, pgtest.NewDB(t), env)
}

func newAppWithDB(t *testing.T, db *postgres.DB, env map[string]string) *app {
	t.Helper()
	a := &app{t: t, db: db, logs: &lockedWriter{b: &strings.Builder{}}}
	ts := httptest.NewUnstartedServer(nil)
	ts.StartTLS()
	t.Cleanup(ts.Close)
	vars := map[string]string{"BASE_URL": ts.URL, "LOG_FORMAT": "text"}
	vars["EVIDENCE_DIR"] = t.TempDir() // /readyz writes to it; a test may name its own
	for k, v := range env {
		vars[k] = v
	}
	cfg, err := config.Load(func(k string) string { return vars[k] })
	if err != nil {
		t.Fatal(err)
	}
	a.cfg = cfg
	log := slog.New(slog.NewTextHandler(a.logs, nil))
	a.srv = New(cfg, db, testStore(t, cfg), log)
	a.slept = make(chan time.Duration, 1000)
	a.srv.sleep = func(_ context.Context, d time.Duration) error {
		select {
		case a.slept <- d:
		default:
		}
		return nil
	}
	t.Cleanup(a.srv.Close)
	ts.Config.Handler = a.srv
	a.ts = ts
	a.unit, err = db.CreateUnit(context.Background(), domain.UnitInput{Name: "Sở Tư pháp", Code: "TEST-STP", Kind: domain.KindDepartment})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// user creates a user with role (focal points in a.unit) and returns its email.
func (a *app) user(role domain.Role) *domain.User {
	a.t.Helper()
	return a.userIn(role, a.unit)
}

func (a *app) userIn(role domain.Role, unit int64) *domain.User {
	a.t.Helper()
	n := domain.NewUser{Email: string(role) + "-" + newIdempotencyKey()[:8] + "@example.vn", FullName: "Người dùng " + string(role), Role: role}
	if role == domain.RoleFocalPoint {
		n.UnitID = &unit
	}
	hash, err := password.Hash(domain.NormalizePassword(testPassword), password.Default)
	if err != nil {
		a.t.Fatal(err)
	}
	u, _, err := a.db.CreateUser(context.Background(), n, hash, "")
	if err != nil {
		a.t.Fatal(err)
	}
	return u
}

// client is a browser: a cookie jar, redirects not followed.
type client struct {
	t    *testing.T
	a    *app
	http *http.Client
	// header is added to every request.
	header http.Header
}

func (a *app) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: a.t, a: a, header: http.Header{}, http: &http.Client{
		Transport:     a.ts.Client().Transport,
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// loggedIn returns a client signed in as a new user of role.
func (a *app) loggedIn(role domain.Role) (*client, *domain.User) {
	a.t.Helper()
	u := a.user(role)
	c := a.client()
	c.login(u.Email, testPassword)
	return c, u
}

func (c *client) do(req *http.Request) *http.Response {
	c.t.Helper()
	for k, vs := range c.header {
		req.Header[k] = vs
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(strings.NewReader(string(body)))
	return resp
}

func (c *client) get(path string) *http.Response {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodGet, c.a.ts.URL+path, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	return c.do(req)
}

func (c *client) post(path string, form url.Values) *http.Response {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodPost, c.a.ts.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// login signs in through the real form and fails the test unless it works.
func (c *client) login(email, pw string) {
	c.t.Helper()
	resp := c.post("/login", url.Values{"email": {email}, "password": {pw}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/home" {
		c.t.Fatalf("login %s: status %d, location %q\n%s", email, resp.StatusCode, resp.Header.Get("Location"), bodyOf(resp))
	}
}

// sessionCookie returns the value of the session cookie in the jar.
func (c *client) sessionCookie() string {
	u, _ := url.Parse(c.a.ts.URL)
	for _, ck := range c.http.Jar.Cookies(u) {
		if strings.HasSuffix(ck.Name, "thidua_session") {
			return ck.Value
		}
	}
	return ""
}

// withSession returns a fresh client that presents only the given token.
func (a *app) withSession(token string) *client {
	c := a.client()
	u, _ := url.Parse(a.ts.URL)
	c.http.Jar.SetCookies(u, []*http.Cookie{{Name: a.srv.sessions.Cookie.Name, Value: token, Path: "/"}})
	return c
}

func bodyOf(resp *http.Response) string {
	b, _ := io.ReadAll(resp.Body)
	resp.Body = io.NopCloser(strings.NewReader(string(b)))
	return string(b)
}

func htmlOf(t *testing.T, resp *http.Response) *goquery.Document {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(bodyOf(resp)))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// signedIn reports whether the client's session is a signed-in one.
func (c *client) signedIn() bool {
	c.t.Helper()
	resp := c.get("/home")
	return resp.StatusCode == http.StatusOK
}

func wantStatus(t *testing.T, resp *http.Response, want int) {
	t.Helper()
	if resp.StatusCode != want {
		t.Fatalf("%s %s: status %d, want %d\n%s", resp.Request.Method, resp.Request.URL.Path, resp.StatusCode, want, htmlOf(t, resp).Find("main").Text())
	}
}

type goqueryTr = goquery.Selection

type goqueryDoc = goquery.Document

type postgresPeopleFilter = postgres.PeopleFilter
