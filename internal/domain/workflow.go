package domain

import "time"

// This file holds the records with a lifecycle (a unit's registration and
// its assessment form) and every change of their state. The storage layer
// loads a record with SELECT … FOR UPDATE, calls one of these methods, and
// stores the record only when the method returned no error: the state
// machine lives here and nowhere else.
//
// An assessment form goes
//
//	draft ──Submit──▶ submitted ──Receive──▶ received ──CompleteAppraisal──▶ appraised ──Lock──▶ locked
//	  ▲                  │                      │                              (Reply, DecideReply)      │
//	  └──── returned ◀──Return──────────────────┘                                                        │
//	                                            ▲                                                        │
//	                                            └──────────────────────Reopen(reason)────────────────────┘
//
// Each method refuses a change its state does not allow with an ECONFLICT
// *Error (bad input gives EINVALID), its message a catalogue key.

// Assessment is a unit's self-assessment form for one phase, with the
// appraisal that follows it.
type Assessment struct {
	ID          int64
	CampaignID  int64
	SetID       int64
	PhaseID     int64
	UnitID      int64
	UnitName    string
	PhaseName   string
	Status      AssessmentStatus
	Version     int
	SubmittedAt *time.Time
	Deadline    *time.Time // a unit's extension
	WindowFrom  *time.Time
	WindowTo    *time.Time
	// The self-assessment's totals, kept current with every score change.
	Points        Points
	ApplicableMax Points
	Converted     Points
	Scored        int
	// CampaignStatus is the campaign's: only an announced campaign takes
	// self-assessments.
	CampaignStatus CampaignStatus

	ReceivedAt  *time.Time // tiếp nhận
	AppraisedAt *time.Time // appraisal completed
	ReplyUntil  *time.Time // the last day of the unit's reply window
	LockedAt    *time.Time
	ReplySent   *time.Time // the unit sent its reply (once; drafts before)
	// The appraised and final totals (see migration 000009).
	AppraisedPoints    Points
	AppraisedMax       Points
	AppraisedConverted Points
	AppraisedScored    int
	FinalPoints        Points
	FinalMax           Points
	FinalConverted     Points
	// SetRevision is the revision of the form's criteria set when the form
	// was read: it moves with every change to the set's criteria.
	SetRevision int64
}

// Open reports whether the form takes self-assessment saves and submits on
// day: its campaign is still announced (not closed or cancelled) and day is
// within the phase's window or the unit's extension.
func (a *Assessment) Open(day time.Time) (bool, string, []any) {
	if a.CampaignStatus != StatusAnnounced {
		return false, "assessment.campaign_not_open", nil
	}
	return Window(a.WindowFrom, a.WindowTo, a.Deadline, day)
}

// Late reports whether the form's window has closed on day without a
// submission (a form whose window has not opened yet is not late).
func (a *Assessment) Late(day time.Time) bool {
	if a.Submitted() {
		return false
	}
	open, _, _ := a.Open(day)
	return !open && (a.WindowFrom == nil || !day.Before(*a.WindowFrom))
}

// Standing is where a registered unit stands in a phase on day, for the
// dashboard: "none" (chưa bắt đầu) when it has no form (ID 0), "not_open"
// while the phase's window has not opened (a form started early is not
// "đang chấm"), else the form's status.
func (a *Assessment) Standing(day time.Time) string {
	if !a.Submitted() && a.WindowFrom != nil && day.Before(*a.WindowFrom) {
		return "not_open"
	}
	if a.ID == 0 {
		return "none"
	}
	return string(a.Status)
}

// Submitted reports whether the unit's self-assessment is behind it: the
// form is submitted, received, appraised or locked.
func (a *Assessment) Submitted() bool { return a.Status.Submitted() }

// Submitted reports whether a form in this status is past its
// self-assessment: submitted, received, appraised or locked.
func (s AssessmentStatus) Submitted() bool {
	switch s {
	case AssessSubmitted, AssessReceived, AssessAppraised, AssessLocked:
		return true
	}
	return false
}

// CheckSelfEdit says whether the unit may change its own scores on day:
// only a draft or a returned form, within its window.
func (a *Assessment) CheckSelfEdit(day time.Time) error {
	switch a.Status {
	case AssessDraft, AssessReturned:
	case AssessLocked:
		return Errorf(ECONFLICT, "assessment.locked")
	default:
		return Errorf(ECONFLICT, "assessment.submitted")
	}
	if open, msg, args := a.Open(day); !open {
		return Errorf(ECONFLICT, msg, args...)
	}
	return nil
}

