package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"thidua/internal/domain"
	"thidua/internal/i18n"
	"thidua/internal/seed"
)

// queueValue reads a work-queue number and where it leads.
func queueValue(doc *goqueryDoc, name string) (string, string) {
	s := doc.Find(`[data-queue="` + name + `"]`)
	return strings.TrimSpace(s.Find("dd").Text()), s.Find("a").AttrOr("href", "")
}

// TestStaffHomeIsAWorkQueue: staff see, with counts and links to where they
// act, registrations waiting, submissions to receive, late units and the
// week's deadlines; a week later the unit that never started is late.
func TestStaffHomeIsAWorkQueue(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	ctx := context.Background()
	wk := newWork(t, a)
	staff, _ := a.loggedIn(domain.RoleStaff)
	fp, _ := a.loggedIn(domain.RoleFocalPoint)
	wk.register(t, fp, staff)
	form := wk.start(t, fp)
	if _, err := a.db.Pool.Exec(ctx, `UPDATE assessments SET status = 'submitted', submitted_at = now() WHERE id = $1`, mustAssessment(t, a, form)); err != nil {
		t.Fatal(err)
	}
	// Sở Y tế is approved and never starts; Sở Xây dựng waits for a decision.
	clientOf := func(name string) *client {
		unit, err := a.db.CreateUnit(ctx, domain.UnitInput{Name: name, Kind: domain.KindDepartment})
		if err != nil {
			t.Fatal(err)
		}
		c := a.client()
		c.login(a.userIn(domain.RoleFocalPoint, unit).Email, testPassword)
		return c
	}
	wk.register(t, clientOf("Sở Y tế"), staff)
	builder := clientOf("Sở Xây dựng")
	wantStatus(t, builder.post(wk.page+"/registrations", url.Values{"action": {"submit"}, "pledge": {"Hoàn thành kế hoạch"}, "version": {"0"}}), http.StatusSeeOther)

	doc := htmlOf(t, staff.get("/home"))
	for name, want := range map[string][2]string{
		"pending":   {"1", wk.page + "/registrations"},
		"submitted": {"1", wk.page + "/assessments?status=submitted"},
		"late":      {"0", ""},
		"deadlines": {"1", "#deadlines"},
	} {
		if n, href := queueValue(doc, name); n != want[0] || href != want[1] {
			t.Errorf("%s: %q → %q, want %q → %q", name, n, href, want[0], want[1])
		}
	}
	row := doc.Find("#deadlines tbody tr")
	if row.Length() != 1 || !strings.Contains(row.Text(), "Đợt 1") || !strings.Contains(row.Text(), "1 đơn vị chưa nộp") ||
		!strings.Contains(row.Text(), i18n.Day(domain.DateOf(time.Now()).AddDate(0, 0, 3))) {
		t.Errorf("deadline row %q", row.Text())
	}
	if doc.Find(`#campaign-work a[href="`+wk.page+`/assessments?status=submitted"]`).Length() != 1 {
		t.Error("the campaign's row does not lead to its submissions")
	}
	if strings.Contains(doc.Text(), "sắp có") {
		t.Error("a home still lists pages that do not exist")
	}

	// Ten days on the window has closed: Sở Y tế is late, nothing is due.
	a.db.Now = func() time.Time { return time.Now().AddDate(0, 0, 10) }
	doc = htmlOf(t, staff.get("/home"))
	if n, href := queueValue(doc, "late"); n != "1" || href != wk.page+"/assessments?status=late" {
		t.Errorf("late after the window: %q → %q", n, href)
	}
	if n, _ := queueValue(doc, "deadlines"); n != "0" || doc.Find("#deadlines tbody tr").Length() != 0 {
		t.Errorf("deadlines after the window: %q", n)
	}
}

