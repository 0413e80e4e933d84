package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"thidua/internal/domain"
)

func campaignForm(key string) url.Values {
	return url.Values{"idempotency_key": {key}, "plan_number": {"25/KH-UBND"}, "issue_date": {"2018-04-11"},
		"title":       {"Phong trào thi đua đẩy mạnh cải cách hành chính tỉnh Quảng Ngãi giai đoạn 2018 – 2020"},
		"issuer_name": {"Ủy ban nhân dân tỉnh Quảng Ngãi"}, "kind": {"regular"}, "purposes": {"Mục đích"}, "content": {"Nội dung"},
		"target_kinds": {"department", "district", "commune"}, "target_categories": {"can_bo", "cong_chuc", "vien_chuc"},
		"period_start": {"2017-04-01"}, "period_end": {"2020-12-31"},
		"band_excellent": {"90"}, "band_good": {"80"}, "band_fair": {"65"}, "band_average": {"50"}}
}

func TestCampaignLifecycleOverHTTP(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	staff, me := a.loggedIn(domain.RoleStaff)
	key := newIdempotencyKey()
	resp := staff.post("/campaigns", campaignForm(key))
	wantStatus(t, resp, http.StatusSeeOther)
	page := resp.Header.Get("Location")
	// Double submit: the same campaign, not a second one.
	again := staff.post("/campaigns", campaignForm(key))
	if again.Header.Get("Location") != page {
		t.Errorf("double submit went to %q, want %q", again.Header.Get("Location"), page)
	}
	var id int64
	fmt.Sscanf(page, "/campaigns/%d", &id)

	// A draft is invisible to the public, exactly as a missing campaign.
	anon := a.client()
	wantStatus(t, anon.get(fmt.Sprintf("/public/campaigns/%d", id)), http.StatusNotFound)
	if strings.Contains(bodyOf(anon.get("/")), "Quảng Ngãi") {
		t.Error("the public home lists a draft")
	}

	// Announcing without phases or awards is refused with a reason.
	resp = staff.post(page+"/transition", url.Values{"to": {"announced"}})
	wantStatus(t, resp, http.StatusConflict)
	if !strings.Contains(bodyOf(resp), "chưa có đợt thi đua") {
		t.Error("no Vietnamese reason for refusing to announce")
	}
	for _, p := range []url.Values{
		{"name": {"Đợt 1"}, "start": {"2017-04-01"}, "end": {"2018-12-31"}, "review_kind": {"interim"}, "review_date": {"2019-01-31"}},
		{"name": {"Đợt 2"}, "start": {"2019-01-01"}, "end": {"2020-12-31"}, "review_kind": {"final"}, "review_date": {"2021-01-31"}},
	} {
		wantStatus(t, staff.post(page+"/phases", p), http.StatusSeeOther)
	}
	bad := staff.post(page+"/phases", url.Values{"name": {"Ngoài kỳ"}, "start": {"2021-01-01"}, "end": {"2021-02-01"}, "review_kind": {"annual"}})
	wantStatus(t, bad, http.StatusUnprocessableEntity)
	forms, _ := a.db.AwardForms(context.Background())
	var bangKhen int64
	for _, f := range forms {
		if f.Code == "bang_khen_chu_tich_tinh" {
			bangKhen = f.ID
		}
	}
	wantStatus(t, staff.post(page+"/awards", url.Values{"award_form_id": {fmt.Sprint(bangKhen)}, "collective_quota": {"8"},
		"individual_quota": {"10"}, "min_band": {"good"}, "no_pending_discipline": {"1"}}), http.StatusSeeOther)
	wantStatus(t, staff.post(page+"/transition", url.Values{"to": {"announced"}, "reason": {"Phát động"}}), http.StatusSeeOther)

	// Announced: the public reads it.
	pub := htmlOf(t, anon.get(fmt.Sprintf("/public/campaigns/%d", id)))
	text := pub.Find("main").Text()
	for _, want := range []string{"25/KH-UBND", "11/04/2018", "Ủy ban nhân dân tỉnh Quảng Ngãi", "01/04/2017 – 31/12/2020",
		"Đợt 1", "01/04/2017 – 31/12/2018", "Đợt 2", "01/01/2019 – 31/12/2020", "Sơ kết", "Tổng kết",
		"Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh", "tối đa 8 mỗi đợt", "tối đa 10 mỗi đợt", "Sở, ban, ngành", "Công chức"} {
		if !strings.Contains(text, want) {
			t.Errorf("public page lacks %q", want)
		}
	}
	if !strings.Contains(bodyOf(anon.get("/")), "Quảng Ngãi") {
		t.Error("the public home does not list the announced campaign")
	}
	// Rules are frozen: a new phase is refused, a conflict with the
	// campaign's state (409, as every form answers a conflict).
	wantStatus(t, staff.post(page+"/phases", url.Values{"name": {"Đợt 3"}, "start": {"2020-01-01"}, "end": {"2020-06-30"}, "review_kind": {"annual"}}), http.StatusConflict)

	// Close, then an illegal move back: refused in Vietnamese.
	wantStatus(t, staff.post(page+"/transition", url.Values{"to": {"closed"}}), http.StatusSeeOther)
	resp = staff.post(page+"/transition", url.Values{"to": {"announced"}})
	wantStatus(t, resp, http.StatusConflict)
	if !strings.Contains(bodyOf(resp), "Không thể chuyển phong trào từ trạng thái “Đã kết thúc” sang “Đã phát động”") {
		t.Errorf("illegal transition message: %s", htmlOf(t, resp).Find(".error-summary").Text())
	}
	// Every transition is on the page with who and when.
	history := htmlOf(t, staff.get(page)).Find("#lifecycle ol").Text()
	if strings.Count(history, me.FullName) != 2 || !strings.Contains(history, "Đã phát động") || !strings.Contains(history, "Đã kết thúc") {
		t.Errorf("history: %s", history)
	}
	assertAudit(t, a, "campaign.create", "campaign.transition", "phase.save", "award_plan.save")
}

