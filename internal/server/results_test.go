package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"thidua/internal/domain"
)

// resultForm adds a form of a new unit to the work's group, with its
// status and its self, appraised and final converted totals (hundredths).
func (wk work) resultForm(t *testing.T, a *app, unit string, status domain.AssessmentStatus, self, appraised, final int) int64 {
	t.Helper()
	ctx := context.Background()
	u, err := a.db.CreateUnit(ctx, domain.UnitInput{Name: unit, Kind: domain.KindDepartment, ValidFrom: domain.Day(2020, 1, 1)})
	if err != nil {
		t.Fatal(err)
	}
	var id int64
	if err := a.db.Pool.QueryRow(ctx, `INSERT INTO assessments (campaign_id, set_id, phase_id, unit_id, status, converted, appraised_converted, final_converted)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, wk.campaign, wk.set, wk.phase, u, status, self, appraised, final).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// resultState reads the group's results row: status, version, and how many
// steps, rows and audit entries of results exist.
func (wk work) resultState(t *testing.T, a *app) string {
	t.Helper()
	var status string
	var version, steps, rows, audits int
	_ = a.db.Pool.QueryRow(context.Background(), `SELECT coalesce((SELECT status FROM phase_results WHERE phase_id = $1 AND set_id = $2), 'none'),
		coalesce((SELECT version FROM phase_results WHERE phase_id = $1 AND set_id = $2), 0),
		(SELECT count(*) FROM result_steps), (SELECT count(*) FROM result_rows),
		(SELECT count(*) FROM audit_log WHERE action LIKE 'results.%')`, wk.phase, wk.set).Scan(&status, &version, &steps, &rows, &audits)
	return fmt.Sprintf("%s v%d steps=%d rows=%d audit=%d", status, version, steps, rows, audits)
}

func wantState(t *testing.T, wk work, a *app, want string) {
	t.Helper()
	if got := wk.resultState(t, a); got != want {
		t.Fatalf("results state %q, want %q", got, want)
	}
}

func (wk work) resultsAction(action string) string {
	return fmt.Sprintf("%s/results/%d/%d/%s", wk.page, wk.phase, wk.set, action)
}

// problemText is the error summary of a refused action.
func problemText(t *testing.T, resp *http.Response) string {
	t.Helper()
	return strings.Join(strings.Fields(htmlOf(t, resp).Find(".approval .error-summary").Text()), " ")
}

// publicRows reads the public results table: rank | unit | band | self |
// appraised | final.
func publicRows(doc *goquery.Document) []string {
	var out []string
	doc.Find("table.result-table tbody tr").Each(func(_ int, tr *goquery.Selection) {
		var cells []string
		tr.Find("th, td").Each(func(_ int, c *goquery.Selection) { cells = append(cells, strings.TrimSpace(c.Text())) })
		out = append(out, strings.Join(cells, " | "))
	})
	return out
}

// TestResultsApprovalFlow: staff propose only when every submitted form is
// locked (the refusal names the others and writes nothing); a leader
// returns with a required reason or approves; the proposer can never
// approve; approval publishes exactly the rows proposed, and the public page
// shows nothing before.
func TestResultsApprovalFlow(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	wk := newWork(t, a)
	ctx := context.Background()
	wk.resultForm(t, a, "Sở Tài chính", domain.AssessLocked, 9250, 9000, 9100)
	wk.resultForm(t, a, "Sở Xây dựng", domain.AssessLocked, 8800, 8000, 8000)
	wk.resultForm(t, a, "Sở Công Thương", domain.AssessLocked, 8100, 8000, 8000)
	pending := wk.resultForm(t, a, "Sở <Giáo dục> & \"Đào tạo\"", domain.AssessAppraised, 7000, 6000, 6000)
	wk.resultForm(t, a, "Sở Nội vụ", domain.AssessDraft, 0, 0, 0)
	wk.resultForm(t, a, "Sở Y tế", domain.AssessReturned, 5000, 0, 0)
	staff, staffUser := a.loggedIn(domain.RoleStaff)
	leader, _ := a.loggedIn(domain.RoleLeader)
	anon := a.client()
	publicPath := fmt.Sprintf("/public/campaigns/%d/results", wk.campaign)

	// The page: staff see the group, its charts and why it cannot be proposed.
	doc := htmlOf(t, staff.get(wk.page+"/results"))
	if n := doc.Find("figure.chart svg[role=img]").Length(); n != 4 {
		t.Errorf("%d charts, want 4", n)
	}
	if hint := doc.Find(".approval .hint").Text(); !strings.Contains(hint, "Còn 1 phiếu đã nộp chưa chốt điểm") {
		t.Errorf("no waiting hint: %q", hint)
	}
	// A proposal while a submitted form is not locked: 409, naming it.
	resp := staff.post(wk.resultsAction("propose"), url.Values{"version": {"0"}})
	wantStatus(t, resp, http.StatusConflict)
	if msg := problemText(t, resp); !strings.Contains(msg, "Chưa thể đề xuất kết quả: còn 1 phiếu đã nộp chưa chốt điểm (Sở <Giáo dục> & \"Đào tạo\")") {
		t.Errorf("refusal says %q", msg)
	}
	wantState(t, wk, a, "none v0 steps=0 rows=0 audit=0")

	// Once locked, staff propose: the rows are ranked and fixed.
	if _, err := a.db.Pool.Exec(ctx, `UPDATE assessments SET status = 'locked' WHERE id = $1`, pending); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, staff.post(wk.resultsAction("propose"), url.Values{"version": {"0"}}), http.StatusSeeOther)
	wantState(t, wk, a, "proposed v1 steps=1 rows=4 audit=1")
	resp = staff.post(wk.resultsAction("propose"), url.Values{"version": {"1"}})
	wantStatus(t, resp, http.StatusConflict)
	if !strings.Contains(problemText(t, resp), "đang chờ lãnh đạo phê duyệt") {
		t.Errorf("second proposal: %q", problemText(t, resp))
	}
	wantStatus(t, anon.get(publicPath), http.StatusNotFound)

	// Staff cannot approve; a leader's stale page and a return without a
	// reason are refused; nothing is written.
	wantStatus(t, staff.post(wk.resultsAction("approve"), url.Values{"version": {"1"}}), http.StatusForbidden)
	resp = leader.post(wk.resultsAction("approve"), url.Values{"version": {"0"}})
	wantStatus(t, resp, http.StatusConflict)
	resp = leader.post(wk.resultsAction("return"), url.Values{"version": {"1"}, "reason": {"   "}})
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	if doc := htmlOf(t, resp); doc.Find("#reason-error").Text() != "Vui lòng nêu lý do trả lại." || doc.Find(`textarea#reason[aria-invalid="true"]`).Length() != 1 {
		t.Errorf("no reason error beside the field: %q", doc.Find(".field-error").Text())
	}
	wantState(t, wk, a, "proposed v1 steps=1 rows=4 audit=1")

	// The leader returns it with a reason; staff see it and propose again.
	wantStatus(t, leader.post(wk.resultsAction("return"), url.Values{"version": {"1"}, "reason": {"Đề nghị rà soát lại Sở Xây dựng"}}), http.StatusSeeOther)
	wantState(t, wk, a, "returned v2 steps=2 rows=4 audit=2")
	doc = htmlOf(t, staff.get(wk.page+"/results"))
	if !strings.Contains(doc.Find(".approval .reason").Text(), "Đề nghị rà soát lại Sở Xây dựng") {
		t.Error("the return's reason is not shown to staff")
	}
	wantStatus(t, anon.get(publicPath), http.StatusNotFound)
	wantStatus(t, staff.post(wk.resultsAction("propose"), url.Values{"version": {"2"}}), http.StatusSeeOther)
	wantState(t, wk, a, "proposed v3 steps=3 rows=8 audit=3")

	// The proposer, made a leader since, still cannot approve: 403, nothing
	// written, and the page offers no decision to them.
	if _, err := a.db.Pool.Exec(ctx, `UPDATE users SET role = 'leader' WHERE id = $1`, staffUser.ID); err != nil {
		t.Fatal(err)
	}
	doc = htmlOf(t, staff.get(wk.page+"/results"))
	if doc.Find(`form[action$="/approve"]`).Length() != 0 || !strings.Contains(doc.Find(".approval").Text(), "không thể tự phê duyệt") {
		t.Error("the proposer is offered the approval")
	}
	resp = staff.post(wk.resultsAction("approve"), url.Values{"version": {"3"}})
	wantStatus(t, resp, http.StatusForbidden)
	wantStatus(t, staff.post(wk.resultsAction("return"), url.Values{"version": {"3"}, "reason": {"x"}}), http.StatusForbidden)
	wantState(t, wk, a, "proposed v3 steps=3 rows=8 audit=3")
	// The database refuses it too, whatever the code above it does.
	if _, err := a.db.Pool.Exec(ctx, `UPDATE phase_results SET status = 'approved', decided_by = proposed_by WHERE phase_id = $1`, wk.phase); err == nil {
		t.Error("the database let the proposer approve")
	}

	// Another leader approves: published.
	doc = htmlOf(t, leader.get(wk.page+"/results"))
	if doc.Find(`form[action$="/approve"] button`).Length() != 1 || doc.Find(`form[action$="/return"] textarea#reason`).Length() != 1 {
		t.Fatal("the leader is not offered approve and return")
	}
	if rows := publicRows(doc); len(rows) != 4 {
		t.Errorf("the leader sees %d proposed rows, want 4", len(rows))
	}
	wantStatus(t, leader.post(wk.resultsAction("approve"), url.Values{"version": {"3"}}), http.StatusSeeOther)
	wantState(t, wk, a, "approved v4 steps=4 rows=8 audit=4")
	resp = leader.post(wk.resultsAction("return"), url.Values{"version": {"4"}, "reason": {"muộn"}})
	wantStatus(t, resp, http.StatusConflict)
	wantState(t, wk, a, "approved v4 steps=4 rows=8 audit=4")

	// The public page: ranks (ties shared), bands, self, appraised and
	// final totals; no person's name.
	resp = anon.get(publicPath)
	wantStatus(t, resp, http.StatusOK)
	body := bodyOf(resp)
	doc = htmlOf(t, resp)
	want := []string{
		"1 | Sở Tài chính | Xuất sắc | 92,5 | 90 | 91",
		"2 | Sở Công Thương | Tốt | 81 | 80 | 80",
		"2 | Sở Xây dựng | Tốt | 88 | 80 | 80",
		"4 | Sở <Giáo dục> & \"Đào tạo\" | Trung bình | 70 | 60 | 60",
	}
	if got := publicRows(doc); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("public rows:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if strings.Contains(body, "Sở <Giáo dục>") {
		t.Error("a unit's name reached the page unescaped")
	}
	if strings.Contains(body, "Người dùng") || strings.Contains(body, "Sở Nội vụ</") && strings.Contains(body, "Sở Y tế") {
		t.Error("the public page names a person or lists units outside the results")
	}
	if doc.Find("figure.chart svg[role=img] .bar").Length() == 0 {
		t.Error("no distribution chart on the public page")
	}
	// The public campaign page and the public home link the results.
	if htmlOf(t, anon.get(fmt.Sprintf("/public/campaigns/%d", wk.campaign))).Find(`a[href="`+publicPath+`"]`).Length() == 0 {
		t.Error("the campaign's public page does not link its results")
	}
	if htmlOf(t, anon.get("/")).Find(`a[href="`+publicPath+`"]`).Length() == 0 {
		t.Error("the public home does not link the results")
	}

	// The audit log says who did what.
	var actions string
	_ = a.db.Pool.QueryRow(ctx, `SELECT string_agg(action, ',' ORDER BY id) FROM audit_log WHERE action LIKE 'results.%'`).Scan(&actions)
	if actions != "results.propose,results.return,results.propose,results.approve" {
		t.Errorf("audit actions %s", actions)
	}
	admin, _ := a.loggedIn(domain.RoleAdmin)
	log := strings.Join(strings.Fields(htmlOf(t, admin.get("/audit")).Find("main").Text()), " ")
	for _, says := range []string{"đã phê duyệt và công bố kết quả của nhóm «Sở, ban, ngành»", "đã trả lại kết quả của nhóm «Sở, ban, ngành»",
		"Lý do: Đề nghị rà soát lại Sở Xây dựng", "đã đề xuất kết quả của nhóm «Sở, ban, ngành»"} {
		if !strings.Contains(log, says) {
			t.Errorf("the audit log does not say %q", says)
		}
	}
}