// TestFocalPointHomeShowsWhatIsDue: a focal point sees its unit's forms with
// their deadline and state and a link to act, its open registrations, and
// nothing of another unit's work.
func TestFocalPointHomeShowsWhatIsDue(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	ctx := context.Background()
	wk := newWork(t, a)
	staff, _ := a.loggedIn(domain.RoleStaff)
	fp, _ := a.loggedIn(domain.RoleFocalPoint)

	// Before registering: the campaign is open for registration.
	doc := htmlOf(t, fp.get("/home"))
	reg := doc.Find("#open-registrations tbody tr")
	if reg.Length() != 1 || !strings.Contains(reg.Text(), "Thi đua cải cách hành chính năm nay") || !strings.Contains(reg.Text(), "Chưa đăng ký") ||
		reg.Find(`a[href="`+wk.page+`/registrations"]`).Length() != 1 {
		t.Errorf("open registrations %q", reg.Text())
	}
	if n, _ := queueValue(doc, "registrations"); n != "1" {
		t.Errorf("registrations count %q", n)
	}

	wk.register(t, fp, staff)
	doc = htmlOf(t, fp.get("/home"))
	if doc.Find("#open-registrations tbody tr").Length() != 0 {
		t.Error("an approved registration is still listed as open")
	}
	due := doc.Find("#due-forms tbody tr")
	deadline := i18n.Day(domain.DateOf(time.Now()).AddDate(0, 0, 3))
	if due.Length() != 1 || !strings.Contains(due.Text(), "Đợt 1") || !strings.Contains(due.Text(), "Chưa bắt đầu") || !strings.Contains(due.Text(), deadline) ||
		due.Find(`a[href="`+wk.page+`/assessments"]`).Length() != 1 {
		t.Errorf("due form before starting %q", due.Text())
	}
	form := wk.start(t, fp)
	if _, err := a.db.Pool.Exec(ctx, `UPDATE assessments SET status = 'returned' WHERE id = $1`, mustAssessment(t, a, form)); err != nil {
		t.Fatal(err)
	}
	doc = htmlOf(t, fp.get("/home"))
	due = doc.Find("#due-forms tbody tr")
	if !strings.Contains(due.Text(), "Trả lại để bổ sung") || due.Find(`a[href="`+form+`"]`).Length() != 1 {
		t.Errorf("returned form %q", due.Text())
	}
	if n, href := queueValue(doc, "returned"); n != "1" || href != form {
		t.Errorf("returned count %q → %q", n, href)
	}

	// Another unit's focal point sees none of it.
	other, err := a.db.CreateUnit(ctx, domain.UnitInput{Name: "Sở Y tế", Kind: domain.KindDepartment})
	if err != nil {
		t.Fatal(err)
	}
	c := a.client()
	c.login(a.userIn(domain.RoleFocalPoint, other).Email, testPassword)
	doc = htmlOf(t, c.get("/home"))
	if doc.Find(`a[href="`+form+`"]`).Length() != 0 || doc.Find("#due-forms tbody tr").Length() != 0 {
		t.Error("another unit's form is on this focal point's home")
	}
	if !strings.Contains(doc.Find("#open-registrations").Text(), "Thi đua cải cách hành chính năm nay") {
		t.Error("the other unit is not offered the registration")
	}
}

// TestLeaderHomeListsCampaigns: a leader reads the campaigns, and no home
// marks pages that do not exist.
func TestLeaderHomeListsCampaigns(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	wk := newWork(t, a)
	leader, _ := a.loggedIn(domain.RoleLeader)
	doc := htmlOf(t, leader.get("/home"))
	if doc.Find(fmt.Sprintf(`#read-campaigns a[href="/public/campaigns/%d"]`, wk.campaign)).Length() != 1 {
		t.Error("the leader's home does not lead to the campaign")
	}
	for _, role := range []domain.Role{domain.RoleAdmin, domain.RoleStaff, domain.RoleFocalPoint, domain.RoleLeader} {
		c, _ := a.loggedIn(role)
		if strings.Contains(htmlOf(t, c.get("/home")).Text(), "sắp có") {
			t.Errorf("%s: a stub is on the home", role)
		}
	}
}