func TestCriteriaEditorOverHTTP(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	staff, _ := a.loggedIn(domain.RoleStaff)
	resp := staff.post("/campaigns", campaignForm(newIdempotencyKey()))
	page := resp.Header.Get("Location")
	wantStatus(t, staff.post(page+"/criteria/sets", url.Values{"name": {"Sở, ban, ngành"}, "target_kinds": {"department"}}), http.StatusSeeOther)
	var id int64
	fmt.Sscanf(page, "/campaigns/%d", &id)
	sets, _ := a.db.CriteriaSets(context.Background(), id)
	set := fmt.Sprintf("%s/criteria/%d", page, sets[0].ID)
	wantStatus(t, staff.post(set+"/nodes", url.Values{"code": {"1"}, "title": {"Chỉ đạo điều hành"}, "max": {"10"}, "method": {"points"}, "step": {"0,5"}}), http.StatusSeeOther)
	wantStatus(t, staff.post(set+"/nodes", url.Values{"parent_code": {"1"}, "code": {"1.1"}, "title": {"Kế hoạch"}, "max": {"6"}, "method": {"yes_no"}, "evidence": {"1"}}), http.StatusSeeOther)
	resp = staff.post(set+"/nodes", url.Values{"parent_code": {"1"}, "code": {"1.2"}, "title": {"Báo cáo"}, "max": {"5"}, "method": {"points"}, "step": {"0,25"}})
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	msg := htmlOf(t, resp).Find(".criterion-form .field-error").Text()
	if !strings.Contains(msg, "Tiêu chí 1:") || !strings.Contains(msg, "vượt điểm tối đa") {
		t.Errorf("over-sum message does not name the node: %q", msg)
	}
	// A sixth level is refused, naming the node.
	code := "1.1"
	for i := range domain.CriteriaMaxDepth - 2 {
		parent := code
		code = fmt.Sprintf("L%d", i+3)
		resp = staff.post(set+"/nodes", url.Values{"parent_code": {parent}, "code": {code}, "title": {"Cấp " + code}, "max": {"6"}, "method": {"points"}, "step": {"0,25"}})
		wantStatus(t, resp, http.StatusSeeOther)
	}
	resp = staff.post(set+"/nodes", url.Values{"parent_code": {code}, "code": {code + ".1"}, "title": {"Quá sâu"}, "max": {"6"}, "method": {"points"}, "step": {"0,25"}})
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	if msg := htmlOf(t, resp).Find(".criterion-form .field-error").Text(); !strings.Contains(msg, "Tiêu chí "+code+".1:") || !strings.Contains(msg, "tối đa 5 cấp") {
		t.Errorf("too-deep message does not name the node: %q", msg)
	}
	editor := htmlOf(t, staff.get(page+"/criteria"))
	if !strings.Contains(editor.Text(), "chưa bằng điểm tối đa") {
		t.Error("the incomplete tree is not flagged")
	}
	// A template replaces the tree: 100 points.
	wantStatus(t, staff.post(set+"/template", url.Values{"template": {"par-department"}}), http.StatusSeeOther)
	editor = htmlOf(t, staff.get(page+"/criteria"))
	if got := editor.Find(".criteria-set h2 .badge").First().Text(); got != "Tổng 100 điểm" {
		t.Errorf("after the template: %q", got)
	}
	// The export downloads as XLSX.
	resp = staff.get(set + "/export.xlsx")
	wantStatus(t, resp, http.StatusOK)
	if !strings.HasPrefix(bodyOf(resp), "PK") {
		t.Error("export is not an XLSX file")
	}
}