// TestResultsRefusedWhenFormsChanged: an approval is refused when a form was
// reopened after the proposal, or a new one locked; the leader returns it.
func TestResultsRefusedWhenFormsChanged(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	wk := newWork(t, a)
	ctx := context.Background()
	id := wk.resultForm(t, a, "Sở Tài chính", domain.AssessLocked, 9250, 9000, 9100)
	wk.resultForm(t, a, "Sở Xây dựng", domain.AssessLocked, 8800, 8000, 8000)
	staff, _ := a.loggedIn(domain.RoleStaff)
	leader, _ := a.loggedIn(domain.RoleLeader)
	wantStatus(t, staff.post(wk.resultsAction("propose"), url.Values{"version": {"0"}}), http.StatusSeeOther)
	if _, err := a.db.Pool.Exec(ctx, `UPDATE assessments SET status = 'appraised' WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	resp := leader.post(wk.resultsAction("approve"), url.Values{"version": {"1"}})
	wantStatus(t, resp, http.StatusConflict)
	if !strings.Contains(problemText(t, resp), "đã thay đổi sau khi đề xuất") {
		t.Errorf("refusal says %q", problemText(t, resp))
	}
	// Locked again with another total: still not what was proposed.
	if _, err := a.db.Pool.Exec(ctx, `UPDATE assessments SET status = 'locked', final_converted = 9200 WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, leader.post(wk.resultsAction("approve"), url.Values{"version": {"1"}}), http.StatusConflict)
	wantState(t, wk, a, "proposed v1 steps=1 rows=2 audit=1")
	wantStatus(t, leader.post(wk.resultsAction("return"), url.Values{"version": {"1"}, "reason": {"Điểm đã đổi"}}), http.StatusSeeOther)
	wantStatus(t, staff.post(wk.resultsAction("propose"), url.Values{"version": {"2"}}), http.StatusSeeOther)
	wantStatus(t, leader.post(wk.resultsAction("approve"), url.Values{"version": {"3"}}), http.StatusSeeOther)
	rows := publicRows(htmlOf(t, a.client().get(fmt.Sprintf("/public/campaigns/%d/results", wk.campaign))))
	if len(rows) != 2 || !strings.HasSuffix(rows[0], "| 92") {
		t.Errorf("published rows %v, want the new total 92 first", rows)
	}
}