// TestPublicHomeGroupsCampaigns: running and finished campaigns are apart,
// and sections without content are not shown.
func TestPublicHomeGroupsCampaigns(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	ctx := context.Background()
	done := newWork(t, a)
	if _, err := a.db.Pool.Exec(ctx, `UPDATE campaigns SET plan_number = '3/KH-SNV', title = 'Phong trào năm trước' WHERE id = $1`, done.campaign); err != nil {
		t.Fatal(err)
	}
	if err := a.db.Transition(ctx, done.campaign, domain.StatusClosed, ""); err != nil {
		t.Fatal(err)
	}
	doc := htmlOf(t, a.client().get("/"))
	if doc.Find("#running").Length() != 0 {
		t.Error("an empty running section is shown")
	}
	if !strings.Contains(doc.Find("#finished").Text(), "Phong trào năm trước") {
		t.Error("the finished campaign is not under finished campaigns")
	}
	newWork(t, a)
	doc = htmlOf(t, a.client().get("/"))
	running, finished := doc.Find("#running").Text(), doc.Find("#finished").Text()
	if !strings.Contains(running, "Thi đua cải cách hành chính năm nay") || strings.Contains(running, "Phong trào năm trước") {
		t.Errorf("running: %q", running)
	}
	if strings.Contains(finished, "Thi đua cải cách hành chính năm nay") || !strings.Contains(finished, "Phong trào năm trước") {
		t.Errorf("finished: %q", finished)
	}
	if !strings.Contains(doc.Find("#running h2").Text(), "đang phát động") || !strings.Contains(doc.Find("#finished h2").Text(), "đã kết thúc") {
		t.Errorf("headings %q / %q", doc.Find("#running h2").Text(), doc.Find("#finished h2").Text())
	}
	if doc.Find("#results, #decisions").Length() != 0 || strings.Contains(doc.Find("h2").Text(), "Kết quả") {
		t.Error("results or decisions are shown though none exist")
	}
	// A campaign still announced after its period ended is not under way.
	if _, err := a.db.Pool.Exec(ctx, `UPDATE campaigns SET plan_number = '4/KH-SNV' WHERE plan_number NOT IN ('3/KH-SNV')`); err != nil {
		t.Fatal(err)
	}
	over := newWork(t, a)
	if _, err := a.db.Pool.Exec(ctx, `UPDATE campaigns SET title = 'Phong trào quá hạn', period_start = '2020-01-01', period_end = '2021-12-31' WHERE id = $1`, over.campaign); err != nil {
		t.Fatal(err)
	}
	doc = htmlOf(t, a.client().get("/"))
	if running, finished := doc.Find("#running").Text(), doc.Find("#finished").Text(); strings.Contains(running, "Phong trào quá hạn") ||
		!strings.Contains(finished, "Phong trào quá hạn") || !strings.Contains(finished, "Hết thời gian thực hiện") {
		t.Errorf("a campaign past its period: running %q, finished %q", running, finished)
	}
}

// TestAwardNoteStaysInternal: the public page shows an award plan's public
// fields but never its internal note; staff see the note, labelled.
func TestAwardNoteStaysInternal(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	ctx := context.Background()
	wk := newWork(t, a)
	note := "Dành một suất cho Sở Tư pháp theo ý kiến riêng của lãnh đạo"
	if _, err := a.db.Pool.Exec(ctx, `UPDATE award_plans SET note = $2 WHERE campaign_id = $1`, wk.campaign, note); err != nil {
		t.Fatal(err)
	}
	if _, err := a.db.Pool.Exec(ctx, `UPDATE award_quotas SET quota = 3 WHERE target = 'collective'
		AND plan_id IN (SELECT id FROM award_plans WHERE campaign_id = $1)`, wk.campaign); err != nil {
		t.Fatal(err)
	}
	body := bodyOf(a.client().get(fmt.Sprintf("/public/campaigns/%d", wk.campaign)))
	if strings.Contains(body, "Dành một suất") {
		t.Error("the internal note is on the public page")
	}
	for _, public := range []string{"Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh", "tối đa 3 mỗi đợt", "Luật Thi đua, khen thưởng 2022", "tập thể và cá nhân"} {
		if !strings.Contains(body, public) {
			t.Errorf("public field %q missing", public)
		}
	}
	staff, _ := a.loggedIn(domain.RoleStaff)
	doc := htmlOf(t, staff.get(wk.page))
	if got := doc.Find("#awards .internal-note").Text(); !strings.Contains(got, "Ghi chú nội bộ (không công khai)") || !strings.Contains(got, note) {
		t.Errorf("staff note %q", got)
	}
	// The form says so where the note is typed.
	draft := &domain.Campaign{PlanNumber: "9/KH-SNV", Title: "Bản nháp", IssuerName: "Sở Nội vụ", IssueDate: domain.Day(2026, 1, 1), Kind: domain.KindRegular,
		PeriodStart: domain.Day(2026, 1, 1), PeriodEnd: domain.Day(2026, 12, 31)}
	id, err := a.db.CreateCampaign(ctx, draft, "")
	if err != nil {
		t.Fatal(err)
	}
	doc = htmlOf(t, staff.get(fmt.Sprintf("/campaigns/%d/awards", id)))
	if got := doc.Find(`label[for=note]`).Text(); !strings.Contains(got, "Ghi chú nội bộ (không công khai)") {
		t.Errorf("note label %q", got)
	}
}

