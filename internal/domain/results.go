package domain

import (
	"strings"
	"time"
)

// ResultStatus is where a phase's results for one participant group stand:
// not proposed → proposed → approved (published), or returned to staff and
// proposed again.
type ResultStatus string

// Result statuses; ResultNone is a group nobody has proposed yet.
const (
	ResultNone     ResultStatus = ""
	ResultProposed ResultStatus = "proposed"
	ResultReturned ResultStatus = "returned"
	ResultApproved ResultStatus = "approved"
)

// PhaseResult is the results of one phase for one participant group (the
// units scored with one criteria set): proposed by staff, approved or
// returned by a leader who did not propose them.
type PhaseResult struct {
	ID          int64
	CampaignID  int64
	PhaseID     int64
	SetID       int64
	Status      ResultStatus
	ProposedBy  *int64
	ProposedAt  *time.Time
	DecidedBy   *int64
	DecidedAt   *time.Time
	Reason      string
	PublishedAt *time.Time
	Version     int
}

// Published reports whether citizens may read the results.
func (r *PhaseResult) Published() bool { return r.Status == ResultApproved && r.PublishedAt != nil }

// GroupForms is what the proposal of a group's results depends on: its
// forms that were submitted (and not returned) but are not locked yet, by
// unit name, and how many are locked.
type GroupForms struct {
	NotLocked []string
	Locked    int
}

// maxListed is how many units a refusal names before "and N more".
const maxListed = 15

// Propose records a proposal by staff member by at now: only a group not
// proposed yet or returned, only when every submitted form of the group is
// locked (the refusal names those that are not) and at least one is.
func (r *PhaseResult) Propose(by int64, forms GroupForms, now time.Time) error {
	switch r.Status {
	case ResultProposed:
		return Errorf(ECONFLICT, "results.already_proposed")
	case ResultApproved:
		return Errorf(ECONFLICT, "results.already_approved")
	}
	if n := len(forms.NotLocked); n > 0 {
		names := forms.NotLocked
		more := ""
		if n > maxListed {
			names, more = names[:maxListed], "; …"
		}
		return Errorf(ECONFLICT, "results.not_locked", n, strings.Join(names, "; ")+more)
	}
	if forms.Locked == 0 {
		return Errorf(ECONFLICT, "results.nothing_locked")
	}
	r.Status, r.ProposedBy, r.ProposedAt = ResultProposed, &by, &now
	r.DecidedBy, r.DecidedAt, r.Reason = nil, nil, ""
	r.Version++
	return nil
}

// Approve records a leader's approval at now, which publishes the results.
// The proposer can never approve their own proposal.
func (r *PhaseResult) Approve(by int64, now time.Time) error {
	if err := r.decidable(by); err != nil {
		return err
	}
	r.Status, r.DecidedBy, r.DecidedAt, r.PublishedAt = ResultApproved, &by, &now, &now
	r.Version++
	return nil
}

// Return sends the proposal back to staff with the leader's reason, which
// is required.
func (r *PhaseResult) Return(by int64, reason string, now time.Time) error {
	reason = CleanText(strings.ReplaceAll(reason, "\r\n", "\n"))
	f := FieldErrors{}
	switch n := RuneLen(reason); {
	case n == 0:
		f.Add("reason", "results.reason.required")
	case n > 2000:
		f.Add("reason", "field.too_long")
	}
	if err := r.decidable(by); err != nil {
		return err
	}
	if err := f.Err(); err != nil {
		return err
	}
	r.Status, r.DecidedBy, r.DecidedAt, r.Reason = ResultReturned, &by, &now, reason
	r.Version++
	return nil
}

// decidable checks that a proposal waits and that by did not make it.
func (r *PhaseResult) decidable(by int64) error {
	if r.Status != ResultProposed {
		return Errorf(ECONFLICT, "results.not_proposed")
	}
	if r.ProposedBy != nil && *r.ProposedBy == by {
		return Errorf(EFORBIDDEN, "results.own_proposal")
	}
	return nil
}

// ResultRow is one unit's line of a group's results.
type ResultRow struct {
	AssessmentID       int64
	UnitID             int64
	UnitName           string
	Rank               int
	Band               string
	SelfConverted      Points
	AppraisedConverted Points
	FinalConverted     Points
}

// RankResults gives rows their standard competition ranks (Rank: the one
// ranking rule, 1, 2, 2, 4) on the final total, and their bands.
func RankResults(rows []ResultRow, b Bands) {
	totals := make([]Points, len(rows))
	for i := range rows {
		totals[i] = rows[i].FinalConverted
	}
	for _, p := range Rank(totals) {
		rows[p.Index].Rank = p.Rank
		rows[p.Index].Band = b.Classify(rows[p.Index].FinalConverted)
	}
}