func TestCampaignAttachments(t *testing.T) {
	t.Parallel()
	a := newApp(t, map[string]string{"EVIDENCE_DIR": t.TempDir(), "MAX_UPLOAD_BYTES": "4096"})
	staff, _ := a.loggedIn(domain.RoleStaff)
	page := staff.post("/campaigns", campaignForm(newIdempotencyKey())).Header.Get("Location")
	pdf := []byte("%PDF-1.4\n% Kế hoạch đã ký\n%%EOF\n")
	wantStatus(t, staff.upload(page+"/attachments", "../../ke-hoach.pdf", pdf), http.StatusSeeOther)
	wantStatus(t, staff.upload(page+"/attachments", "virus.pdf", []byte("MZ\x90\x00 not a pdf")), http.StatusUnsupportedMediaType)
	wantStatus(t, staff.upload(page+"/attachments", "big.pdf", append([]byte("%PDF-"), make([]byte, 8000)...)), http.StatusRequestEntityTooLarge)
	doc := htmlOf(t, staff.get(page))
	link, ok := doc.Find("#attachments a").Attr("href")
	if !ok || doc.Find("#attachments a").Text() != "ke-hoach.pdf" {
		t.Fatalf("attachment link: %q %q", link, doc.Find("#attachments a").Text())
	}
	resp := staff.get(link)
	wantStatus(t, resp, http.StatusOK)
	if bodyOf(resp) != string(pdf) {
		t.Error("download differs")
	}
	h := resp.Header
	if !strings.HasPrefix(h.Get("Content-Disposition"), "attachment") || h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Content-Security-Policy") != "sandbox" {
		t.Errorf("download headers: %v", h)
	}
	// Not public while the campaign is a draft.
	var id int64
	fmt.Sscanf(page, "/campaigns/%d", &id)
	wantStatus(t, a.client().get(strings.Replace(link, "/campaigns/", "/public/campaigns/", 1)), http.StatusNotFound)
}

func TestPhaseEditAndCriteriaFileRoundTrip(t *testing.T) {
	t.Parallel()
	a := newApp(t, map[string]string{"IMPORT_DIR": t.TempDir()})
	staff, _ := a.loggedIn(domain.RoleStaff)
	page := staff.post("/campaigns", campaignForm(newIdempotencyKey())).Header.Get("Location")
	wantStatus(t, staff.post(page+"/phases", url.Values{"name": {"Đợt 1"}, "start": {"2017-04-01"}, "end": {"2018-12-31"}, "review_kind": {"interim"}}), http.StatusSeeOther)
	doc := htmlOf(t, staff.get(page+"/phases"))
	edit, ok := doc.Find("#phases a.link-edit").Attr("href")
	if !ok {
		t.Fatal("no edit link for the phase")
	}
	form := htmlOf(t, staff.get(strings.TrimSuffix(edit, "#edit")))
	action, _ := form.Find("main form.form").Attr("action")
	version, _ := form.Find("input[name=version]").Attr("value")
	fields := url.Values{"name": {"Đợt 1 (sửa)"}, "start": {"2017-04-01"}, "end": {"2018-12-31"}, "review_kind": {"interim"},
		"review_date": {"2019-01-31"}, "version": {version}}
	wantStatus(t, staff.post(action, fields), http.StatusSeeOther)
	if !strings.Contains(htmlOf(t, staff.get(page+"/phases")).Find("#phases").Text(), "Đợt 1 (sửa)") {
		t.Error("the phase was not renamed")
	}
	// The same form again carries a stale version: a conflict, 409.
	resp := staff.post(action, fields)
	wantStatus(t, resp, http.StatusConflict)
	if !strings.Contains(bodyOf(resp), "người khác thay đổi") {
		t.Error("stale phase form not explained")
	}

	// Criteria: export a template-loaded set as XLSX, import it into another set through the page.
	for _, name := range []string{"Gốc", "Nhập lại"} {
		wantStatus(t, staff.post(page+"/criteria/sets", url.Values{"name": {name}}), http.StatusSeeOther)
	}
	var id int64
	fmt.Sscanf(page, "/campaigns/%d", &id)
	sets, _ := a.db.CriteriaSets(context.Background(), id)
	src := fmt.Sprintf("%s/criteria/%d", page, sets[0].ID)
	dst := fmt.Sprintf("%s/criteria/%d", page, sets[1].ID)
	wantStatus(t, staff.post(src+"/template", url.Values{"template": {"par-commune"}}), http.StatusSeeOther)
	xlsx := bodyOf(staff.get(src + "/export.xlsx"))
	wantStatus(t, staff.upload(dst+"/import", "tieu-chi.xlsx", []byte(xlsx)), http.StatusSeeOther)
	a1, _ := a.db.Criteria(context.Background(), sets[0].ID)
	a2, _ := a.db.Criteria(context.Background(), sets[1].ID)
	if len(a1) == 0 || len(a1) != len(a2) {
		t.Fatalf("%d nodes exported, %d imported", len(a1), len(a2))
	}
	for i := range a1 {
		if a1[i].Code != a2[i].Code || a1[i].Max != a2[i].Max || a1[i].Method != a2[i].Method || a1[i].Title != a2[i].Title {
			t.Errorf("node %d differs: %+v vs %+v", i, a1[i], a2[i])
		}
	}
	// A broken file is refused with the node named, and nothing changes.
	bad := "ma,ten,diem_toi_da,phuong_phap\n1,Lĩnh vực,10,points\n1.1,Tiêu chí,12,points\n"
	resp = staff.upload(dst+"/import", "hong.csv", []byte(bad))
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	if !strings.Contains(htmlOf(t, resp).Find(".error-summary").Text(), "Tiêu chí 1:") {
		t.Errorf("refusal does not name the node: %s", htmlOf(t, resp).Find(".error-summary").Text())
	}
	if after, _ := a.db.Criteria(context.Background(), sets[1].ID); len(after) != len(a2) {
		t.Error("a refused import changed the tree")
	}
}

