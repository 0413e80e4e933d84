package domain

import "time"

// Reply decisions: the appraiser's answer to a unit's reply on one criterion.
const (
	ReplyAccepted = "accepted" // the final value is the one the appraiser enters
	ReplyKept     = "kept"     // the adjustment stands, with a reason
)

// ReplyStage is what the rules of the reply (giải trình bổ sung), the lock
// and the reopening read of a form.
//
// After the appraisal is complete (status appraised) the unit may reply
// until the end of ReplyUntil, then sends its reply once (ReplySent). The
// appraiser answers each replied criterion once the reply is sent or the
// window has ended; a window ending without a reply leaves the adjustments
// as they are. "Khóa kết quả" is an explicit action of the appraiser or
// staff, possible once every sent reply is answered and the reply is sent
// or its window over: no background job locks a form. After the lock
// nothing changes until staff reopen the form with a reason.
type ReplyStage struct {
	Status     AssessmentStatus
	ReplyUntil *time.Time
	ReplySent  *time.Time
}

// WindowOpen reports whether the unit's reply window is open at now.
func (f ReplyStage) WindowOpen(now time.Time) bool { return ReplyOpen(f.ReplyUntil, now) }

func (f ReplyStage) appraised() error {
	switch f.Status {
	case AssessAppraised:
		return nil
	case AssessLocked:
		return Errorf(ECONFLICT, "reply.locked")
	}
	return Errorf(ECONFLICT, "reply.not_appraised")
}

// CheckReply says whether the unit may change its reply (text or evidence)
// at now: the appraisal is complete, the reply not yet sent, the window open.
func (f ReplyStage) CheckReply(now time.Time) error {
	if err := f.appraised(); err != nil {
		return err
	}
	if f.ReplySent != nil {
		return Errorf(ECONFLICT, "reply.already_sent")
	}
	if !f.WindowOpen(now) {
		return Errorf(ECONFLICT, "reply.window_over", dayText(f.ReplyUntil))
	}
	return nil
}

// CheckAnswer says whether the appraiser may answer the replies at now: the
// reply is sent, or its window has ended.
func (f ReplyStage) CheckAnswer(now time.Time) error {
	if err := f.appraised(); err != nil {
		return err
	}
	if f.ReplySent == nil && f.WindowOpen(now) {
		return Errorf(ECONFLICT, "reply.waiting", dayText(f.ReplyUntil))
	}
	return nil
}

// CheckLock says whether the form may be locked at now, with unanswered
// sent replies left.
func (f ReplyStage) CheckLock(now time.Time, unanswered int) error {
	if err := f.CheckAnswer(now); err != nil {
		return err
	}
	if unanswered > 0 {
		return Errorf(ECONFLICT, "reply.unanswered", unanswered)
	}
	return nil
}

// CheckReopen says whether staff may reopen the form: only a locked one.
func (f ReplyStage) CheckReopen() error {
	if f.Status != AssessLocked {
		return Errorf(ECONFLICT, "reply.not_locked")
	}
	return nil
}

func dayText(d *time.Time) string {
	if d == nil {
		return "—"
	}
	return d.Format("02/01/2006")
}

// Appraised is a criterion's appraised value (nil Points and Measured and
// NA false: not appraised).
type Appraised struct {
	Points   *Points
	Measured *int64
	NA       *bool
}

// Done reports whether the criterion has been appraised.
func (a Appraised) Done() bool { return a.Points != nil || a.Measured != nil || (a.NA != nil && *a.NA) }

// Adjusted reports whether the appraisal changed the unit's own value: the
// criteria the unit may reply to.
func Adjusted(self Entry, a Appraised) bool {
	if !a.Done() {
		return false
	}
	na := a.NA != nil && *a.NA
	if na || self.NA {
		return na != self.NA
	}
	eqP := (a.Points == nil) == (self.Points == nil) && (a.Points == nil || *a.Points == *self.Points)
	eqM := (a.Measured == nil) == (self.Measured == nil) && (a.Measured == nil || *a.Measured == *self.Measured)
	return !eqP || !eqM
}

// ReplyAnswer is the appraiser's answer to a reply on one criterion.
type ReplyAnswer struct {
	Decision string
	Value    Entry  // the final value when accepted
	Reason   string // required when the adjustment is kept
}

// Validate checks an answer against its criterion and returns the final
// points when accepted.
func (a *ReplyAnswer) Validate(c *Criterion) (*Points, error) {
	f := FieldErrors{}
	a.Reason = CleanText(a.Reason)
	if RuneLen(a.Reason) > 2000 || !ValidText(a.Reason) {
		f.Add("reason", "field.too_long")
	}
	var pts *Points
	switch a.Decision {
	case ReplyKept:
		if a.Reason == "" {
			f.Add("reason", "reply.reason_required")
		}
	case ReplyAccepted:
		a.Value.Explanation = ""
		p, err := EntryPoints(c, a.Value)
		if err != nil {
			key, _ := ErrorMessage(err)
			f.Add("value", key)
		} else if p == nil && !(a.Value.NA && c.AllowNA) {
			f.Add("value", "reply.value_required")
		}
		pts = p
	default:
		f.Add("decision", "reply.decision_required")
	}
	return pts, f.Err()
}

// ReplyText cleans a unit's reply on one criterion and checks its length.
func ReplyText(s string) (string, error) {
	s = CleanText(s)
	if RuneLen(s) > 4000 || !ValidText(s) {
		return "", Errorf(EINVALID, "reply.too_long")
	}
	return s, nil
}
