package domain

import (
	"testing"
	"time"
)

// TestAssessmentStateMachine walks every transition from every status: the
// allowed ones move the form, the others are refused with the catalogue key
// the page shows, and a repeated transition (a double click) changes
// nothing without an error.
func TestAssessmentStateMachine(t *testing.T) {
	day := Day(2026, 3, 10)
	at := day.Add(9 * time.Hour)
	from, to := Day(2026, 3, 1), Day(2026, 3, 31)
	until := Day(2026, 3, 17)
	form := func(s AssessmentStatus) *Assessment {
		return &Assessment{Status: s, CampaignStatus: StatusAnnounced, WindowFrom: &from, WindowTo: &to, ReplyUntil: &until}
	}
	all := []AssessmentStatus{AssessDraft, AssessSubmitted, AssessReturned, AssessReceived, AssessAppraised, AssessLocked}
	type outcome struct {
		to      AssessmentStatus // the status after; "" = unchanged
		changed bool             // the method reported a change
		code    string           // the error's code, "" for none
		key     string           // the error's catalogue key
	}
	ok := func(to AssessmentStatus) outcome { return outcome{to: to, changed: true} }
	same := outcome{}
	refused := func(code, key string) outcome { return outcome{code: code, key: key} }
	steps := []struct {
		name string
		run  func(a *Assessment) (bool, error)
		want map[AssessmentStatus]outcome
	}{
		{"Submit", func(a *Assessment) (bool, error) { return a.Submit(day, at) }, map[AssessmentStatus]outcome{
			AssessDraft: ok(AssessSubmitted), AssessReturned: ok(AssessSubmitted),
			AssessSubmitted: same, AssessReceived: same, AssessAppraised: same, AssessLocked: same}},
		{"Return", func(a *Assessment) (bool, error) { return true, a.Return() }, map[AssessmentStatus]outcome{
			AssessSubmitted: ok(AssessReturned), AssessReceived: ok(AssessReturned),
			AssessDraft: refused(ECONFLICT, "assessment.not_submitted"), AssessReturned: refused(ECONFLICT, "assessment.not_submitted"),
			AssessAppraised: refused(ECONFLICT, "assessment.not_submitted"), AssessLocked: refused(ECONFLICT, "assessment.locked")}},
		{"Receive", func(a *Assessment) (bool, error) { return a.Receive(at) }, map[AssessmentStatus]outcome{
			AssessSubmitted: ok(AssessReceived), AssessReceived: same,
			AssessDraft: refused(ECONFLICT, "assessment.not_submitted"), AssessReturned: refused(ECONFLICT, "assessment.not_submitted"),
			AssessAppraised: refused(ECONFLICT, "appraisal.completed"), AssessLocked: refused(ECONFLICT, "assessment.locked")}},
		{"CheckAppraisal", func(a *Assessment) (bool, error) { return false, a.CheckAppraisal() }, map[AssessmentStatus]outcome{
			AssessReceived: same, AssessSubmitted: refused(ECONFLICT, "appraisal.not_received"),
			AssessDraft: refused(ECONFLICT, "assessment.not_submitted"), AssessReturned: refused(ECONFLICT, "assessment.not_submitted"),
			AssessAppraised: refused(ECONFLICT, "appraisal.completed"), AssessLocked: refused(ECONFLICT, "assessment.locked")}},
		{"CompleteAppraisal", func(a *Assessment) (bool, error) { return a.CompleteAppraisal(at, until, 0) }, map[AssessmentStatus]outcome{
			AssessReceived: ok(AssessAppraised), AssessAppraised: same, AssessSubmitted: refused(ECONFLICT, "appraisal.not_received"),
			AssessDraft: refused(ECONFLICT, "assessment.not_submitted"), AssessReturned: refused(ECONFLICT, "assessment.not_submitted"),
			AssessLocked: refused(ECONFLICT, "assessment.locked")}},
		{"CompleteAppraisal incomplete", func(a *Assessment) (bool, error) { return a.CompleteAppraisal(at, until, 2) }, map[AssessmentStatus]outcome{
			AssessReceived: refused(EINVALID, "appraisal.incomplete"), AssessAppraised: same, AssessSubmitted: refused(ECONFLICT, "appraisal.not_received"),
			AssessDraft: refused(ECONFLICT, "assessment.not_submitted"), AssessReturned: refused(ECONFLICT, "assessment.not_submitted"),
			AssessLocked: refused(ECONFLICT, "assessment.locked")}},
		{"Reply", func(a *Assessment) (bool, error) { return false, a.Reply(day) }, map[AssessmentStatus]outcome{
			AssessAppraised: same, AssessLocked: refused(ECONFLICT, "assessment.locked"),
			AssessDraft: refused(ECONFLICT, "reply.not_open"), AssessSubmitted: refused(ECONFLICT, "reply.not_open"),
			AssessReturned: refused(ECONFLICT, "reply.not_open"), AssessReceived: refused(ECONFLICT, "reply.not_open")}},
		{"DecideReply", func(a *Assessment) (bool, error) { return false, a.DecideReply() }, map[AssessmentStatus]outcome{
			AssessAppraised: same, AssessLocked: refused(ECONFLICT, "assessment.locked"),
			AssessDraft: refused(ECONFLICT, "reply.not_open"), AssessSubmitted: refused(ECONFLICT, "reply.not_open"),
			AssessReturned: refused(ECONFLICT, "reply.not_open"), AssessReceived: refused(ECONFLICT, "reply.not_open")}},
		{"Lock after the window", func(a *Assessment) (bool, error) { return a.Lock(until.AddDate(0, 0, 1), at, 0) }, map[AssessmentStatus]outcome{
			AssessAppraised: ok(AssessLocked), AssessLocked: same,
			AssessDraft: refused(ECONFLICT, "lock.not_appraised"), AssessSubmitted: refused(ECONFLICT, "lock.not_appraised"),
			AssessReturned: refused(ECONFLICT, "lock.not_appraised"), AssessReceived: refused(ECONFLICT, "lock.not_appraised")}},
		{"Reopen", func(a *Assessment) (bool, error) { _, err := a.Reopen(" Sai số liệu "); return err == nil, err }, map[AssessmentStatus]outcome{
			AssessLocked: ok(AssessReceived),
			AssessDraft:  refused(ECONFLICT, "reopen.not_locked"), AssessSubmitted: refused(ECONFLICT, "reopen.not_locked"),
			AssessReturned: refused(ECONFLICT, "reopen.not_locked"), AssessReceived: refused(ECONFLICT, "reopen.not_locked"),
			AssessAppraised: refused(ECONFLICT, "reopen.not_locked")}},
		{"CheckSelfEdit", func(a *Assessment) (bool, error) { return false, a.CheckSelfEdit(day) }, map[AssessmentStatus]outcome{
			AssessDraft: same, AssessReturned: same,
			AssessSubmitted: refused(ECONFLICT, "assessment.submitted"), AssessReceived: refused(ECONFLICT, "assessment.submitted"),
			AssessAppraised: refused(ECONFLICT, "assessment.submitted"), AssessLocked: refused(ECONFLICT, "assessment.locked")}},
	}
	for _, st := range steps {
		for _, from := range all {
			want, listed := st.want[from]
			if !listed {
				t.Fatalf("%s: no expectation from %s", st.name, from)
			}
			a := form(from)
			changed, err := st.run(a)
			gotTo := a.Status
			if want.to == "" {
				want.to = from
			}
			if gotTo != want.to {
				t.Errorf("%s from %s: status %s, want %s", st.name, from, gotTo, want.to)
			}
			if want.code == "" {
				if err != nil {
					t.Errorf("%s from %s: %v", st.name, from, err)
				}
				if changed != want.changed {
					t.Errorf("%s from %s: changed %v, want %v", st.name, from, changed, want.changed)
				}
				continue
			}
			key, _ := ErrorMessage(err)
			if ErrorCode(err) != want.code || key != want.key {
				t.Errorf("%s from %s: error %v, want %s %s", st.name, from, err, want.code, want.key)
			}
		}
	}
}

