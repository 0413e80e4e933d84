package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"thidua/internal/domain"
)

// resultScores gives every form of the work's group a score per leaf
// (self, and for appraised or locked forms a final value cut on some
// leaves) and sets the forms' totals from them, as the appraisal would.
func (wk work) resultScores(t *testing.T, a *app) {
	t.Helper()
	_, err := a.db.Pool.Exec(context.Background(), `
		WITH lv AS (SELECT c.id, c.max_points, c.step FROM criteria c WHERE c.set_id = $2
			AND NOT EXISTS (SELECT 1 FROM criteria k WHERE k.parent_id = c.id)),
		ins AS (INSERT INTO scores (campaign_id, assessment_id, criterion_id, points, final_points, final_na)
			SELECT $1, a.id, l.id, s.p,
				CASE WHEN a.status IN ('appraised', 'locked') THEN greatest(0, s.p - CASE WHEN (a.id + l.id) % 4 = 0 THEN l.step * (1 + (a.id + l.id) % 3) ELSE 0 END) END,
				CASE WHEN a.status IN ('appraised', 'locked') THEN false END
			FROM assessments a CROSS JOIN lv l
			CROSS JOIN LATERAL (SELECT least(l.max_points, (round((0.6 + ((a.id * 7 + l.id * 13) % 40) / 100.0) * l.max_points / l.step) * l.step)::int) AS p) s
			WHERE a.phase_id = $3 AND a.set_id = $2
			RETURNING assessment_id, criterion_id, points, final_points),
		t AS (SELECT i.assessment_id, sum(i.points) AS sp, sum(coalesce(i.final_points, i.points)) AS fp, sum(l.max_points) AS mx
			FROM ins i JOIN lv l ON l.id = i.criterion_id GROUP BY i.assessment_id)
		UPDATE assessments a SET converted = round(t.sp * 10000.0 / t.mx), appraised_converted = round(t.fp * 10000.0 / t.mx),
			final_converted = round(t.fp * 10000.0 / t.mx)
		FROM t WHERE a.id = t.assessment_id`, wk.campaign, wk.set, wk.phase)
	if err != nil {
		t.Fatal(err)
	}
}

// signIn opens the login form in ctx and signs in.
func signIn(t *testing.T, ctx context.Context, a *app, email string) {
	t.Helper()
	err := chromedp.Do(ctx, chromedp.Navigate(a.ts.URL+"/login"), chromedp.WaitVisible("#email"),
		chromedp.SendKeys("#email", email), chromedp.SendKeys("#password", testPassword),
		chromedp.Click("button[type=submit]"), chromedp.WaitVisible(".who-name"))
	if err != nil {
		t.Fatal(err)
	}
}

// noSideScroll fails when the page in ctx is wider than width.
func noSideScroll(t *testing.T, ctx context.Context, name string, width float64) {
	t.Helper()
	w, err := chromedp.Run(ctx, chromedp.Evaluate[float64]("document.documentElement.scrollWidth"))
	if err != nil {
		t.Fatal(err)
	}
	if w > width {
		t.Errorf("%s is %v px wide on a %v px screen: it scrolls sideways", name, w, width)
	}
}