// TestAuditLogInWords: the audit log says who did what to which record in
// Vietnamese, links the record, and never shows raw JSON.
func TestAuditLogInWords(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	ctx := context.Background()
	wk := newWork(t, a)
	staff, su := a.loggedIn(domain.RoleStaff)
	fp, fu := a.loggedIn(domain.RoleFocalPoint)
	wk.register(t, fp, staff)
	if err := a.db.Audit(domain.WithActor(ctx, domain.Actor{UserID: su.ID}), domain.AuditRegistrationDecide, "campaign", fmt.Sprint(wk.campaign),
		map[string]any{"reason": "Thiếu giao ước", "weird_key": map[string]any{"a": 1, "b": []any{"x", "y"}}}); err != nil {
		t.Fatal(err)
	}
	admin, _ := a.loggedIn(domain.RoleAdmin)
	doc := htmlOf(t, admin.get("/audit"))
	doc.Find("tbody td").Each(func(_ int, td *goqueryTr) {
		if strings.ContainsAny(td.Text(), "{}[]") || regexp.MustCompile(`"\w+":`).MatchString(td.Text()) {
			t.Errorf("raw JSON in the audit log: %q", td.Text())
		}
	})
	want := map[string]string{
		su.FullName + " đã duyệt đăng ký thi đua của Sở Tư pháp":  wk.page + "/registrations",
		fu.FullName + " đã gửi đăng ký thi đua của Sở Tư pháp":    wk.page + "/registrations",
		su.FullName + " đã đăng nhập":                             "",
		"đã tạo phong trào «Thi đua cải cách hành chính năm nay»": wk.page,
	}
	for sentence, href := range want {
		found := false
		doc.Find("tbody tr").Each(func(_ int, tr *goqueryTr) {
			text := strings.Join(strings.Fields(tr.Find(".what").Text()), " ")
			if strings.Contains(text, sentence) && (href == "" || tr.Find(`.what a[href="`+href+`"]`).Length() > 0) {
				found = true
			}
		})
		if !found {
			t.Errorf("no row says %q (linked to %q)", sentence, href)
		}
	}
	lines := doc.Find(".what li").Text()
	for _, line := range []string{"Lý do: Thiếu giao ước", "weird key: a: 1; b: x, y"} {
		if !strings.Contains(lines, line) {
			t.Errorf("no detail line %q in %q", line, lines)
		}
	}
	for _, action := range domain.AuditActions {
		if !i18n.Has("audit.says." + action) {
			t.Errorf("no sentence for %s", action)
		}
	}
}

// TestEveryTableScrollsInItsOwnBox: every table of every template sits in
// the one scrolling region, so a phone scrolls the table and not the page.
func TestEveryTableScrollsInItsOwnBox(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "web", "*.templ"))
	tables := 0
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(src), "\n")
		for i, l := range lines {
			if !strings.Contains(l, "<table") {
				continue
			}
			tables++
			if i == 0 || !strings.Contains(lines[i-1], "@TableBox(") {
				t.Errorf("%s:%d: a table outside @TableBox", filepath.Base(f), i+1)
			}
		}
	}
	if tables < 15 {
		t.Errorf("only %d tables found: the scan is broken", tables)
	}
	// And on a page: the region is focusable and named.
	a := newApp(t, nil)
	wk := newWork(t, a)
	doc := htmlOf(t, a.client().get(fmt.Sprintf("/public/campaigns/%d", wk.campaign)))
	doc.Find("table").Each(func(_ int, tb *goqueryTr) {
		box := tb.Parent()
		if !box.Is(`.table-box[role=region][tabindex="0"]`) || strings.TrimSpace(box.AttrOr("aria-label", "")) == "" {
			t.Errorf("table in %s", goqueryOuter(box))
		}
	})
}

