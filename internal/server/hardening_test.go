package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"thidua/internal/domain"
)

// safeLocation fails unless loc, as a browser would read it, stays on the
// portal: a path that starts with one slash, no backslash (browsers read it
// as a slash), no control characters (browsers drop tabs and newlines).
func safeLocation(t *testing.T, next, loc string) {
	t.Helper()
	if !strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") || strings.ContainsAny(loc, "\\\t\r\n") {
		t.Errorf("next=%q: Location %q may leave the site", next, loc)
		return
	}
	for _, r := range loc {
		if r < 0x20 || r == 0x7f {
			t.Errorf("next=%q: Location %q has a control character", next, loc)
			return
		}
	}
	base, _ := url.Parse("https://thidua.example/login")
	// What a browser does: backslashes are slashes, tabs and newlines vanish.
	browser := strings.NewReplacer("\\", "/", "\t", "", "\n", "", "\r", "").Replace(loc)
	u, err := base.Parse(browser)
	if err != nil || u.Host != "thidua.example" {
		t.Errorf("next=%q: Location %q resolves to %v", next, loc, u)
	}
}

var hostileNext = []string{
	"/./\\evil.example",
	"/.\\evil.example",
	"//evil.example",
	"/\\evil.example",
	"\\\\evil.example",
	"%2F%2Fevil.example",
	"/%2F/evil.example",
	"/%5Cevil.example",
	"/%5C%5Cevil.example",
	"https://evil.example",
	"https:evil.example",
	"//evil.example/%2F..",
	"/\t/evil.example",
	"/\n/evil.example",
	"/\r\n/evil.example",
	"/%09/evil.example",
	"/../\\evil.example",
	"/../../evil.example",
	"/a/../..//evil.example",
	"/.//evil.example",
	"///evil.example",
	"javascript:alert(1)",
	"/home/../\\\\evil.example",
	"evil.example",
	"/@evil.example",
	"http:/\\/evil.example",
}

// TestLoginNextNeverLeavesSite signs in for real with each hostile next and
// checks where the portal sends the browser.
func TestLoginNextNeverLeavesSite(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	u := a.user(domain.RoleStaff)
	for _, next := range hostileNext {
		c := a.client()
		resp := c.post("/login", url.Values{"email": {u.Email}, "password": {testPassword}, "next": {next}})
		wantStatus(t, resp, http.StatusSeeOther)
		safeLocation(t, next, resp.Header.Get("Location"))
		// The form shown with ?next= keeps only a safe value.
		doc := htmlOf(t, a.client().get("/login?next="+url.QueryEscape(next)))
		if v, ok := doc.Find("input[name=next]").Attr("value"); ok && v != "" {
			safeLocation(t, next, v)
		}
	}
	// A good next still works, query kept.
	resp := a.client().post("/login", url.Values{"email": {u.Email}, "password": {testPassword}, "next": {"/units?q=t%C6%B0+ph%C3%A1p"}})
	wantStatus(t, resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); loc != "/units?q=t%C6%B0+ph%C3%A1p" {
		t.Errorf("good next lost: %q", loc)
	}
}

func TestLocaleNextNeverLeavesSite(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	signed, _ := a.loggedIn(domain.RoleStaff)
	for _, c := range []*client{a.client(), signed} {
		for _, next := range hostileNext {
			resp := c.post("/locale", url.Values{"locale": {"vi"}, "next": {next}})
			wantStatus(t, resp, http.StatusSeeOther)
			safeLocation(t, next, resp.Header.Get("Location"))
		}
	}
	resp := a.client().post("/locale", url.Values{"locale": {"en"}, "next": {"/public/campaigns/1"}})
	if loc := resp.Header.Get("Location"); loc != "/public/campaigns/1" {
		t.Errorf("good next lost: %q", loc)
	}
}

