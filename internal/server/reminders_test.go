package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"thidua/internal/domain"
)

// testClock is the database's clock in a test, moved from the test's
// goroutine while the server's read it.
type testClock struct{ ns atomic.Int64 }

func (c *testClock) set(t time.Time) { c.ns.Store(t.UnixNano()) }
func (c *testClock) now() time.Time  { return time.Unix(0, c.ns.Load()) }

// vnAt is the instant at hour o'clock, Vietnamese time, of the calendar day d.
func vnAt(d time.Time, hour int) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day(), hour, 0, 0, 0, domain.Zone)
}

// reminderCase is an announced campaign whose self-assessment deadline is
// ten days away (from three days ago), with units A (a.unit), B and C
// registered and approved, D registered but not approved, E not
// registered; each has a focal point (C two). The database's clock is the
// test's.
type reminderCase struct {
	a        *app
	wk       work
	clock    *testClock
	today    time.Time // the real day the case was made
	deadline time.Time
	staff    *client
	units    map[string]int64
	fps      map[string]*client
	users    map[string]*domain.User // "A", "B", "C", "C2", "D", "E", "staff"
}

func newReminderCase(t *testing.T) *reminderCase {
	t.Helper()
	a := newApp(t, nil)
	clock := &testClock{}
	clock.set(time.Now())
	a.db.Now = clock.now
	wk := newWork(t, a)
	rc := &reminderCase{a: a, wk: wk, clock: clock, today: domain.DateOf(time.Now()), units: map[string]int64{"A": a.unit},
		fps: map[string]*client{}, users: map[string]*domain.User{}}
	rc.deadline = rc.today.AddDate(0, 0, 10)
	ctx := context.Background()
	if _, err := a.db.Pool.Exec(ctx, `UPDATE phases SET assessment_to = $2 WHERE id = $1`, wk.phase, rc.deadline); err != nil {
		t.Fatal(err)
	}
	var su *domain.User
	rc.staff, su = a.loggedIn(domain.RoleStaff)
	rc.users["staff"] = su
	for _, name := range []string{"B", "C", "D", "E"} {
		id, err := a.db.CreateUnit(ctx, domain.UnitInput{Name: "Sở thử nghiệm " + name, Code: "TEST-" + name, Kind: domain.KindDepartment})
		if err != nil {
			t.Fatal(err)
		}
		rc.units[name] = id
	}
	for _, name := range []string{"A", "B", "C", "C2", "D", "E"} {
		u := a.userIn(domain.RoleFocalPoint, rc.units[name[:1]])
		c := a.client()
		c.login(u.Email, testPassword)
		rc.fps[name], rc.users[name] = c, u
	}
	for _, name := range []string{"A", "B", "C"} {
		wk.register(t, rc.fps[name], rc.staff)
	}
	resp := rc.fps["D"].post(wk.page+"/registrations", url.Values{"action": {"submit"}, "pledge": {"Hoàn thành kế hoạch"},
		"target_label": {"Mức độ hài lòng"}, "target_value": {"≥ 90%"}, "version": {"0"}})
	wantStatus(t, resp, http.StatusSeeOther)
	return rc
}

// run sends the reminders due at the instant and returns how many went.
func (rc *reminderCase) run(t *testing.T, at time.Time) int {
	t.Helper()
	rc.clock.set(at)
	n, err := rc.a.db.SendReminders(context.Background())
	if err != nil {
		t.Fatalf("SendReminders at %s: %v", at, err)
	}
	return n
}

// day is the deadline moved by n days.
func (rc *reminderCase) day(n int) time.Time { return rc.deadline.AddDate(0, 0, n) }

// remindersOf returns the user's reminders, oldest first, as
// "message args…" with the Vietnamese text it reads as.
func remindersOf(t *testing.T, a *app, userID int64) []string {
	t.Helper()
	rows, err := a.db.Pool.Query(context.Background(), `SELECT message, args, link FROM notifications
		WHERE user_id = $1 AND kind = 'deadline_reminder' ORDER BY id`, userID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var msg, link string
		var args []string
		if err := rows.Scan(&msg, &args, &link); err != nil {
			t.Fatal(err)
		}
		out = append(out, msg+" "+strings.Join(args, "|")+" "+link)
	}
	return out
}

