package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"thidua/internal/domain"
	"thidua/internal/postgres"
)

func TestLoginLogout(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	u := a.user(domain.RoleStaff)

	// An anonymous session planted before sign-in (a token an attacker
	// chose and stored) is not the one the sign-in continues.
	before := "planted-" + newIdempotencyKey()
	data, err := stableCodec{}.Encode(time.Now().Add(time.Hour), map[string]any{"lang": "vi"})
	if err != nil {
		t.Fatal(err)
	}
	if err := postgres.NewSessionStore(a.db, time.Minute, 0, nil).CommitCtx(context.Background(), before, data, time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	c := a.withSession(before)
	c.login(u.Email, testPassword)
	after := c.sessionCookie()
	if after == "" || after == before {
		t.Fatalf("session token not renewed at login: before %q after %q", before, after)
	}
	if a.withSession(before).signedIn() {
		t.Error("the pre-login token still works after login (session fixation)")
	}
	if !a.withSession(after).signedIn() {
		t.Fatal("the new token does not work")
	}
	doc := htmlOf(t, c.get("/home"))
	if got := doc.Find(".who-name").Text(); got != u.FullName {
		t.Errorf("header shows %q, want %q", got, u.FullName)
	}

	// Logging in again renews the token again; the old one is dead.
	c.login(u.Email, testPassword)
	if a.withSession(after).signedIn() {
		t.Error("token from the first login still works after the second")
	}

	// Logout ends the session on the server: replaying the cookie fails.
	live := c.sessionCookie()
	resp := c.post("/logout", nil)
	wantStatus(t, resp, http.StatusSeeOther)
	if a.withSession(live).signedIn() {
		t.Error("replayed cookie still signed in after logout")
	}
	if c.signedIn() {
		t.Error("client still signed in after logout")
	}
	if !strings.Contains(bodyOf(c.get("/")), "Bạn đã đăng xuất.") {
		t.Error("no logout notice")
	}
	assertAudit(t, a, "login.success", "logout")
}

func TestLoginWrongPassword(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	u := a.user(domain.RoleStaff)
	c := a.client()
	for _, tc := range []struct{ email, pw string }{
		{u.Email, "sai mật khẩu rồi"},
		{"khong-co@example.vn", testPassword},
		{strings.ToUpper(u.Email), "sai mật khẩu rồi"},
	} {
		resp := c.post("/login", url.Values{"email": {tc.email}, "password": {tc.pw}})
		wantStatus(t, resp, http.StatusUnprocessableEntity)
		doc := htmlOf(t, resp)
		if msg := strings.TrimSpace(doc.Find(".error-summary").Text()); msg != "Thư điện tử hoặc mật khẩu không đúng." {
			t.Errorf("%s: message %q", tc.email, msg)
		}
		if v, _ := doc.Find("input[name=email]").Attr("value"); v != strings.ToLower(tc.email) {
			t.Errorf("typed e-mail not kept: %q", v)
		}
	}
	if c.signedIn() {
		t.Error("signed in after wrong passwords")
	}
	assertAudit(t, a, "login.failure")
	if !strings.Contains(a.logs.String(), "security: login failed") {
		t.Error("failed login not in the security log")
	}
}

func TestLoginNFCPassword(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	u := a.user(domain.RoleStaff)
	// The same password typed on a keyboard that sends decomposed accents.
	nfd := "Mâ\u0323t khâ\u0309u thu\u031b\u0309 nghiê\u0323m 2026"
	a.client().login(u.Email, nfd)
}

// from makes the client's requests come from addr, as the trusted proxy
// (127.0.0.1 in these tests) reports it.
func (c *client) from(addr string) *client {
	c.header.Set("X-Forwarded-For", addr)
	return c
}

func TestLoginThrottledPerAccount(t *testing.T) {
	t.Parallel()
	a := newApp(t, map[string]string{"TRUSTED_PROXIES": "127.0.0.1"})
	u := a.user(domain.RoleStaff)
	c := a.client().from("203.0.113.9")
	for i := 1; i <= domain.LoginPairLimit; i++ {
		wantStatus(t, c.post("/login", url.Values{"email": {u.Email}, "password": {"sai mật khẩu " + fmt.Sprint(i)}}), http.StatusUnprocessableEntity)
	}
	resp := c.post("/login", url.Values{"email": {u.Email}, "password": {"sai lần thứ sáu"}})
	wantStatus(t, resp, http.StatusTooManyRequests)
	if !strings.Contains(bodyOf(resp), "quá nhiều lần") || resp.Header.Get("Retry-After") == "" {
		t.Errorf("429 without Vietnamese message or Retry-After: %s", resp.Header)
	}
	// The guesser does not get to try more, not even the right password.
	wantStatus(t, c.post("/login", url.Values{"email": {u.Email}, "password": {testPassword}}), http.StatusTooManyRequests)
	// Another account from the same address is not locked.
	other := a.user(domain.RoleStaff)
	a.client().from("203.0.113.9").login(other.Email, testPassword)
	// The owner, from their own address, gets in.
	a.client().from("198.51.100.7").login(u.Email, testPassword)
	// And the guesser is still throttled after the owner signed in.
	wantStatus(t, c.post("/login", url.Values{"email": {u.Email}, "password": {"sai nữa"}}), http.StatusTooManyRequests)
	assertAudit(t, a, "login.throttled")
}

// TestLoginAttackCannotLockOwnerOut: an attacker guessing from many
// addresses is throttled address by address and only slows the account
// down; the owner with the right password still signs in.
func TestLoginAttackCannotLockOwnerOut(t *testing.T) {
	t.Parallel()
	a := newApp(t, map[string]string{"TRUSTED_PROXIES": "127.0.0.1"})
	u := a.user(domain.RoleFocalPoint)
	attackers := make([]*client, 8)
	for i := range attackers {
		attackers[i] = a.client().from(fmt.Sprintf("203.0.113.%d", 10+i))
		for j := range domain.LoginPairLimit {
			wantStatus(t, attackers[i].post("/login", url.Values{"email": {u.Email}, "password": {fmt.Sprintf("đoán %d-%d", i, j)}}), http.StatusUnprocessableEntity)
		}
		// Each attacking address is then refused, whatever it sends.
		wantStatus(t, attackers[i].post("/login", url.Values{"email": {u.Email}, "password": {"đoán tiếp"}}), http.StatusTooManyRequests)
	}
	wantStatus(t, attackers[0].post("/login", url.Values{"email": {u.Email}, "password": {testPassword}}), http.StatusTooManyRequests)

	// The owner, from their commune's address, signs in, twice: slowed
	// down by a few seconds, not refused.
	for len(a.slept) > 0 {
		<-a.slept
	}
	owner := a.client().from("198.51.100.20")
	owner.login(u.Email, testPassword)
	select {
	case d := <-a.slept:
		if d <= 0 || d > domain.LoginDelayMax {
			t.Errorf("owner delayed %v", d)
		}
	default:
		t.Error("the account under attack is not slowed down")
	}
	a.client().from("198.51.100.20").login(u.Email, testPassword)
	// A wrong password from the owner's address is only a failure.
	wantStatus(t, a.client().from("198.51.100.21").post("/login", url.Values{"email": {u.Email}, "password": {"gõ nhầm"}}), http.StatusUnprocessableEntity)

	// The attackers are still throttled.
	for _, c := range attackers {
		wantStatus(t, c.post("/login", url.Values{"email": {u.Email}, "password": {"lại đoán"}}), http.StatusTooManyRequests)
	}
	logs := a.logs.String()
	for _, want := range []string{"security: login throttled", "limit=pair", "security: login delayed"} {
		if !strings.Contains(logs, want) {
			t.Errorf("log lacks %q", want)
		}
	}
}

func TestLoginThrottledPerAddress(t *testing.T) {
	t.Parallel()
	a := newApp(t, map[string]string{"TRUSTED_PROXIES": "127.0.0.1"})
	c := a.client().from("192.0.2.10")
	// Password spraying: one address, one guess at each of many accounts.
	for i := range domain.LoginAddressAccounts {
		resp := c.post("/login", url.Values{"email": {fmt.Sprintf("u%d@example.vn", i)}, "password": {"sai mật khẩu"}})
		wantStatus(t, resp, http.StatusUnprocessableEntity)
	}
	wantStatus(t, c.post("/login", url.Values{"email": {"new@example.vn"}, "password": {"sai mật khẩu"}}), http.StatusTooManyRequests)
	// Behind the trusted proxy, another client address is not throttled.
	c.from("192.0.2.11")
	wantStatus(t, c.post("/login", url.Values{"email": {"new@example.vn"}, "password": {"sai mật khẩu"}}), http.StatusUnprocessableEntity)
	if !strings.Contains(a.logs.String(), "limit=address") {
		t.Error("address throttling not logged")
	}
	// Refused attempts check no password and are not failures: a locked
	// address that keeps sending does not push its lock further out.
	var stored int
	count := func() int {
		if err := a.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM login_failures WHERE client_addr = '192.0.2.10'`).Scan(&stored); err != nil {
			t.Fatal(err)
		}
		return stored
	}
	before := count()
	c.from("192.0.2.10")
	for range 5 {
		wantStatus(t, c.post("/login", url.Values{"email": {"new@example.vn"}, "password": {"sai mật khẩu"}}), http.StatusTooManyRequests)
	}
	if after := count(); after != before {
		t.Errorf("refused attempts were stored as failures: %d → %d", before, after)
	}
}

// TestLoginIPv6CountsTheNetwork: an IPv6 guesser cannot escape the limits
// by taking a new address of its /64 for each guess.
func TestLoginIPv6CountsTheNetwork(t *testing.T) {
	t.Parallel()
	a := newApp(t, map[string]string{"TRUSTED_PROXIES": "127.0.0.1"})
	u := a.user(domain.RoleFocalPoint)
	c := a.client()
	for i := range domain.LoginPairLimit {
		c.from(fmt.Sprintf("2001:db8:7:7::%x", i+1))
		wantStatus(t, c.post("/login", url.Values{"email": {u.Email}, "password": {"sai mật khẩu"}}), http.StatusUnprocessableEntity)
	}
	c.from("2001:db8:7:7::ffff")
	wantStatus(t, c.post("/login", url.Values{"email": {u.Email}, "password": {"sai mật khẩu"}}), http.StatusTooManyRequests)
}

// TestLoginOfficeBehindNAT: colleagues sharing one address, each mistyping
// a few times, are not locked out by each other.
func TestLoginOfficeBehindNAT(t *testing.T) {
	t.Parallel()
	a := newApp(t, map[string]string{"TRUSTED_PROXIES": "127.0.0.1"})
	users := []*domain.User{a.user(domain.RoleStaff), a.user(domain.RoleStaff), a.user(domain.RoleLeader), a.user(domain.RoleStaff)}
	for _, u := range users {
		for i := range domain.LoginPairLimit - 1 {
			wantStatus(t, a.client().from("192.0.2.50").post("/login", url.Values{"email": {u.Email}, "password": {fmt.Sprint("gõ nhầm ", i)}}), http.StatusUnprocessableEntity)
		}
	}
	for _, u := range users {
		a.client().from("192.0.2.50").login(u.Email, testPassword)
	}
}

func TestDisablingEndsSessions(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	admin, _ := a.loggedIn(domain.RoleAdmin)
	victim, u := a.loggedIn(domain.RoleFocalPoint)
	second := a.client()
	second.login(u.Email, testPassword)
	wantStatus(t, admin.post(fmt.Sprintf("/users/%d/disabled", u.ID), url.Values{"disabled": {"true"}, "confirm_last": {"yes"}}), http.StatusSeeOther)
	for _, c := range []*client{victim, second} {
		resp := c.get("/home")
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
			t.Errorf("disabled user's session still works: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	// And a disabled user cannot sign in again.
	wantStatus(t, a.client().post("/login", url.Values{"email": {u.Email}, "password": {testPassword}}), http.StatusUnprocessableEntity)
}

func TestSignOutEverywhere(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	c1, u := a.loggedIn(domain.RoleLeader)
	c2 := a.client()
	c2.login(u.Email, testPassword)
	wantStatus(t, c1.post("/account/sessions/end", nil), http.StatusSeeOther)
	if c1.signedIn() || c2.signedIn() {
		t.Error("a session survived sign-out everywhere")
	}
	c1.login(u.Email, testPassword)
}

func TestSessionCookieFlags(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil) // SESSION_SECURE defaults to true
	u := a.user(domain.RoleStaff)
	resp := a.client().post("/login", url.Values{"email": {u.Email}, "password": {testPassword}})
	wantStatus(t, resp, http.StatusSeeOther)
	var raw string
	for _, h := range resp.Header.Values("Set-Cookie") {
		if strings.Contains(h, "thidua_session=") {
			raw = h
		}
	}
	if !strings.HasPrefix(raw, "__Host-thidua_session=") {
		t.Fatalf("cookie name: %q", raw)
	}
	for _, want := range []string{"; Path=/", "; HttpOnly", "; Secure", "; SameSite=Lax"} {
		if !strings.Contains(raw, want) {
			t.Errorf("cookie %q lacks %q", raw, want)
		}
	}
	if strings.Contains(strings.ToLower(raw), "domain=") || strings.Contains(raw, "Max-Age") || strings.Contains(raw, "Expires") {
		t.Errorf("cookie %q has Domain or persists", raw)
	}

	// The development setting drops Secure and the prefix.
	dev := newApp(t, map[string]string{"SESSION_SECURE": "false"})
	du := dev.user(domain.RoleStaff)
	resp = dev.client().post("/login", url.Values{"email": {du.Email}, "password": {testPassword}})
	if sc := resp.Header.Get("Set-Cookie"); !strings.HasPrefix(sc, "thidua_session=") || strings.Contains(sc, "Secure") {
		t.Errorf("development cookie: %q", sc)
	}
}

func TestSessionIdleAndAbsoluteTimeouts(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	if a.srv.sessions.IdleTimeout.Minutes() != 30 || a.srv.sessions.Lifetime.Hours() != 10 {
		t.Errorf("timeouts idle %v lifetime %v", a.srv.sessions.IdleTimeout, a.srv.sessions.Lifetime)
	}
	c, _ := a.loggedIn(domain.RoleStaff)
	token := c.sessionCookie()
	// Expire the stored session as the store's clock would: the server refuses it.
	if _, err := a.db.Pool.Exec(context.Background(), `UPDATE sessions SET expiry = now() - interval '1 second'`); err != nil {
		t.Fatal(err)
	}
	if a.withSession(token).signedIn() {
		t.Error("expired session accepted")
	}
}

func TestOpenRedirectRefused(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	u := a.user(domain.RoleStaff)
	for next, want := range map[string]string{
		"/account":             "/account",
		"//evil.example/x":     "/home",
		"https://evil.example": "/home",
		"/\\evil.example":      "/home",
	} {
		resp := a.client().post("/login", url.Values{"email": {u.Email}, "password": {testPassword}, "next": {next}})
		if got := resp.Header.Get("Location"); got != want {
			t.Errorf("next=%q redirected to %q, want %q", next, got, want)
		}
	}
}

// assertAudit fails unless each action has at least one audit row.
func assertAudit(t *testing.T, a *app, actions ...string) {
	t.Helper()
	for _, action := range actions {
		var n int
		if err := a.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE action = $1`, action).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			t.Errorf("no audit entry %q", action)
		}
	}
}
