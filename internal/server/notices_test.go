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

	"thidua/internal/domain"
	"thidua/internal/paths"
)

// noticeFixture is a public campaign with one phase, one award plan and a
// shortlist built directly in the shared tables (the shortlist's own pages
// are another part's work): two collectives and one individual on the list,
// one candidate excluded.
type noticeFixture struct {
	a                    *app
	campaign, shortlist  int64
	unitEntry, personEnt int64
	excluded             int64
	otherUnit            int64
}

// vnTime is a moment of a Vietnamese day.
func vnTime(y int, m time.Month, d, hour int) time.Time {
	return time.Date(y, m, d, hour, 0, 0, 0, time.FixedZone("ICT", 7*3600))
}

func newNoticeFixture(t *testing.T, env map[string]string) *noticeFixture {
	t.Helper()
	a := newApp(t, env)
	ctx := context.Background()
	fx := &noticeFixture{a: a}
	var err error
	fx.campaign, err = a.db.CreateCampaign(ctx, &domain.Campaign{PlanNumber: "12/KH-UBND", Title: "Thi đua cải cách hành chính 2025", IssuerName: "UBND tỉnh Quảng Ngãi",
		SignerName: "Trần Văn A", SignerPosition: "Trưởng ban Thi đua – Khen thưởng",
		IssueDate: domain.Day(2025, 1, 10), Kind: domain.KindRegular, PeriodStart: domain.Day(2025, 1, 1), PeriodEnd: domain.Day(2026, 12, 31)}, "")
	if err != nil {
		t.Fatal(err)
	}
	fx.otherUnit, err = a.db.CreateUnit(ctx, domain.UnitInput{Name: "UBND xã Tịnh Khê", Code: "TEST-TK", Kind: domain.KindCommune, ValidFrom: domain.Day(2020, 1, 1)})
	if err != nil {
		t.Fatal(err)
	}
	born := 1980
	person, err := a.db.CreatePerson(ctx, domain.PersonInput{FullName: "Nguyễn Thị Hồng", Position: "Phó Giám đốc", BirthYear: &born, Gender: "female",
		Category: domain.CategoryCongChuc, UnitID: a.unit, From: domain.Day(2020, 1, 1)})
	if err != nil {
		t.Fatal(err)
	}
	q := func(sql string, args ...any) int64 {
		t.Helper()
		var id int64
		if err := a.db.Pool.QueryRow(ctx, sql, args...).Scan(&id); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		return id
	}
	q(`UPDATE campaigns SET status = 'announced' WHERE id = $1 RETURNING id`, fx.campaign)
	phase := q(`INSERT INTO phases (campaign_id, seq, name, start_date, end_date, review_kind) VALUES ($1, 1, 'Năm 2025', '2025-01-01', '2025-12-31', 'annual') RETURNING id`, fx.campaign)
	plan := q(`INSERT INTO award_plans (campaign_id, award_form_id) SELECT $1, id FROM award_forms WHERE code = 'bang_khen_chu_tich_tinh' RETURNING id`, fx.campaign)
	fx.shortlist = q(`INSERT INTO shortlists (campaign_id, phase_id, plan_id) VALUES ($1, $2, $3) RETURNING id`, fx.campaign, phase, plan)
	fx.unitEntry = q(`INSERT INTO shortlist_entries (shortlist_id, target, unit_id, rank, band, status) VALUES ($1, 'collective', $2, 1, 'excellent', 'proposed') RETURNING id`,
		fx.shortlist, a.unit)
	q(`INSERT INTO shortlist_entries (shortlist_id, target, unit_id, rank, band, status, override_reason) VALUES ($1, 'collective', $2, 9, 'good', 'added', 'Hoàn thành xuất sắc nhiệm vụ sáp nhập') RETURNING id`,
		fx.shortlist, fx.otherUnit)
	fx.personEnt = q(`INSERT INTO shortlist_entries (shortlist_id, target, unit_id, person_id, status, grounds) VALUES ($1, 'individual', $2, $3, 'proposed', 'Sáng kiến số hóa hồ sơ, Quyết định 15/QĐ-STP ngày 02/3/2025') RETURNING id`,
		fx.shortlist, a.unit, person)
	other, err := a.db.CreateUnit(ctx, domain.UnitInput{Name: "Sở Khoa học và Công nghệ", Code: "TEST-KHCN", Kind: domain.KindDepartment, ValidFrom: domain.Day(2020, 1, 1)})
	if err != nil {
		t.Fatal(err)
	}
	fx.excluded = q(`INSERT INTO shortlist_entries (shortlist_id, target, unit_id, rank, band, status, reason) VALUES ($1, 'collective', $2, 30, 'fair', 'excluded', 'Chưa đạt: xếp loại Khá') RETURNING id`,
		fx.shortlist, other)
	return fx
}

