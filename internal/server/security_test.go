package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"

	"thidua/internal/domain"
)

// access says who may use a route. Every route of the router must be listed:
// a new route without an entry fails TestRouteAccessMatrix.
var access = map[string]string{
	// Notification mails: the outbox (admins), the e-mail choices (every
	// signed-in user, their own), a mail's unsubscribe link (its token).
	"GET /admin/outbox":           "admin",
	"GET /admin/outbox/{mailID}":  "admin",
	"GET /account/notifications":  "user",
	"POST /account/notifications": "user",
	"GET /unsubscribe/{token}":    "public",
	"POST /unsubscribe/{token}":   "public",

	"GET /healthz":                       "probe",
	"GET /readyz":                        "probe",
	"GET /static/*":                      "static",
	"GET /":                              "public",
	"GET /login":                         "public",
	"POST /login":                        "public",
	"POST /logout":                       "public",
	"POST /locale":                       "public",
	"GET /home":                          "user",
	"GET /account":                       "user",
	"POST /account/password":             "user",
	"POST /account/sessions/end":         "user",
	"GET /users":                         "admin",
	"POST /users":                        "admin",
	"GET /users/{userID}":                "admin",
	"POST /users/{userID}":               "admin",
	"POST /users/{userID}/disabled":      "admin",
	"POST /users/{userID}/password":      "admin",
	"POST /users/{userID}/sessions/end":  "admin",
	"GET /audit":                         "admin",
	"GET /units":                         "user",
	"GET /units/{unitID}":                "user",
	"GET /units/export.csv":              "user",
	"GET /units/export.xlsx":             "user",
	"GET /people":                        "people",
	"GET /people/{personID}":             "people",
	"GET /units/new":                     "staff",
	"POST /units":                        "staff",
	"POST /units/{unitID}":               "staff",
	"POST /units/{unitID}/change":        "staff",
	"POST /units/{unitID}/dissolve":      "staff",
	"GET /units/reorganize":              "staff",
	"POST /units/reorganize":             "staff",
	"GET /units/import":                  "staff",
	"POST /units/import":                 "staff",
	"GET /units/template.csv":            "staff",
	"GET /units/template.xlsx":           "staff",
	"GET /people/new":                    "staff",
	"POST /people":                       "staff",
	"POST /people/{personID}/move":       "staff",
	"GET /people/import":                 "staff",
	"POST /people/import":                "staff",
	"GET /people/template.csv":           "staff",
	"GET /people/template.xlsx":          "staff",
	"GET /people/export.csv":             "staff",
	"GET /people/export.xlsx":            "staff",
	"GET /imports/{key}":                 "staff",
	"POST /imports/{key}/run":            "staff",
	"GET /measures":                      "staff",
	"GET /measures/import":               "staff",
	"POST /measures/import":              "staff",
	"GET /measures/template.csv":         "staff",
	"GET /measures/template.xlsx":        "staff",
	"GET /holidays":                      "staff",
	"POST /holidays":                     "staff",
	"POST /holidays/remove":              "staff",
	"GET /public/campaigns/{campaignID}": "public",
	"GET /public/campaigns/{campaignID}/attachments/{key}": "public",
	"GET /campaigns":                                                                                 "staff",
	"GET /campaigns/new":                                                                             "staff",
	"POST /campaigns":                                                                                "staff",
	"GET /campaigns/{campaignID}":                                                                    "staff",
	"GET /campaigns/{campaignID}/edit":                                                               "staff",
	"POST /campaigns/{campaignID}/edit":                                                              "staff",
	"POST /campaigns/{campaignID}/transition":                                                        "staff",
	"GET /campaigns/{campaignID}/phases":                                                             "staff",
	"POST /campaigns/{campaignID}/phases":                                                            "staff",
	"GET /campaigns/{campaignID}/awards":                                                             "staff",
	"POST /campaigns/{campaignID}/awards":                                                            "staff",
	"POST /campaigns/{campaignID}/attachments":                                                       "staff",
	"GET /campaigns/{campaignID}/attachments/{key}":                                                  "staff",
	"GET /campaigns/{campaignID}/criteria":                                                           "staff",
	"POST /campaigns/{campaignID}/criteria/sets":                                                     "staff",
	"POST /campaigns/{campaignID}/criteria/{setID}/nodes":                                            "staff",
	"GET /campaigns/{campaignID}/criteria/{setID}/nodes/{nodeID}":                                    "staff",
	"POST /campaigns/{campaignID}/criteria/{setID}/nodes/{nodeID}":                                   "staff",
	"POST /campaigns/{campaignID}/criteria/{setID}/nodes/{nodeID}/delete":                            "staff",
	"POST /campaigns/{campaignID}/criteria/{setID}/template":                                         "staff",
	"POST /campaigns/{campaignID}/criteria/{setID}/copy":                                             "staff",
	"POST /campaigns/{campaignID}/criteria/{setID}/import":                                           "staff",
	"GET /campaigns/{campaignID}/criteria/{setID}/export.xlsx":                                       "staff",
	"GET /campaigns/{campaignID}/phases/{phaseID}":                                                   "staff",
	"POST /campaigns/{campaignID}/phases/{phaseID}":                                                  "staff",
	"GET /campaigns/{campaignID}/registrations":                                                      "work",
	"POST /campaigns/{campaignID}/registrations":                                                     "fp",
	"POST /campaigns/{campaignID}/registrations/{registrationID}/withdraw":                           "work",
	"GET /campaigns/{campaignID}/assessments":                                                        "work",
	"POST /campaigns/{campaignID}/assessments":                                                       "fp",
	"GET /campaigns/{campaignID}/assessments/{assessmentID}":                                         "work",
	"POST /campaigns/{campaignID}/assessments/{assessmentID}":                                        "work",
	"POST /campaigns/{campaignID}/assessments/{assessmentID}/submit":                                 "work",
	"GET /campaigns/{campaignID}/assessments/{assessmentID}/receipt":                                 "work",
	"GET /campaigns/{campaignID}/assessments/{assessmentID}/history":                                 "work",
	"GET /campaigns/{campaignID}/assessments/{assessmentID}/criteria/{criterionID}/evidence":         "work",
	"POST /campaigns/{campaignID}/assessments/{assessmentID}/criteria/{criterionID}/evidence":        "work",
	"POST /campaigns/{campaignID}/assessments/{assessmentID}/criteria/{criterionID}/evidence/reuse":  "work",
	"POST /campaigns/{campaignID}/assessments/{assessmentID}/criteria/{criterionID}/evidence/remove": "work",
	"GET /campaigns/{campaignID}/assessments/{assessmentID}/reply":                                   "user",
	"POST /campaigns/{campaignID}/assessments/{assessmentID}/reply":                                  "user",
	"POST /campaigns/{campaignID}/assessments/{assessmentID}/reply/submit":                           "user",
	"POST /campaigns/{campaignID}/assessments/{assessmentID}/reply/{criterionID}/answer":             "user",
	"POST /campaigns/{campaignID}/assessments/{assessmentID}/lock":                                   "user",
	"POST /campaigns/{campaignID}/assessments/{assessmentID}/reopen":                                 "user",
	"GET /evidence/{key}":                                                                            "user",
	"POST /campaigns/{campaignID}/registrations/decide":                                              "staff",
	"GET /campaigns/{campaignID}/registrations/all":                                                  "staff",
	"POST /campaigns/{campaignID}/registrations/all":                                                 "staff",
	"POST /campaigns/{campaignID}/assessments/{assessmentID}/return":                                 "staff",
	"POST /campaigns/{campaignID}/assessments/{assessmentID}/extend":                                 "staff",
	"GET /campaigns/{campaignID}/assessments.csv":                                                    "staff",
	"GET /campaigns/{campaignID}/assessments.xlsx":                                                   "staff",
	"GET /campaigns/{campaignID}/assessments-criteria.csv":                                           "staff",
	"GET /public/campaigns/{campaignID}/results":                                                     "public",
	"GET /campaigns/{campaignID}/results":                                                            "results",
	"POST /campaigns/{campaignID}/results/{phaseID}/{setID}/propose":                                 "staff",
	"POST /campaigns/{campaignID}/results/{phaseID}/{setID}/approve":                                 "leader",
	"POST /campaigns/{campaignID}/results/{phaseID}/{setID}/return":                                  "leader",
	"POST /campaigns/{campaignID}/awards/rules":                                                      "staff",
	"POST /campaigns/{campaignID}/awards/rules/{ruleID}/remove":                                      "staff",
	"POST /campaigns/{campaignID}/awards/quotas":                                                     "staff",
	"GET /campaigns/{campaignID}/shortlist":                                                          "results",
	"POST /campaigns/{campaignID}/shortlist/{phaseID}/{planID}/propose":                              "staff",
	"POST /campaigns/{campaignID}/shortlist/{phaseID}/{planID}/entries/{entryID}/add":                "staff",
	"POST /campaigns/{campaignID}/shortlist/{phaseID}/{planID}/entries/{entryID}/remove":             "staff",
	"POST /campaigns/{campaignID}/shortlist/{phaseID}/{planID}/return":                               "leader",
	"POST /campaigns/{campaignID}/assessments/{assessmentID}/receive":                                "staff",
	"GET /campaigns/{campaignID}/appraisal":                                                          "appraisal",
	"GET /campaigns/{campaignID}/appraisal/{assessmentID}":                                           "appraisal",
	"GET /campaigns/{campaignID}/appraisal/{assessmentID}/history":                                   "appraisal",
	"POST /campaigns/{campaignID}/appraisal/{assessmentID}":                                          "appraisal",
	"POST /campaigns/{campaignID}/appraisal/{assessmentID}/accept-all":                               "appraisal",
	"POST /campaigns/{campaignID}/appraisal/{assessmentID}/complete":                                 "appraisal",
	// The appraisal team (staff) and an appraiser's own list ("member": only
	// members of the campaign's appraisal team, none in this test; with
	// memberships and foreign IDs in TestAppraiserSeesOnlyAssigned).
	"GET /campaigns/{campaignID}/appraisal/team":                            "staff",
	"POST /campaigns/{campaignID}/appraisal/team/members":                   "staff",
	"POST /campaigns/{campaignID}/appraisal/team/members/{memberID}/remove": "staff",
	"POST /campaigns/{campaignID}/appraisal/team/assign":                    "staff",
	"GET /campaigns/{campaignID}/appraisal/{assessmentID}/recuse":           "member",
	"POST /campaigns/{campaignID}/appraisal/{assessmentID}/recuse":          "member",
	"GET /campaigns/{campaignID}/measures":                                  "staff",
	"POST /campaigns/{campaignID}/phases/{phaseID}/measures":                "staff",
	"GET /campaigns/{campaignID}/ranking":                                   "read",
	"GET /campaigns/{campaignID}/ranking/{assessmentID}":                    "read",
	"GET /campaigns/{campaignID}/ranking.csv":                               "read",
	"GET /campaigns/{campaignID}/ranking.xlsx":                              "read",
	"GET /campaigns/{campaignID}/ranking-criteria.csv":                      "read",
	// Nominations of individuals: staff and focal points ("work"; another
	// unit's nominations and people with foreign IDs in
	// TestNominationForeignIDs), focal points start them, staff receive and
	// return them.
	"GET /campaigns/{campaignID}/nominations":                         "work",
	"POST /campaigns/{campaignID}/nominations":                        "fp",
	"GET /campaigns/{campaignID}/nominations/{nominationID}":          "work",
	"POST /campaigns/{campaignID}/nominations/{nominationID}":         "work",
	"POST /campaigns/{campaignID}/nominations/{nominationID}/submit":  "work",
	"POST /campaigns/{campaignID}/nominations/{nominationID}/receive": "staff",
	"POST /campaigns/{campaignID}/nominations/{nominationID}/return":  "staff",
	// Public notice (issue 11, part P).
	"GET /public/notices/{noticeID}":                                                  "public",
	"POST /public/notices/{noticeID}/objections":                                      "public",
	"GET /campaigns/{campaignID}/notices":                                             "read",
	"GET /campaigns/{campaignID}/notices/{noticeID}/dossier":                          "read",
	"GET /campaigns/{campaignID}/notices/{noticeID}/dossier.xlsx":                     "read",
	"POST /campaigns/{campaignID}/notices/publish":                                    "staff",
	"POST /campaigns/{campaignID}/notices/{noticeID}/objections/{objectionID}/answer": "staff",
	"POST /campaigns/{campaignID}/notices/{noticeID}/entries/{entryID}/council":       "staff",
	// The council and its secret ballot (issue 12, part V): staff, leaders
	// and a council's members read ("read": no membership here); staff
	// manage, staff or the session's secretary run a session ("staff"
	// here); only a voting member on the roster votes and only the
	// secretary enters written ballots ("member"). Memberships, foreign
	// councils and sessions in TestCouncilForeignIDs.
	"GET /councils":                                              "read",
	"POST /councils":                                             "staff",
	"POST /councils/rules":                                       "staff",
	"POST /councils/rules/{ruleID}/end":                          "staff",
	"GET /councils/{councilID}":                                  "read",
	"POST /councils/{councilID}/members":                         "staff",
	"POST /councils/{councilID}/members/{memberID}/end":          "staff",
	"POST /councils/{councilID}/sessions":                        "staff",
	"GET /councils/{councilID}/sessions/{sessionID}":             "read",
	"POST /councils/{councilID}/sessions/{sessionID}/nominees":   "staff",
	"POST /councils/{councilID}/sessions/{sessionID}/attendance": "staff",
	"POST /councils/{councilID}/sessions/{sessionID}/open":       "staff",
	"POST /councils/{councilID}/sessions/{sessionID}/close":      "staff",
	"GET /councils/{councilID}/sessions/{sessionID}/ballot":      "member",
	"POST /councils/{councilID}/sessions/{sessionID}/ballot":     "member",
	"POST /councils/{councilID}/sessions/{sessionID}/written":    "member",
	"GET /councils/{councilID}/sessions/{sessionID}/minutes":     "read",
	"GET /councils/{councilID}/sessions/{sessionID}/minutes.pdf": "read",
	// Award decisions (issue 12, part C): staff and leaders read ("results":
	// a focal point is refused), staff draft, edit, revoke and keep the
	// issuers, only leaders sign (the drafter refused in
	// TestDrafterCannotSign); anyone reads a published one (drafts 404 in
	// TestDecisionDraftSignPublish).
	"GET /decisions":                                           "results",
	"GET /decisions/{decisionID}":                              "results",
	"GET /decisions/{decisionID}.pdf":                          "results",
	"GET /decisions/{decisionID}/certificates.pdf":             "results",
	"GET /decisions/{decisionID}/certificates/{awardeeID}.pdf": "results",
	"POST /decisions/{decisionID}/sign":                        "leader",
	"GET /decisions/new":                                       "staff",
	"POST /decisions":                                          "staff",
	"POST /decisions/{decisionID}":                             "staff",
	"POST /decisions/{decisionID}/revoke":                      "staff",
	"GET /decisions/issuers":                                   "staff",
	"POST /decisions/issuers":                                  "staff",
	"POST /decisions/issuers/{issuerID}":                       "staff",
	"GET /public/decisions/{decisionID}":                       "public",
	"GET /public/decisions/{decisionID}.pdf":                   "public",

	// The inbox: every signed-in user, only ever their own notifications.
	"GET /notifications":                        "user",
	"POST /notifications/read":                  "user",
	"GET /notifications/{notificationID}":       "user",
	"POST /notifications/{notificationID}/read": "user",
}

