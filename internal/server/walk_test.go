package server

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"thidua/internal/domain"
)

// TestReplyReachable: once an appraisal is complete, the people who act
// on the reply find its page from where they work: the appraiser from the
// appraisal list and the appraisal form, the focal point from their home;
// the appraiser's reply page leads back to the appraisal form. Seen on
// the demo: none of these links existed, the reply page could only be
// reached by typing its address (appraiser) or through the self-assessment
// (focal point).
func TestReplyReachable(t *testing.T) {
	t.Parallel()
	rc := newReplyCase(t)
	appraisalForm := fmt.Sprintf("/campaigns/%d/appraisal/%d", rc.wk.campaign, rc.id)
	link := fmt.Sprintf("a[href='%s']", rc.reply())

	list := htmlOf(t, rc.appraiser.get(fmt.Sprintf("/campaigns/%d/appraisal", rc.wk.campaign)))
	if list.Find("table.appraisal-list "+link).Length() != 1 {
		t.Error("the appraisal list does not link the form's reply page")
	}
	form := htmlOf(t, rc.appraiser.get(appraisalForm))
	if form.Find(link).Length() != 1 {
		t.Error("the appraisal form does not link its reply page")
	}
	home := htmlOf(t, rc.fp.get("/home"))
	row := home.Find("#due-forms " + link)
	if row.Length() != 1 {
		t.Fatal("the focal point's home does not link the reply page of the appraised form")
	}
	if got := strings.TrimSpace(row.Text()); got != "Giải trình bổ sung" {
		t.Errorf("the home's action reads %q", got)
	}
	page := htmlOf(t, rc.appraiser.get(rc.reply()))
	if page.Find(fmt.Sprintf("a[href='%s']", appraisalForm)).Length() != 1 {
		t.Error("the appraiser's reply page has no way back to the appraisal form")
	}

	// Sent: the appraiser's list says there is a reply to answer, the
	// page's badge no longer says the unit is awaited.
	rc.sendReply(t, map[int64]string{rc.points.ID: "Đơn vị bổ sung Quyết định số 12/QĐ-STP."})
	list = htmlOf(t, rc.appraiser.get(fmt.Sprintf("/campaigns/%d/appraisal", rc.wk.campaign)))
	if got := strings.TrimSpace(list.Find("table.appraisal-list " + link).Text()); got != "Trả lời giải trình" {
		t.Errorf("after the reply the list's link reads %q", got)
	}
	page = htmlOf(t, rc.fp.get(rc.reply()))
	if got := page.Find("p.lead .badge").Text(); got != "Đã giải trình, chờ tổ thẩm định trả lời" {
		t.Errorf("after the reply the page's badge reads %q", got)
	}
	home = htmlOf(t, rc.fp.get("/home"))
	if got := strings.TrimSpace(home.Find("#due-forms " + link).Text()); got != "Xem kết quả thẩm định" {
		t.Errorf("after the reply the home's action reads %q", got)
	}
}

// TestResultsApprovalHasNoEmptyFacts: before a proposal the approval box
// showed an empty bordered box (the facts list with nothing in it), which
// reads as a text field with no label.
func TestResultsApprovalHasNoEmptyFacts(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	wk := newWork(t, a)
	wk.resultForm(t, a, "Sở Tài chính", domain.AssessLocked, 9250, 9000, 9100)
	staff, _ := a.loggedIn(domain.RoleStaff)
	doc := htmlOf(t, staff.get(wk.page+"/results"))
	if doc.Find("#approval").Length() != 1 {
		t.Fatal("no approval box")
	}
	if n := doc.Find("#approval dl.facts").Length(); n != 0 {
		t.Errorf("the approval box shows %d empty facts lists before any proposal", n)
	}
}

