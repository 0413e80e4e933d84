package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"thidua/internal/criteria"
	"thidua/internal/domain"
	"thidua/internal/i18n"
	"thidua/internal/postgres"
)

// announcedCampaign is a campaign on its public page: a phase, three
// criteria sets of three criteria and an award plan.
func announcedCampaign(t *testing.T, db *postgres.DB) int64 {
	t.Helper()
	ctx := context.Background()
	today := domain.DateOf(db.Now())
	c := domain.Campaign{PlanNumber: "12/KH-UBND", Title: "Thi đua cải cách hành chính", IssuerName: "Ủy ban nhân dân tỉnh", IssueDate: today,
		Kind: domain.KindRegular, TargetKinds: []string{"department", "commune", "ward"}, PeriodStart: today, PeriodEnd: today.AddDate(0, 6, 0),
		Bands: domain.DefaultBands}
	id, err := db.CreateCampaign(ctx, &c, "")
	if err != nil {
		t.Fatal(err)
	}
	from, to := today, today.AddDate(0, 0, 14)
	if _, err := db.SavePhase(ctx, &domain.Phase{CampaignID: id, Name: "Đợt 1", Start: today, End: today.AddDate(0, 6, 0),
		AssessmentFrom: &from, AssessmentTo: &to, ReviewKind: domain.ReviewAnnual}); err != nil {
		t.Fatal(err)
	}
	for i, kind := range []string{"department", "commune", "ward"} {
		set, err := db.CreateCriteriaSet(ctx, id, fmt.Sprintf("Bộ tiêu chí %d", i+1), []string{kind}, false)
		if err != nil {
			t.Fatal(err)
		}
		nodes, _ := criteria.Nodes([]criteria.Row{
			{Code: "1", Title: "Chỉ đạo, điều hành", Max: "60", Method: domain.MethodPoints, Step: "0,25"},
			{Code: "1.1", Title: "Kế hoạch năm", Max: "60", Method: domain.MethodPoints, Step: "0,25"},
			{Code: "2", Title: "Thủ tục hành chính", Max: "40", Method: domain.MethodYesNo},
		})
		if err := db.ReplaceCriteria(ctx, set, nodes, "test"); err != nil {
			t.Fatal(err)
		}
	}
	forms, _ := db.AwardForms(ctx)
	if err := db.SaveAwardPlan(ctx, postgres.AwardPlan{CampaignID: id, AwardFormID: forms[0].ID, MinBand: "good"}); err != nil {
		t.Fatal(err)
	}
	if err := db.Transition(ctx, id, domain.StatusAnnounced, ""); err != nil {
		t.Fatal(err)
	}
	return id
}

// The public campaign page reads all its criteria sets' criteria in one
// query, however many sets the campaign has (no query per set), and the
// whole page in two round trips: the campaign, then one batch of the rest.
func TestPublicCampaignCriteriaInOneQuery(t *testing.T) {
	t.Parallel()
	a, log := newTracedApp(t)
	id := announcedCampaign(t, a.db)
	log.take()
	resp := a.client().get(fmt.Sprintf("/public/campaigns/%d", id))
	wantStatus(t, resp, 200)
	if n := htmlOf(t, resp).Find("li:contains('Chỉ đạo, điều hành')").Length(); n != 3 {
		t.Errorf("the page shows the first area of %d sets, want 3", n)
	}
	sent, trips := log.takeTrips()
	var n int
	for _, q := range sent {
		if strings.Contains(q, "FROM criteria ") || strings.Contains(q, "FROM criteria\n") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("the public page read criteria in %d queries, want 1", n)
	}
	if trips != 2 {
		t.Errorf("the public page took %d round trips to PostgreSQL, want 2:\n%s", trips, strings.Join(sent, "\n"))
	}
}