// TestResultsOtherIDsAndRoles: a phase or set of another campaign, a focal
// point, and a leader on a draft campaign get 404 or 403; leaders read but
// never change scores.
func TestResultsOtherIDsAndRoles(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	wk := newWork(t, a)
	if _, err := a.db.Pool.Exec(context.Background(), `UPDATE campaigns SET plan_number = '8/KH-SNV' WHERE id = $1`, wk.campaign); err != nil {
		t.Fatal(err)
	}
	other := newWork(t, a)
	form := wk.resultForm(t, a, "Sở Tài chính", domain.AssessLocked, 9250, 9000, 9100)
	staff, _ := a.loggedIn(domain.RoleStaff)
	leader, _ := a.loggedIn(domain.RoleLeader)
	fp, _ := a.loggedIn(domain.RoleFocalPoint)
	before := fingerprint(t, a)
	for _, p := range []string{
		fmt.Sprintf("%s/results/%d/%d/propose", wk.page, other.phase, wk.set),
		fmt.Sprintf("%s/results/%d/%d/propose", wk.page, wk.phase, other.set),
		fmt.Sprintf("%s/results/%d/%d/propose", other.page, wk.phase, wk.set),
	} {
		wantStatus(t, staff.post(p, url.Values{"version": {"0"}}), http.StatusNotFound)
	}
	wantStatus(t, staff.get(fmt.Sprintf("%s/results?phase=%d&set=%d", wk.page, other.phase, other.set)), http.StatusNotFound)
	wantStatus(t, staff.get(wk.page+"/results?phase=x&set=1"), http.StatusNotFound)
	wantStatus(t, fp.get(wk.page+"/results"), http.StatusForbidden)
	wantStatus(t, fp.post(wk.resultsAction("propose"), url.Values{"version": {"0"}}), http.StatusForbidden)
	wantStatus(t, leader.post(wk.resultsAction("propose"), url.Values{"version": {"0"}}), http.StatusForbidden)
	// A leader reads the results but may not write a score.
	wantStatus(t, leader.get(wk.page+"/results"), http.StatusOK)
	wantStatus(t, leader.post(fmt.Sprintf("%s/assessments/%d", wk.page, form), url.Values{"version": {"1"}}), http.StatusForbidden)
	wantStatus(t, leader.post(fmt.Sprintf("%s/assessments/%d/submit", wk.page, form), url.Values{"version": {"1"}}), http.StatusForbidden)
	if fingerprint(t, a) != before {
		t.Error("a refused request changed data")
	}
	// A draft campaign is not found for a leader, as it is for citizens.
	draft, err := a.db.CreateCampaign(context.Background(), &domain.Campaign{PlanNumber: "1/KH-NHAP", Title: "Bản nháp", IssuerName: "Sở Nội vụ",
		IssueDate: domain.Day(2026, 1, 1), Kind: domain.KindRegular, PeriodStart: domain.Day(2026, 1, 1), PeriodEnd: domain.Day(2026, 12, 31)}, "")
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, leader.get(fmt.Sprintf("/campaigns/%d/results", draft)), http.StatusNotFound)
	wantStatus(t, staff.get(fmt.Sprintf("/campaigns/%d/results", draft)), http.StatusOK)
	wantStatus(t, a.client().get(fmt.Sprintf("/public/campaigns/%d/results", draft)), http.StatusNotFound)
}