// remindedDays returns the days_before of the unit's reminders of a
// deadline, in the order they were sent.
func remindedDays(t *testing.T, a *app, unitID int64, deadline string) []int {
	t.Helper()
	rows, err := a.db.Pool.Query(context.Background(), `SELECT days_before FROM reminders WHERE unit_id = $1 AND deadline = $2
		ORDER BY sent_at, days_before DESC`, unitID, deadline)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var n int
		_ = rows.Scan(&n)
		out = append(out, n)
	}
	return out
}

// TestRemindersBeforeTheDeadline is acceptance 4: with a controlled clock,
// the self-assessment reminders go 7, 3 and 1 days before the deadline
// (Vietnamese calendar days), only to the focal points of approved units
// that have not submitted, once each: a second run the same day and two
// concurrent runs send nothing more, and a unit that submits in between
// gets no later reminder. The staff dashboard shows who was reminded when.
func TestRemindersBeforeTheDeadline(t *testing.T) {
	t.Parallel()
	rc := newReminderCase(t)
	a, wk := rc.a, rc.wk
	// A submits at once; B opens its form and keeps it a draft; C does nothing.
	formA := wk.start(t, rc.fps["A"])
	submitForm(t, rc.fps["A"], wk, formA)
	formB := wk.start(t, rc.fps["B"])

	if n := rc.run(t, vnAt(rc.day(-8), 9)); n != 0 {
		t.Errorf("eight days before: %d reminders, want none", n)
	}
	// 06:00 in Hà Nội is still the day before in UTC: the Vietnamese day counts.
	if n := rc.run(t, vnAt(rc.day(-7), 6)); n != 2 {
		t.Errorf("seven days before: %d reminders, want 2 (B and C)", n)
	}
	if n := rc.run(t, vnAt(rc.day(-7), 21)); n != 0 {
		t.Errorf("the same day again: %d reminders, want none", n)
	}
	for _, d := range []int{-6, -5, -4} {
		if n := rc.run(t, vnAt(rc.day(d), 9)); n != 0 {
			t.Errorf("%d days before: %d reminders, want none", -d, n)
		}
	}
	// Two runs at once (two portal instances) send each reminder once.
	rc.clock.set(vnAt(rc.day(-3), 9))
	var wg sync.WaitGroup
	var sent atomic.Int64
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n, err := a.db.SendReminders(context.Background())
			if err != nil {
				t.Errorf("concurrent run: %v", err)
			}
			sent.Add(int64(n))
		}()
	}
	wg.Wait()
	if sent.Load() != 2 {
		t.Errorf("three days before, two concurrent runs: %d reminders, want 2", sent.Load())
	}
	// B submits two days before the deadline.
	rc.clock.set(vnAt(rc.day(-2), 10))
	submitForm(t, rc.fps["B"], wk, formB)
	if n := rc.run(t, vnAt(rc.day(-1), 8)); n != 1 {
		t.Errorf("one day before: %d reminders, want 1 (C)", n)
	}
	for _, d := range []int{0, 1} {
		if n := rc.run(t, vnAt(rc.day(d), 9)); n != 0 {
			t.Errorf("deadline %+d: %d reminders, want none", d, n)
		}
	}

	due := i18nDay(rc.deadline)
	title := "Thi đua cải cách hành chính năm nay"
	list := wk.page + "/assessments"
	want := map[string][]string{
		"A": nil,
		"B": {"notify.deadline_reminder.assessment 7|" + title + "|Đợt 1|" + due + " " + formB,
			"notify.deadline_reminder.assessment 3|" + title + "|Đợt 1|" + due + " " + formB},
		"C": {"notify.deadline_reminder.assessment 7|" + title + "|Đợt 1|" + due + " " + list,
			"notify.deadline_reminder.assessment 3|" + title + "|Đợt 1|" + due + " " + list,
			"notify.deadline_reminder.assessment_tomorrow " + title + "|Đợt 1|" + due + " " + list},
		"D": nil, "E": nil, "staff": nil,
	}
	want["C2"] = want["C"]
	for who, w := range want {
		if got := remindersOf(t, a, rc.users[who].ID); !slices.Equal(got, w) {
			t.Errorf("%s's reminders:\n got %q\nwant %q", who, got, w)
		}
	}
	for name, w := range map[string][]int{"A": nil, "B": {7, 3}, "C": {7, 3, 1}, "D": nil, "E": nil} {
		if got := remindedDays(t, a, rc.units[name], "assessment"); !slices.Equal(got, w) {
			t.Errorf("unit %s reminded %v days before, want %v", name, got, w)
		}
	}
	// Each reminder's mail is queued with it.
	var notes, mails, jobs int
	_ = a.db.Pool.QueryRow(context.Background(), `SELECT (SELECT count(*) FROM notifications WHERE kind = 'deadline_reminder'),
		(SELECT count(*) FROM mails m JOIN notifications n ON n.id = m.notification_id WHERE n.kind = 'deadline_reminder'),
		(SELECT count(*) FROM river_job WHERE kind = 'send_mail')`).Scan(&notes, &mails, &jobs)
	if notes != 8 || mails != 8 || jobs < 8 { // B twice, C's two focal points three times each
		t.Errorf("%d reminders, %d mails, %d mail jobs; want 8, 8, ≥ 8", notes, mails, jobs)
	}

	// The staff dashboard says who was reminded when; the Vietnamese
	// reads as the catalogue gives it.
	doc := htmlOf(t, rc.staff.get(list))
	rowOf := func(unit string) string {
		var text string
		doc.Find("table.dashboard tbody tr").Each(func(_ int, tr *goqueryTr) {
			if strings.Contains(tr.Find("td").First().Text(), unit) {
				text = strings.Join(strings.Fields(tr.Find(".reminded").Text()), " ")
			}
		})
		return text
	}
	ddmm := func(d int) string { return rc.day(d).Format("02/01") }
	if got, w := rowOf("Sở thử nghiệm C"), fmt.Sprintf("Đã nhắc: 7 ngày (%s), 3 ngày (%s), 1 ngày (%s)", ddmm(-7), ddmm(-3), ddmm(-1)); got != w {
		t.Errorf("C's row: %q, want %q", got, w)
	}
	if got, w := rowOf("Sở thử nghiệm B"), fmt.Sprintf("Đã nhắc: 7 ngày (%s), 3 ngày (%s)", ddmm(-7), ddmm(-3)); got != w {
		t.Errorf("B's row: %q, want %q", got, w)
	}
	if got := rowOf("Sở Tư pháp"); got != "" {
		t.Errorf("A's row says %q; A was never reminded", got)
	}
	// The focal point's own list shows no one else's reminders.
	if strings.Contains(htmlOf(t, rc.fps["A"].get(list)).Text(), "Đã nhắc") {
		t.Error("A's list shows reminders")
	}
}

