package domain

import (
	"testing"
	"time"
)

func TestReplyStage(t *testing.T) {
	until := Day(2026, 12, 8)
	sent := time.Date(2026, 12, 3, 9, 0, 0, 0, Zone)
	during := time.Date(2026, 12, 8, 20, 0, 0, 0, Zone)
	after := time.Date(2026, 12, 9, 0, 5, 0, 0, Zone)
	open := ReplyStage{Status: AssessAppraised, ReplyUntil: &until}
	replied := ReplyStage{Status: AssessAppraised, ReplyUntil: &until, ReplySent: &sent}
	locked := ReplyStage{Status: AssessLocked, ReplyUntil: &until, ReplySent: &sent}
	received := ReplyStage{Status: AssessReceived}
	for _, c := range []struct {
		name string
		err  error
		want string
	}{
		{"reply in the window", open.CheckReply(during), ""},
		{"reply after the window", open.CheckReply(after), "reply.window_over"},
		{"reply twice", replied.CheckReply(during), "reply.already_sent"},
		{"reply after the lock", locked.CheckReply(during), "reply.locked"},
		{"reply before the appraisal ends", received.CheckReply(during), "reply.not_appraised"},
		{"answer while the unit may still reply", open.CheckAnswer(during), "reply.waiting"},
		{"answer once the window ends", open.CheckAnswer(after), ""},
		{"answer a sent reply", replied.CheckAnswer(during), ""},
		{"answer after the lock", locked.CheckAnswer(after), "reply.locked"},
		{"lock with a reply unanswered", replied.CheckLock(during, 1), "reply.unanswered"},
		{"lock when all is answered", replied.CheckLock(during, 0), ""},
		{"lock before the window ends", open.CheckLock(during, 0), "reply.waiting"},
		{"lock twice", locked.CheckLock(after, 0), "reply.locked"},
		{"reopen a locked form", locked.CheckReopen(), ""},
		{"reopen an open form", replied.CheckReopen(), "reply.not_locked"},
	} {
		got := ""
		if c.err != nil {
			got, _ = ErrorMessage(c.err)
			if ErrorCode(c.err) != ECONFLICT {
				t.Errorf("%s: code %s, want conflict", c.name, ErrorCode(c.err))
			}
		}
		if got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

func TestAdjusted(t *testing.T) {
	p := func(v Points) *Points { return &v }
	b := func(v bool) *bool { return &v }
	m := func(v int64) *int64 { return &v }
	for _, c := range []struct {
		name string
		self Entry
		a    Appraised
		want bool
	}{
		{"not appraised", Entry{Points: p(500)}, Appraised{}, false},
		{"accepted as is", Entry{Points: p(500)}, Appraised{Points: p(500), NA: b(false)}, false},
		{"lowered", Entry{Points: p(500)}, Appraised{Points: p(250), NA: b(false)}, true},
		{"measured changed", Entry{Points: p(500), Measured: m(9500)}, Appraised{Points: p(500), Measured: m(9000), NA: b(false)}, true},
		{"made not applicable", Entry{Points: p(500)}, Appraised{NA: b(true)}, true},
		{"both not applicable", Entry{NA: true}, Appraised{NA: b(true)}, false},
		{"scored where the unit said not applicable", Entry{NA: true}, Appraised{Points: p(0), NA: b(false)}, true},
	} {
		if got := Adjusted(c.self, c.a); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

func TestReplyAnswerValidate(t *testing.T) {
	c := &Criterion{Method: MethodPoints, Max: 1000, Step: 50}
	p := func(v Points) *Points { return &v }
	kept := ReplyAnswer{Decision: ReplyKept, Reason: "  "}
	if _, err := kept.Validate(c); err == nil {
		t.Error("kept without a reason: want an error")
	}
	kept.Reason = "Tài liệu bổ sung không chứng minh được chỉ tiêu."
	if _, err := kept.Validate(c); err != nil {
		t.Errorf("kept with a reason: %v", err)
	}
	acc := ReplyAnswer{Decision: ReplyAccepted, Value: Entry{Points: p(750)}}
	if pts, err := acc.Validate(c); err != nil || pts == nil || *pts != 750 {
		t.Errorf("accepted 7,5: %v %v", pts, err)
	}
	for _, bad := range []ReplyAnswer{{Decision: ReplyAccepted}, {Decision: ReplyAccepted, Value: Entry{Points: p(1100)}},
		{Decision: ReplyAccepted, Value: Entry{NA: true}}, {Decision: "maybe"}} {
		if _, err := bad.Validate(c); err == nil {
			t.Errorf("%+v: want an error", bad)
		}
	}
}