// The focal point's form takes three round trips to PostgreSQL (the session,
// the campaign with the user's memberships and the form, then the form's
// scores, evidence and history in one batch) and, once read, takes its
// criteria from the process's copy of the set; the save posting it back
// unchanged takes two and does not read them either. A criterion changed in the database is on the next page.
func TestFormPageRoundTrips(t *testing.T) {
	t.Parallel()
	a, log := newTracedApp(t)
	wk := newWork(t, a)
	staff, _ := a.loggedIn(domain.RoleStaff)
	fp, _ := a.loggedIn(domain.RoleFocalPoint)
	wk.register(t, fp, staff)
	form := wk.start(t, fp)
	criteriaReads := func(sent []string) int {
		n := 0
		for _, q := range sent {
			if strings.Contains(q, "FROM criteria WHERE set_id") {
				n++
			}
		}
		return n
	}
	wantStatus(t, fp.get(form), 200) // the first read fills the copy
	log.take()
	resp := fp.get(form)
	wantStatus(t, resp, 200)
	vals := formValues(htmlOf(t, resp))
	sent, trips := log.takeTrips()
	if trips != 3 || criteriaReads(sent) != 0 {
		t.Errorf("the form page took %d round trips and read the criteria %d times, want 3 and 0:\n%s", trips, criteriaReads(sent), strings.Join(sent, "\n"))
	}
	wantStatus(t, fp.post(form, vals), 303)
	if sent, trips := log.takeTrips(); trips != 2 || criteriaReads(sent) != 0 {
		t.Errorf("saving the form unchanged took %d round trips and read the criteria %d times, want 2 (the session; the campaign, memberships and form) and 0:\n%s",
			trips, criteriaReads(sent), strings.Join(sent, "\n"))
	}
	if _, err := a.db.Pool.Exec(context.Background(), `UPDATE criteria SET title = 'Công tác chỉ đạo, điều hành (sửa)' WHERE set_id = $1 AND code = '1'`, wk.set); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(bodyOf(fp.get(form)), "Công tác chỉ đạo, điều hành (sửa)") {
		t.Error("a criterion changed in the database is not on the next form page")
	}
}

// tracedGet opens path as c and returns the page (200) with the
// statements the request sent to PostgreSQL.
func tracedGet(t *testing.T, log *sqlLog, c *client, path string) (string, []string) {
	t.Helper()
	log.take()
	resp := c.get(path)
	wantStatus(t, resp, 200)
	body := bodyOf(resp)
	sent, _ := log.takeTrips()
	return body, sent
}

// A visitor's public campaign page is kept as rendered: the next visitor's
// request reads only the campaign with its public revision (one statement)
// and gets the same bytes, until a row the page shows changes (here by hand
// in SQL, as another instance or a script would). A signed-in user, a
// visitor in another language and a URL with a query string each get their
// own page, and none of them is served the other's.
func TestPublicCampaignPageKept(t *testing.T) {
	t.Parallel()
	a, log := newTracedApp(t)
	id := announcedCampaign(t, a.db)
	path := fmt.Sprintf("/public/campaigns/%d", id)
	visitor := a.client()
	get := func(c *client, path string) (string, []string) { t.Helper(); return tracedGet(t, log, c, path) }
	first, _ := get(visitor, path)
	second, sent := get(a.client(), path)
	if second != first {
		t.Error("the second visitor got another page than the first")
	}
	if len(sent) != 1 || !strings.Contains(sent[0], "public_revisions") {
		t.Errorf("a kept page took %d statements, want 1 (the campaign with its revision):\n%s", len(sent), strings.Join(sent, "\n"))
	}

	if _, err := a.db.Pool.Exec(context.Background(), `UPDATE phases SET name = 'Đợt sơ kết' WHERE campaign_id = $1`, id); err != nil {
		t.Fatal(err)
	}
	changed, sent := get(visitor, path)
	if !strings.Contains(changed, "Đợt sơ kết") {
		t.Error("the page does not show the phase renamed in the database")
	}
	if len(sent) < 2 {
		t.Errorf("the page after a change took %d statements, want it read again", len(sent))
	}
	if again, _ := get(visitor, path); again != changed {
		t.Error("the page rendered after the change was not kept")
	}

	staff, u := a.loggedIn(domain.RoleStaff)
	mine, _ := get(staff, path)
	if !strings.Contains(mine, u.FullName) {
		t.Error("a signed-in user's public page does not show who is signed in")
	}
	if anon, _ := get(visitor, path); strings.Contains(anon, u.FullName) {
		t.Error("a visitor was served the page of a signed-in user")
	}

	// Signed out, with the notice of it waiting in the session: the notice
	// is shown on the page, and kept for no one else.
	wantStatus(t, staff.post("/logout", nil), 303)
	notice := i18n.Translate(i18n.Vietnamese, "logout.done")
	if out, _ := get(staff, path); !strings.Contains(out, notice) {
		t.Errorf("the page after signing out does not show %q", notice)
	}
	if anon, _ := get(visitor, path); strings.Contains(anon, notice) {
		t.Error("a visitor was served the page with another's one-time notice")
	}

	english := a.client()
	wantStatus(t, english.post("/locale", url.Values{"locale": {"en"}, "next": {path}}), 303)
	en, _ := get(english, path)
	vi, _ := get(visitor, path)
	if !strings.Contains(en, `lang="en"`) || !strings.Contains(vi, `lang="vi"`) {
		t.Error("the English and Vietnamese pages are not kept apart")
	}

	if _, sent := get(visitor, path+"?from=home"); len(sent) < 2 {
		t.Errorf("a URL with a query string was served a kept page (%d statements)", len(sent))
	}
}

