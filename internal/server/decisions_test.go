package server

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"thidua/internal/domain"
	"thidua/internal/paths"
)

// decisionFixture is a closed council session with two passing nominees
// (a person and a collective) and one that failed, built directly in the
// shared tables (the council's pages are another part's work), with an
// issuer whose council it is.
type decisionFixture struct {
	a                *app
	campaign, issuer int64
	council, session int64
	person, unit     int64
	failedUnit       int64
	list             int64
	entries          []int64 // person, unit, failed
	ctx              context.Context
}

func (fx *decisionFixture) q(t *testing.T, sql string, args ...any) int64 {
	t.Helper()
	var id int64
	if err := fx.a.db.Pool.QueryRow(fx.ctx, sql, args...).Scan(&id); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return id
}

func newDecisionFixture(t *testing.T) *decisionFixture {
	t.Helper()
	a := newApp(t, nil)
	ctx := context.Background()
	fx := &decisionFixture{a: a, ctx: ctx}
	var err error
	fx.campaign, err = a.db.CreateCampaign(ctx, &domain.Campaign{PlanNumber: "15/KH-UBND", Title: "Phong trào thi đua cải cách hành chính năm 2025",
		IssuerName: "Ủy ban nhân dân tỉnh Đồng Tháp", IssueDate: domain.Day(2025, 1, 10), Kind: domain.KindRegular,
		PeriodStart: domain.Day(2025, 1, 1), PeriodEnd: domain.Day(2025, 12, 31)}, "")
	if err != nil {
		t.Fatal(err)
	}
	fx.unit, err = a.db.CreateUnit(ctx, domain.UnitInput{Name: "Ủy ban nhân dân xã Mỹ Thọ", Code: "TEST-MT", Kind: domain.KindCommune, ValidFrom: domain.Day(2020, 1, 1)})
	if err != nil {
		t.Fatal(err)
	}
	fx.failedUnit, err = a.db.CreateUnit(ctx, domain.UnitInput{Name: "Sở Khoa học và Công nghệ", Code: "TEST-KHCN", Kind: domain.KindDepartment, ValidFrom: domain.Day(2020, 1, 1)})
	if err != nil {
		t.Fatal(err)
	}
	fx.person, err = a.db.CreatePerson(ctx, domain.PersonInput{FullName: "Nguyễn Thị Hồng Nhung", Position: "Phó Giám đốc",
		Category: domain.CategoryCongChuc, UnitID: a.unit, From: domain.Day(2020, 1, 1)})
	if err != nil {
		t.Fatal(err)
	}
	fx.q(t, `UPDATE campaigns SET status = 'announced' WHERE id = $1 RETURNING id`, fx.campaign)
	phase := fx.q(t, `INSERT INTO phases (campaign_id, seq, name, start_date, end_date, review_kind) VALUES ($1, 1, 'Năm 2025', '2025-01-01', '2025-12-31', 'annual') RETURNING id`, fx.campaign)
	plan := fx.q(t, `INSERT INTO award_plans (campaign_id, award_form_id) SELECT $1, id FROM award_forms WHERE code = 'bang_khen_chu_tich_tinh' RETURNING id`, fx.campaign)
	fx.list = fx.q(t, `INSERT INTO shortlists (campaign_id, phase_id, plan_id, status) VALUES ($1, $2, $3, 'noticed') RETURNING id`, fx.campaign, phase, plan)
	fx.entries = []int64{
		fx.q(t, `INSERT INTO shortlist_entries (shortlist_id, target, unit_id, person_id, status, sent_to_council_at) VALUES ($1, 'individual', $2, $3, 'proposed', now()) RETURNING id`, fx.list, a.unit, fx.person),
		fx.q(t, `INSERT INTO shortlist_entries (shortlist_id, target, unit_id, status, sent_to_council_at) VALUES ($1, 'collective', $2, 'proposed', now()) RETURNING id`, fx.list, fx.unit),
		fx.q(t, `INSERT INTO shortlist_entries (shortlist_id, target, unit_id, status, sent_to_council_at) VALUES ($1, 'collective', $2, 'proposed', now()) RETURNING id`, fx.list, fx.failedUnit),
	}
	fx.issuer = fx.q(t, `INSERT INTO issuers (name, parent_name, code, place, signer_authority, signer_title)
		VALUES ('Ủy ban nhân dân tỉnh Đồng Tháp', '', 'UBND', 'Đồng Tháp', 'KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH') RETURNING id`)
	fx.council = fx.q(t, `INSERT INTO councils (name, issuer_id) VALUES ('Hội đồng Thi đua – Khen thưởng tỉnh Đồng Tháp', $1) RETURNING id`, fx.issuer)
	fx.session = fx.closedSession(t)
	return fx
}