// TestRankingNamesItsAreas: the ranking's area columns were headed
// "Lĩnh vực 1" … "Lĩnh vực 8" on the page and in both exports, with the
// area's name nowhere: an official could not tell which area a column is.
func TestRankingNamesItsAreas(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	wk := newWork(t, a)
	wk.resultForm(t, a, "Sở Tài chính", domain.AssessLocked, 9250, 9000, 9100)
	staff, _ := a.loggedIn(domain.RoleStaff)
	_, areas, _, err := a.db.RankingAreas(context.Background(), wk.set)
	if err != nil || len(areas) == 0 {
		t.Fatalf("areas: %v %d", err, len(areas))
	}
	doc := htmlOf(t, staff.get(wk.page+"/ranking"))
	resp := staff.get(wk.page + "/ranking.csv")
	wantStatus(t, resp, http.StatusOK)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	header, _, _ := strings.Cut(string(body), "\n")
	for i, ar := range areas {
		th := doc.Find("table.ranking thead th.area").Eq(i)
		if title, _ := th.Attr("title"); title != ar.Title {
			t.Errorf("area column %d is titled %q, want %q", i+1, title, ar.Title)
		}
		if !strings.Contains(doc.Find("dl.area-legend").Text(), ar.Title) {
			t.Errorf("the page's area legend does not name %q", ar.Title)
		}
		if want := fmt.Sprintf("Lĩnh vực %s. %s", ar.Code, ar.Title); !strings.Contains(header, want) {
			t.Errorf("the CSV header lacks %q: %s", want, header)
		}
	}
}

// TestReplyTextsRead: small texts seen wrong on the demo. The reply page's
// evidence ran the size into the citation ("114 B Báo cáo …"); "why this
// total" put a space before the colon of a kept adjustment's reason; the
// appraisal form of a locked form still announced the reply deadline; the
// refusal to lock said "cannot be locked" twice.
func TestReplyTextsRead(t *testing.T) {
	t.Parallel()
	rc := newReplyCase(t)
	pid := rc.points.ID
	wantStatus(t, rc.fp.uploadEvidence(fmt.Sprintf("%s/criteria/%d/evidence", rc.form, pid), "Mục II, trang 2", "quyet-dinh.pdf", []byte("%PDF-1.4\n%%EOF\n")), http.StatusSeeOther)
	rc.sendReply(t, map[int64]string{pid: "Đề nghị xem xét lại."})
	hint := htmlOf(t, rc.fp.get(rc.reply())).Find(fmt.Sprintf("#c-%d li .hint", pid)).Last().Text()
	if !strings.HasSuffix(strings.TrimSpace(hint), "· Mục II, trang 2") {
		t.Errorf("the evidence's size and citation read %q", hint)
	}
	// Why it cannot be locked yet, said once (it read "Chưa khóa được kết
	// quả: Còn 1 nội dung …: chưa chốt kết quả được.").
	if got := htmlOf(t, rc.appraiser.get(rc.reply())).Find(".reply-lock-blocked").Text(); got != "Còn 1 nội dung giải trình chưa được xem xét: chưa chốt kết quả được." {
		t.Errorf("the lock's refusal reads %q", got)
	}
	wantStatus(t, rc.appraiser.post(rc.answer(pid), url.Values{"decision": {"kept"}, "reason": {"Không có văn bản chứng minh."},
		"version": {rc.versionOf(t, pid)}}), http.StatusSeeOther)
	wantStatus(t, rc.staff.post(rc.form+"/lock", nil), http.StatusSeeOther)
	why := htmlOf(t, rc.staff.get(fmt.Sprintf("/campaigns/%d/ranking/%d", rc.wk.campaign, rc.id))).Find("table").Text()
	if !strings.Contains(why, "Giữ nguyên điểm thẩm định: Không có văn bản chứng minh.") {
		t.Errorf("why this total reads the kept reason as: %q", why)
	}
	form := htmlOf(t, rc.appraiser.get(fmt.Sprintf("/campaigns/%d/appraisal/%d", rc.wk.campaign, rc.id)))
	if strings.Contains(form.Find(".status-line").Text(), "Hạn giải trình") {
		t.Errorf("the locked form still announces the reply deadline: %q", form.Find(".status-line").Text())
	}
}