// Submit sends a draft or returned form on day (at is the instant). The
// completeness of the entries is checked by SubmitProblems before. A form
// already submitted (a double click, or one staff have since received)
// changes nothing: Submit reports false and no error.
func (a *Assessment) Submit(day, at time.Time) (bool, error) {
	if a.Submitted() {
		return false, nil
	}
	if err := a.CheckSelfEdit(day); err != nil {
		return false, err
	}
	a.Status, a.SubmittedAt = AssessSubmitted, &at
	return true, nil
}

// Return sends a submitted or received form back to its unit for revision
// (the reasons per criterion are the storage's to record). The campaign
// must still be announced.
func (a *Assessment) Return() error {
	if a.Status != AssessSubmitted && a.Status != AssessReceived {
		if a.Status == AssessLocked {
			return Errorf(ECONFLICT, "assessment.locked")
		}
		return Errorf(ECONFLICT, "assessment.not_submitted")
	}
	if a.CampaignStatus != StatusAnnounced {
		return Errorf(ECONFLICT, "assessment.campaign_not_open")
	}
	a.Status, a.ReceivedAt = AssessReturned, nil
	return nil
}

// Receive marks a submitted form received (tiếp nhận): its appraisal may
// start. Receiving a form already received changes nothing and reports
// false.
func (a *Assessment) Receive(at time.Time) (bool, error) {
	switch a.Status {
	case AssessReceived:
		return false, nil
	case AssessSubmitted:
		a.Status, a.ReceivedAt = AssessReceived, &at
		return true, nil
	case AssessAppraised:
		return false, Errorf(ECONFLICT, "appraisal.completed")
	case AssessLocked:
		return false, Errorf(ECONFLICT, "assessment.locked")
	}
	return false, Errorf(ECONFLICT, "assessment.not_submitted")
}

// CheckAppraisal says whether appraisers may change the appraised scores:
// only while the form is received.
func (a *Assessment) CheckAppraisal() error {
	switch a.Status {
	case AssessReceived:
		return nil
	case AssessSubmitted:
		return Errorf(ECONFLICT, "appraisal.not_received")
	case AssessAppraised:
		return Errorf(ECONFLICT, "appraisal.completed")
	case AssessLocked:
		return Errorf(ECONFLICT, "assessment.locked")
	}
	return Errorf(ECONFLICT, "assessment.not_submitted")
}

// CompleteAppraisal ends the appraisal of a received form at instant at
// and opens the unit's reply window until the day replyUntil (inclusive).
// unappraised is how many criteria still have no appraised score: while
// any is left the appraisal cannot complete. Completing a form already
// appraised (a double click) changes nothing and reports false.
func (a *Assessment) CompleteAppraisal(at, replyUntil time.Time, unappraised int) (bool, error) {
	if a.Status == AssessAppraised {
		return false, nil
	}
	if err := a.CheckAppraisal(); err != nil {
		return false, err
	}
	if unappraised > 0 {
		return false, Errorf(EINVALID, "appraisal.incomplete", unappraised)
	}
	a.Status, a.AppraisedAt, a.ReplyUntil = AssessAppraised, &at, &replyUntil
	return true, nil
}

// Reply says whether the unit may reply to the appraisal on day (giải
// trình bổ sung): the form is appraised and day is within the reply window.
func (a *Assessment) Reply(day time.Time) error {
	switch a.Status {
	case AssessAppraised:
	case AssessLocked:
		return Errorf(ECONFLICT, "assessment.locked")
	default:
		return Errorf(ECONFLICT, "reply.not_open")
	}
	if a.ReplySent != nil {
		return Errorf(ECONFLICT, "reply.already_sent")
	}
	if a.ReplyUntil != nil && day.After(*a.ReplyUntil) {
		return Errorf(ECONFLICT, "reply.closed", a.ReplyUntil.Format("02/01/2006"))
	}
	return nil
}

// SendReply sends the unit's reply at instant at (once): from then on the
// appraiser answers it, and the form may be locked before its window ends.
func (a *Assessment) SendReply(day, at time.Time) error {
	if err := a.Reply(day); err != nil {
		return err
	}
	a.ReplySent = &at
	return nil
}

// CheckAnswer says whether the appraiser may answer the replies on day:
// DecideReply's state, once the reply is sent or its window has ended
// (while the unit may still reply there is nothing final to answer).
func (a *Assessment) CheckAnswer(day time.Time) error {
	if err := a.DecideReply(); err != nil {
		return err
	}
	if a.ReplySent == nil && a.ReplyUntil != nil && !day.After(*a.ReplyUntil) {
		return Errorf(ECONFLICT, "reply.waiting", a.ReplyUntil.Format("02/01/2006"))
	}
	return nil
}