// i18nDay is a calendar date as the notifications write it.
func i18nDay(d time.Time) string { return d.Format("02/01/2006") }

// A portal that did not run for days still reminds, once, with the days
// really left; an extension moves the deadline the reminders count to.
func TestRemindersCatchUpAndExtension(t *testing.T) {
	t.Parallel()
	rc := newReminderCase(t)
	a, wk := rc.a, rc.wk
	formB := wk.start(t, rc.fps["B"])
	// The first run is two days before the deadline: one reminder each
	// (for "3 days before"), saying two days are left.
	if n := rc.run(t, vnAt(rc.day(-2), 9)); n != 3 {
		t.Errorf("first run two days before: %d reminders, want 3 (A, B, C)", n)
	}
	if n := rc.run(t, vnAt(rc.day(-2), 15)); n != 0 {
		t.Errorf("again: %d reminders, want none", n)
	}
	got := remindersOf(t, a, rc.users["B"].ID)
	due := i18nDay(rc.deadline)
	if w := "notify.deadline_reminder.assessment 2|Thi đua cải cách hành chính năm nay|Đợt 1|" + due + " " + formB; len(got) != 1 || got[0] != w {
		t.Errorf("B's reminders %q, want [%q]", got, w)
	}
	if d := remindedDays(t, a, rc.units["B"], "assessment"); !slices.Equal(d, []int{3}) {
		t.Errorf("B reminded %v days before, want [3]", d)
	}
	// Staff extend B's form by five days the day before the deadline.
	rc.clock.set(vnAt(rc.day(-1), 8))
	resp := rc.staff.post(formB+"/extend", url.Values{"until": {rc.day(5).Format("2006-01-02")}, "reason": {"Đơn vị xin gia hạn do sáp nhập phòng ban."}})
	wantStatus(t, resp, http.StatusSeeOther)
	var extended time.Time
	_ = a.db.Pool.QueryRow(context.Background(), `SELECT deadline FROM assessments WHERE id = $1`, mustAssessment(t, a, formB)).Scan(&extended)
	if !extended.Equal(rc.day(5)) {
		t.Fatalf("the extension did not take: deadline %s", extended)
	}
	// A and C are reminded for the day after; B's reminders now count to
	// its own deadline, six days away: "7 days before", caught up.
	if n := rc.run(t, vnAt(rc.day(-1), 9)); n != 3 {
		t.Errorf("one day before: %d reminders, want 3 (A and C for tomorrow, B for its new deadline)", n)
	}
	for d, w := range []int{0, 0, 1, 0, 1, 0} { // days 0 to 5 after the old deadline
		if n := rc.run(t, vnAt(rc.day(d), 9)); n != w {
			t.Errorf("day %+d: %d reminders, want %d", d, n, w)
		}
	}
	if d := remindedDays(t, a, rc.units["B"], "assessment"); !slices.Equal(d, []int{3, 7, 3, 1}) {
		t.Errorf("B reminded %v days before, want [3 7 3 1]", d)
	}
	got = remindersOf(t, a, rc.users["B"].ID)
	if len(got) != 4 || !strings.HasPrefix(got[1], "notify.deadline_reminder.assessment 6|") ||
		!strings.HasSuffix(strings.TrimSuffix(got[1], " "+formB), i18nDay(rc.day(5))) {
		t.Errorf("B's reminders after the extension: %q", got)
	}
}