// closedSession adds a closed session of the fixture's council where the
// person and the unit passed and the third nominee failed.
func (fx *decisionFixture) closedSession(t *testing.T) int64 {
	t.Helper()
	return fx.closedSessionOf(t, fx.entries)
}

// closedSessionOf adds a closed session where entries passed but the
// third, which failed.
func (fx *decisionFixture) closedSessionOf(t *testing.T, entries []int64) int64 {
	t.Helper()
	s := fx.q(t, `INSERT INTO council_sessions (council_id, campaign_id, held_on, status, members_total, members_present, members_written, ballots_returned)
		VALUES ($1, $2, '2026-11-20', 'closed', 9, 9, 0, 9) RETURNING id`, fx.council, fx.campaign)
	for i, e := range entries {
		outcome, votes := "passed", 9
		if i == 2 {
			outcome, votes = "failed", 3
		}
		fx.q(t, `INSERT INTO session_nominees (session_id, entry_id, award_form_id, sort, votes_for, votes_against, basis, share, quorum, denominator, outcome)
			SELECT $1, $2, id, $3, $4, 9 - $4, 'total', 50.01, 66.66, 9, $5 FROM award_forms WHERE code = 'bang_khen_chu_tich_tinh' RETURNING id`,
			s, e, i+1, votes, outcome)
	}
	return s
}

// decisionForm reads the values a browser would send from the form sel.
func decisionForm(doc *goquery.Document, sel string) url.Values {
	v := url.Values{}
	doc.Find(sel + " input, " + sel + " textarea, " + sel + " select").Each(func(_ int, s *goquery.Selection) {
		name, _ := s.Attr("name")
		switch {
		case name == "":
		case s.Is("select"):
			v.Set(name, s.Find("option[selected]").AttrOr("value", ""))
		case s.Is("textarea"):
			v.Set(name, s.Text())
		default:
			v.Set(name, s.AttrOr("value", ""))
		}
	})
	return v
}

// draft drafts the session's decision through the form as staff and
// returns its ID.
func (fx *decisionFixture) draft(t *testing.T, staff *client, session int64) int64 {
	t.Helper()
	resp := staff.get(paths.DecisionNewFrom(session))
	wantStatus(t, resp, http.StatusOK)
	form := decisionForm(htmlOf(t, resp), "form.decision-form")
	resp = staff.post(paths.Decisions(), form)
	wantStatus(t, resp, http.StatusSeeOther)
	var id int64
	if _, err := fmt.Sscanf(resp.Header.Get("Location"), "/decisions/%d", &id); err != nil {
		t.Fatalf("draft went to %q", resp.Header.Get("Location"))
	}
	return id
}

// sign signs a decision through its page as a leader.
func sign(t *testing.T, leader *client, id int64) *http.Response {
	t.Helper()
	doc := htmlOf(t, leader.get(paths.Decision(id)))
	version := doc.Find(`.sign-box input[name=version]`).AttrOr("value", "")
	if version == "" {
		t.Fatalf("decision %d: no sign form for this leader\n%s", id, doc.Find("main").Text())
	}
	return leader.post(paths.DecisionSign(id), url.Values{"version": {version}})
}

// wantPDF checks a PDF answer and, when pdftotext is there (always under
// make test, which installs it), that its text holds each of want.
func wantPDF(t *testing.T, resp *http.Response, want ...string) {
	t.Helper()
	wantStatus(t, resp, http.StatusOK)
	if ct := resp.Header.Get("Content-Type"); ct != "application/pdf" {
		t.Errorf("%s: Content-Type %q", resp.Request.URL.Path, ct)
	}
	body := bodyOf(resp)
	if !strings.HasPrefix(body, "%PDF-") {
		t.Fatalf("%s: not a PDF", resp.Request.URL.Path)
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("THIDUA_NEED_POPPLER") != "" {
			t.Fatal("pdftotext (poppler-utils) is missing and THIDUA_NEED_POPPLER is set")
		}
		t.Log("pdftotext missing: the PDF's text is not checked")
		return
	}
	cmd := exec.Command("pdftotext", "-", "-")
	cmd.Stdin = strings.NewReader(body)
	var out bytes.Buffer
	cmd.Stdout = &out
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(out.String()), " ")
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("%s: the PDF's text lacks %q", resp.Request.URL.Path, w)
		}
	}
}

