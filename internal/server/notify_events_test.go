package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"thidua/internal/criteria"
	"thidua/internal/domain"
	"thidua/internal/i18n"
	"thidua/internal/paths"
	"thidua/internal/postgres"
)

// The notifications events write (issue 13, part "events"): each event of
// the real router tells exactly the people it concerns, in the event's
// transaction.

// notice is a notification as a test reads it back.
type notice struct {
	UserID  int64
	Message string
	Args    []string
	Detail  string
	Link    string
}

// noticesOf returns the notifications of a kind, by user.
func noticesOf(t *testing.T, a *app, kind domain.NotificationKind) []notice {
	t.Helper()
	rows, err := a.db.Pool.Query(context.Background(), `SELECT user_id, message, args, detail, link FROM notifications WHERE kind = $1 ORDER BY user_id, id`, string(kind))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []notice
	for rows.Next() {
		var n notice
		if err := rows.Scan(&n.UserID, &n.Message, &n.Args, &n.Detail, &n.Link); err != nil {
			t.Fatal(err)
		}
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// wantRecipients checks that the kind's notifications went to exactly the
// users, once each.
func wantRecipients(t *testing.T, ns []notice, users ...*domain.User) {
	t.Helper()
	if len(users) == 0 {
		t.Fatal("the fixture has no one to notify")
	}
	var got, want []int64
	for _, n := range ns {
		got = append(got, n.UserID)
	}
	for _, u := range users {
		want = append(want, u.ID)
	}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("notified users %v, want %v", got, want)
	}
}

// wantText checks that a notification reads, in Vietnamese, with each of
// the words.
func wantText(t *testing.T, n notice, words ...string) {
	t.Helper()
	args := make([]any, len(n.Args))
	for i, s := range n.Args {
		args[i] = s
	}
	text := i18n.Translate(i18n.Vietnamese, n.Message, args...)
	if !i18n.Has(n.Message) || strings.Contains(text, "%!") {
		t.Errorf("message %q with %q reads %q", n.Message, n.Args, text)
	}
	for _, w := range words {
		if !strings.Contains(text, w) {
			t.Errorf("message %q does not say %q", text, w)
		}
	}
	en := i18n.Translate(i18n.English, n.Message, args...)
	if strings.Contains(en, "%!") || en == text {
		t.Errorf("English of %q reads %q", n.Message, en)
	}
}

func count(t *testing.T, a *app, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := a.db.Pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestReturnNotifiesTheUnit is acceptance 1: returning a form tells the
// unit's focal points (with the reasons and the form's link), no one else
// (not the other unit's focal point, the other staff, a disabled focal
// point, the acting staff), queues the mails of those who take them, and a
// return that fails to commit leaves no notification, mail or job.
func TestReturnNotifiesTheUnit(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a := newApp(t, map[string]string{"EVIDENCE_DIR": t.TempDir()})
	other, err := a.db.CreateUnit(ctx, domain.UnitInput{Name: "Sở Y tế", Code: "TEST-SYT", Kind: domain.KindDepartment})
	if err != nil {
		t.Fatal(err)
	}
	wk := newWork(t, a)
	staff, staffUser := a.loggedIn(domain.RoleStaff)
	fp, fpUser := a.loggedIn(domain.RoleFocalPoint)
	colleague := a.user(domain.RoleFocalPoint) // the unit's second focal point: no mail by choice
	if err := a.db.SetNotificationPref(ctx, colleague.ID, domain.NotifyFormReturned, false); err != nil {
		t.Fatal(err)
	}
	gone := a.user(domain.RoleFocalPoint) // a disabled focal point of the unit
	if _, err := a.db.Pool.Exec(ctx, `UPDATE users SET disabled_at = now() WHERE id = $1`, gone.ID); err != nil {
		t.Fatal(err)
	}
	stranger := a.userIn(domain.RoleFocalPoint, other)
	otherStaff := a.user(domain.RoleStaff)
	admin := a.user(domain.RoleAdmin)

	wk.register(t, fp, staff)
	form := wk.start(t, fp)
	wantStatus(t, fp.post(form+"/submit", fullMarks(t, fp, wk, form)), http.StatusSeeOther)
	aid := mustAssessment(t, a, form)
	nodes, _ := a.db.Criteria(ctx, wk.set)
	leaves := domain.Leaves(nodes)
	before := count(t, a, `SELECT count(*) FROM notifications`)
	mailsBefore := count(t, a, `SELECT count(*) FROM mails`)
	jobsBefore := count(t, a, `SELECT count(*) FROM river_job WHERE kind = 'send_mail'`)

	reasons := url.Values{
		fmt.Sprintf("r_%d", leaves[1].ID): {"Thiếu quyết định ban hành kế hoạch"},
		fmt.Sprintf("r_%d", leaves[0].ID): {"Bổ sung kế hoạch đã ký"},
	}
	wantStatus(t, staff.post(form+"/return", reasons), http.StatusSeeOther)

	ns := noticesOf(t, a, domain.NotifyFormReturned)
	wantRecipients(t, ns, fpUser, colleague)
	if got := count(t, a, `SELECT count(*) FROM notifications`) - before; got != 2 {
		t.Errorf("the return wrote %d notifications, want 2 (the unit's two active focal points)", got)
	}
	for _, n := range ns {
		if n.Link != paths.Assessment(wk.campaign, aid) || n.Link != form {
			t.Errorf("link %q, want the form %q", n.Link, form)
		}
		wantText(t, n, "Sở Tư pháp", "Thi đua cải cách hành chính năm nay", "Đợt 1", "bị trả lại", "2 tiêu chí")
		want := leaves[0].Code + ": Bổ sung kế hoạch đã ký\n" + leaves[1].Code + ": Thiếu quyết định ban hành kế hoạch"
		if n.Detail != want {
			t.Errorf("detail %q, want the reasons in the criteria's order %q", n.Detail, want)
		}
	}
	// The focal point who takes mails has one queued with its job; the
	// colleague who opted out has none.
	if got := count(t, a, `SELECT count(*) FROM mails m JOIN notifications n ON n.id = m.notification_id
		WHERE n.kind = 'form_returned' AND n.user_id = $1 AND m.state = 'pending'`, fpUser.ID); got != 1 {
		t.Errorf("%d pending mails for the focal point, want 1", got)
	}
	if got := count(t, a, `SELECT count(*) FROM mails m JOIN notifications n ON n.id = m.notification_id
		WHERE n.kind = 'form_returned' AND n.user_id = $1`, colleague.ID); got != 0 {
		t.Errorf("%d mails for the focal point who chose none, want 0", got)
	}
	if got := count(t, a, `SELECT count(*) FROM river_job j JOIN mails m ON m.id = (j.args->>'mail_id')::bigint
		JOIN notifications n ON n.id = m.notification_id WHERE j.kind = 'send_mail' AND n.kind = 'form_returned'`); got != 1 {
		t.Errorf("%d mail jobs for the return, want 1", got)
	}
	if got := count(t, a, `SELECT count(*) FROM mails`) - mailsBefore; got != 1 {
		t.Errorf("the return queued %d mails, want 1", got)
	}
	if got := count(t, a, `SELECT count(*) FROM river_job WHERE kind = 'send_mail'`) - jobsBefore; got != 1 {
		t.Errorf("the return queued %d jobs, want 1", got)
	}
	for _, u := range []*domain.User{stranger, otherStaff, admin, staffUser, gone} {
		if got := count(t, a, `SELECT count(*) FROM notifications WHERE user_id = $1 AND kind = 'form_returned'`, u.ID); got != 0 {
			t.Errorf("%s (%s) got %d notifications of the return", u.Email, u.Role, got)
		}
	}

	// The focal point reads it in the inbox's store and its link opens.
	inbox, err := a.db.Notifications(ctx, fpUser.ID, true, 0, 50)
	if err != nil || len(inbox) == 0 || inbox[0].Kind != domain.NotifyFormReturned {
		t.Fatalf("the focal point's inbox: %v %v", inbox, err)
	}
	wantStatus(t, fp.get(inbox[0].Link), http.StatusOK)

	// A return that fails to commit (its audit entry is refused) leaves
	// nothing of its notifications, mails or jobs.
	vals := formValues(htmlOf(t, fp.get(form)))
	wantStatus(t, fp.post(form, vals), http.StatusSeeOther)
	wantStatus(t, fp.post(form+"/submit", formValues(htmlOf(t, fp.get(form)))), http.StatusSeeOther)
	if _, err := a.db.Pool.Exec(ctx, `
		CREATE FUNCTION refuse_return() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN
			IF NEW.action = 'assessment.return' THEN RAISE EXCEPTION 'audit refused'; END IF;
			RETURN NEW;
		END $$;
		CREATE TRIGGER refuse_return BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION refuse_return()`); err != nil {
		t.Fatal(err)
	}
	notes, mails, jobs := count(t, a, `SELECT count(*) FROM notifications`), count(t, a, `SELECT count(*) FROM mails`), count(t, a, `SELECT count(*) FROM river_job`)
	resp := staff.post(form+"/return", reasons)
	if resp.StatusCode < 500 {
		t.Errorf("a return whose audit entry fails answered %d, want an error", resp.StatusCode)
	}
	if got := count(t, a, `SELECT count(*) FROM notifications`); got != notes {
		t.Errorf("a failed return left %d notifications", got-notes)
	}
	if got := count(t, a, `SELECT count(*) FROM mails`); got != mails {
		t.Errorf("a failed return left %d mails", got-mails)
	}
	if got := count(t, a, `SELECT count(*) FROM river_job`); got != jobs {
		t.Errorf("a failed return left %d jobs", got-jobs)
	}
	if as, err := a.db.AssessmentByID(ctx, aid); err != nil || as.Status != domain.AssessSubmitted {
		t.Errorf("after the failed return the form is %v (%v), want still submitted", as.Status, err)
	}
	if _, err := a.db.Pool.Exec(ctx, `DROP TRIGGER refuse_return ON audit_log`); err != nil {
		t.Fatal(err)
	}
	// Returned once the log takes it again: the notice names the day to
	// resubmit by when one is given.
	until := domain.DateOf(time.Now()).AddDate(0, 0, 10)
	reasons.Set("until", until.Format("2006-01-02"))
	wantStatus(t, staff.post(form+"/return", reasons), http.StatusSeeOther)
	ns = noticesOf(t, a, domain.NotifyFormReturned)
	if len(ns) != 4 || ns[1].Message != "notify.form_returned.until" {
		t.Fatalf("after the second return: %+v", ns)
	}
	wantText(t, ns[1], i18n.Day(until))
}

// draftCampaign builds what newWorkWith builds, for target kinds and a
// scope, and leaves it a draft.
func draftCampaign(t *testing.T, a *app, scope *int64, kinds ...string) int64 {
	t.Helper()
	ctx := context.Background()
	today := domain.DateOf(time.Now())
	c := &domain.Campaign{PlanNumber: "9/KH-SNV", Title: "Thi đua xây dựng nông thôn mới", IssuerName: "Sở Nội vụ", IssueDate: today.AddDate(0, -1, 0),
		Kind: domain.KindRegular, PeriodStart: today.AddDate(0, -1, 0), PeriodEnd: today.AddDate(0, 2, 0), TargetKinds: kinds, ScopeUnitID: scope}
	id, err := a.db.CreateCampaign(ctx, c, "")
	if err != nil {
		t.Fatal(err)
	}
	from, to := today.AddDate(0, 0, -3), today.AddDate(0, 0, 3)
	if _, err := a.db.SavePhase(ctx, &domain.Phase{CampaignID: id, Name: "Đợt 1", Start: today.AddDate(0, -1, 0), End: today.AddDate(0, 1, 0),
		AssessmentFrom: &from, AssessmentTo: &to, ReviewKind: domain.ReviewAnnual}); err != nil {
		t.Fatal(err)
	}
	forms, _ := a.db.AwardForms(ctx)
	if err := a.db.SaveAwardPlan(ctx, postgres.AwardPlan{CampaignID: id, AwardFormID: forms[2].ID, MinBand: "good"}); err != nil {
		t.Fatal(err)
	}
	set, err := a.db.CreateCriteriaSet(ctx, id, "Xã", kinds, false)
	if err != nil {
		t.Fatal(err)
	}
	tpl, _ := criteria.TemplateByKey("par-commune")
	nodes, _ := criteria.Nodes(tpl.Rows)
	if err := a.db.ReplaceCriteria(ctx, set, nodes, "test"); err != nil {
		t.Fatal(err)
	}
	return id
}

// TestAnnounceNotifiesScope: announcing a campaign tells the focal points
// of the units in its scope and of its target kinds, and no one else; a
// refused announcement tells no one.
func TestAnnounceNotifiesScope(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a := newApp(t, nil)
	unit := func(name, code string, kind domain.UnitKind, parent *int64) int64 {
		id, err := a.db.CreateUnit(ctx, domain.UnitInput{Name: name, Code: code, Kind: kind, ParentID: parent})
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	district := unit("Huyện Cao Lãnh", "TEST-HCL", domain.KindDistrict, nil)
	inside := unit("Xã Mỹ Thọ", "TEST-XMT", domain.KindCommune, &district)
	outside := unit("Xã Tân Hồng", "TEST-XTH", domain.KindCommune, nil)
	commune := a.userIn(domain.RoleFocalPoint, inside)
	commune2 := a.userIn(domain.RoleFocalPoint, inside)
	notInScope := a.userIn(domain.RoleFocalPoint, outside)
	districtFP := a.userIn(domain.RoleFocalPoint, district) // in scope, not a target kind
	department := a.user(domain.RoleFocalPoint)
	staff, staffUser := a.loggedIn(domain.RoleStaff)
	leader := a.user(domain.RoleLeader)

	// Not ready (no phase): refused, nobody told.
	bare, err := a.db.CreateCampaign(ctx, &domain.Campaign{PlanNumber: "1/KH", Title: "Chưa đủ điều kiện", IssuerName: "Sở Nội vụ",
		IssueDate: domain.DateOf(time.Now()), Kind: domain.KindRegular, PeriodStart: domain.DateOf(time.Now()),
		PeriodEnd: domain.DateOf(time.Now()).AddDate(0, 1, 0), TargetKinds: []string{"commune"}}, "")
	if err != nil {
		t.Fatal(err)
	}
	resp := staff.post(paths.CampaignTransition(bare), url.Values{"to": {"announced"}})
	if resp.StatusCode == http.StatusSeeOther {
		t.Fatal("a campaign without phases was announced")
	}
	if n := noticesOf(t, a, domain.NotifyCampaignAnnounced); len(n) != 0 {
		t.Errorf("a refused announcement told %d people", len(n))
	}

	id := draftCampaign(t, a, &district, "commune")
	wantStatus(t, staff.post(paths.CampaignTransition(id), url.Values{"to": {"announced"}}), http.StatusSeeOther)
	ns := noticesOf(t, a, domain.NotifyCampaignAnnounced)
	wantRecipients(t, ns, commune, commune2)
	if len(ns) == 0 {
		t.FailNow()
	}
	for _, n := range ns {
		if n.Link != paths.Registrations(id) {
			t.Errorf("link %q, want the registrations %q", n.Link, paths.Registrations(id))
		}
		wantText(t, n, "Thi đua xây dựng nông thôn mới", "phát động")
	}
	for _, u := range []*domain.User{notInScope, districtFP, department, staffUser, leader} {
		if got := count(t, a, `SELECT count(*) FROM notifications WHERE user_id = $1`, u.ID); got != 0 {
			t.Errorf("%s (%s) got %d notifications", u.Email, u.Role, got)
		}
	}
	// The focal point opens the link: the campaign's registration.
	fp := a.client()
	fp.login(commune.Email, testPassword)
	wantStatus(t, fp.get(ns[0].Link), http.StatusOK)
}

// TestRegistrationDecisionNotifiesUnit: approving tells the registering
// unit's focal points; rejecting tells the other unit's, with the reason;
// registering all units at once tells each unit added.
func TestRegistrationDecisionNotifiesUnit(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a := newApp(t, nil)
	wk := newWork(t, a)
	other, err := a.db.CreateUnit(ctx, domain.UnitInput{Name: "Sở Y tế", Code: "TEST-SYT", Kind: domain.KindDepartment})
	if err != nil {
		t.Fatal(err)
	}
	third, err := a.db.CreateUnit(ctx, domain.UnitInput{Name: "Sở Tài chính", Code: "TEST-STC", Kind: domain.KindDepartment})
	if err != nil {
		t.Fatal(err)
	}
	staff, staffUser := a.loggedIn(domain.RoleStaff)
	fp, fpUser := a.loggedIn(domain.RoleFocalPoint)
	health := a.userIn(domain.RoleFocalPoint, other)
	hc := a.client()
	hc.login(health.Email, testPassword)
	finance := a.userIn(domain.RoleFocalPoint, third)

	wk.register(t, fp, staff)
	ns := noticesOf(t, a, domain.NotifyRegistrationDecided)
	wantRecipients(t, ns, fpUser)
	if len(ns) == 1 {
		if ns[0].Message != "notify.registration_decided.approved" || ns[0].Detail != "" || ns[0].Link != paths.Registrations(wk.campaign) {
			t.Errorf("approval notice %+v", ns[0])
		}
		wantText(t, ns[0], "Sở Tư pháp", "Thi đua cải cách hành chính năm nay", "được duyệt")
	}

	// The other unit registers and is refused with a reason.
	wantStatus(t, hc.post(wk.page+"/registrations", url.Values{"action": {"submit"}, "pledge": {"Hoàn thành kế hoạch"},
		"target_label": {"Chỉ số"}, "target_value": {"100%"}, "version": {"0"}}), http.StatusSeeOther)
	var rid, version int64
	if err := a.db.Pool.QueryRow(ctx, `SELECT id, version FROM registrations WHERE campaign_id = $1 AND unit_id = $2`, wk.campaign, other).Scan(&rid, &version); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, staff.post(wk.page+"/registrations/decide", url.Values{"ids": {fmt.Sprintf("%d:%d", rid, version)}, "decision": {"reject"},
		"reason": {"Đơn vị không thuộc đối tượng của phong trào"}}), http.StatusSeeOther)
	// Deciding it again (a double submit) tells no one twice.
	staff.post(wk.page+"/registrations/decide", url.Values{"ids": {fmt.Sprintf("%d:%d", rid, version)}, "decision": {"reject"},
		"reason": {"Đơn vị không thuộc đối tượng của phong trào"}})
	ns = noticesOf(t, a, domain.NotifyRegistrationDecided)
	wantRecipients(t, ns, fpUser, health)
	for _, n := range ns {
		if n.UserID == health.ID {
			if n.Message != "notify.registration_decided.rejected" || n.Detail != "Đơn vị không thuộc đối tượng của phong trào" {
				t.Errorf("rejection notice %+v", n)
			}
			wantText(t, n, "Sở Y tế", "không được duyệt")
		}
	}

	// Register all: the unit added is told it is approved.
	wantStatus(t, staff.post(wk.page+"/registrations/all", url.Values{"confirm": {"yes"}, "unit": {fmt.Sprint(third)}}), http.StatusSeeOther)
	ns = noticesOf(t, a, domain.NotifyRegistrationDecided)
	wantRecipients(t, ns, fpUser, health, finance)
	for _, u := range []*domain.User{staffUser} {
		if got := count(t, a, `SELECT count(*) FROM notifications WHERE user_id = $1`, u.ID); got != 0 {
			t.Errorf("staff got %d notifications", got)
		}
	}
}

// TestExtensionNotifiesUnit: an extension tells the unit's focal points
// the new deadline and the reason; a refused one tells no one.
func TestExtensionNotifiesUnit(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a := newApp(t, nil)
	wk := newWork(t, a)
	other, err := a.db.CreateUnit(ctx, domain.UnitInput{Name: "Sở Y tế", Code: "TEST-SYT", Kind: domain.KindDepartment})
	if err != nil {
		t.Fatal(err)
	}
	stranger := a.userIn(domain.RoleFocalPoint, other)
	staff, _ := a.loggedIn(domain.RoleStaff)
	fp, fpUser := a.loggedIn(domain.RoleFocalPoint)
	wk.register(t, fp, staff)
	form := wk.start(t, fp)

	past := domain.DateOf(time.Now()).AddDate(0, 0, -1)
	wantStatus(t, staff.post(form+"/extend", url.Values{"until": {past.Format("2006-01-02")}, "reason": {"Mất điện"}}), http.StatusUnprocessableEntity)
	if n := noticesOf(t, a, domain.NotifyExtensionGranted); len(n) != 0 {
		t.Fatalf("a refused extension told %d people", len(n))
	}
	until := domain.DateOf(time.Now()).AddDate(0, 0, 12)
	wantStatus(t, staff.post(form+"/extend", url.Values{"until": {until.Format("2006-01-02")}, "reason": {"Đơn vị sáp nhập, cần thêm thời gian"}}), http.StatusSeeOther)
	ns := noticesOf(t, a, domain.NotifyExtensionGranted)
	wantRecipients(t, ns, fpUser)
	if len(ns) == 1 {
		if ns[0].Link != form || ns[0].Detail != "Đơn vị sáp nhập, cần thêm thời gian" {
			t.Errorf("extension notice %+v", ns[0])
		}
		wantText(t, ns[0], "gia hạn", i18n.Day(until), "Sở Tư pháp")
	}
	if got := count(t, a, `SELECT count(*) FROM notifications WHERE user_id = $1`, stranger.ID); got != 0 {
		t.Errorf("another unit's focal point got %d notifications", got)
	}
}

// TestAppraisalCompletedNotifiesUnit: completing the appraisal tells the
// unit's focal points until when they may reply, with the reply page's
// link; a double click tells them once.
func TestAppraisalCompletedNotifiesUnit(t *testing.T) {
	t.Parallel()
	rc := newReplyCase(t)
	ns := noticesOf(t, rc.a, domain.NotifyAppraisalCompleted)
	wantRecipients(t, ns, rc.users["fp"])
	var until time.Time
	if err := rc.a.db.Pool.QueryRow(context.Background(), `SELECT reply_until FROM assessments WHERE id = $1`, rc.id).Scan(&until); err != nil {
		t.Fatal(err)
	}
	if len(ns) == 1 {
		if ns[0].Link != rc.form+"/reply" {
			t.Errorf("link %q, want the reply page %q", ns[0].Link, rc.form+"/reply")
		}
		wantText(t, ns[0], "thẩm định xong", i18n.Day(until), "Sở Tư pháp")
		wantStatus(t, rc.fp.get(ns[0].Link), http.StatusOK)
	}
	page := fmt.Sprintf("%s/appraisal/%d/complete", rc.wk.page, rc.id)
	rc.appraiser.post(page, url.Values{})
	if n := noticesOf(t, rc.a, domain.NotifyAppraisalCompleted); len(n) != 1 {
		t.Errorf("after a second complete: %d notices, want 1", len(n))
	}
}

// clientOf is a browser signed in as u.
func clientOf(t *testing.T, a *app, u *domain.User) *client {
	t.Helper()
	c := a.client()
	c.login(u.Email, testPassword)
	return c
}

// focalPointsIn returns the focal points of a unit as users.
func focalPointsIn(t *testing.T, a *app, unit int64) []*domain.User {
	t.Helper()
	rows, err := a.db.Pool.Query(context.Background(), `SELECT id FROM users WHERE role = 'focal_point' AND unit_id = $1 ORDER BY id`, unit)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []*domain.User
	for rows.Next() {
		u := &domain.User{}
		if err := rows.Scan(&u.ID); err != nil {
			t.Fatal(err)
		}
		out = append(out, u)
	}
	return out
}

// TestAmendmentNotifiesChangedTotals: an amendment that moves submitted
// totals tells the focal points of exactly those units, with the old and
// new totals and the reason; a unit whose form is still a draft is not told.
func TestAmendmentNotifiesChangedTotals(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a := newApp(t, map[string]string{"EVIDENCE_DIR": t.TempDir()})
	wk := newWork(t, a)
	other, err := a.db.CreateUnit(ctx, domain.UnitInput{Name: "Sở Y tế", Code: "TEST-SYT", Kind: domain.KindDepartment})
	if err != nil {
		t.Fatal(err)
	}
	staff, staffUser := a.loggedIn(domain.RoleStaff)
	fp, fpUser := a.loggedIn(domain.RoleFocalPoint)
	drafting := a.userIn(domain.RoleFocalPoint, other)
	dc := a.client()
	dc.login(drafting.Email, testPassword)
	wk.register(t, fp, staff)
	wk.register(t, dc, staff)
	form := wk.start(t, fp)
	wantStatus(t, fp.post(form+"/submit", fullMarks(t, fp, wk, form)), http.StatusSeeOther)
	draft := wk.start(t, dc)
	wantStatus(t, dc.post(draft, fullMarks(t, dc, wk, draft)), http.StatusSeeOther)

	nodes, _ := a.db.Criteria(ctx, wk.set)
	var target domain.Criterion
	for _, n := range nodes {
		if n.Code == "3.2" {
			target = n
		}
	}
	// The wording changes, no total moves: no one is told.
	actor := domain.WithActor(ctx, domain.Actor{UserID: staffUser.ID})
	reworded := target
	reworded.Guidance = "Hướng dẫn mới, không đổi cách chấm"
	if _, err := a.db.SaveCriterion(actor, wk.set, reworded, "Sửa lời hướng dẫn"); err != nil {
		t.Fatal(err)
	}
	if n := noticesOf(t, a, domain.NotifyTotalAmended); len(n) != 0 {
		t.Fatalf("an amendment that moved no total told %d people", len(n))
	}
	// The target doubles: the submitted 100 falls.
	reworded.Target *= 2
	if _, err := a.db.SaveCriterion(actor, wk.set, reworded, "Chỉ tiêu điều chỉnh theo Quyết định 12/QĐ-UBND"); err != nil {
		t.Fatal(err)
	}
	ns := noticesOf(t, a, domain.NotifyTotalAmended)
	wantRecipients(t, ns, fpUser)
	var now domain.Points
	if err := a.db.Pool.QueryRow(ctx, `SELECT converted FROM assessments WHERE id = $1`, mustAssessment(t, a, form)).Scan(&now); err != nil {
		t.Fatal(err)
	}
	if len(ns) == 1 {
		n := ns[0]
		if n.Link != form || n.Detail != "Chỉ tiêu điều chỉnh theo Quyết định 12/QĐ-UBND" {
			t.Errorf("amendment notice %+v", n)
		}
		wantText(t, n, "3.2", "từ 100 thành "+strings.ReplaceAll(now.String(), ".", ",")+" điểm", "Sở Tư pháp")
		wantStatus(t, fp.get(n.Link), http.StatusOK)
	}
}

// TestResultsPublishedNotifiesParticipants: a leader's approval tells the
// focal points of the units on the published rows; a return tells no one,
// nor is a unit whose form is not in the results told.
func TestResultsPublishedNotifiesParticipants(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a := newApp(t, nil)
	wk := newWork(t, a)
	unitOf := func(form int64) int64 {
		var u int64
		if err := a.db.Pool.QueryRow(ctx, `SELECT unit_id FROM assessments WHERE id = $1`, form).Scan(&u); err != nil {
			t.Fatal(err)
		}
		return u
	}
	finance := a.userIn(domain.RoleFocalPoint, unitOf(wk.resultForm(t, a, "Sở Tài chính", domain.AssessLocked, 9250, 9000, 9100)))
	build := a.userIn(domain.RoleFocalPoint, unitOf(wk.resultForm(t, a, "Sở Xây dựng", domain.AssessLocked, 8800, 8000, 8000)))
	drafting := a.userIn(domain.RoleFocalPoint, unitOf(wk.resultForm(t, a, "Sở Nội vụ", domain.AssessDraft, 0, 0, 0)))
	staff, _ := a.loggedIn(domain.RoleStaff)
	leader, _ := a.loggedIn(domain.RoleLeader)

	wantStatus(t, staff.post(wk.resultsAction("propose"), url.Values{"version": {"0"}}), http.StatusSeeOther)
	wantStatus(t, leader.post(wk.resultsAction("return"), url.Values{"version": {"1"}, "reason": {"Xem lại thứ hạng"}}), http.StatusSeeOther)
	if n := noticesOf(t, a, domain.NotifyResultsPublished); len(n) != 0 {
		t.Fatalf("a returned proposal told %d people", len(n))
	}
	wantStatus(t, staff.post(wk.resultsAction("propose"), url.Values{"version": {"2"}}), http.StatusSeeOther)
	wantStatus(t, leader.post(wk.resultsAction("approve"), url.Values{"version": {"3"}}), http.StatusSeeOther)
	ns := noticesOf(t, a, domain.NotifyResultsPublished)
	wantRecipients(t, ns, finance, build)
	if len(ns) == 0 {
		t.FailNow()
	}
	for _, n := range ns {
		if n.Link != paths.PublicResults(wk.campaign) {
			t.Errorf("link %q, want the public results", n.Link)
		}
		wantText(t, n, "Đợt 1", "Sở, ban, ngành", "Thi đua cải cách hành chính năm nay", "công bố")
	}
	if got := count(t, a, `SELECT count(*) FROM notifications WHERE user_id = $1`, drafting.ID); got != 0 {
		t.Errorf("a unit outside the results got %d notifications", got)
	}
	wantStatus(t, a.client().get(ns[0].Link), http.StatusOK)
}

// TestNominationReturnNotifiesUnit: returning a nomination tells the
// nominating unit's focal points with the reason, once for a double click,
// and not the other unit.
func TestNominationReturnNotifiesUnit(t *testing.T) {
	t.Parallel()
	a := newApp(t, map[string]string{"EVIDENCE_DIR": t.TempDir()})
	nw := newNominationWork(t, a)
	resp := nw.nominate(t, nw.fp, nw.mine)
	wantStatus(t, resp, http.StatusSeeOther)
	page := resp.Header.Get("Location")
	doc := htmlOf(t, nw.fp.get(page))
	parts := append(reportForm(t, doc, completeReport), field{key: "report_file", file: "bao-cao-ky.pdf", value: testPDF})
	wantStatus(t, nw.fp.postParts(page, parts), http.StatusSeeOther)
	doc = htmlOf(t, nw.fp.get(page))
	wantStatus(t, nw.fp.postParts(page+"/submit", reportForm(t, doc, nil)), http.StatusSeeOther)
	version := htmlOf(t, nw.staff.get(page)).Find(`form[action$="/return"] input[name=version]`).AttrOr("value", "")
	const reason = "Bổ sung biên bản bình xét của đơn vị."
	// A stale page's return is refused and tells no one.
	wantStatus(t, nw.staff.post(page+"/return", url.Values{"version": {version + "9"}, "reason": {reason}}), http.StatusConflict)
	if n := noticesOf(t, a, domain.NotifyNominationReturned); len(n) != 0 {
		t.Fatalf("a refused return told %d people", len(n))
	}
	wantStatus(t, nw.staff.post(page+"/return", url.Values{"version": {version}, "reason": {""}}), http.StatusUnprocessableEntity)
	wantStatus(t, nw.staff.post(page+"/return", url.Values{"version": {version}, "reason": {reason}}), http.StatusSeeOther)
	wantStatus(t, nw.staff.post(page+"/return", url.Values{"version": {version}, "reason": {reason}}), http.StatusSeeOther)
	ns := noticesOf(t, a, domain.NotifyNominationReturned)
	wantRecipients(t, ns, focalPointsIn(t, a, a.unit)...)
	for _, n := range ns {
		if n.Link != page || n.Detail != reason {
			t.Errorf("nomination notice %+v, want link %q", n, page)
		}
		wantText(t, n, "cho Nguyễn Văn An", "bị trả lại")
	}
	for _, u := range focalPointsIn(t, a, nw.otherUnit) {
		if got := count(t, a, `SELECT count(*) FROM notifications WHERE user_id = $1 AND kind = 'nomination_returned'`, u.ID); got != 0 {
			t.Errorf("the other unit's focal point got %d", got)
		}
	}
	wantStatus(t, nw.fp.get(page), http.StatusOK)
}

// TestSessionOpenNotifiesVoters: opening a session tells the members who
// vote at it (present, not the secretary), with the ballot's link; an
// absent member, the secretary and a leader off the council are not told.
func TestSessionOpenNotifiesVoters(t *testing.T) {
	t.Parallel()
	fx := newVoteFixture(t, 2, 4)
	outsider := fx.a.user(domain.RoleLeader)
	fx.newSession(t)
	fx.putNominees(t, http.StatusSeeOther, fx.entries...)
	absent := fx.voters[3]
	wantStatus(t, fx.staff.post(paths.SessionAttendance(fx.council, fx.session), url.Values{"version": {fx.version(t)},
		fmt.Sprintf("attendance-%d", absent.member): {"absent"}}), http.StatusSeeOther)
	fx.open(t, fx.staff)
	ns := noticesOf(t, fx.a, domain.NotifySessionOpened)
	wantRecipients(t, ns, fx.voters[0].u, fx.voters[1].u, fx.voters[2].u)
	if len(ns) == 0 {
		t.FailNow()
	}
	for _, n := range ns {
		if n.Link != paths.Ballot(fx.council, fx.session) {
			t.Errorf("link %q, want the ballot", n.Link)
		}
		wantText(t, n, "Hội đồng Thi đua – Khen thưởng tỉnh Đồng Tháp", i18n.Day(fx.a.srv.today()), "Thi đua cải cách hành chính 2025", "bỏ phiếu")
	}
	for _, u := range []*domain.User{absent.u, fx.secretary.u, outsider} {
		if got := count(t, fx.a, `SELECT count(*) FROM notifications WHERE user_id = $1`, u.ID); got != 0 {
			t.Errorf("%s got %d notifications", u.FullName, got)
		}
	}
	wantStatus(t, fx.voters[0].c.get(ns[0].Link), http.StatusOK)
}

// TestDecisionNotifications: a drafted decision tells the leaders who may
// sign it (not its drafter); signing tells the drafter (the staff page) and
// the focal points of the units it awards (the public page), not the unit
// that failed nor the other leader again.
func TestDecisionNotifications(t *testing.T) {
	t.Parallel()
	fx := newDecisionFixture(t)
	a := fx.a
	staff, drafter := a.loggedIn(domain.RoleStaff)
	leader, leaderUser := a.loggedIn(domain.RoleLeader)
	other := a.user(domain.RoleLeader)
	personUnit := a.user(domain.RoleFocalPoint)
	awardedUnit := a.userIn(domain.RoleFocalPoint, fx.unit)
	failedUnit := a.userIn(domain.RoleFocalPoint, fx.failedUnit)

	id := fx.draft(t, staff, fx.session)
	ns := noticesOf(t, a, domain.NotifyDecisionToSign)
	wantRecipients(t, ns, leaderUser, other)
	if len(ns) == 0 {
		t.FailNow()
	}
	for _, n := range ns {
		if n.Link != paths.Decision(id) || n.Message != "notify.decision_to_sign" {
			t.Errorf("to-sign notice %+v", n)
		}
		wantText(t, n, "chờ lãnh đạo ký")
	}
	wantStatus(t, leader.get(ns[0].Link), http.StatusOK)

	wantStatus(t, sign(t, leader, id), http.StatusSeeOther)
	ns = noticesOf(t, a, domain.NotifyDecisionSigned)
	wantRecipients(t, ns, drafter, personUnit, awardedUnit)
	var number string
	if err := a.db.Pool.QueryRow(context.Background(), `SELECT number FROM decisions WHERE id = $1`, id).Scan(&number); err != nil {
		t.Fatal(err)
	}
	for _, n := range ns {
		want := paths.PublicDecision(id)
		if n.UserID == drafter.ID {
			want = paths.Decision(id)
		}
		if n.Link != want {
			t.Errorf("signed notice for user %d links %q, want %q", n.UserID, n.Link, want)
		}
		wantText(t, n, number, "đã được ký")
	}
	for _, u := range []*domain.User{failedUnit, other} {
		if got := count(t, a, `SELECT count(*) FROM notifications WHERE user_id = $1 AND kind = 'decision_signed'`, u.ID); got != 0 {
			t.Errorf("user %d got %d signed notices", u.ID, got)
		}
	}
	wantStatus(t, a.client().get(paths.PublicDecision(id)), http.StatusOK)
	wantStatus(t, staff.get(paths.Decision(id)), http.StatusOK)

	// A revocation: drafted, the leaders are asked to sign it; signed, its
	// drafter and the units whose awards it revokes are told.
	key := htmlOf(t, staff.get(paths.Decision(id))).Find(`#revoke input[name=form_key]`).AttrOr("value", "")
	form := url.Values{"reason": {"Kê khai không trung thực thành tích"}, "form_key": {key}}
	resp := staff.post(paths.DecisionRevoke(id), form)
	wantStatus(t, resp, http.StatusSeeOther)
	var rev int64
	fmt.Sscanf(resp.Header.Get("Location"), "/decisions/%d", &rev)
	staff.post(paths.DecisionRevoke(id), form) // sent twice: one draft, one notice each
	ns = noticesOf(t, a, domain.NotifyDecisionToSign)
	wantRecipients(t, ns, leaderUser, leaderUser, other, other)
	for _, n := range ns {
		if n.Link == paths.Decision(rev) && n.Message != "notify.decision_to_sign.revocation" {
			t.Errorf("revocation to-sign notice %+v", n)
		}
	}
	wantStatus(t, sign(t, clientOf(t, a, other), rev), http.StatusSeeOther)
	var revNumber string
	if err := a.db.Pool.QueryRow(context.Background(), `SELECT number FROM decisions WHERE id = $1`, rev).Scan(&revNumber); err != nil {
		t.Fatal(err)
	}
	var revoked []notice
	for _, n := range noticesOf(t, a, domain.NotifyDecisionSigned) {
		if n.Message == "notify.decision_signed.revocation" {
			revoked = append(revoked, n)
			wantText(t, n, revNumber, "thu hồi")
		}
	}
	wantRecipients(t, revoked, drafter, personUnit, awardedUnit)
}
