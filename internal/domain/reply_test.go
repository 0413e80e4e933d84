package domain

import (
	"testing"
	"time"
)

// TestReplyStage: the reply is sent once, within its window; the appraiser
// answers once it is sent or the window is over; a sent reply lets the form
// be locked before the window ends; nothing changes after the lock.
func TestReplyStage(t *testing.T) {
	until := Day(2026, 12, 8)
	during, after := Day(2026, 12, 8), Day(2026, 12, 9)
	at := time.Date(2026, 12, 3, 9, 0, 0, 0, Zone)
	form := func() *Assessment { return &Assessment{Status: AssessAppraised, ReplyUntil: &until} }
	sent := form()
	if err := sent.SendReply(during, at); err != nil || sent.ReplySent == nil {
		t.Fatalf("send within the window: %v", err)
	}
	locked := form()
	locked.Status = AssessLocked
	for _, c := range []struct {
		name string
		err  error
		want string
	}{
		{"send after the window", form().SendReply(after, at), "reply.closed"},
		{"send twice", sent.SendReply(during, at), "reply.already_sent"},
		{"reply after sending", sent.Reply(during), "reply.already_sent"},
		{"reply after the lock", locked.Reply(during), "assessment.locked"},
		{"answer while the unit may still reply", form().CheckAnswer(during), "reply.waiting"},
		{"answer once the window ends", form().CheckAnswer(after), ""},
		{"answer a sent reply", sent.CheckAnswer(during), ""},
		{"answer after the lock", locked.CheckAnswer(after), "assessment.locked"},
	} {
		got := ""
		if c.err != nil {
			got, _ = ErrorMessage(c.err)
		}
		if got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
	if ok, err := form().Lock(during, at, 0); ok || err == nil {
		t.Error("locked while the unit may still reply")
	}
	if ok, err := sent.Lock(during, at, 1); ok || err == nil {
		t.Error("locked with a reply unanswered")
	}
	if ok, err := sent.Lock(during, at, 0); !ok || err != nil {
		t.Errorf("a sent and answered reply: lock %v %v", ok, err)
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