// TestDecisionDraftSignPublish walks the decision's path: staff draft it
// from the closed session's passing nominees (the failed one left out),
// a leader signs it, it takes the register's first number, its awards
// enter the history with their amounts, and anyone reads it on its public
// page, the public home and the PDF.
func TestDecisionDraftSignPublish(t *testing.T) {
	t.Parallel()
	fx := newDecisionFixture(t)
	a := fx.a
	staff, _ := a.loggedIn(domain.RoleStaff)
	leader, lu := a.loggedIn(domain.RoleLeader)
	anon := a.client()

	list := htmlOf(t, staff.get(paths.Decisions()))
	if list.Find(`.decision-awaiting a[href="`+paths.DecisionNewFrom(fx.session)+`"]`).Length() != 1 {
		t.Error("the closed session is not listed as waiting for a decision")
	}
	id := fx.draft(t, staff, fx.session)
	resp := staff.get(paths.Decision(id))
	wantStatus(t, resp, http.StatusOK)
	doc := htmlOf(t, resp)
	names := doc.Find(".awardee-name").Map(func(_ int, s *goquery.Selection) string { return s.Text() })
	if strings.Join(names, "|") != "Nguyễn Thị Hồng Nhung|Ủy ban nhân dân xã Mỹ Thọ" {
		t.Errorf("awardees %q, want the two who passed", names)
	}
	text := strings.Join(strings.Fields(doc.Find(".decision-text").Text()), " ")
	for _, w := range []string{"Điều 1. Tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh cho 1 cá nhân và 1 tập thể (có danh sách kèm theo), đã có thành tích xuất sắc trong Phong trào thi đua cải cách hành chính năm 2025.",
		"CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP", "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;", "I. Cá nhân", "II. Tập thể", "- Như Điều 3;",
		"Căn cứ Kế hoạch số 15/KH-UBND"} {
		if !strings.Contains(text, w) {
			t.Errorf("the draft does not read %q:\n%s", w, text)
		}
	}
	if doc.Find(".sign-box").Length() != 0 {
		t.Error("staff see a sign form")
	}
	// Drafts are not published.
	wantStatus(t, anon.get(paths.PublicDecision(id)), http.StatusNotFound)
	wantStatus(t, anon.get(paths.PublicDecisionPDF(id)), http.StatusNotFound)
	wantPDF(t, staff.get(paths.DecisionPDF(id)), "DỰ THẢO", "Nguyễn Thị Hồng Nhung")

	// The leader's queue holds it.
	queue, err := a.db.DecisionsToSign(fx.ctx, lu.ID)
	if err != nil || len(queue) != 1 || queue[0].ID != id {
		t.Fatalf("DecisionsToSign = %v, %v", queue, err)
	}
	wantStatus(t, sign(t, leader, id), http.StatusSeeOther)
	d, err := a.db.DecisionByID(fx.ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	year := a.srv.today().Year()
	if d.Status != domain.DecisionSigned || d.Number != "01/QĐ-UBND" || d.Seq != 1 || d.Year != year || d.SignedBy == nil || *d.SignedBy != lu.ID {
		t.Fatalf("signed: status %s, number %q, seq %d, year %d", d.Status, d.Number, d.Seq, d.Year)
	}
	if queue, _ := a.db.DecisionsToSign(fx.ctx, lu.ID); len(queue) != 0 {
		t.Errorf("a signed decision is still in the queue: %v", queue)
	}
	// Amounts: 1,0 and 2,0 times the base salary in force (2.340.000 since
	// 01/07/2024).
	doc = htmlOf(t, leader.get(paths.Decision(id)))
	amounts := doc.Find(".awardee td.num:last-child").Map(func(_ int, s *goquery.Selection) string { return strings.TrimSpace(s.Text()) })
	if strings.Join(amounts, "|") != "2.340.000|4.680.000" {
		t.Errorf("amounts %q", amounts)
	}
	// The awards are in the person's and the unit's history.
	for _, s := range []domain.Subject{{PersonID: fx.person}, {UnitID: fx.unit}} {
		hist, err := a.db.AchievementsOf(fx.ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		if len(hist) != 1 || hist[0].DecisionNumber != "01/QĐ-UBND" || hist[0].Source != "portal" || hist[0].Year != 2025 ||
			hist[0].Issuer != "Ủy ban nhân dân tỉnh Đồng Tháp" || hist[0].CampaignID == nil || *hist[0].CampaignID != fx.campaign {
			t.Errorf("history of %+v: %+v", s, hist)
		}
	}
	if hist, _ := a.db.AchievementsOf(fx.ctx, domain.Subject{UnitID: fx.failedUnit}); len(hist) != 0 {
		t.Errorf("the failed nominee has awards: %+v", hist)
	}
	// Published: the public page, the public home, the PDF.
	resp = anon.get(paths.PublicDecision(id))
	wantStatus(t, resp, http.StatusOK)
	pub := strings.Join(strings.Fields(htmlOf(t, resp).Find("main").Text()), " ")
	for _, w := range []string{"Quyết định số 01/QĐ-UBND", "Nguyễn Thị Hồng Nhung", "Ủy ban nhân dân xã Mỹ Thọ", "(Đã ký)"} {
		if !strings.Contains(pub, w) {
			t.Errorf("public page lacks %q", w)
		}
	}
	home := htmlOf(t, anon.get("/"))
	if home.Find(`#decisions a[href="`+paths.PublicDecision(id)+`"]`).Length() != 1 {
		t.Error("the public home does not list the signed decision")
	}
	wantPDF(t, anon.get(paths.PublicDecisionPDF(id)), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "QUYẾT ĐỊNH", "01/QĐ-UBND",
		"Nguyễn Thị Hồng Nhung", "Ủy ban nhân dân xã Mỹ Thọ")
	wantPDF(t, staff.get(paths.Certificates(id)), "Nguyễn Thị Hồng Nhung", "Ủy ban nhân dân xã Mỹ Thọ", "01/QĐ-UBND")
	awardees, err := a.db.DecisionAwardees(fx.ctx, id, a.srv.today())
	if err != nil {
		t.Fatal(err)
	}
	wantPDF(t, leader.get(paths.Certificate(id, awardees[0].ID)), "Nguyễn Thị Hồng Nhung")
	// The session no longer waits for a decision.
	if htmlOf(t, staff.get(paths.Decisions())).Find(".decision-awaiting").Length() != 0 {
		t.Error("the session still waits for a decision")
	}
}

// TestDrafterCannotSign is acceptance 3's first half: only a leader signs,
// and never the one who drafted it (403), even once promoted; the refusals
// change nothing.
func TestDrafterCannotSign(t *testing.T) {
	t.Parallel()
	fx := newDecisionFixture(t)
	a := fx.a
	staff, su := a.loggedIn(domain.RoleStaff)
	id := fx.draft(t, staff, fx.session)
	d, _ := a.db.DecisionByID(fx.ctx, id)
	form := url.Values{"version": {fmt.Sprint(d.Version)}}
	fp, _ := a.loggedIn(domain.RoleFocalPoint)
	admin, _ := a.loggedIn(domain.RoleAdmin)
	before := fingerprint(t, a)
	wantStatus(t, staff.post(paths.DecisionSign(id), form), http.StatusForbidden)
	wantStatus(t, fp.post(paths.DecisionSign(id), form), http.StatusForbidden)
	wantStatus(t, admin.post(paths.DecisionSign(id), form), http.StatusForbidden)
	if fingerprint(t, a) != before {
		t.Error("a refused signature changed data")
	}
	// The drafter becomes a leader: still not theirs to sign.
	if _, err := a.db.Pool.Exec(fx.ctx, `UPDATE users SET role = 'leader' WHERE id = $1`, su.ID); err != nil {
		t.Fatal(err)
	}
	drafter := a.client()
	drafter.login(su.Email, testPassword)
	before = fingerprint(t, a)
	doc := htmlOf(t, drafter.get(paths.Decision(id)))
	if doc.Find(".sign-box").Length() != 0 || !strings.Contains(doc.Text(), "Người dự thảo không được duyệt, ký") {
		t.Error("the drafter is offered the sign form, or not told why not")
	}
	resp := drafter.post(paths.DecisionSign(id), form)
	wantStatus(t, resp, http.StatusForbidden)
	if !strings.Contains(bodyOf(resp), "Người dự thảo không được duyệt, ký") {
		t.Error("the 403 does not say why")
	}
	if fingerprint(t, a) != before {
		t.Error("a refused signature changed data")
	}
	// The store refuses it too, whatever the caller checked.
	_, err := a.db.SignDecision(domain.WithActor(fx.ctx, domain.Actor{UserID: su.ID}), id, d.Version, a.srv.today())
	if domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Errorf("SignDecision by the drafter: %v", err)
	}
	// And the table's CHECK behind both.
	if _, err := a.db.Pool.Exec(fx.ctx, `UPDATE decisions SET status = 'signed', seq = 1, year = 2026, decision_date = '2026-12-01',
		signed_at = now(), signed_by = drafted_by WHERE id = $1`, id); err == nil {
		t.Error("the database let the drafter sign")
	}
	leader, _ := a.loggedIn(domain.RoleLeader)
	wantStatus(t, sign(t, leader, id), http.StatusSeeOther)
}

// TestSignedDecisionIsImmutable is acceptance 3's second half: a signed
// decision cannot be changed (409), by the form, by signing it again, or
// in the database (the trigger), and its awardees are frozen.
func TestSignedDecisionIsImmutable(t *testing.T) {
	t.Parallel()
	fx := newDecisionFixture(t)
	a := fx.a
	staff, _ := a.loggedIn(domain.RoleStaff)
	leader, _ := a.loggedIn(domain.RoleLeader)
	id := fx.draft(t, staff, fx.session)
	doc := htmlOf(t, staff.get(paths.Decision(id)))
	edit := decisionForm(doc, "#edit form")
	// A stale edit form (another edit in between) is a 409 that keeps
	// what was typed.
	edit2 := decisionForm(doc, "#edit form")
	edit.Set("title", "Về việc khen thưởng thành tích xuất sắc năm 2025")
	wantStatus(t, staff.post(paths.Decision(id), edit), http.StatusSeeOther)
	edit2.Set("title", "Về việc khen thưởng (bản cũ)")
	resp := staff.post(paths.Decision(id), edit2)
	wantStatus(t, resp, http.StatusConflict)
	if v := htmlOf(t, resp).Find(`#edit input[name=title]`).AttrOr("value", ""); v != "Về việc khen thưởng (bản cũ)" {
		t.Errorf("the stale form lost what was typed: %q", v)
	}
	wantStatus(t, sign(t, leader, id), http.StatusSeeOther)
	d, _ := a.db.DecisionByID(fx.ctx, id)
	other, _ := a.loggedIn(domain.RoleLeader)
	before := fingerprint(t, a)
	edit.Set("version", fmt.Sprint(d.Version))
	edit.Set("title", "Về việc khen thưởng đã sửa sau khi ký")
	resp = staff.post(paths.Decision(id), edit)
	wantStatus(t, resp, http.StatusConflict)
	if !strings.Contains(bodyOf(resp), "Quyết định đã ký ban hành không thể sửa") {
		t.Error("the 409 does not say why")
	}
	wantStatus(t, other.post(paths.DecisionSign(id), url.Values{"version": {fmt.Sprint(d.Version)}}), http.StatusConflict)
	if err := a.db.UpdateDecision(domain.WithActor(fx.ctx, domain.Actor{}), id, d.Version, domain.DecisionInput{}); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Errorf("UpdateDecision of a signed decision: %v", err)
	}
	for _, sql := range []string{
		`UPDATE decisions SET title = 'Khác' WHERE id = $1`,
		`UPDATE decisions SET number = '99/QĐ-UBND' WHERE id = $1`,
		`DELETE FROM decisions WHERE id = $1`,
		`UPDATE decision_awardees SET amount = 1 WHERE decision_id = $1`,
		`DELETE FROM decision_awardees WHERE decision_id = $1`,
		`INSERT INTO decision_awardees (decision_id, target, unit_id, award_form_id, name) SELECT $1, 'collective', unit_id, award_form_id, 'Thêm' FROM decision_awardees WHERE decision_id = $1 LIMIT 1`,
		// Revoked only by a recorded decision: no revocation without one.
		`UPDATE decisions SET status = 'revoked' WHERE id = $1`,
	} {
		if _, err := a.db.Pool.Exec(fx.ctx, sql, id); err == nil {
			t.Errorf("the database let a signed decision change: %s", sql)
		}
	}
	if fingerprint(t, a) != before {
		t.Error("a refused change changed data")
	}
}