// TestAssessmentTransitionsRecordTheirDates checks what the transitions
// leave on the form besides its status, and their refusals by date.
func TestAssessmentTransitionsRecordTheirDates(t *testing.T) {
	day := Day(2026, 3, 10)
	at := day.Add(9 * time.Hour)
	from, to := Day(2026, 3, 1), Day(2026, 3, 31)
	a := &Assessment{Status: AssessDraft, CampaignStatus: StatusAnnounced, WindowFrom: &from, WindowTo: &to}
	if _, err := a.Submit(Day(2026, 4, 1), at); ErrorCode(err) != ECONFLICT {
		t.Errorf("submitted after its window: %v", err)
	}
	if ok, err := a.Submit(day, at); !ok || err != nil || a.SubmittedAt == nil || !a.SubmittedAt.Equal(at) {
		t.Fatalf("submit: %v %v %v", ok, err, a.SubmittedAt)
	}
	if ok, err := a.Receive(at); !ok || err != nil || a.ReceivedAt == nil {
		t.Fatalf("receive: %v %v", ok, err)
	}
	until := Day(2026, 3, 17)
	if ok, err := a.CompleteAppraisal(at, until, 0); !ok || err != nil || a.ReplyUntil == nil || !a.ReplyUntil.Equal(until) || a.AppraisedAt == nil {
		t.Fatalf("complete: %v %v %+v", ok, err, a)
	}
	if err := a.Reply(until); err != nil {
		t.Errorf("reply on the last day: %v", err)
	}
	if key, _ := ErrorMessage(a.Reply(until.AddDate(0, 0, 1))); key != "reply.closed" {
		t.Errorf("reply the day after: %s", key)
	}
	if _, err := a.Lock(until, at, 0); ErrorCode(err) != ECONFLICT {
		t.Errorf("locked while the window is open: %v", err)
	}
	if _, err := a.Lock(until.AddDate(0, 0, 1), at, 1); ErrorCode(err) != ECONFLICT {
		t.Errorf("locked with a reply undecided: %v", err)
	}
	if ok, err := a.Lock(until.AddDate(0, 0, 1), at, 0); !ok || err != nil || a.LockedAt == nil {
		t.Fatalf("lock: %v %v", ok, err)
	}
	if _, err := a.Reopen("  "); !isValidation(err, "reason") {
		t.Errorf("reopened without a reason: %v", err)
	}
	if a.Status != AssessLocked {
		t.Fatalf("a refused reopening changed the form: %s", a.Status)
	}
	if reason, err := a.Reopen(" Sai  số liệu "); err != nil || reason != "Sai  số liệu" || a.LockedAt != nil || a.ReplyUntil != nil {
		t.Errorf("reopen: %q %v %+v", reason, err, a)
	}
	closed := &Assessment{Status: AssessSubmitted, CampaignStatus: StatusClosed}
	if key, _ := ErrorMessage(closed.Return()); key != "assessment.campaign_not_open" {
		t.Errorf("returned in a closed campaign: %s", key)
	}
}

