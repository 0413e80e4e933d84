package domain

import "time"

// The award step (issue 11): eligibility rules as data, the facts they read
// (pending flags, the achievement history), and the shared names of the
// shortlist, the nominations and the public notice. The rules' evaluation,
// the shortlist's and the nominations' transitions live beside these types.

// AwardTarget is who an award goes to.
type AwardTarget string

const (
	TargetCollective AwardTarget = "collective"
	TargetIndividual AwardTarget = "individual"
)

// RuleKind is the kind of an eligibility rule (award_rules.kind).
type RuleKind string

const (
	// RuleMinBand: the candidate's band is at least Rule.MinBand ("Xếp loại
	// từ Tốt trở lên").
	RuleMinBand RuleKind = "min_band"
	// RuleOneAward: one achievement, one award: the same unit or person is
	// not proposed twice for the same phase's result.
	RuleOneAward RuleKind = "one_award"
	// RuleNoPendingFlag: no discipline, inspection or complaint pending on
	// the phase's end date (Nghị định 152/2025).
	RuleNoPendingFlag RuleKind = "no_pending_flag"
	// RuleNotThematic: results of a thematic campaign do not ground a merit
	// award: prerequisites count no thematic achievement, and a thematic
	// campaign's own results give no merit award.
	RuleNotThematic RuleKind = "not_thematic"
	// RulePrerequisite: the award form Rule.PrerequisiteFormID held in the
	// Rule.PrerequisiteYears consecutive years before the phase's year,
	// read from the achievement history.
	RulePrerequisite RuleKind = "prerequisite"
)

// RuleKinds are the kinds in the order an editor offers them.
var RuleKinds = []RuleKind{RuleMinBand, RuleOneAward, RuleNoPendingFlag, RuleNotThematic, RulePrerequisite}

// Rule is one eligibility rule of an award plan, with its legal citation
// and the days it is in force (nil: open on that side).
type Rule struct {
	ID                 int64
	PlanID             int64
	Kind               RuleKind
	MinBand            string // RuleMinBand: a BandNames entry
	PrerequisiteFormID *int64 // RulePrerequisite
	PrerequisiteYears  int    // RulePrerequisite
	Citation           string
	InForceFrom        *time.Time
	InForceTo          *time.Time
	Sort               int
}

// InForce reports whether the rule applies on day.
func (r Rule) InForce(day time.Time) bool {
	return (r.InForceFrom == nil || !day.Before(*r.InForceFrom)) && (r.InForceTo == nil || !day.After(*r.InForceTo))
}

// Quota is the number of candidates of one group an award plan gives in a
// phase (PhaseID nil: every phase); Count nil is a number the plan leaves
// open.
type Quota struct {
	ID       int64
	PlanID   int64
	PhaseID  *int64
	Target   AwardTarget
	Count    *int
	Citation string
}

// Outcome is a rule's answer for one candidate: pass or fail with its
// reason, a catalogue key and its arguments ("Chưa đạt: xếp loại Khá, yêu
// cầu từ Tốt trở lên").
type Outcome struct {
	Kind     RuleKind `json:"kind"`
	Pass     bool     `json:"pass"`
	Key      string   `json:"key"`
	Args     []any    `json:"args,omitempty"`
	Citation string   `json:"citation,omitempty"`
}

// Subject is a unit or a person: exactly one of the two is set.
type Subject struct {
	UnitID   int64
	PersonID int64
}

// FlagKind is what is pending on a unit or person.
type FlagKind string

const (
	FlagDiscipline FlagKind = "discipline" // kỷ luật
	FlagInspection FlagKind = "inspection" // thanh tra, kiểm tra
	FlagComplaint  FlagKind = "complaint"  // khiếu nại, tố cáo
)

// PendingFlag is a discipline, inspection or complaint pending on a unit or
// a person from From to To (nil: still pending), set by staff with a
// reason.
type PendingFlag struct {
	ID         int64
	Subject    Subject
	Kind       FlagKind
	Reason     string
	From       time.Time
	To         *time.Time
	SetBy      string
	SetAt      time.Time
	LiftReason string
}

// PendingOn reports whether the flag is pending on day.
func (f PendingFlag) PendingOn(day time.Time) bool {
	return !day.Before(f.From) && (f.To == nil || !day.After(*f.To))
}

// Achievement is one award or title of a unit's or person's history.
// Via names the predecessor unit it was granted to, when it is seen from a
// successor through a merger or split ("" when granted to the subject).
type Achievement struct {
	ID             int64
	Subject        Subject
	Year           int
	AwardFormID    *int64
	Title          string
	DecisionNumber string
	DecisionDate   *time.Time
	Issuer         string
	CampaignID     *int64
	Thematic       bool
	Source         string // portal, import, manual
	Via            string
}

// NominationStatus is where a nomination of an individual stands.
type NominationStatus string

const (
	NominationDraft          NominationStatus = "draft"
	NominationSubmitted      NominationStatus = "submitted"
	NominationReceived       NominationStatus = "received"
	NominationReturned       NominationStatus = "returned"
	NominationShortlisted    NominationStatus = "shortlisted"
	NominationNotShortlisted NominationStatus = "not_shortlisted"
)

// EntryStatus is where a candidate of a shortlist stands.
type EntryStatus string

const (
	EntryProposed EntryStatus = "proposed" // in the list, as proposed
	EntryTie      EntryStatus = "tie"      // tied at the quota boundary: staff decide
	EntryExcluded EntryStatus = "excluded" // fails a rule, or beyond the quota
	EntryAdded    EntryStatus = "added"    // added by staff with a reason
	EntryRemoved  EntryStatus = "removed"  // removed by staff with a reason
)

// Listed reports whether a candidate with this status is on the list that
// goes to public notice and the council.
func (s EntryStatus) Listed() bool { return s == EntryProposed || s == EntryAdded }

// ShortlistStatus is where a shortlist stands: edited by staff, on public
// notice, sent to the council.
type ShortlistStatus string

const (
	ShortlistDraft   ShortlistStatus = "draft"
	ShortlistNoticed ShortlistStatus = "noticed"
	ShortlistCouncil ShortlistStatus = "council"
)