// TestNumericParametersNeverFail: numbers too large for the database's
// integer types, negative or not numbers at all answer 400 or 404, never 500.
func TestNumericParametersNeverFail(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	admin, _ := a.loggedIn(domain.RoleAdmin)
	staff, _ := a.loggedIn(domain.RoleStaff)
	for _, v := range []string{"2147483648", "-2147483649", "9223372036854775807", "9223372036854775808", "99999999999999999999", "-1", "1e3", "0x10", "abc"} {
		for _, tc := range []struct {
			c    *client
			path string
		}{
			{admin, "/audit?before=" + v},
			{staff, "/units?page=" + v},
			{staff, "/units/new?parent=" + v},
			{staff, "/people?unit=" + v},
			{staff, "/units/" + v},
			{staff, "/people/" + v},
			{staff, "/campaigns/" + v},
			{staff, "/campaigns/" + v + "/phases/" + v},
			{admin, "/users/" + v},
		} {
			resp := tc.c.get(tc.path)
			if resp.StatusCode >= 500 {
				t.Errorf("GET %s: %d", tc.path, resp.StatusCode)
			}
		}
	}
	resp := admin.get("/audit?before=2147483648")
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusBadRequest {
		t.Errorf("/audit?before=2147483648: %d", resp.StatusCode)
	}
	resp = admin.get("/audit?before=abc")
	wantStatus(t, resp, http.StatusBadRequest)
	if !strings.Contains(bodyOf(resp), "Tham số") {
		t.Errorf("no Vietnamese message for a bad parameter:\n%s", htmlOf(t, resp).Find("main").Text())
	}
}

// TestHeadAnswersLikeGet: uptime probes use HEAD; a method the route does
// not take answers 405 with an Allow header.
func TestHeadAnswersLikeGet(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	signed, _ := a.loggedIn(domain.RoleStaff)
	for _, tc := range []struct {
		c    *client
		path string
	}{{a.client(), "/healthz"}, {a.client(), "/"}, {a.client(), "/login"}, {signed, "/home"}, {signed, "/units"}} {
		get := tc.c.get(tc.path)
		req, _ := http.NewRequest(http.MethodHead, a.ts.URL+tc.path, nil)
		head := tc.c.do(req)
		if head.StatusCode != get.StatusCode || head.StatusCode != http.StatusOK {
			t.Errorf("HEAD %s: %d, GET %d", tc.path, head.StatusCode, get.StatusCode)
		}
		if head.Header.Get("Content-Type") != get.Header.Get("Content-Type") {
			t.Errorf("HEAD %s: Content-Type %q, GET %q", tc.path, head.Header.Get("Content-Type"), get.Header.Get("Content-Type"))
		}
		if b := bodyOf(head); b != "" {
			t.Errorf("HEAD %s has a body", tc.path)
		}
	}
	// HEAD of a signed-in page without a session goes to the sign-in page, as GET does.
	req, _ := http.NewRequest(http.MethodHead, a.ts.URL+"/home", nil)
	if resp := a.client().do(req); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("anonymous HEAD /home: %d", resp.StatusCode)
	}
	for _, tc := range []struct{ method, path, allow string }{
		{http.MethodPost, "/healthz", "GET, HEAD"},
		{http.MethodDelete, "/login", "GET, HEAD, POST"},
		{http.MethodPut, "/", "GET, HEAD"},
		{http.MethodGet, "/logout", "POST"},
	} {
		req, _ := http.NewRequest(tc.method, a.ts.URL+tc.path, nil)
		resp := a.client().do(req)
		if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != tc.allow {
			t.Errorf("%s %s: %d Allow %q, want 405 Allow %q", tc.method, tc.path, resp.StatusCode, resp.Header.Get("Allow"), tc.allow)
		}
	}
	_ = fmt.Sprint
}

// TestPasswordFromOwnDetailsRefused: the password rules see the user's own
// e-mail, name and unit when an account is created and when a password is
// changed.
func TestPasswordFromOwnDetailsRefused(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	c, u := a.loggedIn(domain.RoleFocalPoint)
	local, _, _ := strings.Cut(u.Email, "@")
	for _, tc := range []struct{ pw, msg string }{
		{"Sở Tư pháp 2026", "thông tin của chính bạn"},
		{"SO TU PHAP!", "thông tin của chính bạn"},
		{local + "2026", "thông tin của chính bạn"},
		{u.FullName, "thông tin của chính bạn"},
		{"aaaaaaaa", "lặp lại hoặc theo dãy"},
		{"        ", "lặp lại hoặc theo dãy"},
		{"abcdefgh", "lặp lại hoặc theo dãy"},
		{"qwertyui", "lặp lại hoặc theo dãy"},
	} {
		resp := c.post("/account/password", url.Values{"current": {testPassword}, "new": {tc.pw}, "confirm": {tc.pw}})
		wantStatus(t, resp, http.StatusUnprocessableEntity)
		if !strings.Contains(bodyOf(resp), tc.msg) {
			t.Errorf("change to %q: missing %q", tc.pw, tc.msg)
		}
	}

	admin, _ := a.loggedIn(domain.RoleAdmin)
	for _, tc := range []struct{ email, name, pw, msg string }{
		{"tran.van.binh@example.vn", "Trần Văn Bình", "tranvanbinh2026", "thông tin của chính bạn"},
		{"moi@example.vn", "Lê Thị Mai", "moi@example.vn", "thông tin của chính bạn"},
		{"khac@example.vn", "Lê Văn Khác", "Sở Tư pháp!!", "thông tin của chính bạn"},
		{"lap@example.vn", "Lê Văn Lặp", "abababababab", "lặp lại hoặc theo dãy"},
	} {
		key, _ := htmlOf(t, admin.get("/users")).Find("input[name=idempotency_key]").Attr("value")
		resp := admin.post("/users", url.Values{"idempotency_key": {key}, "email": {tc.email}, "full_name": {tc.name},
			"role": {"focal_point"}, "unit_id": {fmt.Sprint(a.unit)}, "password": {tc.pw}})
		wantStatus(t, resp, http.StatusUnprocessableEntity)
		if !strings.Contains(bodyOf(resp), tc.msg) {
			t.Errorf("create %s with %q: missing %q", tc.email, tc.pw, tc.msg)
		}
	}
}

