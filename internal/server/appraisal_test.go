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
	"thidua/internal/postgres"
)

// appraisalSetup is a campaign with one unit's form submitted with full
// marks, and an appraiser (a focal point of another unit) assigned to it.
type appraisalSetup struct {
	a         *app
	wk        work
	staff, fp *client
	staffUser *domain.User
	appraiser *client
	appUser   *domain.User
	id        int64  // the form
	page      string // its appraisal form
	leaves    []domain.Criterion
}

func newAppraisalSetup(t *testing.T) appraisalSetup {
	t.Helper()
	a := newApp(t, nil)
	wk := newWork(t, a)
	staff, staffUser := a.loggedIn(domain.RoleStaff)
	fp, _ := a.loggedIn(domain.RoleFocalPoint)
	wk.register(t, fp, staff)
	form := wk.start(t, fp)
	wantStatus(t, fp.post(form+"/submit", fullMarks(t, fp, wk, form)), http.StatusSeeOther)
	id := mustAssessment(t, a, form)
	other, err := a.db.CreateUnit(context.Background(), domain.UnitInput{Name: "Sở Tài chính", Code: "TEST-STC", Kind: domain.KindDepartment})
	if err != nil {
		t.Fatal(err)
	}
	u := a.userIn(domain.RoleFocalPoint, other)
	ap := a.client()
	ap.login(u.Email, testPassword)
	assign(t, a, wk.campaign, id, u.ID)
	nodes, _ := a.db.Criteria(context.Background(), wk.set)
	return appraisalSetup{a: a, wk: wk, staff: staff, staffUser: staffUser, fp: fp, appraiser: ap, appUser: u, id: id,
		page: fmt.Sprintf("%s/appraisal/%d", wk.page, id), leaves: domain.Leaves(nodes)}
}

// assign puts a user on a campaign's appraisal team and assigns them a
// form (the appraisal team's page is another piece of work; the tables are
// the shared schema).
func assign(t *testing.T, a *app, campaign, assessment, user int64) {
	t.Helper()
	ctx := context.Background()
	if _, err := a.db.Pool.Exec(ctx, `INSERT INTO campaign_members (campaign_id, user_id, role) VALUES ($1, $2, 'appraiser') ON CONFLICT DO NOTHING`,
		campaign, user); err != nil {
		t.Fatal(err)
	}
	if _, err := a.db.Pool.Exec(ctx, `INSERT INTO appraisal_assignments (campaign_id, assessment_id, appraiser_id) VALUES ($1, $2, $3)`,
		campaign, assessment, user); err != nil {
		t.Fatal(err)
	}
}

func (s appraisalSetup) receive(t *testing.T) {
	t.Helper()
	wantStatus(t, s.staff.post(fmt.Sprintf("%s/assessments/%d/receive", s.wk.page, s.id), url.Values{}), http.StatusSeeOther)
}

// leaf returns the first leaf scored by method.
func (s appraisalSetup) leaf(t *testing.T, method domain.Method) domain.Criterion {
	t.Helper()
	for _, n := range s.leaves {
		if n.Method == method {
			return n
		}
	}
	t.Fatalf("no criterion scored by %s", method)
	return domain.Criterion{}
}

// appraisalValues reads the appraisal form as a browser would send it.
func appraisalValues(doc *goquery.Document) url.Values {
	v := url.Values{}
	doc.Find("form.appraisal-form input, form.appraisal-form textarea").Each(func(_ int, s *goquery.Selection) {
		name, _ := s.Attr("name")
		if name == "" || s.AttrOr("disabled", "x") != "x" {
			return
		}
		if s.Is("input[type=checkbox], input[type=radio]") {
			if _, checked := s.Attr("checked"); checked {
				v.Add(name, s.AttrOr("value", ""))
			}
			return
		}
		if s.Is("textarea") {
			v.Set(name, s.Text())
			return
		}
		v.Set(name, s.AttrOr("value", ""))
	})
	return v
}

// stored reads a criterion's appraised and final points and the form's
// status and appraised total.
func (s appraisalSetup) stored(t *testing.T, criterion int64) (appraised, final *int, comment string) {
	t.Helper()
	if err := s.a.db.Pool.QueryRow(context.Background(), `SELECT appraised_points, final_points, appraisal_comment FROM scores
		WHERE assessment_id = $1 AND criterion_id = $2`, s.id, criterion).Scan(&appraised, &final, &comment); err != nil {
		t.Fatal(err)
	}
	return
}