// tet2026 are the days off of Tết Bính Ngọ (16–20/02/2026, Monday to
// Friday; the weekends around it are off anyway).
func tet2026(t *testing.T, a *app) {
	t.Helper()
	for d := 16; d <= 20; d++ {
		if err := a.db.AddHoliday(context.Background(), domain.Holiday{Day: domain.Day(2026, 2, d), Name: "Tết Nguyên đán"}); err != nil {
			t.Fatal(err)
		}
	}
}

// publish posts the fixture's list from day as staff and returns the
// notice's ID.
func (fx *noticeFixture) publish(t *testing.T, staff *client, day string) int64 {
	t.Helper()
	resp := staff.post(paths.NoticePublish(fx.campaign), url.Values{"shortlist": {fmt.Sprint(fx.shortlist)}, "starts_on": {day}})
	wantStatus(t, resp, http.StatusSeeOther)
	var id int64
	if err := fx.a.db.Pool.QueryRow(context.Background(), `SELECT id FROM notices WHERE shortlist_id = $1`, fx.shortlist).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func (fx *noticeFixture) objection(entry int64, body, key string) url.Values {
	return url.Values{"entry": {fmt.Sprint(entry)}, "name": {"Lê Văn Dân"}, "contact": {"0905 123 456"}, "body": {body}, "form_key": {key}}
}

func (fx *noticeFixture) count(t *testing.T, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := fx.a.db.Pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestNoticeEndSkipsWeekendsAndTet(t *testing.T) {
	t.Parallel()
	off := domain.NewHolidays(domain.Day(2026, 2, 16), domain.Day(2026, 2, 17), domain.Day(2026, 2, 18), domain.Day(2026, 2, 19), domain.Day(2026, 2, 20))
	for _, c := range []struct {
		start time.Time
		days  int
		off   domain.Holidays
		want  time.Time
	}{
		// Thursday before Tết: Friday 13, then Tết and two weekends, then 23–26.
		{domain.Day(2026, 2, 12), 5, off, domain.Day(2026, 2, 26)},
		{domain.Day(2026, 2, 12), 5, nil, domain.Day(2026, 2, 19)},
		// Friday: one working day is the next Monday.
		{domain.Day(2026, 3, 6), 1, nil, domain.Day(2026, 3, 9)},
		// Starting on a holiday counts from the next working day.
		{domain.Day(2026, 2, 17), 2, off, domain.Day(2026, 2, 24)},
	} {
		if got := domain.NoticeEnd(c.start, c.days, c.off); !got.Equal(c.want) {
			t.Errorf("NoticeEnd(%s, %d) = %s, want %s", c.start.Format("02/01"), c.days, got.Format("02/01/2006"), c.want.Format("02/01/2006"))
		}
	}
}

// TestNoticePublishedAcrossTet is issue 11 acceptance 3: a list posted on
// the Thursday before Tết for 5 working days ends on 26/02/2026, after the
// holidays, and the public page shows that day.
func TestNoticePublishedAcrossTet(t *testing.T) {
	t.Parallel()
	fx := newNoticeFixture(t, nil)
	a := fx.a
	tet2026(t, a)
	a.db.Now = func() time.Time { return vnTime(2026, 2, 12, 9) }
	staff, _ := a.loggedIn(domain.RoleStaff)
	// A start in the past is refused beside its field, the typed day kept.
	resp := staff.post(paths.NoticePublish(fx.campaign), url.Values{"shortlist": {fmt.Sprint(fx.shortlist)}, "starts_on": {"2026-02-11"}})
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	doc := htmlOf(t, resp)
	if v, _ := doc.Find(fmt.Sprintf("#starts_on-%d", fx.shortlist)).Attr("value"); v != "2026-02-11" {
		t.Errorf("typed start not kept: %q", v)
	}
	id := fx.publish(t, staff, "2026-02-12")
	// The same form sent again finds the first notice.
	fx.publish(t, staff, "2026-02-12")
	if n := fx.count(t, `SELECT count(*) FROM notices`); n != 1 {
		t.Fatalf("%d notices after a double submit", n)
	}
	var ends time.Time
	var days int
	if err := a.db.Pool.QueryRow(context.Background(), `SELECT ends_on, working_days FROM notices WHERE id = $1`, id).Scan(&ends, &days); err != nil {
		t.Fatal(err)
	}
	if !ends.Equal(domain.Day(2026, 2, 26)) || days != 5 {
		t.Errorf("notice ends %s after %d days, want 26/02/2026 after 5", ends.Format("02/01/2006"), days)
	}
	// Another start day for a posted list: 409.
	resp = staff.post(paths.NoticePublish(fx.campaign), url.Values{"shortlist": {fmt.Sprint(fx.shortlist)}, "starts_on": {"2026-02-13"}})
	wantStatus(t, resp, http.StatusConflict)

	anon := a.client()
	resp = anon.get(paths.PublicNotice(id))
	wantStatus(t, resp, http.StatusOK)
	doc = htmlOf(t, resp)
	if got := doc.Find(".notice-end").Text(); !strings.Contains(got, "26/02/2026") {
		t.Errorf("public page's end date %q, want 26/02/2026", got)
	}
	if got := doc.Find(".notice-dates").Text(); !strings.Contains(got, "12/02/2026 – 26/02/2026") || !strings.Contains(got, "5 ngày làm việc") {
		t.Errorf("public page's period %q", got)
	}
	// Only the list, and only what may be published.
	names := doc.Find(".nominee-name").Text()
	for _, want := range []string{"Sở Tư pháp", "UBND xã Tịnh Khê", "Nguyễn Thị Hồng"} {
		if !strings.Contains(names, want) {
			t.Errorf("nominee %q missing from %q", want, names)
		}
	}
	body := bodyOf(resp)
	for _, hidden := range []string{"Sở Khoa học và Công nghệ", "1980", "Chưa đạt", "Hoàn thành xuất sắc nhiệm vụ sáp nhập"} {
		if strings.Contains(body, hidden) {
			t.Errorf("public page shows %q", hidden)
		}
	}
	if !strings.Contains(doc.Find("#nominee-"+fmt.Sprint(fx.personEnt)).Text(), "Phó Giám đốc") {
		t.Error("the individual's position is not shown")
	}
	// Linked from the public home and the public campaign page.
	for _, p := range []string{"/", paths.PublicCampaign(fx.campaign)} {
		if htmlOf(t, anon.get(p)).Find(`a[href="`+paths.PublicNotice(id)+`"]`).Length() == 0 {
			t.Errorf("%s does not link the notice", p)
		}
	}
}

// TestObjectionsWithoutLogin is issue 11 acceptance 4 (the form): anyone
// objects without signing in or JavaScript and gets a receipt; the same
// form sent twice stores one objection; a refused form keeps what was typed.
func TestObjectionsWithoutLogin(t *testing.T) {
	t.Parallel()
	fx := newNoticeFixture(t, nil)
	a := fx.a
	a.db.Now = func() time.Time { return vnTime(2026, 3, 2, 9) }
	staff, _ := a.loggedIn(domain.RoleStaff)
	id := fx.publish(t, staff, "2026-03-02")
	anon := a.client()
	doc := htmlOf(t, anon.get(paths.PublicNotice(id)))
	form := doc.Find("form.objection-form")
	if m, _ := form.Attr("method"); m != "post" {
		t.Fatalf("objection form method %q", m)
	}
	if act, _ := form.Attr("action"); act != paths.PublicObjections(id) {
		t.Errorf("objection form posts to %q", act)
	}
	if doc.Find("script").Length() > 0 {
		t.Error("the public page has scripts")
	}
	key, _ := form.Find(`input[name="form_key"]`).Attr("value")
	if len(key) < 16 {
		t.Fatalf("form key %q", key)
	}
	if form.Find(fmt.Sprintf(`select[name="entry"] option[value="%d"]`, fx.excluded)).Length() > 0 {
		t.Error("an excluded candidate can be chosen")
	}
	resp := anon.post(paths.PublicObjections(id), fx.objection(fx.personEnt, "Bà Hồng chưa hoàn thành nhiệm vụ quý IV.", key))
	wantStatus(t, resp, http.StatusOK)
	receipt := strings.TrimSpace(htmlOf(t, resp).Find(".receipt-number .number").Text())
	if !regexp.MustCompile(`^YK-\d{4}-\d{6}$`).MatchString(receipt) {
		t.Fatalf("receipt %q", receipt)
	}
	again := anon.post(paths.PublicObjections(id), fx.objection(fx.personEnt, "Bà Hồng chưa hoàn thành nhiệm vụ quý IV.", key))
	wantStatus(t, again, http.StatusOK)
	if got := strings.TrimSpace(htmlOf(t, again).Find(".receipt-number .number").Text()); got != receipt {
		t.Errorf("second send of the same form: receipt %q, want %q", got, receipt)
	}
	if n := fx.count(t, `SELECT count(*) FROM objections`); n != 1 {
		t.Errorf("%d objections stored after a double submit", n)
	}
	var clientKey string
	if err := a.db.Pool.QueryRow(context.Background(), `SELECT client_key FROM objections`).Scan(&clientKey); err != nil {
		t.Fatal(err)
	}
	if len(clientKey) != 64 || strings.Contains(clientKey, "127.0.0.1") {
		t.Errorf("client key %q is not a keyed hash", clientKey)
	}

	long := strings.Repeat("ý", domain.ObjectionBodyMax+1)
	for name, c := range map[string]struct {
		form  url.Values
		field string
		says  string
	}{
		"empty text":      {fx.objection(fx.personEnt, "   ", ""), "body", "bắt buộc"},
		"too long":        {fx.objection(fx.personEnt, long, ""), "body", "4.000"},
		"excluded entry":  {fx.objection(fx.excluded, "Vì sao?", ""), "entry", "Chọn người"},
		"no entry":        {fx.objection(0, "Vì sao?", ""), "entry", "Chọn người"},
		"foreign entry":   {fx.objection(999999, "Vì sao?", ""), "entry", "Chọn người"},
		"name too long":   {url.Values{"entry": {fmt.Sprint(fx.unitEntry)}, "name": {strings.Repeat("a", 201)}, "contact": {"x"}, "body": {"y"}}, "name", "200"},
		"missing contact": {url.Values{"entry": {fmt.Sprint(fx.unitEntry)}, "name": {"A"}, "body": {"y"}}, "contact", "bắt buộc"},
	} {
		resp := anon.post(paths.PublicObjections(id), c.form)
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d, want 422", name, resp.StatusCode)
			continue
		}
		doc := htmlOf(t, resp)
		if got := doc.Find("#" + c.field + "-error").Text(); !strings.Contains(got, c.says) {
			t.Errorf("%s: %s's problem %q, want it to say %q", name, c.field, got, c.says)
		}
		if c.field != "body" || name == "too long" {
			if got := doc.Find(`textarea[name="body"]`).Text(); got != strings.TrimSpace(c.form.Get("body")) && name != "too long" {
				t.Errorf("%s: typed text not kept: %q", name, got)
			}
		}
		if name == "too long" && len([]rune(doc.Find(`textarea[name="body"]`).Text())) != domain.ObjectionBodyMax+1 {
			t.Errorf("too long: the typed text was cut")
		}
	}
	// NUL and control bytes never reach the form (400 for every route).
	for _, bad := range []string{"a\x00b", "chuông \a kêu", "\x1b[31m đỏ"} {
		wantStatus(t, anon.post(paths.PublicObjections(id), fx.objection(fx.unitEntry, bad, "")), http.StatusBadRequest)
	}
	// Another site cannot post the form on a visitor's behalf.
	anon.header.Set("Sec-Fetch-Site", "cross-site")
	wantStatus(t, anon.post(paths.PublicObjections(id), fx.objection(fx.unitEntry, "chéo", "")), http.StatusForbidden)
	anon.header = http.Header{}
	if n := fx.count(t, `SELECT count(*) FROM objections`); n != 1 {
		t.Errorf("%d objections after refused forms, want 1", n)
	}
	// Once the notice is over the form is closed (409, text kept).
	a.db.Now = func() time.Time { return vnTime(2026, 3, 10, 9) }
	resp = anon.post(paths.PublicObjections(id), fx.objection(fx.unitEntry, "Muộn rồi", ""))
	wantStatus(t, resp, http.StatusConflict)
	if !strings.Contains(bodyOf(resp), "Muộn rồi") {
		t.Error("a late objection's text was lost")
	}
	if htmlOf(t, anon.get(paths.PublicNotice(id))).Find("form.objection-form").Length() != 0 {
		t.Error("the form is offered after the notice ended")
	}
}

// TestObjectionRateLimit: the 6th objection from one address to one notice
// within the window gets 429 with the text kept; another address still
// gets through.
func TestObjectionRateLimit(t *testing.T) {
	t.Parallel()
	fx := newNoticeFixture(t, map[string]string{"TRUSTED_PROXIES": "127.0.0.1/32,::1/128"})
	a := fx.a
	a.db.Now = func() time.Time { return vnTime(2026, 3, 2, 9) }
	staff, _ := a.loggedIn(domain.RoleStaff)
	id := fx.publish(t, staff, "2026-03-02")
	anon := a.client()
	anon.header.Set("X-Forwarded-For", "203.0.113.7")
	for i := 1; i <= domain.ObjectionLimit; i++ {
		resp := anon.post(paths.PublicObjections(id), fx.objection(fx.unitEntry, fmt.Sprintf("Ý kiến thứ %d", i), newIdempotencyKey()))
		wantStatus(t, resp, http.StatusOK)
	}
	resp := anon.post(paths.PublicObjections(id), fx.objection(fx.unitEntry, "Ý kiến thứ 6", newIdempotencyKey()))
	wantStatus(t, resp, http.StatusTooManyRequests)
	if resp.Header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	doc := htmlOf(t, resp)
	if got := doc.Find(`textarea[name="body"]`).Text(); got != "Ý kiến thứ 6" {
		t.Errorf("throttled text not kept: %q", got)
	}
	if !strings.Contains(doc.Find(".error-summary").Text(), "5 ý kiến") {
		t.Errorf("429 page says %q", doc.Find(".error-summary").Text())
	}
	// Another address is not affected.
	other := a.client()
	other.header.Set("X-Forwarded-For", "198.51.100.9")
	wantStatus(t, other.post(paths.PublicObjections(id), fx.objection(fx.unitEntry, "Từ nơi khác", newIdempotencyKey())), http.StatusOK)
	if n := fx.count(t, `SELECT count(*) FROM objections`); n != domain.ObjectionLimit+1 {
		t.Errorf("%d objections stored, want %d", n, domain.ObjectionLimit+1)
	}
}

// TestObjectionAnswerAndCouncil is issue 11 acceptance 4 (the rest): a
// script in an objection is shown escaped on every page that shows it; an
// unanswered objection blocks sending the nominee to the council (409), an
// answered one does not; leaders read without forms; the dossier lists the
// nominees sent, as a page and an XLSX LibreOffice opens.
func TestObjectionAnswerAndCouncil(t *testing.T) {
	t.Parallel()
	fx := newNoticeFixture(t, nil)
	a := fx.a
	tet2026(t, a)
	a.db.Now = func() time.Time { return vnTime(2026, 2, 12, 9) }
	staff, _ := a.loggedIn(domain.RoleStaff)
	id := fx.publish(t, staff, "2026-02-12")
	anon := a.client()
	script := `<script>alert("xss")</script>`
	name := `<img src=x onerror=alert(1)>`
	form := fx.objection(fx.personEnt, "Không đúng sự thật "+script, newIdempotencyKey())
	form.Set("name", name)
	resp := anon.post(paths.PublicObjections(id), form)
	wantStatus(t, resp, http.StatusOK)
	pages := map[string]string{"receipt": bodyOf(resp)}
	if !strings.Contains(htmlOf(t, resp).Find(".objection-body").Text(), script) {
		t.Error("the receipt does not show the text as sent")
	}

	// Before the notice ends nobody goes to the council.
	send := paths.CouncilSend(fx.campaign, id, fx.unitEntry)
	resp = staff.post(send, nil)
	wantStatus(t, resp, http.StatusConflict)
	if !strings.Contains(htmlOf(t, resp).Find(".error-summary").Text(), "26/02/2026") {
		t.Error("the refusal does not say when the notice ends")
	}
	a.db.Now = func() time.Time { return vnTime(2026, 2, 27, 9) }
	wantStatus(t, staff.post(send, nil), http.StatusSeeOther)
	wantStatus(t, staff.post(send, nil), http.StatusSeeOther) // twice: nothing more
	// The nominee with an unanswered objection is refused.
	sendPerson := paths.CouncilSend(fx.campaign, id, fx.personEnt)
	resp = staff.post(sendPerson, nil)
	wantStatus(t, resp, http.StatusConflict)
	if !strings.Contains(htmlOf(t, resp).Find(".error-summary").Text(), "chưa được trả lời") {
		t.Error("the refusal does not name the unanswered objection")
	}

	page := staff.get(paths.Notices(fx.campaign))
	wantStatus(t, page, http.StatusOK)
	pages["staff"] = bodyOf(page)
	doc := htmlOf(t, page)
	obj := doc.Find("article.objection")
	if obj.Length() != 1 || !strings.Contains(obj.Find(".objection-body").Text(), script) || !strings.Contains(obj.Text(), name) {
		t.Fatalf("staff page's objection: %q", obj.Text())
	}
	action, _ := obj.Find("form.answer-form").Attr("action")
	var objectionID int64
	if err := a.db.Pool.QueryRow(context.Background(), `SELECT id FROM objections`).Scan(&objectionID); err != nil {
		t.Fatal(err)
	}
	if action != paths.ObjectionAnswer(fx.campaign, id, objectionID) {
		t.Fatalf("answer form posts to %q", action)
	}

	// A leader reads the page, without forms, and may not answer.
	leader, _ := a.loggedIn(domain.RoleLeader)
	lp := leader.get(paths.Notices(fx.campaign))
	wantStatus(t, lp, http.StatusOK)
	pages["leader"] = bodyOf(lp)
	if htmlOf(t, lp).Find("main form").Length() != 0 {
		t.Error("a leader sees forms on the notices page")
	}
	wantStatus(t, leader.post(action, url.Values{"outcome": {"dismissed"}, "answer": {"x"}}), http.StatusForbidden)

	// An answer needs an outcome and a text; refused, what was typed stays.
	resp = staff.post(action, url.Values{"answer": {"Đã xác minh"}})
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	doc = htmlOf(t, resp)
	if doc.Find(fmt.Sprintf("#outcome-%d-error", objectionID)).Length() == 0 || doc.Find(fmt.Sprintf("#answer-%d", objectionID)).Text() != "Đã xác minh" {
		t.Error("refused answer: no problem beside the outcome or the text lost")
	}
	// Another campaign's URL for this notice: not found.
	otherCampaign, err := a.db.CreateCampaign(context.Background(), &domain.Campaign{PlanNumber: "99/KH", Title: "Khác", IssuerName: "Sở Nội vụ",
		IssueDate: domain.Day(2025, 1, 1), Kind: domain.KindRegular, PeriodStart: domain.Day(2025, 1, 1), PeriodEnd: domain.Day(2025, 12, 31)}, "")
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, staff.post(paths.ObjectionAnswer(otherCampaign, id, objectionID), url.Values{"outcome": {"dismissed"}, "answer": {"x"}}), http.StatusNotFound)
	wantStatus(t, staff.post(paths.CouncilSend(otherCampaign, id, fx.personEnt), nil), http.StatusNotFound)
	wantStatus(t, staff.post(paths.CouncilSend(fx.campaign, id, fx.excluded), nil), http.StatusConflict)

	answer := url.Values{"outcome": {"dismissed"}, "answer": {"Đã xác minh: bà Hồng hoàn thành nhiệm vụ " + script}}
	wantStatus(t, staff.post(action, answer), http.StatusSeeOther)
	wantStatus(t, staff.post(action, answer), http.StatusSeeOther) // the same answer again: nothing changes
	wantStatus(t, staff.post(action, url.Values{"outcome": {"upheld"}, "answer": {"Khác"}}), http.StatusConflict)
	if n := fx.count(t, `SELECT count(*) FROM objections WHERE outcome = 'dismissed' AND answered_by IS NOT NULL`); n != 1 {
		t.Fatalf("answer not recorded")
	}
	// Answered: the nominee goes to the council.
	wantStatus(t, staff.post(sendPerson, nil), http.StatusSeeOther)
	if n := fx.count(t, `SELECT count(*) FROM shortlist_entries WHERE sent_to_council_at IS NOT NULL`); n != 2 {
		t.Errorf("%d nominees sent, want 2", n)
	}
	pages["staff answered"] = bodyOf(staff.get(paths.Notices(fx.campaign)))
	admin, _ := a.loggedIn(domain.RoleAdmin)
	pages["audit"] = bodyOf(admin.get("/audit"))
	for page, body := range pages {
		if strings.Contains(body, script) || strings.Contains(body, name) {
			t.Errorf("%s page shows the script unescaped", page)
		}
	}
	if !strings.Contains(pages["staff answered"], "&lt;script&gt;") {
		t.Error("the staff page does not show the escaped script")
	}

	// The dossier: the proposal and the list of the two nominees sent.
	dp := leader.get(paths.Dossier(fx.campaign, id))
	wantStatus(t, dp, http.StatusOK)
	doc = htmlOf(t, dp)
	if !strings.Contains(doc.Find(".dossier-proposal").Text(), "TỜ TRÌNH") || !strings.Contains(doc.Find(".dossier-proposal").Text(), "1 tập thể và 1 cá nhân") {
		t.Errorf("proposal: %q", doc.Find(".dossier-proposal").Text())
	}
	rows := doc.Find(".dossier-table tbody tr")
	if rows.Length() != 2 {
		t.Fatalf("dossier has %d rows, want 2", rows.Length())
	}
	var cells []string
	rows.Eq(1).Find("td").Each(func(_ int, td *goqueryTr) { cells = append(cells, strings.TrimSpace(td.Text())) })
	if got := strings.Join(cells, " "); !strings.Contains(got, "2 Nguyễn Thị Hồng Phó Giám đốc Sở Tư pháp Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh Sáng kiến") {
		t.Errorf("dossier row 2: %q", got)
	}
	focal, _ := a.loggedIn(domain.RoleFocalPoint)
	wantStatus(t, focal.get(paths.Dossier(fx.campaign, id)), http.StatusForbidden)
	wantStatus(t, anon.get(paths.Dossier(fx.campaign, id)), http.StatusSeeOther)

	x := staff.get(paths.DossierXLSX(fx.campaign, id))
	wantStatus(t, x, http.StatusOK)
	if ct := x.Header.Get("Content-Type"); !strings.Contains(ct, "spreadsheetml") {
		t.Fatalf("XLSX content type %q", ct)
	}
	lo := libreOffice(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "danh-sach.xlsx")
	if err := os.WriteFile(file, []byte(bodyOf(x)), 0o644); err != nil {
		t.Fatal(err)
	}
	sheet := convertToCSV(t, lo, file)["danh-sach"]["Danh sách đề nghị"]
	if len(sheet) != 3 {
		t.Fatalf("LibreOffice reads %d rows: %v", len(sheet), sheet)
	}
	if strings.Join(sheet[0], "|") != "STT|Họ và tên / Tên tập thể|Chức vụ|Đơn vị|Hình thức đề nghị|Thành tích, căn cứ đề nghị" {
		t.Errorf("header %v", sheet[0])
	}
	if sheet[1][0] != "1" || sheet[1][1] != "Sở Tư pháp" || sheet[2][0] != "2" || sheet[2][1] != "Nguyễn Thị Hồng" || sheet[2][2] != "Phó Giám đốc" {
		t.Errorf("rows %v", sheet[1:])
	}
}

