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

	"thidua/internal/domain"
)

// addLaterPhase adds a second phase whose window opens in three weeks.
func addLaterPhase(t *testing.T, a *app, wk work) (int64, time.Time) {
	t.Helper()
	today := domain.DateOf(time.Now())
	opens := today.AddDate(0, 0, 21)
	var id int64
	if err := a.db.Pool.QueryRow(context.Background(), `INSERT INTO phases (campaign_id, seq, name, start_date, end_date, assessment_from, assessment_to, review_kind)
		VALUES ($1, 2, 'Đợt 2', $2, $3, $4, $5, 'final') RETURNING id`, wk.campaign, today, today.AddDate(0, 2, 0), opens, opens.AddDate(0, 0, 10)).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id, opens
}

// dashboardRows reads the staff dashboard's table: unit → phase → status.
func dashboardRows(t *testing.T, doc *goquery.Document) map[string]string {
	t.Helper()
	out := map[string]string{}
	doc.Find("table.dashboard tbody tr").Each(func(_ int, tr *goquery.Selection) {
		td := tr.Find("td")
		out[strings.TrimSpace(td.Eq(0).Text())+" / "+strings.TrimSpace(td.Eq(1).Text())] = strings.Join(strings.Fields(td.Eq(2).Text()), " ")
	})
	return out
}

func statValue(doc *goquery.Document, label string) string {
	var v string
	doc.Find("dl.stats .stat").Each(func(_ int, s *goquery.Selection) {
		if strings.TrimSpace(s.Find("dt").Text()) == label {
			v = strings.TrimSpace(s.Find("dd").Text())
		}
	})
	return v
}