// The staff list of campaigns is kept as rendered below the layout: the
// next request, by another member of staff, reads its session and the
// campaigns' revision (two statements) and shows the same list under its
// own name, until a campaign changes (here by hand in SQL, as another
// instance or a script would), a campaign is created, or the day moves
// (the phase under way). A filtered list is read every time, and the
// English list is kept apart from the Vietnamese one.
func TestCampaignListKept(t *testing.T) {
	t.Parallel()
	a, log := newTracedApp(t)
	id := announcedCampaign(t, a.db)
	first, u1 := a.loggedIn(domain.RoleStaff)
	second, u2 := a.loggedIn(domain.RoleStaff)
	get := func(c *client, path string) (string, []string) { t.Helper(); return tracedGet(t, log, c, path) }
	list := func(page string) string {
		t.Helper()
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(page))
		if err != nil {
			t.Fatal(err)
		}
		html, err := doc.Find("main").Html()
		if err != nil {
			t.Fatal(err)
		}
		return html
	}
	for id, name := range map[int64]string{u1.ID: "Nguyễn Văn An", u2.ID: "Trần Thị Bình"} {
		if _, err := a.db.Pool.Exec(context.Background(), `UPDATE users SET full_name = $2 WHERE id = $1`, id, name); err != nil {
			t.Fatal(err)
		}
	}
	one, _ := get(first, "/campaigns")
	two, sent := get(second, "/campaigns")
	if list(two) != list(one) || !strings.Contains(two, "Thi đua cải cách hành chính") {
		t.Error("the second reader got another list than the first")
	}
	if !strings.Contains(one, "Nguyễn Văn An") || !strings.Contains(two, "Trần Thị Bình") || strings.Contains(two, "Nguyễn Văn An") {
		t.Error("a kept list is not under its own reader's name")
	}
	if len(sent) != 2 || !strings.Contains(sent[1], "public_revisions") {
		t.Errorf("a kept list took %d statements, want 2 (the session, the revision):\n%s", len(sent), strings.Join(sent, "\n"))
	}
	if !strings.Contains(one, "đợt 1/1") {
		t.Errorf("the list does not show the phase under way")
	}

	ctx := context.Background()
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := a.db.Pool.Exec(ctx, sql, args...); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		name, sql, want string
		args            []any
	}{
		{"a title", `UPDATE campaigns SET title = 'Thi đua cải cách hành chính năm 2027' WHERE id = $1`, "năm 2027", []any{id}},
		{"a new phase", `INSERT INTO phases (campaign_id, seq, name, start_date, end_date, review_kind)
			VALUES ($1, 2, 'Đợt 2', current_date + 200, current_date + 300, 'annual')`, "đợt 1/2", []any{id}},
		{"a new campaign", `INSERT INTO campaigns (plan_number, title, issuer_name, issue_date, kind, period_start, period_end)
			VALUES ('99/KH', 'Phong trào thi đua mới thêm', 'Sở Nội vụ', current_date, 'regular', current_date, current_date + 30)`, "Phong trào thi đua mới thêm", nil},
	} {
		exec(c.sql, c.args...)
		changed, sent := get(first, "/campaigns")
		if !strings.Contains(changed, c.want) {
			t.Errorf("after %s changed in the database, the list does not show %q", c.name, c.want)
		}
		if len(sent) < 3 {
			t.Errorf("after %s changed, the list took %d statements, want it read again", c.name, len(sent))
		}
		if again, sent := get(second, "/campaigns"); list(again) != list(changed) || len(sent) != 2 {
			t.Errorf("the list read after %s changed was not kept (%d statements)", c.name, len(sent))
		}
	}

	// A week later the first phase is still under way, but the list of that
	// day is rendered again.
	a.db.Now = func() time.Time { return time.Now().AddDate(0, 0, 7) }
	if _, sent := get(first, "/campaigns"); len(sent) < 3 {
		t.Errorf("the list of another day was served as kept (%d statements)", len(sent))
	}

	filtered, sent := get(first, "/campaigns?status=draft")
	if len(sent) != 2 || strings.Contains(sent[1], "public_revisions") || strings.Contains(filtered, "năm 2027") || !strings.Contains(filtered, "Phong trào thi đua mới thêm") {
		t.Errorf("a filtered list was not read for itself (%d statements)", len(sent))
	}

	wantStatus(t, second.post("/locale", url.Values{"locale": {"en"}, "next": {"/campaigns"}}), 303)
	en, _ := get(second, "/campaigns")
	vi, _ := get(first, "/campaigns")
	if list(en) == list(vi) || !strings.Contains(en, `lang="en"`) || !strings.Contains(vi, `lang="vi"`) {
		t.Error("the English and Vietnamese lists are not kept apart")
	}
}