// DecideReply says whether an appraiser may accept a reply (the score
// changes) or keep the adjustment: while the form is appraised, not locked.
func (a *Assessment) DecideReply() error {
	switch a.Status {
	case AssessAppraised:
		return nil
	case AssessLocked:
		return Errorf(ECONFLICT, "assessment.locked")
	}
	return Errorf(ECONFLICT, "reply.not_open")
}

// Lock makes an appraised form final on day (at is the instant): its reply
// window has ended and no reply waits for a decision (undecided counts the
// replies not yet accepted or kept). Locking a locked form changes nothing
// and reports false.
func (a *Assessment) Lock(day, at time.Time, undecided int) (bool, error) {
	switch a.Status {
	case AssessLocked:
		return false, nil
	case AssessAppraised:
	default:
		return false, Errorf(ECONFLICT, "lock.not_appraised")
	}
	if a.ReplySent == nil && a.ReplyUntil != nil && !day.After(*a.ReplyUntil) {
		// A sent reply ends the window early: nothing more can come.
		return false, Errorf(ECONFLICT, "lock.window_open", a.ReplyUntil.Format("02/01/2006"))
	}
	if undecided > 0 {
		return false, Errorf(ECONFLICT, "lock.undecided", undecided)
	}
	a.Status, a.LockedAt = AssessLocked, &at
	return true, nil
}

// Reopen takes a locked form back to appraisal (received) for a reason
// staff give; the storage records the reason in the form's history. It
// returns the cleaned reason.
func (a *Assessment) Reopen(reason string) (string, error) {
	if a.Status != AssessLocked {
		return "", Errorf(ECONFLICT, "reopen.not_locked")
	}
	reason = CleanText(reason)
	if reason == "" || RuneLen(reason) > 2000 {
		return "", &ValidationError{Fields: FieldErrors{"reason": "reopen.reason"}}
	}
	a.Status, a.LockedAt, a.AppraisedAt, a.ReplyUntil, a.ReplySent = AssessReceived, nil, nil, nil, nil
	return reason, nil
}

// Target is a measurable pledge: "Mức độ hài lòng" ≥ "95%".
type Target struct {
	Label string `json:"label"`
	Value string `json:"value"`
}

// Registration is a unit's registration for a campaign:
// draft → pending → approved / rejected, or withdrawn before approval.
type Registration struct {
	ID          int64
	CampaignID  int64
	UnitID      int64
	UnitName    string
	Status      RegistrationStatus
	Pledge      string
	Targets     []Target
	Reason      string
	SubmittedAt *time.Time
	DecidedAt   *time.Time
	Version     int
	People      []int64 // loaded by RegistrationOf only
	PeopleCount int     // how many people the unit proposes
}

// Save changes the registration as the unit's focal point sent it, against
// the version their page showed: kept as a draft, or sent for approval
// (submit). An approved registration no longer changes.
func (r *Registration) Save(submit bool, version int, at time.Time) error {
	if r.Status == RegApproved {
		return Errorf(ECONFLICT, "registration.already_approved")
	}
	if version != r.Version {
		return Errorf(ECONFLICT, "error.stale")
	}
	r.Status, r.Reason = RegDraft, ""
	if submit {
		r.Status, r.SubmittedAt = RegPending, &at
	}
	return nil
}

// Withdraw lets a unit withdraw a registration not yet approved.
func (r *Registration) Withdraw() error {
	if r.Status != RegDraft && r.Status != RegPending {
		return Errorf(ECONFLICT, "registration.cannot_withdraw")
	}
	r.Status = RegWithdrawn
	return nil
}

// Decide approves or rejects a pending registration at instant at; a
// rejection needs its reason (already cleaned).
func (r *Registration) Decide(approve bool, reason string, at time.Time) error {
	if !approve && reason == "" {
		return &ValidationError{Fields: FieldErrors{"reason": "registration.reason_required"}}
	}
	if RuneLen(reason) > 2000 {
		return &ValidationError{Fields: FieldErrors{"reason": "field.too_long"}}
	}
	if r.Status != RegPending {
		return Errorf(ECONFLICT, "registration.not_pending")
	}
	r.Status, r.Reason, r.DecidedAt = RegRejected, reason, &at
	if approve {
		r.Status = RegApproved
	}
	return nil
}