func TestRegistrationStateMachine(t *testing.T) {
	at := Day(2026, 3, 10)
	all := []RegistrationStatus{RegDraft, RegPending, RegApproved, RegRejected, RegWithdrawn}
	for _, tc := range []struct {
		name string
		run  func(r *Registration) error
		want map[RegistrationStatus]string // the status after, or "!key" for a refusal
	}{
		{"Save draft", func(r *Registration) error { return r.Save(false, 3, at) }, map[RegistrationStatus]string{
			RegDraft: "draft", RegPending: "draft", RegRejected: "draft", RegWithdrawn: "draft", RegApproved: "!registration.already_approved"}},
		{"Save and send", func(r *Registration) error { return r.Save(true, 3, at) }, map[RegistrationStatus]string{
			RegDraft: "pending", RegPending: "pending", RegRejected: "pending", RegWithdrawn: "pending", RegApproved: "!registration.already_approved"}},
		{"Save stale", func(r *Registration) error { return r.Save(true, 2, at) }, map[RegistrationStatus]string{
			RegDraft: "!error.stale", RegPending: "!error.stale", RegRejected: "!error.stale", RegWithdrawn: "!error.stale",
			RegApproved: "!registration.already_approved"}},
		{"Withdraw", func(r *Registration) error { return r.Withdraw() }, map[RegistrationStatus]string{
			RegDraft: "withdrawn", RegPending: "withdrawn", RegApproved: "!registration.cannot_withdraw",
			RegRejected: "!registration.cannot_withdraw", RegWithdrawn: "!registration.cannot_withdraw"}},
		{"Approve", func(r *Registration) error { return r.Decide(true, "", at) }, map[RegistrationStatus]string{
			RegPending: "approved", RegDraft: "!registration.not_pending", RegApproved: "!registration.not_pending",
			RegRejected: "!registration.not_pending", RegWithdrawn: "!registration.not_pending"}},
		{"Reject", func(r *Registration) error { return r.Decide(false, "Thiếu hồ sơ", at) }, map[RegistrationStatus]string{
			RegPending: "rejected", RegDraft: "!registration.not_pending", RegApproved: "!registration.not_pending",
			RegRejected: "!registration.not_pending", RegWithdrawn: "!registration.not_pending"}},
		{"Reject without reason", func(r *Registration) error { return r.Decide(false, "", at) }, map[RegistrationStatus]string{
			RegPending: "!reason", RegDraft: "!reason", RegApproved: "!reason", RegRejected: "!reason", RegWithdrawn: "!reason"}},
	} {
		for _, from := range all {
			r := &Registration{Status: from, Version: 3, Reason: "cũ"}
			err := tc.run(r)
			want := tc.want[from]
			if want[0] == '!' {
				key, _ := ErrorMessage(err)
				if ve, ok := err.(*ValidationError); ok {
					key = "!" + firstKey(ve.Fields)
				} else {
					key = "!" + key
				}
				if key != want || r.Status != from {
					t.Errorf("%s from %s: %v (status %s), want %s", tc.name, from, err, r.Status, want)
				}
				continue
			}
			if err != nil || string(r.Status) != want {
				t.Errorf("%s from %s: %v, status %s, want %s", tc.name, from, err, r.Status, want)
			}
		}
	}
}