// TestDecisionRevocation: a signed decision is revoked only by a new
// decision with a reason, signed by a leader; then it is marked revoked
// (on its page and its public page), its awards leave the history, and it
// cannot be revoked twice.
func TestDecisionRevocation(t *testing.T) {
	t.Parallel()
	fx := newDecisionFixture(t)
	a := fx.a
	staff, _ := a.loggedIn(domain.RoleStaff)
	leader, _ := a.loggedIn(domain.RoleLeader)
	id := fx.draft(t, staff, fx.session)
	// A draft cannot be revoked.
	wantStatus(t, staff.post(paths.DecisionRevoke(id), url.Values{"reason": {"Sai sót"}}), http.StatusConflict)
	wantStatus(t, sign(t, leader, id), http.StatusSeeOther)
	page := htmlOf(t, staff.get(paths.Decision(id)))
	key := page.Find(`#revoke input[name=form_key]`).AttrOr("value", "")
	if key == "" {
		t.Fatal("no revoke form for staff")
	}
	wantStatus(t, leader.post(paths.DecisionRevoke(id), url.Values{"reason": {"x"}}), http.StatusForbidden)
	resp := staff.post(paths.DecisionRevoke(id), url.Values{"reason": {"  "}, "form_key": {key}})
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	reason := "Cá nhân được khen thưởng bị phát hiện kê khai không trung thực thành tích"
	form := url.Values{"reason": {reason}, "form_key": {key}}
	resp = staff.post(paths.DecisionRevoke(id), form)
	wantStatus(t, resp, http.StatusSeeOther)
	loc := resp.Header.Get("Location")
	// The same form sent twice gives the same draft.
	resp = staff.post(paths.DecisionRevoke(id), form)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != loc {
		t.Errorf("second submit: %d %q, want the first draft %q", resp.StatusCode, resp.Header.Get("Location"), loc)
	}
	var rev int64
	fmt.Sscanf(loc, "/decisions/%d", &rev)
	// Until it is signed, the original stands.
	if d, _ := a.db.DecisionByID(fx.ctx, id); d.Status != domain.DecisionSigned {
		t.Fatalf("original is %s before the revocation is signed", d.Status)
	}
	wantStatus(t, staff.post(paths.DecisionRevoke(id), url.Values{"reason": {reason}, "form_key": {newIdempotencyKey()}}), http.StatusConflict)
	text := strings.Join(strings.Fields(htmlOf(t, staff.get(paths.Decision(rev))).Find(".decision-text").Text()), " ")
	if !strings.Contains(text, "Điều 1. Thu hồi Quyết định số 01/QĐ-UBND") || !strings.Contains(text, reason) {
		t.Errorf("the revocation reads:\n%s", text)
	}
	wantStatus(t, sign(t, leader, rev), http.StatusSeeOther)
	d, _ := a.db.DecisionByID(fx.ctx, id)
	r, _ := a.db.DecisionByID(fx.ctx, rev)
	if d.Status != domain.DecisionRevoked || d.RevokedByID == nil || *d.RevokedByID != rev || r.Number != "02/QĐ-UBND" {
		t.Fatalf("after signing the revocation: original %s by %v, revocation %q", d.Status, d.RevokedByID, r.Number)
	}
	if hist, _ := a.db.AchievementsOf(fx.ctx, domain.Subject{PersonID: fx.person}); len(hist) != 0 {
		t.Errorf("a revoked award is still in the history: %+v", hist)
	}
	var marked int
	a.db.Pool.QueryRow(fx.ctx, `SELECT count(*) FROM achievements WHERE decision_id = $1 AND revoked_by_decision_id = $2`, id, rev).Scan(&marked)
	if marked != 2 {
		t.Errorf("%d awards marked revoked, want 2", marked)
	}
	pub := htmlOf(t, a.client().get(paths.PublicDecision(id)))
	if pub.Find(`.revoked-note a[href="`+paths.PublicDecision(rev)+`"]`).Length() != 1 || !strings.Contains(pub.Text(), "02/QĐ-UBND") {
		t.Error("the public page of the revoked decision does not name its revocation")
	}
	wantStatus(t, staff.post(paths.DecisionRevoke(id), url.Values{"reason": {reason}, "form_key": {newIdempotencyKey()}}), http.StatusConflict)
	wantStatus(t, staff.get(paths.Certificates(id)), http.StatusConflict)
	// A new decision may now be drafted for the session.
	fx.draft(t, staff, fx.session)
}

