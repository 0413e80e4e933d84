package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"thidua/internal/domain"
	"thidua/internal/postgres"
)

// replyCase is a submitted PAR form whose appraisal is complete with some
// criteria adjusted, its unit's focal point, staff, and an appraiser
// assigned to it (a leader: appraisers may have any role).
type replyCase struct {
	a                    *app
	wk                   work
	form                 string
	id                   int64
	fp, staff, appraiser *client
	users                map[string]*domain.User // fp, staff, appraiser
	nodes                []domain.Criterion
	points, yesno, tiers domain.Criterion // the adjusted criteria
	untouched            domain.Criterion // a criterion the appraisal left as it was
}

func newReplyCase(t *testing.T) *replyCase {
	t.Helper()
	a := newApp(t, nil)
	wk := newWork(t, a)
	staff, su := a.loggedIn(domain.RoleStaff)
	fp, fu := a.loggedIn(domain.RoleFocalPoint)
	wk.register(t, fp, staff)
	form := wk.start(t, fp)
	submitForm(t, fp, wk, form)
	rc := &replyCase{a: a, wk: wk, form: form, id: mustAssessment(t, a, form), fp: fp, staff: staff,
		users: map[string]*domain.User{"fp": fu, "staff": su}}
	nodes, err := a.db.Criteria(context.Background(), wk.set)
	if err != nil {
		t.Fatal(err)
	}
	rc.nodes = nodes
	for _, n := range domain.Leaves(nodes) {
		switch {
		case n.Method == domain.MethodPoints && rc.points.ID == 0:
			rc.points = n
		case n.Method == domain.MethodPoints && rc.untouched.ID == 0:
			rc.untouched = n
		case n.Method == domain.MethodYesNo && rc.yesno.ID == 0:
			rc.yesno = n
		case n.Method == domain.MethodTiers && rc.tiers.ID == 0:
			rc.tiers = n
		}
	}
	var leader *domain.User
	rc.appraiser, leader = a.loggedIn(domain.RoleLeader)
	rc.users["appraiser"] = leader
	if _, err := a.db.Pool.Exec(context.Background(), `INSERT INTO campaign_members (campaign_id, user_id, role) VALUES ($1, $2, 'appraiser')`,
		wk.campaign, leader.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.db.Pool.Exec(context.Background(), `INSERT INTO appraisal_assignments (campaign_id, assessment_id, appraiser_id) VALUES ($1, $2, $3)`,
		wk.campaign, rc.id, leader.ID); err != nil {
		t.Fatal(err)
	}
	rc.appraise(t)
	return rc
}

// appraise completes the appraisal through the appraisal's own operations
// (receive, the appraiser's scores, complete): every criterion as the unit
// scored it but three lowered with a comment; completing opens the reply
// window of five working days.
func (rc *replyCase) appraise(t *testing.T) {
	t.Helper()
	ctx := domain.WithActor(context.Background(), domain.Actor{UserID: rc.users["appraiser"].ID})
	db := rc.a.db
	if _, err := db.ReceiveAssessment(ctx, rc.id); err != nil {
		t.Fatal(err)
	}
	a, err := db.AssessmentByID(ctx, rc.id)
	if err != nil {
		t.Fatal(err)
	}
	stored, err := db.Scores(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	half, zero := rc.points.Max/2, domain.Points(0)
	var edits []postgres.ScoreEdit
	for _, n := range domain.Leaves(rc.nodes) {
		sc := stored[n.ID]
		e := domain.Entry{Points: sc.Points, Measured: sc.Measured, NA: sc.NA}
		comment := "Tài liệu kiểm chứng chưa chứng minh được kết quả."
		switch n.ID {
		case rc.points.ID:
			e = domain.Entry{Points: &half, Explanation: comment}
		case rc.yesno.ID:
			e = domain.Entry{Points: &zero, Explanation: comment}
		case rc.tiers.ID:
			e = domain.Entry{Measured: ptr(int64(5000)), Explanation: comment}
		}
		edits = append(edits, postgres.ScoreEdit{CriterionID: n.ID, Entry: e, Version: sc.Version})
	}
	if conflicts, err := db.SaveAppraisal(ctx, rc.id, edits); err != nil || len(conflicts) > 0 {
		t.Fatalf("appraisal: %v, %d conflicts", err, len(conflicts))
	}
	if done, err := db.CompleteAppraisal(ctx, rc.id); err != nil || !done {
		t.Fatalf("complete: %v %v", done, err)
	}
	var until time.Time
	_ = db.Pool.QueryRow(ctx, `SELECT reply_until FROM assessments WHERE id = $1`, rc.id).Scan(&until)
	if want := domain.ReplyUntil(db.Now(), 5, nil); !until.Equal(want) {
		t.Errorf("reply window until %s, want 5 working days: %s", until.Format("02/01/2006"), want.Format("02/01/2006"))
	}
}

func ptr[T any](v T) *T { return &v }

// appraisedEntries are a form's appraised (or, with final, final) values
// as entries, for an independent total.
func appraisedEntries(scores map[int64]postgres.StoredScore, final bool) map[int64]domain.Entry {
	out := map[int64]domain.Entry{}
	for id, s := range scores {
		v := s.AppraisedEntry()
		if final {
			v = s.FinalEntry()
		}
		v.Explanation = ""
		out[id] = v
	}
	return out
}

func (rc *replyCase) reply() string { return rc.form + "/reply" }

func (rc *replyCase) answer(id int64) string { return fmt.Sprintf("%s/reply/%d/answer", rc.form, id) }

// versionOf reads a criterion's version as the reply page shows it.
func (rc *replyCase) versionOf(t *testing.T, id int64) string {
	t.Helper()
	var v int
	if err := rc.a.db.Pool.QueryRow(context.Background(), `SELECT version FROM scores WHERE assessment_id = $1 AND criterion_id = $2`, rc.id, id).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprint(v)
}

func (rc *replyCase) totals(t *testing.T) (appraised, final domain.Points, status string) {
	t.Helper()
	if err := rc.a.db.Pool.QueryRow(context.Background(), `SELECT appraised_converted, final_converted, status FROM assessments WHERE id = $1`, rc.id).
		Scan(&appraised, &final, &status); err != nil {
		t.Fatal(err)
	}
	return
}

// sendReply has the unit reply on the points criterion (and on the others
// given) and send.
func (rc *replyCase) sendReply(t *testing.T, texts map[int64]string) {
	t.Helper()
	f := url.Values{}
	for id, text := range texts {
		f.Set(fmt.Sprintf("r_%d", id), text)
		f.Set(fmt.Sprintf("v_%d", id), rc.versionOf(t, id))
	}
	wantStatus(t, rc.fp.post(rc.reply()+"/submit", f), http.StatusSeeOther)
}

func historyActions(t *testing.T, a *app, id int64) []string {
	t.Helper()
	rows, err := a.db.Pool.Query(context.Background(), `SELECT action FROM assessment_history WHERE assessment_id = $1 ORDER BY id`, id)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		_ = rows.Scan(&s)
		out = append(out, s)
	}
	return out
}

// TestReplyAcceptedChangesTotal is acceptance 3's first path: the unit sees
// the adjusted criteria with the appraiser's comment, replies (a draft,
// evidence marked as added with the reply, then one send), and the
// appraiser's acceptance changes the final total to the value entered.
func TestReplyAcceptedChangesTotal(t *testing.T) {
	t.Parallel()
	rc := newReplyCase(t)
	doc := htmlOf(t, rc.fp.get(rc.reply()))
	if n := doc.Find("section.reply-row").Length(); n != 3 {
		t.Fatalf("the unit sees %d adjusted criteria, want 3", n)
	}
	if !strings.Contains(doc.Find(fmt.Sprintf("#c-%d", rc.points.ID)).Text(), "chưa chứng minh được") {
		t.Error("the appraiser's comment is not shown")
	}
	form := htmlOf(t, rc.fp.get(rc.form))
	if form.Find(fmt.Sprintf("a[href='%s']", rc.reply())).Length() != 1 || form.Find("form.assessment-form button").Length() != 0 {
		t.Error("the appraised form does not link to its reply page, or still offers to save the self-assessment")
	}
	if doc.Find(fmt.Sprintf("#c-%d", rc.untouched.ID)).Length() != 0 {
		t.Error("a criterion the appraisal did not change is offered for a reply")
	}
	// A draft, then evidence for the reply.
	pid := rc.points.ID
	wantStatus(t, rc.fp.post(rc.reply(), url.Values{fmt.Sprintf("r_%d", pid): {"Đơn vị bổ sung Quyết định số 12/QĐ-STP."},
		fmt.Sprintf("v_%d", pid): {rc.versionOf(t, pid)}}), http.StatusSeeOther)
	wantStatus(t, rc.fp.uploadEvidence(fmt.Sprintf("%s/criteria/%d/evidence", rc.form, pid), "trang 2", "quyet-dinh.pdf", []byte("%PDF-1.4\n%%EOF\n")), http.StatusSeeOther)
	var during bool
	if err := rc.a.db.Pool.QueryRow(context.Background(), `SELECT during_reply FROM score_evidence WHERE assessment_id = $1 AND criterion_id = $2
		ORDER BY created_at DESC LIMIT 1`, rc.id, pid).Scan(&during); err != nil || !during {
		t.Errorf("evidence added with the reply is not marked: %v %v", during, err)
	}
	// Not on a criterion the appraisal left alone.
	wantStatus(t, rc.fp.uploadEvidence(fmt.Sprintf("%s/criteria/%d/evidence", rc.form, rc.untouched.ID), "", "khac.pdf", []byte("%PDF-1.4\n%%EOF\n")), http.StatusConflict)
	doc = htmlOf(t, rc.fp.get(rc.reply()))
	if !strings.Contains(doc.Find(fmt.Sprintf("#c-%d", pid)).Text(), "bổ sung khi giải trình") {
		t.Error("the reply page does not mark the evidence added with the reply")
	}
	if got := doc.Find(fmt.Sprintf("#r_%d", pid)).Text(); got != "Đơn vị bổ sung Quyết định số 12/QĐ-STP." {
		t.Errorf("the draft is not shown: %q", got)
	}
	// The appraiser cannot answer while the unit may still reply.
	wantStatus(t, rc.appraiser.post(rc.answer(pid), url.Values{"decision": {"accepted"}, "value": {rc.points.Max.String()},
		"version": {rc.versionOf(t, pid)}}), http.StatusConflict)

	rc.sendReply(t, map[int64]string{pid: "Đơn vị bổ sung Quyết định số 12/QĐ-STP."})
	before := len(historyActions(t, rc.a, rc.id))
	// Sent twice (a double click): nothing more is written.
	rc.sendReply(t, map[int64]string{pid: "Đơn vị bổ sung Quyết định số 12/QĐ-STP."})
	if after := len(historyActions(t, rc.a, rc.id)); after != before {
		t.Errorf("a second send wrote %d history rows", after-before)
	}
	// Changed after sending: refused.
	resp := rc.fp.post(rc.reply(), url.Values{fmt.Sprintf("r_%d", pid): {"Sửa lại"}, fmt.Sprintf("v_%d", pid): {rc.versionOf(t, pid)}})
	wantStatus(t, resp, http.StatusConflict)

	appraised, final, _ := rc.totals(t)
	if appraised != final {
		t.Fatalf("before any answer the final total %s differs from the appraised %s", final, appraised)
	}
	// Locking with a reply unanswered is refused.
	wantStatus(t, rc.appraiser.post(rc.form+"/lock", nil), http.StatusConflict)
	// A criterion without a reply has nothing to answer.
	wantStatus(t, rc.appraiser.post(rc.answer(rc.yesno.ID), url.Values{"decision": {"kept"}, "reason": {"x"}, "version": {rc.versionOf(t, rc.yesno.ID)}}), http.StatusNotFound)
	// The page offers the unit's own value by default.
	adoc := htmlOf(t, rc.appraiser.get(rc.reply()))
	if got := adoc.Find(fmt.Sprintf("#value_%d", pid)).AttrOr("value", ""); got != rc.points.Max.String() {
		t.Errorf("the answer starts from %q, want the unit's %s", got, rc.points.Max)
	}
	// A value the criterion's method refuses, then the accepted value.
	wantStatus(t, rc.appraiser.post(rc.answer(pid), url.Values{"decision": {"accepted"}, "value": {"99999"}, "version": {rc.versionOf(t, pid)}}), http.StatusUnprocessableEntity)
	accepted := rc.points.Max - rc.points.Step
	wantStatus(t, rc.appraiser.post(rc.answer(pid), url.Values{"decision": {"accepted"}, "value": {accepted.String()}, "reason": {"Tài liệu bổ sung hợp lệ."},
		"version": {rc.versionOf(t, pid)}}), http.StatusSeeOther)
	a, _ := rc.a.db.AssessmentByID(context.Background(), rc.id)
	scores, _ := rc.a.db.Scores(context.Background(), a)
	if s := scores[pid]; s.ReplyDecision != domain.ReplyAccepted || s.FinalPoints == nil || *s.FinalPoints != accepted || *s.AppraisedPoints != rc.points.Max/2 {
		t.Errorf("after acceptance: decision %q final %v appraised %v", s.ReplyDecision, s.FinalPoints, s.AppraisedPoints)
	}
	want := domain.ComputeTotals(rc.nodes, appraisedEntries(scores, true)).Converted
	appraised2, final, _ := rc.totals(t)
	if final != want || final <= appraised || appraised2 != appraised {
		t.Errorf("totals after acceptance: appraised %s → %s, final %s, want final %s (above the appraised)", appraised, appraised2, final, want)
	}
	wantStatus(t, rc.appraiser.post(rc.form+"/lock", nil), http.StatusSeeOther)
	if _, _, status := rc.totals(t); status != "locked" {
		t.Errorf("status after the lock: %s", status)
	}
	// Every value stays in the history, shown on the page.
	doc = htmlOf(t, rc.fp.get(rc.reply()))
	hist := doc.Find(fmt.Sprintf("#c-%d .reply-history", pid)).Text()
	for _, want := range []string{"giải trình tiêu chí", "chấp nhận giải trình", accepted.String()} {
		if !strings.Contains(hist, want) {
			t.Errorf("the criterion's history lacks %q: %s", want, hist)
		}
	}
	if !strings.Contains(doc.Find("details.history").Text(), "khóa kết quả") {
		t.Error("the form's history lacks the lock")
	}
}

// TestReplyKeptLeavesAdjustment: the appraiser keeps the adjustment, which
// needs a reason; the final total stays the appraised one and the unit sees
// the reason.
func TestReplyKeptLeavesAdjustment(t *testing.T) {
	t.Parallel()
	rc := newReplyCase(t)
	pid := rc.points.ID
	rc.sendReply(t, map[int64]string{pid: "Đề nghị xem xét lại.", rc.yesno.ID: "Đã ban hành kế hoạch đúng hạn."})
	wantStatus(t, rc.appraiser.post(rc.answer(pid), url.Values{"decision": {"kept"}, "reason": {"  "}, "version": {rc.versionOf(t, pid)}}), http.StatusUnprocessableEntity)
	wantStatus(t, rc.appraiser.post(rc.answer(pid), url.Values{"decision": {"kept"}, "reason": {"Không có văn bản chứng minh."},
		"version": {rc.versionOf(t, pid)}}), http.StatusSeeOther)
	// A stale answer (the version the page showed before) is refused.
	wantStatus(t, rc.appraiser.post(rc.answer(rc.yesno.ID), url.Values{"decision": {"kept"}, "reason": {"Quá hạn."}, "version": {"1"}}), http.StatusConflict)
	wantStatus(t, rc.appraiser.post(rc.answer(rc.yesno.ID), url.Values{"decision": {"kept"}, "reason": {"Quá hạn."},
		"version": {rc.versionOf(t, rc.yesno.ID)}}), http.StatusSeeOther)
	appraised, final, _ := rc.totals(t)
	if final != appraised {
		t.Errorf("kept adjustments changed the total: appraised %s, final %s", appraised, final)
	}
	wantStatus(t, rc.staff.post(rc.form+"/lock", nil), http.StatusSeeOther)
	text := htmlOf(t, rc.fp.get(rc.reply())).Find(fmt.Sprintf("#c-%d", pid)).Text()
	if !strings.Contains(text, "Giữ kết quả thẩm định") || !strings.Contains(text, "Không có văn bản chứng minh.") {
		t.Errorf("the unit does not see the kept adjustment with its reason: %s", text)
	}
}

// TestNoReplyBeforeTheWindowEnds: without a reply by the end of the window,
// the unit can no longer reply, the adjustments stand, and the result can
// be locked at once.
func TestNoReplyBeforeTheWindowEnds(t *testing.T) {
	t.Parallel()
	rc := newReplyCase(t)
	pid := rc.points.ID
	var until time.Time
	_ = rc.a.db.Pool.QueryRow(context.Background(), `SELECT reply_until FROM assessments WHERE id = $1`, rc.id).Scan(&until)
	// A draft within the window, never sent.
	wantStatus(t, rc.fp.post(rc.reply(), url.Values{fmt.Sprintf("r_%d", pid): {"Nháp chưa gửi"}, fmt.Sprintf("v_%d", pid): {rc.versionOf(t, pid)}}), http.StatusSeeOther)
	// Not yet lockable while the window is open.
	wantStatus(t, rc.appraiser.post(rc.form+"/lock", nil), http.StatusConflict)
	// The first minute of the day after the last one, in Vietnam.
	after := time.Date(until.Year(), until.Month(), until.Day()+1, 0, 1, 0, 0, domain.Zone)
	rc.a.db.Now = func() time.Time { return after }
	resp := rc.fp.post(rc.reply()+"/submit", url.Values{fmt.Sprintf("r_%d", pid): {"Nháp chưa gửi"}, fmt.Sprintf("v_%d", pid): {rc.versionOf(t, pid)}})
	wantStatus(t, resp, http.StatusConflict)
	if !strings.Contains(htmlOf(t, resp).Find(".error-summary").Text(), "Thời hạn giải trình đã hết") {
		t.Error("the refusal does not say the window is over")
	}
	wantStatus(t, rc.fp.uploadEvidence(fmt.Sprintf("%s/criteria/%d/evidence", rc.form, pid), "", "muon.pdf", []byte("%PDF-1.4\n%%EOF\n")), http.StatusConflict)
	// The draft is no reply: nothing to answer.
	wantStatus(t, rc.appraiser.post(rc.answer(pid), url.Values{"decision": {"accepted"}, "value": {"1"}, "version": {rc.versionOf(t, pid)}}), http.StatusNotFound)
	appraised, final, _ := rc.totals(t)
	wantStatus(t, rc.appraiser.post(rc.form+"/lock", nil), http.StatusSeeOther)
	_, locked, status := rc.totals(t)
	if status != "locked" || locked != appraised || final != appraised {
		t.Errorf("after the window: status %s, final %s, want the appraised %s", status, locked, appraised)
	}
}

// TestLockedRefusesEveryChange: after the lock every change by the unit,
// the appraiser or staff without reopening is refused with 409 and nothing
// is written; a reopening needs a reason, is recorded, and allows a change.
func TestLockedRefusesEveryChange(t *testing.T) {
	t.Parallel()
	rc := newReplyCase(t)
	pid := rc.points.ID
	rc.sendReply(t, map[int64]string{pid: "Đề nghị xem xét lại."})
	wantStatus(t, rc.appraiser.post(rc.answer(pid), url.Values{"decision": {"kept"}, "reason": {"Không đủ căn cứ."}, "version": {rc.versionOf(t, pid)}}), http.StatusSeeOther)
	wantStatus(t, rc.appraiser.post(rc.form+"/lock", nil), http.StatusSeeOther)

	before := fingerprint(t, rc.a)
	ev := fmt.Sprintf("%s/criteria/%d/evidence", rc.form, pid)
	self := fullMarks(t, rc.fp, rc.wk, rc.form)
	self.Set(fmt.Sprintf("e_%d", pid), "Giải trình sửa sau khi khóa")
	for _, c := range []struct {
		who  string
		do   func() *http.Response
		want int
	}{
		{"unit saves a reply", func() *http.Response {
			return rc.fp.post(rc.reply(), url.Values{fmt.Sprintf("r_%d", pid): {"Sửa"}, fmt.Sprintf("v_%d", pid): {rc.versionOf(t, pid)}})
		}, http.StatusConflict},
		{"unit sends a reply", func() *http.Response {
			return rc.fp.post(rc.reply()+"/submit", url.Values{fmt.Sprintf("r_%d", pid): {"Sửa"}, fmt.Sprintf("v_%d", pid): {rc.versionOf(t, pid)}})
		}, http.StatusConflict},
		{"unit uploads evidence", func() *http.Response {
			return rc.fp.uploadEvidence(ev, "", "sau-khoa.pdf", []byte("%PDF-1.4\n%%EOF\n"))
		}, http.StatusConflict},
		{"unit saves its self-assessment", func() *http.Response { return rc.fp.post(rc.form, self) }, http.StatusConflict},
		{"unit submits its self-assessment", func() *http.Response { return rc.fp.post(rc.form+"/submit", self) }, http.StatusConflict},
		{"appraiser changes an answer", func() *http.Response {
			return rc.appraiser.post(rc.answer(pid), url.Values{"decision": {"accepted"}, "value": {"1"}, "version": {rc.versionOf(t, pid)}})
		}, http.StatusConflict},
		{"staff change an answer (not assigned: nobody appraises a form not assigned to them)", func() *http.Response {
			return rc.staff.post(rc.answer(pid), url.Values{"decision": {"accepted"}, "value": {"1"}, "version": {rc.versionOf(t, pid)}})
		}, http.StatusForbidden},
		{"staff extend the deadline", func() *http.Response {
			return rc.staff.post(rc.form+"/extend", url.Values{"until": {domain.DateOf(time.Now()).AddDate(0, 0, 20).Format("2006-01-02")}, "reason": {"Gia hạn"}})
		}, http.StatusConflict},
		{"staff return the form", func() *http.Response {
			return rc.staff.post(rc.form+"/return", url.Values{fmt.Sprintf("r_%d", pid): {"Bổ sung"}})
		}, http.StatusConflict},
		{"staff reopen without a reason", func() *http.Response { return rc.staff.post(rc.form+"/reopen", url.Values{"reason": {" "}}) }, http.StatusUnprocessableEntity},
		{"appraiser reopens", func() *http.Response { return rc.appraiser.post(rc.form+"/reopen", url.Values{"reason": {"Sai sót"}}) }, http.StatusForbidden},
		{"unit reopens", func() *http.Response { return rc.fp.post(rc.form+"/reopen", url.Values{"reason": {"Sai sót"}}) }, http.StatusForbidden},
	} {
		resp := c.do()
		if resp.StatusCode != c.want {
			t.Errorf("%s after the lock: %d, want %d", c.who, resp.StatusCode, c.want)
		}
		if after := fingerprint(t, rc.a); after != before {
			t.Errorf("%s after the lock wrote data", c.who)
			before = after
		}
	}
	// A second lock (a double click) changes nothing either.
	wantStatus(t, rc.appraiser.post(rc.form+"/lock", nil), http.StatusSeeOther)
	if fingerprint(t, rc.a) != before {
		t.Error("locking a locked form wrote data")
	}

	wantStatus(t, rc.staff.post(rc.form+"/reopen", url.Values{"reason": {"Tổ thẩm định phát hiện sai sót khi tổng hợp."}}), http.StatusSeeOther)
	var reason, audited string
	_ = rc.a.db.Pool.QueryRow(context.Background(), `SELECT new_value->>'reason' FROM assessment_history WHERE assessment_id = $1 AND action = 'reopen'`, rc.id).Scan(&reason)
	_ = rc.a.db.Pool.QueryRow(context.Background(), `SELECT details->>'reason' FROM audit_log WHERE action = $1`, domain.AuditAssessmentReopen).Scan(&audited)
	if reason != "Tổ thẩm định phát hiện sai sót khi tổng hợp." || audited != reason {
		t.Errorf("reopening recorded %q in the history and %q in the audit log", reason, audited)
	}
	_, final, status := rc.totals(t)
	if status != "received" {
		t.Errorf("status after reopening: %s, want back in appraisal", status)
	}
	// A change is possible again: the appraiser gives the criterion its
	// full value, and completes the appraisal again (a new reply window).
	ctx := domain.WithActor(context.Background(), domain.Actor{UserID: rc.users["appraiser"].ID})
	full := rc.points.Max
	v, _ := strconv.Atoi(rc.versionOf(t, pid))
	if conflicts, err := rc.a.db.SaveAppraisal(ctx, rc.id, []postgres.ScoreEdit{{CriterionID: pid, Entry: domain.Entry{Points: &full}, Version: v,
		Orig: domain.Entry{Points: ptr(rc.points.Max / 2), Explanation: "Tài liệu kiểm chứng chưa chứng minh được kết quả."}}}); err != nil || len(conflicts) > 0 {
		t.Fatalf("appraisal after reopening: %v %v", err, conflicts)
	}
	if done, err := rc.a.db.CompleteAppraisal(ctx, rc.id); err != nil || !done {
		t.Fatalf("complete again: %v %v", done, err)
	}
	if _, after, status := rc.totals(t); after <= final || status != "appraised" {
		t.Errorf("after reopening: final %s (was %s), status %s", after, final, status)
	}
	// The unit may reply again in its new window.
	wantStatus(t, rc.fp.get(rc.reply()), http.StatusOK)
}

// TestReplyAccess: another unit's focal point and an appraiser not assigned
// get the 404 of a missing form; each role does only its part.
func TestReplyAccess(t *testing.T) {
	t.Parallel()
	rc := newReplyCase(t)
	ctx := context.Background()
	other, err := rc.a.db.CreateUnit(ctx, domain.UnitInput{Name: "Sở Y tế", Code: "TEST-SYT", Kind: domain.KindDepartment})
	if err != nil {
		t.Fatal(err)
	}
	stranger := rc.a.client()
	stranger.login(rc.a.userIn(domain.RoleFocalPoint, other).Email, testPassword)
	outsider, _ := rc.a.loggedIn(domain.RoleLeader)
	pid := rc.points.ID
	before := fingerprint(t, rc.a)
	for _, c := range []*client{stranger, outsider} {
		wantStatus(t, c.get(rc.reply()), http.StatusNotFound)
		for _, p := range []string{rc.reply(), rc.reply() + "/submit", rc.answer(pid), rc.form + "/lock", rc.form + "/reopen"} {
			wantStatus(t, c.post(p, url.Values{fmt.Sprintf("r_%d", pid): {"x"}, "decision": {"kept"}, "reason": {"x"}, "version": {"1"}}), http.StatusNotFound)
		}
	}
	wantStatus(t, rc.fp.post(rc.answer(pid), url.Values{"decision": {"kept"}, "reason": {"x"}, "version": {"1"}}), http.StatusForbidden)
	wantStatus(t, rc.fp.post(rc.form+"/lock", nil), http.StatusForbidden)
	wantStatus(t, rc.appraiser.post(rc.reply(), url.Values{fmt.Sprintf("r_%d", pid): {"x"}}), http.StatusForbidden)
	wantStatus(t, rc.staff.post(rc.reply()+"/submit", url.Values{fmt.Sprintf("r_%d", pid): {"x"}}), http.StatusForbidden)
	// A reply on a criterion the appraisal did not change is refused.
	wantStatus(t, rc.fp.post(rc.reply(), url.Values{fmt.Sprintf("r_%d", rc.untouched.ID): {"x"}, fmt.Sprintf("v_%d", rc.untouched.ID): {rc.versionOf(t, rc.untouched.ID)}}), http.StatusConflict)
	if fingerprint(t, rc.a) != before {
		t.Error("refused requests wrote data")
	}
	// The assigned appraiser and staff see the answer view; a recused one
	// no longer does.
	wantStatus(t, rc.appraiser.get(rc.reply()), http.StatusOK)
	wantStatus(t, rc.staff.get(rc.reply()), http.StatusOK)
	if _, err := rc.a.db.Pool.Exec(ctx, `UPDATE appraisal_assignments SET recused_at = now(), recusal_reason = 'Người thân làm việc tại đơn vị' WHERE assessment_id = $1`, rc.id); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, rc.appraiser.get(rc.reply()), http.StatusNotFound)
}