// TestCampaignNoticeDays: the campaign's form sets the notice days (1–60),
// and publishing uses them.
func TestCampaignNoticeDays(t *testing.T) {
	t.Parallel()
	fx := newNoticeFixture(t, nil)
	a := fx.a
	a.db.Now = func() time.Time { return vnTime(2026, 3, 2, 9) }
	staff, _ := a.loggedIn(domain.RoleStaff)
	formOf := func() url.Values {
		doc := htmlOf(t, staff.get(paths.CampaignEdit(fx.campaign)))
		v := url.Values{}
		doc.Find("form.campaign-form input, form.campaign-form textarea").Each(func(_ int, s *goqueryTr) {
			n, _ := s.Attr("name")
			typ, _ := s.Attr("type")
			if n == "" || s.Is("[disabled]") || ((typ == "radio" || typ == "checkbox") && !s.Is("[checked]")) {
				return
			}
			if s.Is("textarea") {
				v.Add(n, s.Text())
			} else {
				val, _ := s.Attr("value")
				v.Add(n, val)
			}
		})
		return v
	}
	f := formOf()
	if f.Get("notice_days") != "5" {
		t.Fatalf("notice days shown %q, want the default 5", f.Get("notice_days"))
	}
	f.Set("notice_days", "0")
	resp := staff.post(paths.CampaignEdit(fx.campaign), f)
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	if !strings.Contains(htmlOf(t, resp).Find("#notice_days-error").Text(), "từ 1 đến 60") {
		t.Error("0 notice days not refused beside the field")
	}
	f.Set("notice_days", "10")
	wantStatus(t, staff.post(paths.CampaignEdit(fx.campaign), f), http.StatusSeeOther)
	if got := formOf().Get("notice_days"); got != "10" {
		t.Fatalf("notice days saved as %q", got)
	}
	id := fx.publish(t, staff, "2026-03-02")
	var ends time.Time
	if err := a.db.Pool.QueryRow(context.Background(), `SELECT ends_on FROM notices WHERE id = $1`, id).Scan(&ends); err != nil {
		t.Fatal(err)
	}
	if !ends.Equal(domain.Day(2026, 3, 16)) {
		t.Errorf("10 working days from Monday 02/03/2026 end %s, want 16/03/2026", ends.Format("02/01/2006"))
	}
}