// TestDecisionRefusals: a session not closed (409), a missing one (404), a
// second decision for the same session (409), the same form sent twice
// (one draft), another decision's awardee (404), certificates of a draft
// (409), bad IDs (404).
func TestDecisionRefusals(t *testing.T) {
	t.Parallel()
	fx := newDecisionFixture(t)
	a := fx.a
	staff, _ := a.loggedIn(domain.RoleStaff)
	leader, _ := a.loggedIn(domain.RoleLeader)
	open := fx.q(t, `INSERT INTO council_sessions (council_id, campaign_id, held_on, status) VALUES ($1, $2, '2026-11-21', 'open') RETURNING id`, fx.council, fx.campaign)
	wantStatus(t, staff.get(paths.DecisionNewFrom(open)), http.StatusConflict)
	wantStatus(t, staff.get(paths.DecisionNewFrom(999999)), http.StatusNotFound)
	wantStatus(t, staff.get(paths.DecisionNew()+"?session=abc"), http.StatusNotFound)
	doc := htmlOf(t, staff.get(paths.DecisionNewFrom(fx.session)))
	form := decisionForm(doc, "form.decision-form")
	resp := staff.post(paths.Decisions(), form)
	wantStatus(t, resp, http.StatusSeeOther)
	again := staff.post(paths.Decisions(), form)
	if again.StatusCode != http.StatusSeeOther || again.Header.Get("Location") != resp.Header.Get("Location") {
		t.Errorf("double submit: %d %q", again.StatusCode, again.Header.Get("Location"))
	}
	var n int
	a.db.Pool.QueryRow(fx.ctx, `SELECT count(*) FROM decisions`).Scan(&n)
	if n != 1 {
		t.Errorf("%d decisions after a double submit", n)
	}
	form.Set("form_key", newIdempotencyKey())
	wantStatus(t, staff.post(paths.Decisions(), form), http.StatusConflict)
	// A form with a missing title comes back with what was typed.
	form.Set("form_key", newIdempotencyKey())
	form.Set("title", "")
	form.Set("place", "Đồng Tháp (sửa)")
	bad := staff.post(paths.Decisions(), form)
	wantStatus(t, bad, http.StatusUnprocessableEntity)
	if v := htmlOf(t, bad).Find("input[name=place]").AttrOr("value", ""); v != "Đồng Tháp (sửa)" {
		t.Errorf("the refused form lost the place: %q", v)
	}
	var id int64
	fmt.Sscanf(resp.Header.Get("Location"), "/decisions/%d", &id)
	wantStatus(t, staff.get(paths.Certificates(id)), http.StatusConflict)
	// A leader who read the draft before staff changed it signs what they
	// read or nothing: 409, and it is not signed.
	page := htmlOf(t, leader.get(paths.Decision(id)))
	readVersion := page.Find(`.sign-box input[name=version]`).AttrOr("value", "")
	edit := decisionForm(htmlOf(t, staff.get(paths.Decision(id))), "#edit form")
	edit.Set("proposal", "Xét đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số 120/TTr-SNV ngày 25/11/2026.")
	wantStatus(t, staff.post(paths.Decision(id), edit), http.StatusSeeOther)
	stale := leader.post(paths.DecisionSign(id), url.Values{"version": {readVersion}})
	wantStatus(t, stale, http.StatusConflict)
	if !strings.Contains(bodyOf(stale), "Dự thảo đã được sửa sau khi bạn mở trang") {
		t.Error("the stale signature's 409 does not say why")
	}
	// The same leader's sign form sent twice at once: one signature, one
	// number, the other a 409.
	page = htmlOf(t, leader.get(paths.Decision(id)))
	form2 := url.Values{"version": {page.Find(`.sign-box input[name=version]`).AttrOr("value", "")}}
	codes := make([]int, 2)
	var wg sync.WaitGroup
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = leader.post(paths.DecisionSign(id), form2).StatusCode
		}()
	}
	wg.Wait()
	sort.Ints(codes)
	if codes[0] != http.StatusSeeOther || codes[1] != http.StatusConflict {
		t.Errorf("double sign: %v, want one 303 and one 409", codes)
	}
	var last int
	a.db.Pool.QueryRow(fx.ctx, `SELECT last_number FROM decision_registers WHERE issuer_id = $1`, fx.issuer).Scan(&last)
	if last != 1 {
		t.Errorf("register at %d after a double signature", last)
	}
	// Another decision's awardee.
	other := fx.closedSession(t)
	otherID := fx.draft(t, staff, other)
	otherAwardees, _ := a.db.DecisionAwardees(fx.ctx, otherID, a.srv.today())
	wantStatus(t, staff.get(paths.Certificate(id, otherAwardees[0].ID)), http.StatusNotFound)
	for _, p := range []string{"/decisions/abc", "/decisions/0", "/decisions/99999999999999999999", "/decisions/999999.pdf", "/public/decisions/999999"} {
		wantStatus(t, staff.get(p), http.StatusNotFound)
	}
	fp, _ := a.loggedIn(domain.RoleFocalPoint)
	wantStatus(t, fp.get(paths.Decision(id)), http.StatusForbidden)
}