// TestBrowserResults: the results page with its charts for staff, the
// leader's home and approval in Chromium, and the public results page, on
// a desktop and on a 390 px phone.
func TestBrowserResults(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	wk := newWork(t, a)
	units := []string{"Sở Tài chính", "Sở Xây dựng", "Sở Công Thương", "Sở Giáo dục và Đào tạo", "Sở Nông nghiệp và Môi trường",
		"Sở Khoa học và Công nghệ", "Sở Văn hóa, Thể thao và Du lịch", "Sở Y tế", "Thanh tra tỉnh", "Văn phòng UBND tỉnh",
		"Sở Dân tộc và Tôn giáo", "Ban Quản lý các khu công nghiệp"}
	for _, u := range units {
		wk.resultForm(t, a, u, domain.AssessLocked, 0, 0, 0)
	}
	wk.resultForm(t, a, "Sở Nội vụ", domain.AssessDraft, 0, 0, 0)
	wk.resultForm(t, a, "Sở Ngoại vụ", domain.AssessReturned, 0, 0, 0)
	wk.resultScores(t, a)
	staffUser := a.user(domain.RoleStaff)
	leaderUser := a.user(domain.RoleLeader)

	// Staff: the group with its charts, ready to propose.
	staff := browser(t, 1280, 900)
	signIn(t, staff, a, staffUser.Email)
	if err := chromedp.Do(staff, chromedp.Navigate(a.ts.URL+wk.page+"/results"), chromedp.WaitVisible("#charts")); err != nil {
		t.Fatal(err)
	}
	n, err := chromedp.Run(staff, chromedp.Evaluate[float64]("document.querySelectorAll('figure.chart svg[role=img]').length"))
	if err != nil || n != 4 {
		t.Errorf("%v charts drawn (%v), want 4", n, err)
	}
	screenshot(t, staff, "results-staff")
	if err := chromedp.Do(staff, chromedp.Click(`#approval form button[type=submit]`), chromedp.WaitVisible("#result-rows")); err != nil {
		t.Fatal(err)
	}
	screenshot(t, staff, "results-proposed")

	// The leader: the waiting list on the home, then the approval.
	leader := browser(t, 1280, 900)
	signIn(t, leader, a, leaderUser.Email)
	screenshot(t, leader, "leader-home")
	if err := chromedp.Do(leader, chromedp.Click(`#waiting-results tbody a`), chromedp.WaitVisible(`#approval form[action$="/approve"]`)); err != nil {
		t.Fatal(err)
	}
	screenshot(t, leader, "results-leader")
	if err := chromedp.Do(leader, chromedp.Click(`#approval form[action$="/approve"] button`), chromedp.WaitVisible(".flash")); err != nil {
		t.Fatal(err)
	}
	flash, _ := chromedp.Run(leader, chromedp.Text(".flash"))
	if !strings.Contains(flash, "Đã phê duyệt và công bố") {
		t.Errorf("after approval: %q", flash)
	}
	screenshot(t, leader, "results-approved")
	// The same page on a phone (each browser has its own time limit).
	phone := browser(t, 390, 844)
	signIn(t, phone, a, leaderUser.Email)
	if err := chromedp.Do(phone, chromedp.EmulateViewport(390, 844), chromedp.Navigate(a.ts.URL+wk.page+"/results"), chromedp.WaitVisible("#charts")); err != nil {
		t.Fatal(err)
	}
	noSideScroll(t, phone, "the results page", 390)
	screenshot(t, phone, "results-leader-phone")

	// Citizens: the published results, on a desktop and a phone.
	public := fmt.Sprintf("%s/public/campaigns/%d/results", a.ts.URL, wk.campaign)
	anon := browser(t, 1280, 900)
	if err := chromedp.Do(anon, chromedp.Navigate(public), chromedp.WaitVisible("table.result-table")); err != nil {
		t.Fatal(err)
	}
	rows, _ := chromedp.Run(anon, chromedp.Evaluate[float64]("document.querySelectorAll('table.result-table tbody tr').length"))
	if int(rows) != len(units) {
		t.Errorf("%v published rows, want %d", rows, len(units))
	}
	screenshot(t, anon, "results-public")
	anonPhone := browser(t, 390, 844)
	if err := chromedp.Do(anonPhone, chromedp.EmulateViewport(390, 844), chromedp.Navigate(public), chromedp.WaitVisible("table.result-table")); err != nil {
		t.Fatal(err)
	}
	noSideScroll(t, anonPhone, "the public results page", 390)
	screenshot(t, anonPhone, "results-public-phone")

	// A refused return without a reason keeps the leader on the page with
	// the message beside the field (HTTP-level: the browser's "required"
	// would stop it first).
	c := a.client()
	c.login(leaderUser.Email, testPassword)
	resp := c.post(wk.resultsAction("return"), url.Values{"version": {"9"}, "reason": {""}})
	if resp.StatusCode != http.StatusConflict && resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("return of approved results: %d", resp.StatusCode)
	}
}