// The phase form sets the reminder days with the phase's dates: "7, 3, 1"
// for a new phase, refused beside the field outside 1–60, repeated, more
// than five or not numbers; saved largest first, shown on edit and in the
// phase list, kept when a client does not send the field, and empty for a
// phase without reminders.
func TestPhaseReminderDays(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	staff, _ := a.loggedIn(domain.RoleStaff)
	page := staff.post("/campaigns", campaignForm(newIdempotencyKey())).Header.Get("Location")
	if got := htmlOf(t, staff.get(page+"/phases")).Find("#reminder_days").AttrOr("value", ""); got != "7, 3, 1" {
		t.Errorf("a new phase's reminder days: %q, want 7, 3, 1", got)
	}
	base := url.Values{"name": {"Đợt 1"}, "start": {"2017-04-01"}, "end": {"2018-12-31"}, "review_kind": {"interim"}, "reply_days": {"5"}}
	with := func(extra url.Values) url.Values {
		f := url.Values{}
		for k, v := range base {
			f[k] = v
		}
		for k, v := range extra {
			f[k] = v
		}
		return f
	}
	for _, bad := range []string{"0", "61", "7, 7", "10, 7, 5, 3, 2, 1", "ba", "2.5", "7 ngày", "-3"} {
		resp := staff.post(page+"/phases", with(url.Values{"reminder_days": {bad}}))
		wantStatus(t, resp, http.StatusUnprocessableEntity)
		doc := htmlOf(t, resp)
		if !strings.Contains(doc.Find("#reminder_days").Parent().Find(".field-error").Text(), "từ 1 đến 60") {
			t.Errorf("reminder_days %q: no error beside the field", bad)
		}
		if got := doc.Find("#reminder_days").AttrOr("value", ""); got != bad {
			t.Errorf("reminder_days %q: the form shows %q, not what was typed", bad, got)
		}
	}
	wantStatus(t, staff.post(page+"/phases", with(url.Values{"reminder_days": {"5; 10 2"}})), http.StatusSeeOther)
	var id int64
	if _, err := fmt.Sscanf(strings.TrimPrefix(page, "/campaigns/"), "%d", &id); err != nil {
		t.Fatal(err)
	}
	stored := func() []int {
		t.Helper()
		var days []int
		if err := a.db.Pool.QueryRow(context.Background(), `SELECT reminder_days FROM phases WHERE campaign_id = $1`, id).Scan(&days); err != nil {
			t.Fatal(err)
		}
		return days
	}
	if got := stored(); !slices.Equal(got, []int{10, 5, 2}) {
		t.Fatalf("stored reminder days %v, want [10 5 2]", got)
	}
	doc := htmlOf(t, staff.get(page+"/phases"))
	if !strings.Contains(doc.Find("#phases").Text(), "Nhắc hạn: 10, 5, 2 ngày trước") {
		t.Errorf("the phase list does not show the reminder days: %q", strings.Join(strings.Fields(doc.Find("#phases").Text()), " "))
	}
	edit := strings.TrimSuffix(doc.Find("#phases a.link-edit").AttrOr("href", ""), "#edit")
	form := htmlOf(t, staff.get(edit))
	if got := form.Find("#reminder_days").AttrOr("value", ""); got != "10, 5, 2" {
		t.Errorf("edit form shows %q", got)
	}
	// A client that does not send the field keeps the days.
	wantStatus(t, staff.post(edit, with(url.Values{"version": {form.Find("input[name=version]").AttrOr("value", "")}})), http.StatusSeeOther)
	if got := stored(); !slices.Equal(got, []int{10, 5, 2}) {
		t.Errorf("after an edit without the field: %v, want [10 5 2]", got)
	}
	// Empty: no reminders.
	form = htmlOf(t, staff.get(edit))
	wantStatus(t, staff.post(edit, with(url.Values{"reminder_days": {" "}, "version": {form.Find("input[name=version]").AttrOr("value", "")}})), http.StatusSeeOther)
	if got := stored(); got == nil || len(got) != 0 {
		t.Errorf("after emptying the field: %v, want []", got)
	}
	if !strings.Contains(htmlOf(t, staff.get(page+"/phases")).Find("#phases").Text(), "Không nhắc hạn") {
		t.Error("the phase list does not say the phase has no reminders")
	}
}