func (s appraisalSetup) status(t *testing.T) (status string, appraisedPoints int, replyUntil *time.Time) {
	t.Helper()
	if err := s.a.db.Pool.QueryRow(context.Background(), `SELECT status, appraised_points, reply_until FROM assessments WHERE id = $1`, s.id).
		Scan(&status, &appraisedPoints, &replyUntil); err != nil {
		t.Fatal(err)
	}
	return
}

func countRows(t *testing.T, a *app, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := a.db.Pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestAppraisalSaveAndComplete walks one form through its appraisal:
// not editable before it is received, a changed score refused without a
// comment (what was typed kept, nothing written), saved with one, "accept
// all" filling only the criteria not yet touched, completion refused while
// a criterion is missing and then opening the reply window; a second
// completion and a save after it change nothing.
func TestAppraisalSaveAndComplete(t *testing.T) {
	t.Parallel()
	s := newAppraisalSetup(t)
	pts := s.leaf(t, domain.MethodPoints)
	id := fmt.Sprint(pts.ID)

	// Submitted, not received: shown, nothing editable, a save refused.
	doc := htmlOf(t, s.appraiser.get(s.page))
	if doc.Find("form.appraisal-form textarea:not([disabled])").Length() != 0 {
		t.Error("the appraisal form is editable before the form is received")
	}
	if doc.Find("form[action$=\"/receive\"]").Length() != 0 {
		t.Error("an appraiser is offered to receive the form")
	}
	resp := s.appraiser.post(s.page, url.Values{"ae_" + id: {"x"}, "ap_" + id: {"1"}, "av_" + id: {"1"}})
	wantStatus(t, resp, http.StatusConflict)
	if !strings.Contains(bodyOf(resp), "chưa được tiếp nhận") {
		t.Error("the refusal does not say the form is not received")
	}
	// Staff receive it, twice (a double click): one history line.
	if htmlOf(t, s.staff.get(s.page)).Find("form[action$=\"/receive\"]").Length() != 1 {
		t.Error("staff are not offered to receive the submitted form")
	}
	s.receive(t)
	s.receive(t)
	if n := countRows(t, s.a, `SELECT count(*) FROM assessment_history WHERE assessment_id = $1 AND action = 'receive'`, s.id); n != 1 {
		t.Errorf("%d receive lines in the history, want 1", n)
	}
	if st, _, _ := s.status(t); st != "received" {
		t.Fatalf("status %s after receiving", st)
	}

	// A lower score without a comment: refused beside the criterion, the
	// typed value kept, nothing written.
	vals := appraisalValues(htmlOf(t, s.appraiser.get(s.page)))
	step := pts.Step
	if step <= 0 {
		step = 100
	}
	lowerPts := pts.Max - step
	lower := lowerPts.String()
	vals.Set("ap_"+id, lower)
	resp = s.appraiser.post(s.page, vals)
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	doc = htmlOf(t, resp)
	row := doc.Find("#c-" + id)
	if !strings.Contains(row.Find(".field-error").Text(), "cần ghi nhận xét") {
		t.Errorf("no comment-required problem beside the criterion: %q", row.Text())
	}
	if got := row.Find("input[name=ap_"+id+"]").AttrOr("value", ""); got != lower {
		t.Errorf("typed value not kept: %q", got)
	}
	if ap, _, _ := s.stored(t, pts.ID); ap != nil {
		t.Error("a refused save wrote the appraised score")
	}

	// With a comment it is saved, with its final value and history.
	vals.Set("ae_"+id, "Thiếu biên bản kiểm tra")
	wantStatus(t, s.appraiser.post(s.page, vals), http.StatusSeeOther)
	ap, final, comment := s.stored(t, pts.ID)
	if ap == nil || final == nil || *ap != int(lowerPts) || *final != *ap || comment != "Thiếu biên bản kiểm tra" {
		t.Errorf("stored appraised %v final %v comment %q", ap, final, comment)
	}
	if n := countRows(t, s.a, `SELECT count(*) FROM assessment_history WHERE assessment_id = $1 AND action = 'appraise'`, s.id); n != 1 {
		t.Errorf("%d appraise lines in the history, want 1", n)
	}
	// The adjusted filter shows that criterion only.
	doc = htmlOf(t, s.appraiser.get(s.page+"?filter=adjusted"))
	if n := doc.Find("fieldset.ap-row").Length(); n != 1 || doc.Find("#c-"+id).Length() != 1 {
		t.Errorf("adjusted filter shows %d rows", n)
	}
	if n := htmlOf(t, s.appraiser.get(s.page+"?filter=noevidence")).Find("fieldset.ap-row").Length(); n != len(s.leaves) {
		t.Errorf("no-evidence filter shows %d rows, want %d (no file attached)", n, len(s.leaves))
	}
	wantStatus(t, s.appraiser.get(s.page+"?filter=x"), http.StatusBadRequest)

	// Completing now is refused: the others have no appraised score.
	vals = appraisalValues(htmlOf(t, s.appraiser.get(s.page)))
	resp = s.appraiser.post(s.page+"/complete", vals)
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	if !strings.Contains(bodyOf(resp), fmt.Sprintf("Còn %d tiêu chí chưa có điểm thẩm định", len(s.leaves)-1)) {
		t.Error("the refusal does not count the criteria left")
	}
	if st, _, _ := s.status(t); st != "received" {
		t.Errorf("status %s after a refused completion", st)
	}

	// Accept all: every untouched criterion takes the unit's value; the
	// adjusted one keeps its adjustment.
	wantStatus(t, s.appraiser.post(s.page+"/accept-all", appraisalValues(htmlOf(t, s.appraiser.get(s.page)))), http.StatusSeeOther)
	if again, _, comment2 := s.stored(t, pts.ID); again == nil || *again != *ap || comment2 != comment {
		t.Errorf("accept all changed the adjusted criterion: %v %q", again, comment2)
	}
	if n := countRows(t, s.a, `SELECT count(*) FROM scores WHERE assessment_id = $1 AND (appraised_points IS NOT NULL OR appraised_na)
		AND final_points IS NOT DISTINCT FROM appraised_points`, s.id); n != len(s.leaves) {
		t.Errorf("%d criteria appraised after accept all, want %d", n, len(s.leaves))
	}
	if n := countRows(t, s.a, `SELECT count(*) FROM scores WHERE assessment_id = $1 AND criterion_id <> $2 AND appraised_points IS DISTINCT FROM points`,
		s.id, pts.ID); n != 0 {
		t.Errorf("%d accepted criteria differ from the unit's value", n)
	}
	var self, appraised, final2 int
	_ = s.a.db.Pool.QueryRow(context.Background(), `SELECT total_points, appraised_points, final_points FROM assessments WHERE id = $1`, s.id).Scan(&self, &appraised, &final2)
	if appraised != self-(int(pts.Max)-*ap) || final2 != appraised {
		t.Errorf("totals: self %d, appraised %d, final %d", self, appraised, final2)
	}

	// Complete: appraised, the reply window of the phase's 5 working days.
	wantStatus(t, s.appraiser.post(s.page+"/complete", appraisalValues(htmlOf(t, s.appraiser.get(s.page)))), http.StatusSeeOther)
	st, _, until := s.status(t)
	want := domain.ReplyUntil(domain.DateOf(time.Now()), 5, nil)
	if st != "appraised" || until == nil || !until.Equal(want) {
		t.Errorf("after completing: %s until %v, want appraised until %s", st, until, want.Format("02/01/2006"))
	}
	// A double click changes nothing; a later save is refused.
	wantStatus(t, s.appraiser.post(s.page+"/complete", url.Values{}), http.StatusSeeOther)
	if n := countRows(t, s.a, `SELECT count(*) FROM assessment_history WHERE assessment_id = $1 AND action = 'appraisal_done'`, s.id); n != 1 {
		t.Errorf("%d completions in the history, want 1", n)
	}
	vals = url.Values{"ap_" + id: {pts.Max.String()}, "ae_" + id: {""}, "oap_" + id: {lower}, "oae_" + id: {comment}, "av_" + id: {"1"}}
	wantStatus(t, s.appraiser.post(s.page, vals), http.StatusConflict)
	if ap3, _, _ := s.stored(t, pts.ID); *ap3 != *ap {
		t.Error("a save after completion changed the score")
	}
}

// TestAppraisalStaleSave: two appraisers load the form; the second to save
// a criterion the first changed meanwhile gets a conflict that keeps what
// they typed, and the first one's value stays.
func TestAppraisalStaleSave(t *testing.T) {
	t.Parallel()
	s := newAppraisalSetup(t)
	s.receive(t)
	pts := s.leaf(t, domain.MethodPoints)
	id := fmt.Sprint(pts.ID)
	// Staff see the form read-only and may not appraise it until assigned.
	if n := htmlOf(t, s.staff.get(s.page)).Find("form.appraisal-form textarea:not([disabled])").Length(); n > 0 {
		t.Errorf("an unassigned staff member sees %d editable criteria", n)
	}
	first := url.Values{"ap_" + id: {pts.Max.String()}, "ae_" + id: {""}, "av_" + id: {"1"}}
	wantStatus(t, s.staff.post(s.page, first), http.StatusForbidden)
	if ap, _, _ := s.stored(t, pts.ID); ap != nil {
		t.Error("an unassigned staff member's save was written")
	}
	assign(t, s.a, s.wk.campaign, s.id, s.staffUser.ID)
	first = appraisalValues(htmlOf(t, s.staff.get(s.page)))
	second := appraisalValues(htmlOf(t, s.appraiser.get(s.page)))
	first.Set("ap_"+id, pts.Max.String())
	wantStatus(t, s.staff.post(s.page, first), http.StatusSeeOther)
	// The same save sent twice (a double click) is no conflict and writes
	// nothing more.
	wantStatus(t, s.staff.post(s.page, first), http.StatusSeeOther)
	if n := countRows(t, s.a, `SELECT count(*) FROM assessment_history WHERE assessment_id = $1 AND action = 'appraise'`, s.id); n != 1 {
		t.Errorf("%d appraise lines after a double click, want 1", n)
	}
	second.Set("ap_"+id, "0")
	second.Set("ae_"+id, "Không có minh chứng")
	resp := s.appraiser.post(s.page, second)
	wantStatus(t, resp, http.StatusConflict)
	row := htmlOf(t, resp).Find("#c-" + id)
	if row.Find(".ap-conflict").Length() != 1 || row.Find("input[name=ap_"+id+"]").AttrOr("value", "") != "0" ||
		row.Find("textarea[name=ae_"+id+"]").Text() != "Không có minh chứng" {
		t.Errorf("the conflict does not keep what was typed: %q", row.Text())
	}
	if ap, _, _ := s.stored(t, pts.ID); ap == nil || *ap != int(pts.Max) {
		t.Errorf("the first save was overwritten: %v", ap)
	}
	// Sent again from the conflict page (the version now current), it saves.
	again := appraisalValues(htmlOf(t, resp))
	wantStatus(t, s.appraiser.post(s.page, again), http.StatusSeeOther)
	if ap, _, _ := s.stored(t, pts.ID); ap == nil || *ap != 0 {
		t.Errorf("the resent save did not apply: %v", ap)
	}
}

// TestAppraisalAccess: another campaign's form, a form not assigned to the
// appraiser or not submitted is not found; users with no assignment and
// the unit's own focal point are refused; a locked form takes no change.
func TestAppraisalAccess(t *testing.T) {
	t.Parallel()
	s := newAppraisalSetup(t)
	s.receive(t)
	ctx := context.Background()
	// A second unit's form in another campaign, assigned to the appraiser
	// there, is not reachable through this campaign's address.
	if _, err := s.a.db.Pool.Exec(ctx, `UPDATE campaigns SET plan_number = '8/KH-SNV' WHERE id = $1`, s.wk.campaign); err != nil {
		t.Fatal(err)
	}
	wk2 := newWork(t, s.a)
	otherUnit, _ := s.a.db.CreateUnit(ctx, domain.UnitInput{Name: "Sở Xây dựng", Code: "TEST-SXD", Kind: domain.KindDepartment})
	fp2 := s.a.client()
	fp2.login(s.a.userIn(domain.RoleFocalPoint, otherUnit).Email, testPassword)
	wk2.register(t, fp2, s.staff)
	form2 := wk2.start(t, fp2)
	wantStatus(t, fp2.post(form2+"/submit", fullMarks(t, fp2, wk2, form2)), http.StatusSeeOther)
	id2 := mustAssessment(t, s.a, form2)
	assign(t, s.a, wk2.campaign, id2, s.appUser.ID)
	wantStatus(t, s.appraiser.get(fmt.Sprintf("%s/appraisal/%d", s.wk.page, id2)), http.StatusNotFound)
	wantStatus(t, s.staff.get(fmt.Sprintf("%s/appraisal/%d", s.wk.page, id2)), http.StatusNotFound)
	// An appraiser of this campaign not assigned to this form.
	other := s.a.userIn(domain.RoleLeader, 0)
	oc := s.a.client()
	oc.login(other.Email, testPassword)
	wantStatus(t, oc.get(s.page), http.StatusForbidden) // no assignment in the campaign at all
	assign(t, s.a, wk2.campaign, id2, other.ID)
	wantStatus(t, oc.get(s.page), http.StatusForbidden) // an assignment in another campaign only
	// Their list shows only their own form.
	list := htmlOf(t, s.appraiser.get(s.wk.page+"/appraisal"))
	if n := list.Find("table.appraisal-list tbody tr").Length(); n != 1 {
		t.Errorf("the appraiser's list has %d rows, want 1", n)
	}
	// The unit's own focal point and a focal point without assignment.
	wantStatus(t, s.fp.get(s.page), http.StatusForbidden)
	wantStatus(t, s.fp.get(s.wk.page+"/appraisal"), http.StatusForbidden)
	// Focal points and appraisers cannot receive.
	wantStatus(t, s.appraiser.post(fmt.Sprintf("%s/assessments/%d/receive", s.wk.page, s.id), url.Values{}), http.StatusForbidden)
	// A draft form is not on the appraisal.
	var draft int64
	_ = s.a.db.Pool.QueryRow(ctx, `INSERT INTO assessments (campaign_id, set_id, phase_id, unit_id, registration_id)
		SELECT campaign_id, set_id, phase_id, $2, registration_id FROM assessments WHERE id = $1 RETURNING id`, s.id, otherUnit).Scan(&draft)
	assign(t, s.a, s.wk.campaign, draft, s.appUser.ID)
	wantStatus(t, s.appraiser.get(fmt.Sprintf("%s/appraisal/%d", s.wk.page, draft)), http.StatusNotFound)

	// Locked (the reply work locks it): every change refused, nothing written.
	pts := s.leaf(t, domain.MethodPoints)
	id := fmt.Sprint(pts.ID)
	vals := appraisalValues(htmlOf(t, s.appraiser.get(s.page)))
	if _, err := s.a.db.Pool.Exec(ctx, `UPDATE assessments SET status = 'locked' WHERE id = $1`, s.id); err != nil {
		t.Fatal(err)
	}
	before := countRows(t, s.a, `SELECT count(*) FROM assessment_history WHERE assessment_id = $1`, s.id)
	vals.Set("ap_"+id, pts.Max.String())
	for _, path := range []string{s.page, s.page + "/accept-all", s.page + "/complete"} {
		resp := s.appraiser.post(path, vals)
		wantStatus(t, resp, http.StatusConflict)
		if !strings.Contains(bodyOf(resp), "Kết quả của hồ sơ đã chốt") {
			t.Errorf("%s: the refusal does not say the form is locked", path)
		}
	}
	wantStatus(t, s.staff.post(fmt.Sprintf("%s/assessments/%d/receive", s.wk.page, s.id), url.Values{}), http.StatusConflict)
	if _, err := s.a.db.SaveAppraisal(domain.WithActor(ctx, domain.Actor{UserID: s.appUser.ID}), s.id,
		[]postgres.ScoreEdit{{CriterionID: pts.ID, Entry: domain.Entry{Points: &pts.Max}, Version: 1}}); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Errorf("the storage took an appraisal of a locked form: %v", err)
	}
	if after := countRows(t, s.a, `SELECT count(*) FROM assessment_history WHERE assessment_id = $1`, s.id); after != before {
		t.Error("a refused change was written to the history")
	}
	if ap, _, _ := s.stored(t, pts.ID); ap != nil {
		t.Error("a locked form's score changed")
	}
}
