package domain

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
)

// Nominations of individuals (issue 11): a unit's focal point proposes one
// of its people for an individual award of a campaign's plan, with the
// achievement report (báo cáo thành tích) typed in, an optional signed
// scan and the unit's vote (biên bản bình xét) attached; saves drafts as
// often as needed, submits; staff receive or return it with a reason; the
// shortlist later marks it shortlisted or not, with the reason.

// NominationReport is the achievement report of a nomination, as typed.
type NominationReport struct {
	Position     string // chức vụ
	Tasks        string // chức năng, nhiệm vụ được giao
	Achievements string // thành tích đạt được, with figures
	Initiatives  string // sáng kiến, đề tài: the deciding document's number and date
	PriorAwards  string // hình thức khen thưởng đã nhận
}

// ReportFields are the report's form fields, top to bottom.
var ReportFields = []string{"position", "tasks", "achievements", "initiatives", "prior_awards"}

// reportLimits are the longest texts, in characters, per field.
var reportLimits = map[string]int{"position": 300, "tasks": 20000, "achievements": 20000, "initiatives": 20000, "prior_awards": 20000}

// ReportLimit is the longest text a report field takes, in characters.
func ReportLimit(field string) int { return reportLimits[field] }

// Field returns the text of a report field by its form name.
func (r NominationReport) Field(field string) string {
	switch field {
	case "position":
		return r.Position
	case "tasks":
		return r.Tasks
	case "achievements":
		return r.Achievements
	case "initiatives":
		return r.Initiatives
	case "prior_awards":
		return r.PriorAwards
	}
	return ""
}

// SetField sets a report field by its form name.
func (r *NominationReport) SetField(field, text string) {
	switch field {
	case "position":
		r.Position = text
	case "tasks":
		r.Tasks = text
	case "achievements":
		r.Achievements = text
	case "initiatives":
		r.Initiatives = text
	case "prior_awards":
		r.PriorAwards = text
	}
}

// Clean returns the report in its stored form: NFC, line ends as "\n",
// white space around each field removed.
func (r NominationReport) Clean() NominationReport {
	var out NominationReport
	for _, f := range ReportFields {
		out.SetField(f, CleanText(strings.ReplaceAll(r.Field(f), "\r\n", "\n")))
	}
	return out
}

// Validate checks the report's texts: no bad bytes, none too long. A
// draft may be incomplete; CheckComplete is for the submission.
func (r NominationReport) Validate() error {
	f := FieldErrors{}
	for _, name := range ReportFields {
		t := r.Field(name)
		switch {
		case !ValidText(t):
			f.Add(name, "error.bad_text")
		case RuneLen(t) > reportLimits[name]:
			f.Add(name, "field.too_long")
		}
	}
	return f.Err()
}

// CheckComplete checks what a report needs before it is submitted: the
// position, the tasks and the achievements (initiatives and prior awards
// may be none).
func (r NominationReport) CheckComplete() error {
	f := FieldErrors{}
	for _, name := range []string{"position", "tasks", "achievements"} {
		if r.Field(name) == "" {
			f.Add(name, "nomination.required."+name)
		}
	}
	return f.Err()
}

// ReportHash is a short fingerprint of a field's text as shown on a form:
// the form sends it back so a save over an older version can tell what the
// user changed from what someone else changed meanwhile.
func ReportHash(text string) string {
	sum := sha256.Sum256([]byte(text))
	return hex.EncodeToString(sum[:8])
}

// MergeReport merges a report typed over an older version (whose fields'
// hashes are orig) with the stored one: a field only the user changed
// takes the typed text, a field only someone else changed keeps the
// stored text, and a field both changed differently is a conflict, listed
// by name in form order (merged then holds the typed text there).
func MergeReport(orig map[string]string, typed, stored NominationReport) (merged NominationReport, conflicts []string) {
	for _, f := range ReportFields {
		t, s := typed.Field(f), stored.Field(f)
		o, known := orig[f]
		mine := !known || ReportHash(t) != o
		theirs := !known || ReportHash(s) != o
		switch {
		case t == s || !theirs:
			merged.SetField(f, t)
		case !mine:
			merged.SetField(f, s)
		default:
			merged.SetField(f, t)
			conflicts = append(conflicts, f)
		}
	}
	return merged, conflicts
}