func goqueryOuter(s *goqueryTr) string {
	h, _ := s.Attr("class")
	return "<" + goquerySelectorName(s) + " class=" + h + ">"
}

func goquerySelectorName(s *goqueryTr) string {
	if len(s.Nodes) == 0 {
		return "nothing"
	}
	return s.Nodes[0].Data
}

// TestBrowserPhoneTables opens the pages with the widest tables on a 390 px
// phone: the page never scrolls sideways (a table scrolls in its own box,
// which is named and takes the focus). With THIDUA_SCREENSHOTS set it also
// takes them at 1,280 px, for a person to compare.
func TestBrowserPhoneTables(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	ctx := context.Background()
	if _, _, err := seed.Demo(ctx, a.db); err != nil {
		t.Fatal(err)
	}
	var running int64
	if err := a.db.Pool.QueryRow(ctx, `SELECT c.id FROM campaigns c WHERE status = 'announced' AND EXISTS (SELECT 1 FROM assessments a WHERE a.campaign_id = c.id)`).Scan(&running); err != nil {
		t.Fatal(err)
	}
	pages := []struct{ name, who, path string }{
		{"public-campaign", "", "/public/campaigns/1"},
		{"staff-home", "canbo@thidua.local", "/home"},
		{"staff-dashboard", "canbo@thidua.local", fmt.Sprintf("/campaigns/%d/assessments", running)},
		{"units", "canbo@thidua.local", "/units"},
		{"focal-home", "daumoi.tuphap@thidua.local", "/home"},
	}
	widths := []int{390}
	if os.Getenv("THIDUA_SCREENSHOTS") != "" {
		pages = append(pages, []struct{ name, who, path string }{{"public-home", "", "/"}, {"leader-home", "lanhdao@thidua.local", "/home"},
			{"admin-home", "admin@thidua.local", "/home"}, {"audit", "admin@thidua.local", "/audit"}}...)
		widths = append(widths, 1280)
	}
	for _, width := range widths {
		for _, p := range pages {
			// A browser per page: each has its own time limit.
			b := browser(t, width, 900)
			if err := chromedp.Do(b, chromedp.EmulateViewport(int64(width), 900)); err != nil {
				t.Fatal(err)
			}
			if p.who != "" {
				err := chromedp.Do(b, chromedp.Navigate(a.ts.URL+"/login"), chromedp.SendKeys("#email", p.who),
					chromedp.SendKeys("#password", seed.DemoPassword), chromedp.Click("button[type=submit]"), chromedp.WaitVisible(".who-name"))
				if err != nil {
					t.Fatalf("%s signs in: %v", p.who, err)
				}
			}
			if err := chromedp.Do(b, chromedp.Navigate(a.ts.URL+p.path), chromedp.WaitVisible("main")); err != nil {
				t.Fatalf("%s: %v", p.name, err)
			}
			page, err := chromedp.Run(b, chromedp.Evaluate[float64]("document.documentElement.scrollWidth"))
			if err != nil {
				t.Fatal(err)
			}
			if page > float64(width) {
				t.Errorf("%s at %d px: the page is %v px wide and scrolls sideways", p.name, width, page)
			}
			bad, err := chromedp.Run(b, chromedp.Evaluate[float64](`[...document.querySelectorAll("table")].filter(t => {
				const box = t.parentElement;
				return !box.matches(".table-box[role=region][tabindex='0'][aria-label]") || box.getBoundingClientRect().right > window.innerWidth + 1;
			}).length`))
			if err != nil {
				t.Fatal(err)
			}
			if bad > 0 {
				t.Errorf("%s at %d px: %v tables are not in a scrolling box inside the screen", p.name, width, bad)
			}
			screenshot(t, b, fmt.Sprintf("%s-%d", p.name, width))
		}
	}
}