// TestReviewFindings holds the regressions of the code review: each case
// once answered 500 or let a rule slip.
func TestReviewFindings(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	staff, _ := a.loggedIn(domain.RoleStaff)
	page := staff.post("/campaigns", campaignForm(newIdempotencyKey())).Header.Get("Location")
	// A reason over the limit is a 422, not a 500.
	resp := staff.post(page+"/transition", url.Values{"to": {"cancelled"}, "reason": {strings.Repeat("a", 2001)}})
	if resp.StatusCode != http.StatusUnprocessableEntity && resp.StatusCode != http.StatusConflict {
		t.Errorf("long reason: %d", resp.StatusCode)
	}
	// After announcing, criteria cannot be deleted nor sets added.
	wantStatus(t, staff.post(page+"/criteria/sets", url.Values{"name": {"Bộ"}}), http.StatusSeeOther)
	var id int64
	fmt.Sscanf(page, "/campaigns/%d", &id)
	sets, _ := a.db.CriteriaSets(context.Background(), id)
	set := fmt.Sprintf("%s/criteria/%d", page, sets[0].ID)
	wantStatus(t, staff.post(set+"/template", url.Values{"template": {"papi"}}), http.StatusSeeOther)
	wantStatus(t, staff.post(page+"/phases", url.Values{"name": {"Đợt 1"}, "start": {"2017-04-01"}, "end": {"2018-12-31"}, "review_kind": {"interim"}}), http.StatusSeeOther)
	forms, _ := a.db.AwardForms(context.Background())
	wantStatus(t, staff.post(page+"/awards", url.Values{"award_form_id": {fmt.Sprint(forms[2].ID)}, "min_band": {"good"}}), http.StatusSeeOther)
	wantStatus(t, staff.post(page+"/transition", url.Values{"to": {"announced"}}), http.StatusSeeOther)
	nodes, _ := a.db.Criteria(context.Background(), sets[0].ID)
	resp = staff.post(fmt.Sprintf("%s/nodes/%d/delete", set, nodes[0].ID), nil)
	wantStatus(t, resp, http.StatusConflict)
	resp = staff.post(page+"/criteria/sets", url.Values{"name": {"Bộ mới"}})
	if resp.StatusCode == http.StatusSeeOther {
		t.Error("a set was added to an announced campaign")
	}
	// A new child that leaves its parent's sum short is refused once announced.
	resp = staff.post(set+"/nodes", url.Values{"parent_code": {nodes[0].Code}, "code": {nodes[0].Code + ".1"}, "title": {"Con"}, "max": {"1"}, "method": {"points"}, "step": {"0,25"}})
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	// A maximum its step cannot reach is refused.
	if ps := domain.ValidateCriterion(&domain.Criterion{Code: "1", Title: "x", Max: 100, Method: domain.MethodPoints, Step: 30}); len(ps) == 0 {
		t.Error("max 1 with step 0,3 accepted")
	}
}

func TestCSVExportNeutralisesFormulas(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	staff, _ := a.loggedIn(domain.RoleStaff)
	if _, err := a.db.CreateUnit(context.Background(), domain.UnitInput{Name: "=HYPERLINK(\"http://x\")", Code: "F1", Kind: domain.KindOther}); err != nil {
		t.Fatal(err)
	}
	body := bodyOf(staff.get("/units/export.csv"))
	if strings.Contains(body, ",=HYPERLINK") || !strings.Contains(body, "'=HYPERLINK") {
		t.Errorf("formula not neutralised:\n%s", body)
	}
}