type route struct{ method, pattern string }

func routesOf(t *testing.T, a *app) []route {
	t.Helper()
	var rs []route
	err := chi.Walk(a.srv.handler.(chi.Routes), func(method, pattern string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		// The root of a nested router (r.Route) walks as "/campaigns/{campaignID}/";
		// it answers at "/campaigns/{campaignID}" too, its address.
		if len(pattern) > 1 {
			pattern = strings.TrimSuffix(pattern, "/")
		}
		rs = append(rs, route{method, pattern})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Slice(rs, func(i, j int) bool { return rs[i].method+rs[i].pattern < rs[j].method+rs[j].pattern })
	return rs
}

// ids are the objects a route's parameters are filled with: a user, the
// test unit, and a person of another unit.
type ids struct {
	user                *domain.User
	unit                int64
	person              int64
	campaign, set, node int64
}

// path fills a pattern's parameters with real IDs.
func (r route) path(o ids) string {
	return strings.NewReplacer("{userID}", fmt.Sprint(o.user.ID), "{unitID}", fmt.Sprint(o.unit),
		"{personID}", fmt.Sprint(o.person), "{key}", "0123456789abcdef0123", "{campaignID}", fmt.Sprint(o.campaign),
		"{setID}", fmt.Sprint(o.set), "{nodeID}", fmt.Sprint(o.node), "{phaseID}", "1",
		"{registrationID}", "1", "{assessmentID}", "1", "{memberID}", "1", "{nominationID}", "1", "{criterionID}", fmt.Sprint(o.node), "*", "style.css",
		"{flagID}", "1", "{decisionID}", "1", "{awardeeID}", "1", "{issuerID}", "1", "{notificationID}", "1").Replace(r.pattern)
}

// objects makes the objects the matrix tests use: a focal point of the test
// unit and a person of another unit.
func objects(t *testing.T, a *app) ids {
	t.Helper()
	ctx := context.Background()
	other, err := a.db.CreateUnit(ctx, domain.UnitInput{Name: "Sở Y tế", Code: "TEST-SYT", Kind: domain.KindDepartment, ValidFrom: domain.Day(2020, 1, 1)})
	if err != nil {
		t.Fatal(err)
	}
	person, err := a.db.CreatePerson(ctx, domain.PersonInput{FullName: "Lê Thị Bí Mật", Category: domain.CategoryVienChuc, UnitID: other, From: domain.Day(2020, 1, 1)})
	if err != nil {
		t.Fatal(err)
	}
	campaign, err := a.db.CreateCampaign(ctx, &domain.Campaign{PlanNumber: "9/KH-TEST", Title: "Phong trào thử", IssuerName: "Sở Nội vụ",
		IssueDate: domain.Day(2025, 1, 1), Kind: domain.KindRegular, PeriodStart: domain.Day(2025, 1, 1), PeriodEnd: domain.Day(2025, 12, 31)}, "")
	if err != nil {
		t.Fatal(err)
	}
	set, err := a.db.CreateCriteriaSet(ctx, campaign, "Bộ thử", nil, false)
	if err != nil {
		t.Fatal(err)
	}
	node, err := a.db.SaveCriterion(ctx, set, domain.Criterion{Code: "1", Title: "Tiêu chí thử", Max: 1000, Method: domain.MethodPoints, Step: 25}, "")
	if err != nil {
		t.Fatal(err)
	}
	return ids{user: a.user(domain.RoleFocalPoint), unit: a.unit, person: person, campaign: campaign, set: set, node: node}
}

var roles = []domain.Role{domain.RoleAdmin, domain.RoleStaff, domain.RoleFocalPoint, domain.RoleLeader}

// TestRouteAccessMatrix sends every route as every role and as an anonymous
// visitor: anonymous visitors are sent to /login from signed-in pages, roles
// without the right get 403, and the refused requests change nothing.
func TestRouteAccessMatrix(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	target := objects(t, a)
	for _, r := range routesOf(t, a) {
		kind, ok := access[r.method+" "+r.pattern]
		if !ok {
			t.Errorf("route %s %s has no entry in the access table", r.method, r.pattern)
			continue
		}
		for _, role := range append([]domain.Role{""}, roles...) {
			var c *client
			if role == "" {
				c = a.client()
			} else {
				c, _ = a.loggedIn(role)
			}
			before := fingerprint(t, a)
			var resp *http.Response
			if r.method == http.MethodGet {
				resp = c.get(r.path(target))
			} else {
				resp = c.post(r.path(target), url.Values{"disabled": {"true"}, "role": {"admin"}, "full_name": {"X"}, "version": {"1"}})
			}
			name := fmt.Sprintf("%s %s as %q", r.method, r.pattern, role)
			signedIn := kind == "user" || kind == "admin" || kind == "staff" || kind == "people" || kind == "work" || kind == "fp" ||
				kind == "results" || kind == "leader" || kind == "appraisal" || kind == "member" || kind == "read"
			// "appraisal": staff, and users with forms of the campaign assigned to them (none here).
			forbidden := (kind == "admin" && role != domain.RoleAdmin) ||
				(kind == "results" && role == domain.RoleFocalPoint) || (kind == "leader" && role != domain.RoleLeader) ||
				((kind == "staff" || kind == "appraisal") && !domain.HasRole(&domain.User{Role: role}, domain.RoleStaff)) ||
				((kind == "people" || kind == "work") && role == domain.RoleLeader) ||
				(kind == "fp" && role != domain.RoleFocalPoint) ||
				kind == "member" ||
				(kind == "read" && role == domain.RoleFocalPoint) // rankings: staff, admins and leaders read
			switch {
			case signedIn && role == "":
				if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
					t.Errorf("%s: %d %q, want redirect to /login", name, resp.StatusCode, resp.Header.Get("Location"))
				}
			case kind == "people" && role == domain.RoleFocalPoint && strings.Contains(r.pattern, "{personID}"):
				// Another unit's person: not found, exactly as a missing one.
				if resp.StatusCode != http.StatusNotFound {
					t.Errorf("%s (person of another unit): %d, want 404", name, resp.StatusCode)
				}
			case forbidden:
				if resp.StatusCode != http.StatusForbidden {
					t.Errorf("%s: %d, want 403", name, resp.StatusCode)
				} else if !strings.Contains(bodyOf(resp), "không có quyền") {
					t.Errorf("%s: 403 page without the Vietnamese message", name)
				}
			default:
				if resp.StatusCode == http.StatusForbidden || resp.StatusCode >= 500 {
					t.Errorf("%s: %d, want access", name, resp.StatusCode)
				}
				continue
			}
			if after := fingerprint(t, a); after != before {
				t.Errorf("%s: refused request changed data", name)
			}
		}
	}
}

// TestGetChangesNothing walks every GET route as every role and proves the
// data is the same afterwards.
func TestGetChangesNothing(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	target := objects(t, a)
	clients := []*client{a.client()}
	for _, role := range roles {
		c, _ := a.loggedIn(role)
		clients = append(clients, c)
	}
	before := fingerprint(t, a)
	n := 0
	for _, r := range routesOf(t, a) {
		if r.method != http.MethodGet {
			continue
		}
		for _, c := range clients {
			c.get(r.path(target))
			c.get(r.path(target) + "?before=1&next=/home")
			n++
		}
	}
	if n < 10 {
		t.Fatalf("only %d GET requests: the walk found too few routes", n)
	}
	if after := fingerprint(t, a); after != before {
		t.Error("a GET request changed data")
	}
}

// fingerprint hashes every table but sessions (scs keeps session state,
// such as a consumed notice, there by design).
func fingerprint(t *testing.T, a *app) string {
	t.Helper()
	ctx := context.Background()
	rows, err := a.db.Pool.Query(ctx, `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'sessions' ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		_ = rows.Scan(&name)
		tables = append(tables, name)
	}
	rows.Close()
	if len(tables) < 5 {
		t.Fatalf("fingerprint sees only %v", tables)
	}
	var sb strings.Builder
	for _, table := range tables {
		var sum string
		q := fmt.Sprintf(`SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM %q t`, table)
		if err := a.db.Pool.QueryRow(ctx, q).Scan(&sum); err != nil {
			t.Fatal(err)
		}
		sb.WriteString(table + ":" + sum + ";")
	}
	return sb.String()
}

func TestCrossOriginPostRefused(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	admin, _ := a.loggedIn(domain.RoleAdmin)
	target := objects(t, a)
	for _, r := range routesOf(t, a) {
		if r.method != http.MethodPost || r.pattern == "/unsubscribe/{token}" {
			continue // the one exemption: its signed token authorises it (TestUnsubscribeCrossOrigin)
		}
		for _, h := range []map[string]string{
			{"Sec-Fetch-Site": "cross-site"},
			{"Origin": "https://evil.example"},
		} {
			before := fingerprint(t, a)
			for k, v := range h {
				admin.header.Set(k, v)
			}
			resp := admin.post(r.path(target), url.Values{"disabled": {"true"}, "email": {"x@example.vn"}, "password": {"x"}})
			admin.header = http.Header{}
			if resp.StatusCode != http.StatusForbidden || !strings.Contains(bodyOf(resp), "không xuất phát từ trang") {
				t.Errorf("cross-origin POST %s with %v: %d", r.pattern, h, resp.StatusCode)
			}
			if fingerprint(t, a) != before {
				t.Errorf("cross-origin POST %s changed data", r.pattern)
			}
		}
	}
	if !admin.signedIn() {
		t.Error("a refused cross-origin request ended the session")
	}
	// Same-origin browser requests pass.
	admin.header.Set("Sec-Fetch-Site", "same-origin")
	admin.header.Set("Origin", a.ts.URL)
	wantStatus(t, admin.post("/locale", url.Values{"locale": {"en"}, "next": {"/home"}}), http.StatusSeeOther)
}

func TestSecurityHeadersEverywhere(t *testing.T) {
	t.Parallel()
	a := newApp(t, map[string]string{"BASE_URL": "https://thidua.example.vn"})
	target := objects(t, a)
	anon := a.client()
	admin, _ := a.loggedIn(domain.RoleAdmin)
	paths := []string{"/does-not-exist", "/?q=%00"}
	for _, r := range routesOf(t, a) {
		if r.method == http.MethodGet {
			paths = append(paths, r.path(target))
		}
	}
	for _, c := range []*client{anon, admin} {
		for _, p := range paths {
			resp := c.get(p)
			h := resp.Header
			if h.Get("Content-Security-Policy") != contentSecurityPolicy {
				t.Errorf("%s: CSP %q", p, h.Get("Content-Security-Policy"))
			}
			for name, want := range map[string]string{
				"X-Content-Type-Options":    "nosniff",
				"Referrer-Policy":           "same-origin",
				"X-Frame-Options":           "DENY",
				"Strict-Transport-Security": "max-age=63072000; includeSubDomains",
			} {
				if h.Get(name) != want {
					t.Errorf("%s: %s = %q, want %q", p, name, h.Get(name), want)
				}
			}
			if !strings.HasPrefix(p, "/static/") && !strings.Contains(p, ".csv") && !strings.Contains(p, ".xlsx") && h.Get("Cache-Control") != "no-store" {
				t.Errorf("%s: Cache-Control %q, want no-store", p, h.Get("Cache-Control"))
			}
			if strings.Contains(bodyOf(resp), "<script") {
				t.Errorf("%s: page carries a script element", p)
			}
		}
	}
	if !strings.Contains(contentSecurityPolicy, "frame-ancestors 'none'") || strings.Contains(contentSecurityPolicy, "unsafe-inline") {
		t.Error("CSP must forbid framing and inline script")
	}
}

func TestBadInputGets400(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	c, _ := a.loggedIn(domain.RoleAdmin)
	for _, p := range []string{"/?q=%00", "/?q=%ff", "/home?q=%C3%28", "/users?x%00=1", "/%ff", "/login?next=%00", "/?q=%zz"} {
		resp := c.get(p)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(bodyOf(resp), "ký tự không hợp lệ") {
			t.Errorf("GET %s: %d", p, resp.StatusCode)
		}
	}
	for _, form := range []url.Values{
		{"email": {"a\x00@example.vn"}, "password": {"x"}},
		{"email": {"a@example.vn"}, "password": {"\xff\xfe"}},
	} {
		resp := a.client().post("/login", form)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(bodyOf(resp), "ký tự không hợp lệ") {
			t.Errorf("POST /login %q: %d", form.Encode(), resp.StatusCode)
		}
	}
	big := url.Values{"email": {"a@example.vn"}, "password": {strings.Repeat("x", 2<<20)}}
	resp := a.client().post("/login", big)
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(bodyOf(resp), "vượt quá giới hạn") {
		t.Errorf("2 MB form: %d", resp.StatusCode)
	}
	// Wrong numbers in IDs are a 404, never a 500.
	for _, p := range []string{"/users/abc", "/users/-1", "/users/99999999999999999999", "/users/0"} {
		wantStatus(t, c.get(p), http.StatusNotFound)
	}
	wantStatus(t, c.post("/users/1/disabled", url.Values{"disabled": {"perhaps"}}), http.StatusBadRequest)
	wantStatus(t, c.post("/locale", url.Values{"locale": {"fr"}}), http.StatusBadRequest)
}

func TestPanicGets500PageWithoutStack(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	a.srv.handler.(*chi.Mux).Get("/test/panic", func(http.ResponseWriter, *http.Request) {
		panic("secret internal detail")
	})
	resp := a.client().get("/test/panic")
	wantStatus(t, resp, http.StatusInternalServerError)
	body := bodyOf(resp)
	id := resp.Header.Get("X-Request-ID")
	if !strings.Contains(body, "Lỗi hệ thống") || !strings.Contains(body, id) {
		t.Errorf("500 page lacks the title or the request ID %s", id)
	}
	if strings.Contains(body, "secret internal detail") || strings.Contains(body, "goroutine") || strings.Contains(body, ".go:") {
		t.Error("500 page leaks the panic")
	}
	logs := a.logs.String()
	if !strings.Contains(logs, "secret internal detail") || !strings.Contains(logs, "request_id="+id) {
		t.Error("panic not logged with its request ID")
	}
}

func TestErrorPagesInLayout(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	c, _ := a.loggedIn(domain.RoleLeader)
	for path, want := range map[string]int{"/khong-co": http.StatusNotFound, "/users": http.StatusForbidden} {
		resp := c.get(path)
		wantStatus(t, resp, want)
		doc := htmlOf(t, resp)
		if doc.Find("header.site-header .who-name").Length() != 1 || doc.Find("footer").Length() != 1 {
			t.Errorf("%s: error page not in the layout", path)
		}
		if lang, _ := doc.Find("html").Attr("lang"); lang != "vi" {
			t.Errorf("%s: lang=%q", path, lang)
		}
	}
	req, _ := http.NewRequest(http.MethodDelete, a.ts.URL+"/login", nil)
	wantStatus(t, c.do(req), http.StatusMethodNotAllowed)
}