// TestDecisionNumbersUnderConcurrency is acceptance 4: 50 drafts made at
// once, then signed at once by another leader, get the numbers 1 to 50 of
// their issuer's register for the year, each once; another issuer and
// another year have their own registers.
func TestDecisionNumbersUnderConcurrency(t *testing.T) {
	t.Parallel()
	fx := newDecisionFixture(t)
	a := fx.a
	const n = 50
	staffUser := a.user(domain.RoleStaff)
	leaderUser := a.user(domain.RoleLeader)
	asStaff := domain.WithActor(fx.ctx, domain.Actor{UserID: staffUser.ID})
	asLeader := domain.WithActor(fx.ctx, domain.Actor{UserID: leaderUser.ID})
	sessions := make([]int64, n)
	for i := range sessions {
		sessions[i] = fx.closedSession(t)
	}
	in := domain.DecisionInput{IssuerID: fx.issuer, Place: "Đồng Tháp", Title: "Về việc khen thưởng", Grounds: "Căn cứ Luật Thi đua, khen thưởng;",
		Achievement: "đã có thành tích", Recipients: "- Lưu: VT.", SignerTitle: "CHỦ TỊCH"}
	ids := make([]int64, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ids[i], errs[i] = a.db.DraftDecision(asStaff, sessions[i], in, newIdempotencyKey())
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("draft %d: %v", i, err)
		}
	}
	day := a.srv.today()
	numbers := make([]string, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := a.db.SignDecision(asLeader, ids[i], 1, day)
			if r != nil {
				numbers[i] = r.Number
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("sign %d: %v", i, err)
		}
	}
	var seqs []int
	rows, err := a.db.Pool.Query(fx.ctx, `SELECT seq FROM decisions WHERE issuer_id = $1 AND year = $2 ORDER BY seq`, fx.issuer, day.Year())
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var s int
		rows.Scan(&s)
		seqs = append(seqs, s)
	}
	rows.Close()
	if len(seqs) != n {
		t.Fatalf("%d signed decisions, want %d", len(seqs), n)
	}
	for i, s := range seqs {
		if s != i+1 {
			t.Fatalf("numbers %v: not 1..%d each once", seqs, n)
		}
	}
	sort.Strings(numbers)
	if numbers[0] != "01/QĐ-UBND" || numbers[n-1] != "50/QĐ-UBND" {
		t.Errorf("numbers from %q to %q", numbers[0], numbers[n-1])
	}
	var last int
	a.db.Pool.QueryRow(fx.ctx, `SELECT last_number FROM decision_registers WHERE issuer_id = $1 AND year = $2`, fx.issuer, day.Year()).Scan(&last)
	if last != n {
		t.Errorf("register at %d, want %d", last, n)
	}
	// Another issuer starts at 01; the next year starts at 01 again.
	other, err := a.db.SaveIssuer(asStaff, domain.Issuer{Name: "Sở Nội vụ tỉnh Đồng Tháp", Code: "SNV", Place: "Đồng Tháp", SignerTitle: "GIÁM ĐỐC"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		issuer int64
		day    int
		want   string
	}{{other, 0, "01/QĐ-SNV"}, {other, 0, "02/QĐ-SNV"}, {fx.issuer, 1, "01/QĐ-UBND"}, {fx.issuer, 0, "51/QĐ-UBND"}} {
		in.IssuerID = c.issuer
		// Other awardees: the same award under the same number twice would
		// be refused by the history's key.
		unit, err := a.db.CreateUnit(fx.ctx, domain.UnitInput{Name: "Xã thử " + newIdempotencyKey()[:6], Kind: domain.KindCommune, ValidFrom: domain.Day(2020, 1, 1)})
		if err != nil {
			t.Fatal(err)
		}
		entry := fx.q(t, `INSERT INTO shortlist_entries (shortlist_id, target, unit_id, status, sent_to_council_at) VALUES ($1, 'collective', $2, 'proposed', now()) RETURNING id`, fx.list, unit)
		id, err := a.db.DraftDecision(asStaff, fx.closedSessionOf(t, []int64{entry}), in, "")
		if err != nil {
			t.Fatal(err)
		}
		signDay := day.AddDate(c.day, 0, 0)
		r, err := a.db.SignDecision(asLeader, id, 1, signDay)
		if err != nil || r.Number != c.want {
			t.Errorf("issuer %d in %d: %v %v, want %s", c.issuer, signDay.Year(), r, err, c.want)
		}
	}
}