// TestInvisibleNamesRefused: a name made only of zero-width or other
// invisible characters is no name.
func TestInvisibleNamesRefused(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	staff, _ := a.loggedIn(domain.RoleStaff)
	for _, name := range []string{"\u200b\u200c\u200d\ufeff", "\u2060\u200b \u00a0\u200b", "\u202e\u202d\u2066\u2069", "\u00ad\u3164"} {
		resp := staff.post("/units", url.Values{"name": {name}, "kind": {"commune"}, "valid_from": {"2025-07-01"}})
		wantStatus(t, resp, http.StatusUnprocessableEntity)
		resp = staff.post("/people", url.Values{"full_name": {name}, "unit_code": {"TEST-STP"}, "category": {"cong_chuc"}, "valid_from": {"2025-07-01"}})
		wantStatus(t, resp, http.StatusUnprocessableEntity)
	}
	// Visible text with invisible characters around it keeps only the text.
	resp := staff.post("/units", url.Values{"name": {"\u200bUBND xã Mỹ Thọ\u200b\ufeff"}, "kind": {"commune"}, "valid_from": {"2025-07-01"}})
	wantStatus(t, resp, http.StatusSeeOther)
	doc := htmlOf(t, staff.get(resp.Header.Get("Location")))
	if h := doc.Find("h1").Text(); !strings.Contains(h, "UBND xã Mỹ Thọ") || strings.ContainsAny(h, "\u200b\ufeff") {
		t.Errorf("unit page title %q", h)
	}
}

// TestAssessmentListBackLinkOpens: every link back to the campaign on the
// assessments list leads to a page its reader may open.
func TestAssessmentListBackLinkOpens(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	wk := newWork(t, a)
	staff, _ := a.loggedIn(domain.RoleStaff)
	fp, _ := a.loggedIn(domain.RoleFocalPoint)
	wk.register(t, fp, staff)
	for _, c := range []*client{fp, staff} {
		doc := htmlOf(t, c.get(wk.page+"/assessments"))
		back := doc.Find("main a").FilterFunction(func(_ int, s *goquery.Selection) bool { return strings.HasPrefix(s.Text(), "←") })
		if back.Length() == 0 {
			t.Fatal("no back link on the assessments list")
		}
		href, _ := back.First().Attr("href")
		if resp := c.get(href); resp.StatusCode != http.StatusOK {
			t.Errorf("back link %s answers %d", href, resp.StatusCode)
		}
	}
}

// TestRejectedImportFileNotLoggedAsError: a user's bad file is the user's
// mistake, logged as information, not a server error.
func TestRejectedImportFileNotLoggedAsError(t *testing.T) {
	t.Parallel()
	a := newApp(t, map[string]string{"IMPORT_DIR": t.TempDir()})
	staff, _ := a.loggedIn(domain.RoleStaff)
	for _, f := range []struct {
		name    string
		content string
	}{
		{"hong.csv", "ma,\"ten\n\"T1,x\n"},
		{"hong.xlsx", "PK\x03\x04 không phải tệp Excel"},
		{"chi-tieu-de.csv", ""},
	} {
		resp := staff.upload("/units/import", f.name, []byte(f.content))
		if resp.StatusCode != http.StatusSeeOther {
			continue // refused at once: nothing runs in the background
		}
		waitJob(t, staff, resp.Header.Get("Location"))
	}
	logs := a.logs.String()
	if strings.Contains(logs, "level=ERROR") {
		t.Errorf("a rejected file logged as an error:\n%s", logs)
	}
	if !strings.Contains(logs, "import: file refused") {
		t.Errorf("rejected file not logged:\n%s", logs)
	}
}