// TestNoticeWritesNoSession: "Đã lưu nháp." travels from the save to the
// page it redirects to in a cookie, shown once; neither the save that sets
// it nor the pages that show and clear it write the session. A cookie that
// does not hold a message key shows nothing.
func TestNoticeWritesNoSession(t *testing.T) {
	t.Parallel()
	a, log := newTracedApp(t)
	wk := newWork(t, a)
	staff, _ := a.loggedIn(domain.RoleStaff)
	fp, _ := a.loggedIn(domain.RoleFocalPoint)
	wk.register(t, fp, staff)
	form := wk.start(t, fp)
	vals := formValues(htmlOf(t, fp.get(form)))
	sessionWrites := func() int {
		n := 0
		for _, q := range log.take() {
			if strings.Contains(q, "INSERT INTO sessions") || strings.Contains(q, "UPDATE sessions") || strings.Contains(q, "DELETE FROM sessions") {
				n++
			}
		}
		return n
	}
	sessionWrites()
	wantStatus(t, fp.post(form, vals), 303)
	page := htmlOf(t, fp.get(form))
	if got := strings.TrimSpace(page.Find(".flash").Text()); got != "Đã lưu nháp." {
		t.Errorf("the page after the save shows %q, want Đã lưu nháp.", got)
	}
	if n := page.Find(".flash").Length(); n != 1 {
		t.Errorf("%d notices", n)
	}
	if got := htmlOf(t, fp.get(form)).Find(".flash").Length(); got != 0 {
		t.Error("the notice is shown a second time")
	}
	if n := sessionWrites(); n != 0 {
		t.Errorf("the save and the pages after it wrote the session %d times, want 0", n)
	}
	u, _ := url.Parse(a.ts.URL)
	for _, forged := range []string{"khong-phai-khoa", "assessment.flash.khong_co", "<script>"} {
		fp.http.Jar.SetCookies(u, []*http.Cookie{{Name: "thidua_flash", Value: forged, Path: "/"}})
		if got := htmlOf(t, fp.get(form)).Find(".flash").Length(); got != 0 {
			t.Errorf("a cookie holding %q shows a notice", forged)
		}
	}
}