// TestLeaderHomeWaitingResults: a leader's home lists the proposals waiting
// for a decision (not their own), links the group's approval, and each
// campaign's results; once approved the proposal leaves the list.
func TestLeaderHomeWaitingResults(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	wk := newWork(t, a)
	wk.resultForm(t, a, "Sở Tài chính", domain.AssessLocked, 9250, 9000, 9100)
	staff, _ := a.loggedIn(domain.RoleStaff)
	leader, _ := a.loggedIn(domain.RoleLeader)
	doc := htmlOf(t, leader.get("/home"))
	if !strings.Contains(doc.Find("#waiting-results").Text(), "Không có kết quả nào chờ phê duyệt") {
		t.Error("an empty waiting list does not say so")
	}
	if doc.Find(fmt.Sprintf(`#read-campaigns a[href="/campaigns/%d/results"]`, wk.campaign)).Length() != 1 {
		t.Error("the campaign's results are not linked")
	}
	wantStatus(t, staff.post(wk.resultsAction("propose"), url.Values{"version": {"0"}}), http.StatusSeeOther)
	doc = htmlOf(t, leader.get("/home"))
	href := fmt.Sprintf("/campaigns/%d/results?phase=%d&set=%d#approval", wk.campaign, wk.phase, wk.set)
	row := doc.Find("#waiting-results tbody tr")
	if row.Length() != 1 || row.Find(`a[href="`+href+`"]`).Length() != 1 || !strings.Contains(row.Text(), "Đợt 1 · Sở, ban, ngành") {
		t.Fatalf("waiting list: %q", strings.Join(strings.Fields(doc.Find("#waiting-results").Text()), " "))
	}
	if got := strings.TrimSpace(doc.Find(`[data-queue="waiting-results"] dd`).Text()); got != "1" {
		t.Errorf("waiting count %q, want 1", got)
	}
	// The approval page opens from the link with the decision offered.
	page := htmlOf(t, leader.get(strings.TrimSuffix(href, "#approval")))
	if page.Find(`#approval form[action$="/approve"]`).Length() != 1 {
		t.Error("the linked page offers no approval")
	}
	wantStatus(t, leader.post(wk.resultsAction("approve"), url.Values{"version": {"1"}}), http.StatusSeeOther)
	doc = htmlOf(t, leader.get("/home"))
	if doc.Find("#waiting-results tbody tr").Length() != 0 {
		t.Error("an approved proposal is still waiting")
	}
	if doc.Find(fmt.Sprintf(`#read-campaigns a[href="/public/campaigns/%d/results"]`, wk.campaign)).Length() != 1 {
		t.Error("the published results are not linked")
	}
}