// TestPhaseBeforeItsWindowStartsNothing is issue 8 point 8: before its
// window a phase says when it opens and offers no start; the server refuses
// a start with a message; a form started early is not "đang chấm".
func TestPhaseBeforeItsWindowStartsNothing(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	wk := newWork(t, a)
	later, opens := addLaterPhase(t, a, wk)
	staff, _ := a.loggedIn(domain.RoleStaff)
	fp, _ := a.loggedIn(domain.RoleFocalPoint)
	wk.register(t, fp, staff)
	wk.start(t, fp) // phase 1 is open

	page := htmlOf(t, fp.get(wk.page+"/registrations"))
	var laterItem *goquery.Selection
	page.Find("#forms li").Each(func(_ int, li *goquery.Selection) {
		if strings.Contains(li.Text(), "Đợt 2") {
			laterItem = li
		}
	})
	if laterItem == nil {
		t.Fatal("phase 2 is not on the unit's page")
	}
	if laterItem.Find("button, form").Length() != 0 {
		t.Error("phase 2 offers a start before its window")
	}
	if !strings.Contains(laterItem.Text(), "Mở từ ngày "+opens.Format("02/01/2006")) {
		t.Errorf("phase 2 does not say when it opens: %q", laterItem.Text())
	}

	resp := fp.post(wk.page+"/assessments", url.Values{"phase_id": {fmt.Sprint(later)}})
	wantStatus(t, resp, http.StatusConflict)
	if !strings.Contains(bodyOf(resp), "Chưa đến thời gian tự chấm điểm (bắt đầu từ ngày "+opens.Format("02/01/2006")) {
		t.Error("the refused start does not say when the phase opens")
	}
	var forms int
	_ = a.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM assessments WHERE phase_id = $1`, later).Scan(&forms)
	if forms != 0 {
		t.Fatalf("%d forms started before the window", forms)
	}

	// A form started early (before this rule) is shown as not open yet,
	// not counted as in progress.
	if _, err := a.db.Pool.Exec(context.Background(), `INSERT INTO assessments (campaign_id, set_id, phase_id, unit_id) VALUES ($1, $2, $3, $4)`,
		wk.campaign, wk.set, later, a.unit); err != nil {
		t.Fatal(err)
	}
	dash := htmlOf(t, staff.get(wk.page+"/assessments"))
	rows := dashboardRows(t, dash)
	if got := rows["Sở Tư pháp / Đợt 2"]; got != "Chưa đến thời gian tự chấm" {
		t.Errorf("phase 2 form on the dashboard: %q, want Chưa đến thời gian tự chấm (rows %v)", got, rows)
	}
	if got := statValue(dash, "Đang chấm"); got != "1" {
		t.Errorf("in progress: %s, want 1 (phase 1 only)", got)
	}
}

// TestDashboardListsEveryRegisteredUnit is issue 8 point 10: an approved
// unit that never started its form is on the dashboard as "chưa bắt đầu".
func TestDashboardListsEveryRegisteredUnit(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	wk := newWork(t, a)
	staff, _ := a.loggedIn(domain.RoleStaff)
	fpA, _ := a.loggedIn(domain.RoleFocalPoint)
	other, err := a.db.CreateUnit(context.Background(), domain.UnitInput{Name: "Sở Y tế", Code: "TEST-SYT", Kind: domain.KindDepartment, ValidFrom: domain.Day(2020, 1, 1)})
	if err != nil {
		t.Fatal(err)
	}
	uB := a.userIn(domain.RoleFocalPoint, other)
	fpB := a.client()
	fpB.login(uB.Email, testPassword)
	wk.register(t, fpA, staff)
	wk.register(t, fpB, staff)
	wk.start(t, fpA) // Sở Y tế never starts

	dash := htmlOf(t, staff.get(wk.page+"/assessments"))
	rows := dashboardRows(t, dash)
	if got := rows["Sở Y tế / Đợt 1"]; got != "Chưa bắt đầu" {
		t.Errorf("Sở Y tế on the dashboard: %q, want Chưa bắt đầu (rows %v)", got, rows)
	}
	if got := rows["Sở Tư pháp / Đợt 1"]; got != "Đang chấm" {
		t.Errorf("Sở Tư pháp on the dashboard: %q, want Đang chấm", got)
	}
	if got := statValue(dash, "Chưa bắt đầu"); got != "1" {
		t.Errorf("not started count %q, want 1", got)
	}
	// The filter finds it; the unit sees its own phase too.
	if rows := dashboardRows(t, htmlOf(t, staff.get(wk.page+"/assessments?status=none"))); len(rows) != 1 || rows["Sở Y tế / Đợt 1"] == "" {
		t.Errorf("filter not started: %v", rows)
	}
	if rows := dashboardRows(t, htmlOf(t, fpB.get(wk.page+"/assessments"))); len(rows) != 1 || rows["Sở Y tế / Đợt 1"] != "Chưa bắt đầu" {
		t.Errorf("Sở Y tế's own list: %v", rows)
	}
}

// TestDashboardPages: a campaign of 105 approved units lists 100 on the
// first page and 5 on the second, with the counts of all 105 on both; the
// filter is kept from page to page, and a page past the end goes to the
// last one.
func TestDashboardPages(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	wk := newWork(t, a)
	staff, _ := a.loggedIn(domain.RoleStaff)
	ctx := context.Background()
	for i := range 105 {
		unit, err := a.db.CreateUnit(ctx, domain.UnitInput{Name: fmt.Sprintf("Sở số %03d", i), Code: fmt.Sprintf("TEST-%03d", i),
			Kind: domain.KindDepartment, ValidFrom: domain.Day(2020, 1, 1)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.db.Pool.Exec(ctx, `INSERT INTO registrations (campaign_id, unit_id, status) VALUES ($1, $2, 'approved')`, wk.campaign, unit); err != nil {
			t.Fatal(err)
		}
	}
	first := htmlOf(t, staff.get(wk.page+"/assessments?status=none"))
	if n := len(dashboardRows(t, first)); n != 100 {
		t.Errorf("page 1 lists %d forms, want 100", n)
	}
	if got := statValue(first, "Đơn vị đã duyệt đăng ký"); got != "105" {
		t.Errorf("registered on page 1: %q, want 105", got)
	}
	if got := strings.Join(strings.Fields(first.Find("nav.pager span").Text()), " "); got != "Trang 1/2" {
		t.Errorf("pager %q, want Trang 1/2", got)
	}
	next, _ := first.Find("nav.pager a[rel=next]").Attr("href")
	if !strings.Contains(next, "status=none") || !strings.Contains(next, "page=2") {
		t.Fatalf("next page link %q keeps neither the filter nor the page", next)
	}
	second := htmlOf(t, staff.get(next))
	rows := dashboardRows(t, second)
	if len(rows) != 5 || rows["Sở số 104 / Đợt 1"] != "Chưa bắt đầu" {
		t.Errorf("page 2 lists %v, want the last 5 units", rows)
	}
	if got := statValue(second, "Chưa bắt đầu"); got != "105" {
		t.Errorf("not started on page 2: %q, want 105", got)
	}
	resp := staff.get(wk.page + "/assessments?status=none&page=9")
	wantStatus(t, resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); !strings.Contains(loc, "page=2") || !strings.Contains(loc, "status=none") {
		t.Errorf("a page past the end goes to %q, want page 2 with the filter", loc)
	}
}