// TestIssuerEditor: staff add and correct issuing bodies; a bad code comes
// back with what was typed; leaders may not.
func TestIssuerEditor(t *testing.T) {
	t.Parallel()
	fx := newDecisionFixture(t)
	a := fx.a
	staff, _ := a.loggedIn(domain.RoleStaff)
	leader, _ := a.loggedIn(domain.RoleLeader)
	form := url.Values{"name": {"Sở Nội vụ tỉnh Đồng Tháp"}, "code": {"snv"}, "place": {"Đồng Tháp"}, "signer_title": {"GIÁM ĐỐC"}}
	wantStatus(t, leader.post(paths.DecisionIssuers(), form), http.StatusForbidden)
	resp := staff.post(paths.DecisionIssuers(), form)
	wantStatus(t, resp, http.StatusSeeOther)
	issuers, _ := a.db.Issuers(fx.ctx)
	var snv *domain.Issuer
	for i := range issuers {
		if issuers[i].Code == "SNV" {
			snv = &issuers[i]
		}
	}
	if snv == nil {
		t.Fatalf("issuers %+v", issuers)
	}
	form.Set("code", "S N V!")
	resp = staff.post(paths.DecisionIssuer(snv.ID), form)
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	doc := htmlOf(t, resp)
	if doc.Find(fmt.Sprintf("#code-%d", snv.ID)).AttrOr("value", "") != "S N V!" || doc.Find(fmt.Sprintf("#code-%d-error", snv.ID)).Length() != 1 {
		t.Error("the refused issuer form lost what was typed or its problem")
	}
	wantStatus(t, staff.post(paths.DecisionIssuer(999999), form), http.StatusNotFound)
	form.Set("name", "Ủy ban nhân dân tỉnh Đồng Tháp")
	form.Set("code", "SNV")
	wantStatus(t, staff.post(paths.DecisionIssuers(), form), http.StatusUnprocessableEntity)
}