// Editable reports whether the unit may still change a nomination in
// this status: a draft, or one staff returned.
func (s NominationStatus) Editable() bool {
	return s == NominationDraft || s == NominationReturned
}

// NominationStatuses are the statuses in the order of the work.
var NominationStatuses = []NominationStatus{NominationDraft, NominationSubmitted, NominationReturned, NominationReceived,
	NominationShortlisted, NominationNotShortlisted}

// Nomination is an individual nominated by their unit for an award plan in
// a phase, with the report and where it stands.
type Nomination struct {
	ID           int64
	CampaignID   int64
	PhaseID      int64
	PlanID       int64
	UnitID       int64
	PersonID     int64
	Status       NominationStatus
	Report       NominationReport
	ReportFileID *int64
	VoteFileID   *int64
	Reason       string // why staff returned it, or why it was not shortlisted
	Version      int
	CreatedAt    time.Time
	UpdatedAt    time.Time
	SubmittedAt  *time.Time
	ReceivedAt   *time.Time
	// Names, for the pages.
	PersonName string
	UnitName   string
	PlanName   string
	PhaseName  string
	UpdatedBy  string
}

// Edit replaces the report of a nomination the unit may still change.
func (n *Nomination) Edit(r NominationReport) error {
	if !n.Status.Editable() {
		return Errorf(ECONFLICT, "nomination.not_editable."+string(n.Status))
	}
	r = r.Clean()
	if err := r.Validate(); err != nil {
		return err
	}
	n.Report = r
	return nil
}

// Submit sends a draft or a returned nomination to Home Affairs: the
// report must be complete.
func (n *Nomination) Submit() error {
	if !n.Status.Editable() {
		return Errorf(ECONFLICT, "nomination.not_editable."+string(n.Status))
	}
	if err := n.Report.CheckComplete(); err != nil {
		return err
	}
	n.Status = NominationSubmitted
	return nil
}

// Receive marks a submitted nomination received by staff.
func (n *Nomination) Receive() error {
	if n.Status != NominationSubmitted {
		return Errorf(ECONFLICT, "nomination.not_receivable."+string(n.Status))
	}
	n.Status = NominationReceived
	n.Reason = ""
	return nil
}

// CleanReason cleans a reason typed by staff and checks it: required,
// valid text, at most 2,000 characters.
func CleanReason(reason string) (string, error) {
	reason = CleanText(strings.ReplaceAll(reason, "\r\n", "\n"))
	switch {
	case !ValidText(reason):
		return "", &ValidationError{Fields: FieldErrors{"reason": "error.bad_text"}}
	case reason == "":
		return "", &ValidationError{Fields: FieldErrors{"reason": "nomination.reason.required"}}
	case RuneLen(reason) > 2000:
		return "", &ValidationError{Fields: FieldErrors{"reason": "field.too_long"}}
	}
	return reason, nil
}

// Return sends a submitted or received nomination back to its unit with a
// reason; the unit corrects it and submits again.
func (n *Nomination) Return(reason string) error {
	if n.Status != NominationSubmitted && n.Status != NominationReceived {
		return Errorf(ECONFLICT, "nomination.not_returnable."+string(n.Status))
	}
	reason, err := CleanReason(reason)
	if err != nil {
		return err
	}
	n.Status = NominationReturned
	n.Reason = reason
	return nil
}

// Decide records the shortlist's answer for a received nomination:
// shortlisted, or not with the reason (required).
func (n *Nomination) Decide(shortlisted bool, reason string) error {
	if n.Status != NominationReceived && n.Status != NominationShortlisted && n.Status != NominationNotShortlisted {
		return Errorf(ECONFLICT, "nomination.not_decidable."+string(n.Status))
	}
	if shortlisted {
		n.Status, n.Reason = NominationShortlisted, ""
		return nil
	}
	reason, err := CleanReason(reason)
	if err != nil {
		return err
	}
	n.Status, n.Reason = NominationNotShortlisted, reason
	return nil
}

// NominationStep is one step of a nomination's history.
type NominationStep struct {
	From   NominationStatus
	To     NominationStatus
	Reason string
	Actor  string
	At     time.Time
}