// TestPublishRefusals: undecided ties and an empty list are not posted.
func TestPublishRefusals(t *testing.T) {
	t.Parallel()
	fx := newNoticeFixture(t, nil)
	a := fx.a
	a.db.Now = func() time.Time { return vnTime(2026, 3, 2, 9) }
	staff, _ := a.loggedIn(domain.RoleStaff)
	if _, err := a.db.Pool.Exec(context.Background(), `UPDATE shortlist_entries SET status = 'tie' WHERE id = $1`, fx.unitEntry); err != nil {
		t.Fatal(err)
	}
	resp := staff.post(paths.NoticePublish(fx.campaign), url.Values{"shortlist": {fmt.Sprint(fx.shortlist)}})
	wantStatus(t, resp, http.StatusConflict)
	if !strings.Contains(htmlOf(t, resp).Find(".error-summary").Text(), "bằng điểm") {
		t.Error("ties refusal does not say why")
	}
	if _, err := a.db.Pool.Exec(context.Background(), `UPDATE shortlist_entries SET status = 'removed' WHERE shortlist_id = $1`, fx.shortlist); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, staff.post(paths.NoticePublish(fx.campaign), url.Values{"shortlist": {fmt.Sprint(fx.shortlist)}}), http.StatusConflict)
	wantStatus(t, staff.post(paths.NoticePublish(fx.campaign), url.Values{"shortlist": {"999999"}}), http.StatusNotFound)
	if n := fx.count(t, `SELECT count(*) FROM notices`); n != 0 {
		t.Errorf("%d notices after refusals", n)
	}
}
