package server

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"thidua/internal/domain"
)

func TestPublicHome(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	resp := a.client().get("/")
	wantStatus(t, resp, http.StatusOK)
	doc := htmlOf(t, resp)
	if lang, _ := doc.Find("html").Attr("lang"); lang != "vi" {
		t.Errorf("lang = %q", lang)
	}
	if !strings.Contains(doc.Find(".empty").Text(), "Chưa có phong trào thi đua nào") {
		t.Error("no empty state")
	}
	if doc.Find("ol.steps li").Length() != 6 {
		t.Error("the steps of a campaign are not explained")
	}
	if doc.Find("a[href='/login']").Length() == 0 {
		t.Error("no way to sign in")
	}
	if doc.Find(".site-nav").Length() != 0 {
		t.Error("anonymous visitors see the signed-in navigation")
	}
}

func TestDashboardPerRole(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	want := map[domain.Role]struct {
		intro string
		nav   []string
	}{
		domain.RoleAdmin:      {"quản trị tài khoản", []string{"/home", "/campaigns", "/units", "/people", "/councils", "/decisions", "/measures", "/holidays", "/users", "/audit", "/admin/outbox", "/account"}},
		domain.RoleStaff:      {"tổ chức phong trào thi đua", []string{"/home", "/campaigns", "/units", "/people", "/councils", "/decisions", "/measures", "/holidays", "/account"}},
		domain.RoleFocalPoint: {"đầu mối thi đua của đơn vị", []string{"/home", "/units", "/people", "/account"}},
		domain.RoleLeader:     {"bỏ phiếu kín", []string{"/home", "/units", "/councils", "/decisions", "/account"}},
	}
	for role, w := range want {
		c, u := a.loggedIn(role)
		resp := c.get("/home")
		wantStatus(t, resp, http.StatusOK)
		doc := htmlOf(t, resp)
		if !strings.Contains(doc.Find("p.lead").Text(), w.intro) {
			t.Errorf("%s: intro %q", role, doc.Find("p.lead").Text())
		}
		var nav []string
		doc.Find(".site-nav a").Each(func(_ int, s *goqueryTr) { nav = append(nav, s.AttrOr("href", "")) })
		if strings.Join(nav, " ") != strings.Join(w.nav, " ") {
			t.Errorf("%s: nav %v, want %v", role, nav, w.nav)
		}
		if doc.Find(".tasks li").Length() < 3 {
			t.Errorf("%s: fewer than three tasks", role)
		}
		if got := doc.Find(".who-role").Text(); role == domain.RoleFocalPoint && !strings.Contains(got, "Sở Tư pháp") {
			t.Errorf("focal point header does not show the unit: %q", got)
		}
		if active := doc.Find(".site-nav a.active").AttrOr("href", ""); active != "/home" {
			t.Errorf("%s: active nav %q", role, active)
		}
		_ = u
	}
}

func TestLoginRedirectsBack(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	u := a.user(domain.RoleAdmin)
	c := a.client()
	resp := c.get("/users?x=1")
	if loc := resp.Header.Get("Location"); loc != "/login?next=%2Fusers%3Fx%3D1" {
		t.Fatalf("redirect to %q", loc)
	}
	doc := htmlOf(t, c.get("/login?next=%2Fusers%3Fx%3D1"))
	if !strings.Contains(doc.Find(".error-summary").Text(), "Vui lòng đăng nhập") {
		t.Error("login page does not say why")
	}
	next, _ := doc.Find("input[name=next]").Attr("value")
	resp = c.post("/login", url.Values{"email": {u.Email}, "password": {testPassword}, "next": {next}})
	if loc := resp.Header.Get("Location"); loc != "/users?x=1" {
		t.Errorf("after login to %q", loc)
	}
	// Signed-in users asking for /login go home.
	if loc := c.get("/login").Header.Get("Location"); loc != "/home" {
		t.Errorf("signed-in /login to %q", loc)
	}
}

func TestLanguage(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	anon := a.client()
	// An English browser still gets Vietnamese: the portal does not guess.
	anon.header.Set("Accept-Language", "en-US,en;q=0.9")
	doc := htmlOf(t, anon.get("/login"))
	if lang, _ := doc.Find("html").Attr("lang"); lang != "vi" || doc.Find("h1").Text() != "Đăng nhập" {
		t.Errorf("Accept-Language en: lang %q h1 %q", lang, doc.Find("h1").Text())
	}
	// English when the visitor chooses it, and back.
	wantStatus(t, anon.post("/locale", url.Values{"locale": {"en"}, "next": {"/login"}}), http.StatusSeeOther)
	if h1 := htmlOf(t, anon.get("/login")).Find("h1").Text(); h1 != "Sign in" {
		t.Errorf("after choosing en: %q", h1)
	}
	wantStatus(t, anon.post("/locale", url.Values{"locale": {"vi"}, "next": {"/login"}}), http.StatusSeeOther)
	if h1 := htmlOf(t, anon.get("/login")).Find("h1").Text(); h1 != "Đăng nhập" {
		t.Errorf("after choosing vi: %q", h1)
	}
	// A signed-in user's setting is stored on the account.
	c, u := a.loggedIn(domain.RoleStaff)
	wantStatus(t, c.post("/locale", url.Values{"locale": {"en"}, "next": {"/home"}}), http.StatusSeeOther)
	if h2 := htmlOf(t, c.get("/home")).Find("h2").First().Text(); h2 != "Your work" {
		t.Errorf("English dashboard: %q", h2)
	}
	other := a.client()
	other.login(u.Email, testPassword)
	if h2 := htmlOf(t, other.get("/home")).Find("h2").First().Text(); h2 != "Your work" {
		t.Errorf("setting not kept on the account: %q", h2)
	}
	// Error pages follow the language too.
	if h1 := htmlOf(t, c.get("/nope")).Find("h1").Text(); h1 != "Page not found" {
		t.Errorf("English 404: %q", h1)
	}
}