func isValidation(err error, field string) bool {
	ve, ok := err.(*ValidationError)
	return ok && ve.Fields[field] != ""
}

func firstKey(f FieldErrors) string {
	for k := range f {
		return k
	}
	return ""
}

func TestCheckAppraised(t *testing.T) {
	p := func(s string) *Points { v := pts(s); return &v }
	m := func(v int64) *int64 { return &v }
	points := &Criterion{Code: "1.1", Method: MethodPoints, Max: pts("10"), Step: pts("0,5"), AllowNA: true}
	tiers := &Criterion{Code: "1.2", Method: MethodTiers, Max: pts("10"), Tiers: []Tier{{Min: 9500, Points: pts("10")}, {Min: 9000, Points: pts("5")}}}
	for _, tc := range []struct {
		name      string
		c         *Criterion
		self, got Entry
		key       string
	}{
		{"same score, no comment", points, Entry{Points: p("8")}, Entry{Points: p("8")}, ""},
		{"lower score, no comment", points, Entry{Points: p("8")}, Entry{Points: p("6")}, "appraisal.comment_required"},
		{"lower score, blank comment", points, Entry{Points: p("8")}, Entry{Points: p("6"), Explanation: "  "}, "appraisal.comment_required"},
		{"lower score, comment", points, Entry{Points: p("8")}, Entry{Points: p("6"), Explanation: "Thiếu biên bản"}, ""},
		{"off the step", points, Entry{Points: p("8")}, Entry{Points: p("6,3"), Explanation: "x"}, "score.step"},
		{"over the max", points, Entry{Points: p("8")}, Entry{Points: p("11"), Explanation: "x"}, "score.out_of_range"},
		{"no score", points, Entry{Points: p("8")}, Entry{}, "appraisal.score_missing"},
		{"not applicable, differs", points, Entry{Points: p("8")}, Entry{NA: true}, "appraisal.comment_required"},
		{"same tier, other measure", tiers, Entry{Points: p("10"), Measured: m(9600)}, Entry{Measured: m(9550)}, "appraisal.comment_required"},
		{"same measure", tiers, Entry{Points: p("10"), Measured: m(9600)}, Entry{Measured: m(9600)}, ""},
		{"not applicable not allowed", tiers, Entry{Points: p("10"), Measured: m(9600)}, Entry{NA: true, Explanation: "x"}, "score.na_not_allowed"},
	} {
		got, err := CheckAppraised(tc.c, tc.self, tc.got)
		key, _ := ErrorMessage(err)
		if err == nil {
			key = ""
		}
		if key != tc.key {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.key)
		}
		if err == nil && tc.c == tiers && (got.Points == nil || *got.Points != pts("10")) {
			t.Errorf("%s: points %v, want computed 10", tc.name, got.Points)
		}
	}
}

func TestReplyUntilAfterAppraisal(t *testing.T) {
	friday := Day(2026, 3, 6)
	if got := ReplyUntil(friday, 5, nil); !got.Equal(Day(2026, 3, 13)) {
		t.Errorf("5 working days after Friday 06/03: %s", got.Format("02/01"))
	}
	// 30/04 and 01/05 (Thursday, Friday) are holidays.
	if got := ReplyUntil(Day(2026, 4, 29), 2, NewHolidays(Day(2026, 4, 30), Day(2026, 5, 1))); !got.Equal(Day(2026, 5, 5)) {
		t.Errorf("2 working days after 29/04 over the holidays: %s", got.Format("02/01"))
	}
}

func TestPhaseNominationDeadlineWithinThePhase(t *testing.T) {
	c := &Campaign{PeriodStart: Day(2026, 1, 1), PeriodEnd: Day(2026, 12, 31)}
	for _, tc := range []struct {
		due  time.Time
		good bool
	}{{Day(2026, 6, 30), true}, {Day(2026, 3, 1), true}, {Day(2026, 2, 28), false}, {Day(2026, 7, 1), false}} {
		d := tc.due
		p := &Phase{Name: "Đợt 1", Start: Day(2026, 3, 1), End: Day(2026, 6, 30), ReviewKind: ReviewInterim, NominationTo: &d}
		err := p.Validate(c)
		if (err == nil) != tc.good {
			t.Errorf("nomination deadline %s: %v", d.Format("02/01/2006"), err)
		}
	}
}
