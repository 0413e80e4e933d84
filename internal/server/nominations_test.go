package server

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"thidua/internal/domain"
	"thidua/internal/i18n"
)

// nominationWork is a running campaign with an award for individuals, a
// focal point of the test unit with two of its people, and another unit
// with its own focal point and person.
type nominationWork struct {
	work
	fp, other, staff    *client
	mine, mine2, theirs int64 // people
	otherUnit           int64
}

func newNominationWork(t *testing.T, a *app) nominationWork {
	t.Helper()
	ctx := context.Background()
	nw := nominationWork{work: newWork(t, a)}
	var err error
	nw.otherUnit, err = a.db.CreateUnit(ctx, domain.UnitInput{Name: "Sở Y tế", Code: "TEST-SYT-N", Kind: domain.KindDepartment, ValidFrom: domain.Day(2020, 1, 1)})
	if err != nil {
		t.Fatal(err)
	}
	person := func(name, position string, unit int64) int64 {
		id, err := a.db.CreatePerson(ctx, domain.PersonInput{FullName: name, Position: position, Category: domain.CategoryCongChuc, UnitID: unit, From: domain.Day(2020, 1, 1)})
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	nw.mine = person("Nguyễn Văn An", "Phó Trưởng phòng Hành chính tư pháp", a.unit)
	nw.mine2 = person("Trần Thị Bích", "Chuyên viên", a.unit)
	nw.theirs = person("Lê Văn Khác", "Bác sĩ", nw.otherUnit)
	nw.fp, _ = a.loggedIn(domain.RoleFocalPoint)
	nw.staff, _ = a.loggedIn(domain.RoleStaff)
	nw.other = a.client()
	nw.other.login(a.userIn(domain.RoleFocalPoint, nw.otherUnit).Email, testPassword)
	return nw
}

// plan is the campaign's award plan for individuals.
func (nw nominationWork) plan(t *testing.T, a *app) int64 {
	t.Helper()
	plans, err := a.db.IndividualPlans(context.Background(), nw.campaign)
	if err != nil || len(plans) == 0 {
		t.Fatalf("no individual plan: %v", err)
	}
	return plans[0].ID
}

// nominate starts a nomination through the list page's form and returns
// its page.
func (nw nominationWork) nominate(t *testing.T, c *client, person int64) *http.Response {
	t.Helper()
	return c.post(nw.page+"/nominations", url.Values{"person_id": {fmt.Sprint(person)}, "plan_id": {fmt.Sprint(nw.plan(t, c.a))},
		"phase_id": {fmt.Sprint(nw.phase)}})
}

// field is one part of a multipart form, in order; a file when name is set.
type field struct{ key, value, file string }

// postParts sends a multipart form as a browser does, parts in order.
func (c *client) postParts(path string, parts []field) *http.Response {
	c.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, p := range parts {
		if p.file != "" || strings.HasSuffix(p.key, "_file") && !strings.HasPrefix(p.key, "remove_") {
			fw, _ := mw.CreateFormFile(p.key, p.file)
			_, _ = fw.Write([]byte(p.value))
			continue
		}
		_ = mw.WriteField(p.key, p.value)
	}
	_ = mw.Close()
	req, _ := http.NewRequest(http.MethodPost, c.a.ts.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

// reportForm reads the report form of a nomination page as a browser would
// send it (without files), with the fields in set changed.
func reportForm(t *testing.T, doc *goquery.Document, set map[string]string) []field {
	t.Helper()
	form := doc.Find("form.nomination-form")
	if form.Length() != 1 {
		t.Fatalf("no report form on the page: %s", doc.Find(".error-summary, .notice").Text())
	}
	var parts []field
	form.Find("input, textarea").Each(func(_ int, s *goquery.Selection) {
		name, _ := s.Attr("name")
		typ, _ := s.Attr("type")
		if name == "" || typ == "file" || typ == "checkbox" {
			return
		}
		v, _ := s.Attr("value")
		if goquery.NodeName(s) == "textarea" {
			v = s.Text()
		}
		if nv, ok := set[name]; ok {
			v = nv
		}
		parts = append(parts, field{key: name, value: v})
	})
	return parts
}

const testPDF = "%PDF-1.4\n% Báo cáo thành tích\n%%EOF\n"

var completeReport = map[string]string{
	"position":     "Phó Trưởng phòng Hành chính tư pháp",
	"tasks":        "Tham mưu công tác cải cách thủ tục hành chính của Sở.",
	"achievements": "98,7% hồ sơ giải quyết đúng hạn; cắt giảm 12 thủ tục.",
	"initiatives":  "Sáng kiến số hóa hồ sơ lý lịch tư pháp; Quyết định số 45/QĐ-HĐSK ngày 20/10/2025.",
}

func nominationStatus(t *testing.T, a *app, id string) (status, tasks, reason string, version int) {
	t.Helper()
	if err := a.db.Pool.QueryRow(context.Background(), `SELECT status, tasks, reason, version FROM nominations WHERE id = $1`, id).
		Scan(&status, &tasks, &reason, &version); err != nil {
		t.Fatal(err)
	}
	return
}

func nomCount(t *testing.T, a *app, query string, args ...any) int {
	t.Helper()
	var n int
	if err := a.db.Pool.QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestNominationFlow: a focal point nominates one of its people, saves the
// report with the signed scan, submits; staff see it, return it with a
// reason, the focal point sees the reason and the steps, corrects and
// submits again, and staff receive it.
func TestNominationFlow(t *testing.T) {
	t.Parallel()
	a := newApp(t, map[string]string{"EVIDENCE_DIR": t.TempDir()})
	nw := newNominationWork(t, a)
	list := htmlOf(t, nw.fp.get(nw.page+"/nominations"))
	if list.Find(`select[name=person_id] option[value="`+fmt.Sprint(nw.theirs)+`"]`).Length() != 0 {
		t.Error("another unit's person is offered")
	}
	if list.Find(`select[name=person_id] option[value="`+fmt.Sprint(nw.mine)+`"]`).Length() != 1 {
		t.Error("the unit's own person is not offered")
	}
	resp := nw.nominate(t, nw.fp, nw.mine)
	wantStatus(t, resp, http.StatusSeeOther)
	page := resp.Header.Get("Location")
	id := page[strings.LastIndex(page, "/")+1:]
	// A second click on the same choice opens the same nomination.
	again := nw.nominate(t, nw.fp, nw.mine)
	wantStatus(t, again, http.StatusSeeOther)
	if again.Header.Get("Location") != page {
		t.Errorf("double create went to %q, want %q", again.Header.Get("Location"), page)
	}
	doc := htmlOf(t, nw.fp.get(page))
	if got := doc.Find("#position").AttrOr("value", ""); got != "Phó Trưởng phòng Hành chính tư pháp" {
		t.Errorf("position not taken from the registry: %q", got)
	}
	parts := append(reportForm(t, doc, completeReport), field{key: "report_file", file: "bao-cao-ky.pdf", value: testPDF})
	wantStatus(t, nw.fp.postParts(page, parts), http.StatusSeeOther)
	doc = htmlOf(t, nw.fp.get(page))
	if !strings.Contains(doc.Find(".nomination-files").Text(), "bao-cao-ky.pdf") {
		t.Error("the signed scan is not listed")
	}
	href := doc.Find(`.nomination-files a[href^="/evidence/"]`).AttrOr("href", "")
	if resp := nw.fp.get(href); resp.StatusCode != http.StatusOK || bodyOf(resp) != testPDF {
		t.Errorf("the unit's download of its scan: %d", resp.StatusCode)
	}
	if resp := nw.other.get(href); resp.StatusCode != http.StatusNotFound {
		t.Errorf("another unit's download of the scan: %d, want 404", resp.StatusCode)
	}
	if resp := nw.staff.get(href); resp.StatusCode != http.StatusOK {
		t.Errorf("staff's download of the scan: %d", resp.StatusCode)
	}
	wantStatus(t, nw.fp.postParts(page+"/submit", reportForm(t, doc, nil)), http.StatusSeeOther)
	if st, _, _, _ := nominationStatus(t, a, id); st != "submitted" {
		t.Fatalf("status %s, want submitted", st)
	}
	// Staff see it in the campaign's list and return it with a reason.
	staffList := htmlOf(t, nw.staff.get(nw.page+"/nominations?status=submitted"))
	if !strings.Contains(staffList.Find("table.nominations").Text(), "Nguyễn Văn An") {
		t.Error("staff do not see the submitted nomination")
	}
	sdoc := htmlOf(t, nw.staff.get(page))
	version := sdoc.Find(`form[action$="/return"] input[name=version]`).AttrOr("value", "")
	resp = nw.staff.post(page+"/return", url.Values{"version": {version}, "reason": {""}})
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	if !strings.Contains(htmlOf(t, resp).Find(".error-summary").Text(), "Nhập lý do trả lại") {
		t.Error("a return without reason does not say why it is refused")
	}
	const reason = "Bổ sung biên bản bình xét của đơn vị và số liệu năm 2025."
	wantStatus(t, nw.staff.post(page+"/return", url.Values{"version": {version}, "reason": {reason}}), http.StatusSeeOther)
	// The same click again: nothing more happens.
	wantStatus(t, nw.staff.post(page+"/return", url.Values{"version": {version}, "reason": {reason}}), http.StatusSeeOther)
	if n := nomCount(t, a, `SELECT count(*) FROM nomination_steps WHERE nomination_id = $1 AND to_status = 'returned'`, id); n != 1 {
		t.Errorf("%d return steps, want 1", n)
	}
	// The focal point sees the status, the reason and the steps.
	doc = htmlOf(t, nw.fp.get(page))
	if !strings.Contains(doc.Find(".status-line").Text(), "Trả lại để bổ sung") || !strings.Contains(doc.Find(".notice-warn").Text(), reason) {
		t.Errorf("the focal point does not see the return and its reason: %q", doc.Find(".status-line, .notice-warn").Text())
	}
	if !strings.Contains(doc.Find(".nomination-steps").Text(), reason) || doc.Find(".nomination-steps li").Length() != 3 {
		t.Errorf("steps: %q", doc.Find(".nomination-steps").Text())
	}
	fpList := htmlOf(t, nw.fp.get(nw.page+"/nominations"))
	if !strings.Contains(fpList.Find("table.nominations").Text(), reason) {
		t.Error("the list does not show the reason")
	}
	// Corrected and submitted again, then received.
	parts = append(reportForm(t, doc, map[string]string{"achievements": completeReport["achievements"] + " Năm 2025: 100% đúng hạn."}),
		field{key: "vote_file", file: "bien-ban.pdf", value: testPDF})
	wantStatus(t, nw.fp.postParts(page+"/submit", parts), http.StatusSeeOther)
	sdoc = htmlOf(t, nw.staff.get(page))
	version = sdoc.Find(`form[action$="/receive"] input[name=version]`).AttrOr("value", "")
	wantStatus(t, nw.staff.post(page+"/receive", url.Values{"version": {version}}), http.StatusSeeOther)
	wantStatus(t, nw.staff.post(page+"/receive", url.Values{"version": {version}}), http.StatusSeeOther) // double click
	if st, _, r, _ := nominationStatus(t, a, id); st != "received" || r != "" {
		t.Errorf("status %s (reason %q), want received", st, r)
	}
	if n := nomCount(t, a, `SELECT count(*) FROM nomination_steps WHERE nomination_id = $1`, id); n != 5 {
		t.Errorf("%d steps, want 5 (created, submitted, returned, submitted, received)", n)
	}
	doc = htmlOf(t, nw.fp.get(page))
	if doc.Find("form.nomination-form").Length() != 0 || !strings.Contains(doc.Find(".status-line").Text(), "Đã tiếp nhận") {
		t.Error("a received nomination is still editable, or its status is not shown")
	}
	if !strings.Contains(doc.Find(".nomination-report").Text(), "bien-ban.pdf") {
		t.Error("the vote minutes are not shown")
	}
	// The audit log says it in words.
	admin, _ := a.loggedIn(domain.RoleAdmin)
	audit := htmlOf(t, admin.get("/audit")).Find("tbody").Text()
	for _, s := range []string{"đã gửi hồ sơ đề nghị khen thưởng cá nhân", "đã trả lại hồ sơ đề nghị khen thưởng cá nhân", "đã tiếp nhận hồ sơ đề nghị khen thưởng cá nhân"} {
		if !strings.Contains(strings.Join(strings.Fields(audit), " "), s) {
			t.Errorf("audit log does not say %q", s)
		}
	}
}

// TestNominationForeignIDs: a focal point nominates only its own unit's
// people and sees and changes only its own unit's nominations; another
// unit's by ID is a 404, exactly as a missing one; leaders have no access,
// and only staff receive or return.
func TestNominationForeignIDs(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	nw := newNominationWork(t, a)
	before := nomCount(t, a, `SELECT count(*) FROM nominations`)
	resp := nw.nominate(t, nw.fp, nw.theirs)
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	if !strings.Contains(htmlOf(t, resp).Find(".error-summary").Text(), "không thuộc đơn vị của bạn") {
		t.Error("nominating another unit's person does not say why it is refused")
	}
	if nomCount(t, a, `SELECT count(*) FROM nominations`) != before {
		t.Fatal("another unit's person was nominated")
	}
	// A missing person, plan or phase: refused the same way.
	resp = nw.fp.post(nw.page+"/nominations", url.Values{"person_id": {"999999"}, "plan_id": {"999999"}, "phase_id": {"0"}})
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	resp = nw.nominate(t, nw.other, nw.theirs)
	wantStatus(t, resp, http.StatusSeeOther)
	theirs := resp.Header.Get("Location")
	resp = nw.nominate(t, nw.fp, nw.mine)
	wantStatus(t, resp, http.StatusSeeOther)
	mine := resp.Header.Get("Location")
	mineDoc := htmlOf(t, nw.fp.get(mine))
	form := reportForm(t, mineDoc, completeReport)
	for _, tc := range []struct {
		name string
		do   func() *http.Response
		want int
	}{
		{"GET their nomination", func() *http.Response { return nw.fp.get(theirs) }, http.StatusNotFound},
		{"save their nomination", func() *http.Response { return nw.fp.postParts(theirs, form) }, http.StatusNotFound},
		{"submit their nomination", func() *http.Response { return nw.fp.postParts(theirs+"/submit", form) }, http.StatusNotFound},
		{"receive as a focal point", func() *http.Response { return nw.fp.post(theirs+"/receive", url.Values{}) }, http.StatusForbidden},
		{"return as a focal point", func() *http.Response { return nw.fp.post(mine+"/return", url.Values{"reason": {"x"}}) }, http.StatusForbidden},
		{"staff save the unit's report", func() *http.Response { return nw.staff.postParts(mine, form) }, http.StatusForbidden},
		{"a nomination under another campaign's address (staff)", func() *http.Response {
			today := domain.DateOf(a.db.Now())
			other, err := a.db.CreateCampaign(context.Background(), &domain.Campaign{PlanNumber: "8/KH-SNV", Title: "Phong trào khác", IssuerName: "Sở Nội vụ",
				IssueDate: today, Kind: domain.KindRegular, PeriodStart: today, PeriodEnd: today.AddDate(0, 1, 0)}, "")
			if err != nil {
				t.Fatal(err)
			}
			// Staff see every campaign: the 404 is the nomination's.
			return nw.staff.get(fmt.Sprintf("/campaigns/%d%s", other, mine[strings.Index(mine, "/nominations"):]))
		}, http.StatusNotFound},
	} {
		if got := tc.do().StatusCode; got != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, got, tc.want)
		}
	}
	if _, tasks, _, _ := nominationStatus(t, a, theirs[strings.LastIndex(theirs, "/")+1:]); tasks != "" {
		t.Error("another unit's nomination was changed")
	}
	list := htmlOf(t, nw.fp.get(nw.page+"/nominations")).Find("table.nominations").Text()
	if strings.Contains(list, "Lê Văn Khác") || !strings.Contains(list, "Nguyễn Văn An") {
		t.Errorf("the focal point's list: %q", list)
	}
	staffList := htmlOf(t, nw.staff.get(nw.page+"/nominations")).Find("table.nominations").Text()
	if !strings.Contains(staffList, "Lê Văn Khác") || !strings.Contains(staffList, "Nguyễn Văn An") {
		t.Errorf("staff's list: %q", staffList)
	}
	leader, _ := a.loggedIn(domain.RoleLeader)
	for _, p := range []string{nw.page + "/nominations", mine} {
		if got := leader.get(p).StatusCode; got != http.StatusForbidden {
			t.Errorf("leader GET %s: %d, want 403", p, got)
		}
	}
	if got := nw.staff.get(mine).StatusCode; got != http.StatusOK {
		t.Errorf("staff GET a nomination: %d", got)
	}
}

// TestNominationStaleForm: two people edit the same draft. Changes to
// different fields merge; a field both changed is shown in both versions
// (409) and none of the text is written until the user saves again.
func TestNominationStaleForm(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	nw := newNominationWork(t, a)
	resp := nw.nominate(t, nw.fp, nw.mine)
	page := resp.Header.Get("Location")
	id := page[strings.LastIndex(page, "/")+1:]
	tab1 := htmlOf(t, nw.fp.get(page))
	tab2 := htmlOf(t, nw.fp.get(page))
	wantStatus(t, nw.fp.postParts(page, reportForm(t, tab1, map[string]string{"tasks": "Nhiệm vụ do tab 1 nhập."})), http.StatusSeeOther)
	// Another field, typed over the older version: merged, tab 1's kept.
	resp = nw.fp.postParts(page, reportForm(t, tab2, map[string]string{"achievements": "Thành tích do tab 2 nhập."}))
	wantStatus(t, resp, http.StatusSeeOther)
	var tasks, achievements string
	_ = a.db.Pool.QueryRow(context.Background(), `SELECT tasks, achievements FROM nominations WHERE id = $1`, id).Scan(&tasks, &achievements)
	if tasks != "Nhiệm vụ do tab 1 nhập." || achievements != "Thành tích do tab 2 nhập." {
		t.Errorf("merge: tasks %q, achievements %q", tasks, achievements)
	}
	// The same field, typed over the older version: both versions shown.
	_, _, _, v := nominationStatus(t, a, id)
	resp = nw.fp.postParts(page, reportForm(t, tab2, map[string]string{"tasks": "Nhiệm vụ do tab 2 nhập."}))
	wantStatus(t, resp, http.StatusConflict)
	doc := htmlOf(t, resp)
	if got := doc.Find("textarea#tasks").Text(); got != "Nhiệm vụ do tab 2 nhập." {
		t.Errorf("the typed text is not kept in its box: %q", got)
	}
	if got := doc.Find("#theirs-tasks").Text(); !strings.Contains(got, "Nhiệm vụ do tab 1 nhập.") {
		t.Errorf("the saved version is not shown beside it: %q", got)
	}
	if got := doc.Find("textarea#achievements").Text(); got != "Thành tích do tab 2 nhập." {
		t.Errorf("a field without conflict does not show the saved text: %q", got)
	}
	if _, tk, _, v2 := nominationStatus(t, a, id); tk != "Nhiệm vụ do tab 1 nhập." || v2 != v {
		t.Errorf("a conflicting save wrote: tasks %q, version %d → %d", tk, v, v2)
	}
	// Saving the page as shown keeps the user's choice.
	wantStatus(t, nw.fp.postParts(page, reportForm(t, doc, nil)), http.StatusSeeOther)
	if _, tk, _, _ := nominationStatus(t, a, id); tk != "Nhiệm vụ do tab 2 nhập." {
		t.Errorf("after the conflict: tasks %q", tk)
	}
	// A field emptied meanwhile is a conflict too, and says so.
	tab3 := htmlOf(t, nw.fp.get(page))
	tab4 := htmlOf(t, nw.fp.get(page))
	wantStatus(t, nw.fp.postParts(page, reportForm(t, tab3, map[string]string{"tasks": ""})), http.StatusSeeOther)
	resp = nw.fp.postParts(page, reportForm(t, tab4, map[string]string{"tasks": "Nhiệm vụ do tab 4 nhập."}))
	wantStatus(t, resp, http.StatusConflict)
	if got := htmlOf(t, resp).Find("#theirs-tasks").Text(); !strings.Contains(got, "vừa được xóa trống") {
		t.Errorf("an emptied field is not shown as the saved version: %q", got)
	}
}

// TestNominationRefusalsKeepTheDraft: a submission refused for a missing
// part, a file too large or not of an accepted type, and a double submit:
// the typed text is saved or shown back, never lost.
func TestNominationRefusalsKeepTheDraft(t *testing.T) {
	t.Parallel()
	a := newApp(t, map[string]string{"EVIDENCE_DIR": t.TempDir(), "MAX_UPLOAD_BYTES": "65536"})
	nw := newNominationWork(t, a)
	resp := nw.nominate(t, nw.fp, nw.mine)
	page := resp.Header.Get("Location")
	id := page[strings.LastIndex(page, "/")+1:]
	doc := htmlOf(t, nw.fp.get(page))
	// Submitted without achievements: 422, the draft saved.
	resp = nw.fp.postParts(page+"/submit", reportForm(t, doc, map[string]string{"tasks": "Nhiệm vụ đã nhập", "achievements": ""}))
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	doc = htmlOf(t, resp)
	if !strings.Contains(doc.Find(".error-summary").Text(), "Nhập thành tích đạt được") || !strings.Contains(doc.Find(".notice").Text(), "Bản nháp đã được lưu") {
		t.Errorf("refused submit: %q", doc.Find(".error-summary, .notice").Text())
	}
	if st, tasks, _, _ := nominationStatus(t, a, id); st != "draft" || tasks != "Nhiệm vụ đã nhập" {
		t.Errorf("after the refused submit: %s, tasks %q", st, tasks)
	}
	evidence := nomCount(t, a, `SELECT count(*) FROM evidence_files`)
	for _, tc := range []struct {
		name, content string
		status        int
		message       string
	}{
		{"lon.pdf", "%PDF-1.4\n" + strings.Repeat("x", 100<<10), http.StatusRequestEntityTooLarge, "vượt quá dung lượng cho phép (64 MB)"},
		{"bao-cao.pdf", "MZ\x90\x00\x03\x00\x00\x00\x04\x00" + strings.Repeat("\x00", 4096), http.StatusUnsupportedMediaType, "không đúng định dạng"},
	} {
		text := "Thành tích kèm tệp " + tc.name
		parts := append(reportForm(t, doc, map[string]string{"achievements": text}), field{key: "vote_file", file: tc.name, value: tc.content})
		resp := nw.fp.postParts(page+"/submit", parts)
		wantStatus(t, resp, tc.status)
		got := htmlOf(t, resp)
		msg := strings.Replace(tc.message, "64 MB", "64 KB", 1)
		if !strings.Contains(got.Find("#vote_file-error").Text(), msg) {
			t.Errorf("%s: file problem %q, want %q", tc.name, got.Find("#vote_file-error").Text(), msg)
		}
		if got.Find("textarea#achievements").Text() != text {
			t.Errorf("%s: the typed text is not shown back", tc.name)
		}
		var achievements, status string
		_ = a.db.Pool.QueryRow(context.Background(), `SELECT achievements, status FROM nominations WHERE id = $1`, id).Scan(&achievements, &status)
		if achievements != text || status != "draft" {
			t.Errorf("%s: draft %q (%s), want the text saved and not submitted", tc.name, achievements, status)
		}
		doc = got
	}
	if n := nomCount(t, a, `SELECT count(*) FROM evidence_files`); n != evidence {
		t.Errorf("refused files were recorded: %d rows, had %d", n, evidence)
	}
	// A file whose content the store lost just then (an ending import
	// deleted the same bytes): 409, the form still the unit's to change,
	// the typed text shown back, nothing written.
	stored := a.db.FileStored
	a.db.FileStored = func(context.Context, string) (bool, error) { return false, nil }
	_, _, _, v := nominationStatus(t, a, id)
	text := "Thành tích kèm tệp vừa bị xoá"
	resp = nw.fp.postParts(page, append(reportForm(t, doc, map[string]string{"achievements": text}),
		field{key: "report_file", file: "bao-cao-ky.pdf", value: testPDF}))
	wantStatus(t, resp, http.StatusConflict)
	got := htmlOf(t, resp)
	if !strings.Contains(got.Find(".error-summary").Text(), "Tệp vừa tải lên chưa lưu được") || got.Find("textarea#achievements").Text() != text {
		t.Errorf("a file gone: %q, achievements %q", got.Find(".error-summary").Text(), got.Find("textarea#achievements").Text())
	}
	if _, _, _, v2 := nominationStatus(t, a, id); v2 != v || nomCount(t, a, `SELECT count(*) FROM evidence_files`) != evidence {
		t.Error("a file gone was written")
	}
	a.db.FileStored = stored
	// Bad bytes in the text: refused, shown back, nothing written.
	resp = nw.fp.postParts(page, reportForm(t, doc, map[string]string{"tasks": "Nhiệm vụ\x00 có ký tự NUL"}))
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	if !strings.Contains(htmlOf(t, resp).Find("#tasks-error").Text(), "ký tự không hợp lệ") {
		t.Error("bad bytes are not refused beside their field")
	}
	if _, _, _, v2 := nominationStatus(t, a, id); v2 != v {
		t.Error("bad bytes were written")
	}
	// A double submit: the second is "already submitted", one step.
	doc = htmlOf(t, nw.fp.get(page))
	form := reportForm(t, doc, completeReport)
	wantStatus(t, nw.fp.postParts(page+"/submit", form), http.StatusSeeOther)
	resp = nw.fp.postParts(page+"/submit", form)
	wantStatus(t, resp, http.StatusSeeOther)
	if got := htmlOf(t, nw.fp.get(page)).Find(".flash").Text(); !strings.Contains(got, "đã được gửi trước đó") {
		t.Errorf("double submit flash: %q", got)
	}
	if n := nomCount(t, a, `SELECT count(*) FROM nomination_steps WHERE nomination_id = $1 AND to_status = 'submitted'`, id); n != 1 {
		t.Errorf("%d submit steps, want 1", n)
	}
	// A changed form sent after the submission: 409, the text shown to copy.
	resp = nw.fp.postParts(page, reportForm(t, doc, map[string]string{"tasks": "Sửa sau khi gửi"}))
	wantStatus(t, resp, http.StatusConflict)
	got = htmlOf(t, resp)
	if !strings.Contains(got.Find(".nomination-report").Text(), "Sửa sau khi gửi") || !strings.Contains(got.Find(".error-summary").Text(), "chưa được lưu") {
		t.Errorf("a late save: %q", got.Find(".error-summary").Text())
	}
}

// TestNominationKeys: every status, refusal and reason key built at run
// time is in the catalogue.
func TestNominationKeys(t *testing.T) {
	t.Parallel()
	for _, st := range domain.NominationStatuses {
		keys := []string{"nomination.status." + string(st), "nomination.reason_is." + string(st)}
		if !st.Editable() {
			keys = append(keys, "nomination.not_editable."+string(st))
		}
		if st != domain.NominationSubmitted {
			keys = append(keys, "nomination.not_receivable."+string(st))
		}
		if st != domain.NominationSubmitted && st != domain.NominationReceived {
			keys = append(keys, "nomination.not_returnable."+string(st))
		}
		for _, k := range keys {
			if !i18n.Has(k) {
				t.Errorf("missing %s", k)
			}
		}
	}
	for _, f := range domain.ReportFields {
		for _, p := range []string{"nomination.field.", "nomination.hint."} {
			if !i18n.Has(p + f) {
				t.Errorf("missing %s%s", p, f)
			}
		}
	}
}