// The reply to an appraisal is reminded of like the self-assessment:
// before the form's reply_until, only the reminders whose day comes after
// the day the window opened (the appraisal's own notice says the rest),
// not once the reply is sent, and not at all when the appraisal adjusted
// nothing. The staff's appraisal list shows who was reminded when.
func TestReplyReminders(t *testing.T) {
	t.Parallel()
	rc := newReplyCase(t)
	a := rc.a
	clock := &testClock{}
	clock.set(time.Now())
	a.db.Now = clock.now
	ctx := context.Background()
	var until, appraised time.Time
	if err := a.db.Pool.QueryRow(ctx, `SELECT reply_until, appraised_at FROM assessments WHERE id = $1`, rc.id).Scan(&until, &appraised); err != nil {
		t.Fatal(err)
	}
	opened := domain.DateOf(appraised)
	run := func(at time.Time) int {
		t.Helper()
		clock.set(at)
		n, err := a.db.SendReminders(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	// Day by day from the appraisal to the day before the window's last:
	// a reminder N days before goes on until−N when that is after the
	// opening day (the window is five working days: at least seven days).
	var want, got []int
	for _, n := range []int{7, 3, 1} {
		if until.AddDate(0, 0, -n).After(opened) {
			want = append(want, n)
		}
	}
	for d := opened; d.Before(until.AddDate(0, 0, -1)); d = d.AddDate(0, 0, 1) {
		run(vnAt(d, 9))
	}
	got = remindedDays(t, a, rc.wk.unitOf(t, a, rc.id), "reply")
	if w := want[:len(want)-1]; !slices.Equal(got, w) { // all but the 1-day reminder so far
		t.Fatalf("reminded %v days before the reply deadline, want %v", got, w)
	}
	notes := remindersOf(t, a, rc.users["fp"].ID)
	if len(notes) == 0 || !strings.HasPrefix(notes[len(notes)-1], "notify.deadline_reminder.reply 3|Thi đua cải cách hành chính năm nay|Đợt 1|"+i18nDay(until)) ||
		!strings.HasSuffix(notes[len(notes)-1], rc.form+"/reply") {
		t.Errorf("the reply reminders: %q", notes)
	}
	// The staff's appraisal list says so.
	text := strings.Join(strings.Fields(htmlOf(t, rc.staff.get(rc.wk.page+"/appraisal")).Find("table .reminded").Text()), " ")
	if !strings.HasPrefix(text, "Đã nhắc: ") || !strings.Contains(text, "3 ngày ("+until.AddDate(0, 0, -3).Format("02/01")+")") {
		t.Errorf("the appraisal list shows %q", text)
	}
	// The unit replies the day before the deadline, before the run: no 1-day reminder.
	clock.set(vnAt(until.AddDate(0, 0, -1), 8))
	rc.sendReply(t, map[int64]string{rc.points.ID: "Đơn vị bổ sung báo cáo kết quả có chữ ký, đóng dấu."})
	if n := run(vnAt(until.AddDate(0, 0, -1), 9)); n != 0 {
		t.Errorf("after the reply: %d reminders, want none", n)
	}

	// Another form whose appraisal adjusted nothing has nothing to reply to.
	if _, err := a.db.Pool.Exec(ctx, `UPDATE assessments SET reply_submitted_at = NULL WHERE id = $1`, rc.id); err != nil {
		t.Fatal(err)
	}
	if _, err := a.db.Pool.Exec(ctx, `UPDATE scores SET appraised_points = points, appraised_measured = measured, appraised_na = na WHERE assessment_id = $1`, rc.id); err != nil {
		t.Fatal(err)
	}
	if n := run(vnAt(until.AddDate(0, 0, -1), 10)); n != 0 {
		t.Errorf("nothing adjusted: %d reminders, want none", n)
	}
}

// unitOf is the unit of a form.
func (wk work) unitOf(t *testing.T, a *app, formID int64) int64 {
	t.Helper()
	var unit int64
	if err := a.db.Pool.QueryRow(context.Background(), `SELECT unit_id FROM assessments WHERE id = $1 AND campaign_id = $2`, formID, wk.campaign).Scan(&unit); err != nil {
		t.Fatal(err)
	}
	return unit
}

// TestNominationDeadline: a phase's nomination deadline reminds, 7 and 1
// days before, only the units with a nomination not yet sent (linking to
// their nominations), sending on the last day is taken, and after it the
// portal refuses to send, keeping the draft.
func TestNominationDeadline(t *testing.T) {
	t.Parallel()
	a := newApp(t, map[string]string{"EVIDENCE_DIR": t.TempDir()})
	clock := &testClock{}
	clock.set(time.Now())
	a.db.Now = clock.now
	nw := newNominationWork(t, a)
	ctx := context.Background()
	today := domain.DateOf(time.Now())
	due := today.AddDate(0, 0, 5)
	if _, err := a.db.Pool.Exec(ctx, `UPDATE phases SET nomination_to = $2, end_date = greatest(end_date, $2) WHERE id = $1`, nw.phase, due); err != nil {
		t.Fatal(err)
	}
	resp := nw.nominate(t, nw.fp, nw.mine)
	wantStatus(t, resp, http.StatusSeeOther)
	page := resp.Header.Get("Location")
	id := page[strings.LastIndex(page, "/")+1:]
	doc := htmlOf(t, nw.fp.get(page))
	parts := append(reportForm(t, doc, completeReport), field{key: "report_file", file: "bao-cao-ky.pdf", value: testPDF})
	wantStatus(t, nw.fp.postParts(page, parts), http.StatusSeeOther)
	var unit, otherFP int64
	if err := a.db.Pool.QueryRow(ctx, `SELECT unit_id FROM nominations WHERE id = $1`, id).Scan(&unit); err != nil {
		t.Fatal(err)
	}
	if err := a.db.Pool.QueryRow(ctx, `SELECT id FROM users WHERE role = 'focal_point' AND unit_id = $1`, nw.otherUnit).Scan(&otherFP); err != nil {
		t.Fatal(err)
	}
	run := func(at time.Time) int {
		clock.set(at)
		n, err := a.db.SendReminders(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return nomCount(t, a, `SELECT count(*) FROM reminders WHERE deadline = 'nomination'`) + 0*n
	}
	if n := run(vnAt(today, 9)); n != 1 {
		t.Errorf("%d nomination reminders five days before, want 1 (the 7-day one)", n)
	}
	if n := run(vnAt(today, 15)); n != 1 {
		t.Errorf("%d nomination reminders after a second run the same day, want 1", n)
	}
	if n := run(vnAt(due.AddDate(0, 0, -1), 9)); n != 2 {
		t.Errorf("%d nomination reminders the day before, want 2", n)
	}
	if got := remindedDays(t, a, unit, "nomination"); !slices.Equal(got, []int{7, 1}) {
		t.Errorf("the unit was reminded %v days before, want [7 1]", got)
	}
	if got := remindedDays(t, a, nw.otherUnit, "nomination"); len(got) != 0 {
		t.Errorf("a unit without an unsent nomination was reminded: %v", got)
	}
	if n := nomCount(t, a, `SELECT count(*) FROM notifications WHERE user_id = $1`, otherFP); n != 0 {
		t.Errorf("the other unit's focal point got %d notifications", n)
	}
	var msg, link string
	var args []string
	if err := a.db.Pool.QueryRow(ctx, `SELECT message, args, link FROM notifications n JOIN users u ON u.id = n.user_id
		WHERE u.unit_id = $1 AND n.kind = 'deadline_reminder' ORDER BY n.id DESC LIMIT 1`, unit).Scan(&msg, &args, &link); err != nil {
		t.Fatal(err)
	}
	if msg != "notify.deadline_reminder.nomination_tomorrow" || link != nw.page+"/nominations" {
		t.Errorf("the last reminder: %s %v → %s", msg, args, link)
	}

	// After the last day: refused, the draft kept; the phase's list says the deadline.
	clock.set(vnAt(due.AddDate(0, 0, 1), 8))
	doc = htmlOf(t, nw.fp.get(page))
	resp = nw.fp.postParts(page+"/submit", reportForm(t, doc, map[string]string{"tasks": "Nhiệm vụ sửa sau hạn"}))
	if resp.StatusCode != http.StatusConflict && resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("sending after the deadline: %d, want 409 or 422", resp.StatusCode)
	}
	if body := bodyOf(resp); !strings.Contains(body, "Đã hết hạn gửi hồ sơ đề nghị khen thưởng của đợt này (hạn cuối ngày "+due.Format("02/01/2006")+")") {
		t.Error("the refusal does not say the deadline passed")
	}
	if st, tasks, _, _ := nominationStatus(t, a, id); st != "draft" || tasks != "Nhiệm vụ sửa sau hạn" {
		t.Errorf("after the refused send: %s, tasks %q; want the draft saved", st, tasks)
	}
	// On the last day itself it is taken.
	clock.set(vnAt(due, 23))
	doc = htmlOf(t, nw.fp.get(page))
	wantStatus(t, nw.fp.postParts(page+"/submit", reportForm(t, doc, nil)), http.StatusSeeOther)
	if st, _, _, _ := nominationStatus(t, a, id); st != "submitted" {
		t.Errorf("sent on the last day: %s, want submitted", st)
	}
	phases := bodyOf(nw.staff.get(nw.page + "/phases"))
	if !strings.Contains(phases, "Hạn gửi hồ sơ đề nghị: "+due.Format("02/01/2006")) {
		t.Error("the phases page does not show the nomination deadline")
	}
	// The phases page is about phases and awards: it used to add a criteria
	// card saying the campaign had none, although it has a scored set.
	if strings.Contains(phases, "Phong trào không có bộ tiêu chí chấm điểm") {
		t.Error("the phases page says the campaign has no criteria")
	}
	if campaign := bodyOf(nw.staff.get(nw.page)); !strings.Contains(campaign, `id="criteria"`) || strings.Contains(campaign, "Phong trào không có bộ tiêu chí chấm điểm") {
		t.Error("the campaign page does not list its criteria sets")
	}
}
