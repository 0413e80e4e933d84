package domain

import "time"

// MemberRole is a user's part in one campaign, beside their global role:
// on its appraisal team (tổ thẩm định) or its council (Hội đồng TĐKT).
type MemberRole string

// Member roles.
const (
	MemberAppraiser MemberRole = "appraiser"
	MemberCouncil   MemberRole = "council"
)

// Membership is one row of a campaign's team: a user in a role, for one
// phase or (PhaseID nil) for every phase of the campaign.
type Membership struct {
	ID         int64
	CampaignID int64
	PhaseID    *int64
	UserID     int64
	Role       MemberRole
	AddedBy    *int64
	AddedAt    time.Time
}

// Covers reports whether the membership holds for the phase (0: any phase).
func (m Membership) Covers(phaseID int64) bool {
	return m.PhaseID == nil || phaseID == 0 || *m.PhaseID == phaseID
}

// CampaignAccess is what a campaign route knows about the campaign in its
// URL and the signed-in user's current memberships of it. The server's
// loader fills it once per request; policies read it.
type CampaignAccess struct {
	Campaign    *Campaign
	Memberships []Membership
	// PublicRevision is the revision of what the campaign's public pages
	// show, read with the campaign for visitors who are not signed in: it
	// moves with every change to the rows those pages are drawn from.
	PublicRevision int64
	// Form is the form a route names by its {assessmentID}, read with the
	// campaign in the same round trip: nil when the route names none, or
	// names one that does not exist or is another campaign's. Whether the
	// user may see or change it is for the handlers' checks, as for a form
	// read on its own.
	Form *Assessment
}

// Member reports whether the user is in the role for the phase (0: for any
// phase of the campaign).
func (a *CampaignAccess) Member(role MemberRole, phaseID int64) bool {
	if a == nil {
		return false
	}
	for _, m := range a.Memberships {
		if m.Role == role && m.Covers(phaseID) {
			return true
		}
	}
	return false
}

// Assignment gives one appraiser one participant's form (a unit in a phase
// with its criteria set) to check. A recusal keeps the row with its reason.
type Assignment struct {
	ID            int64
	CampaignID    int64
	AssessmentID  int64
	PhaseID       int64 // the form's phase
	AppraiserID   int64
	AssignedBy    *int64
	AssignedAt    time.Time
	RecusedAt     *time.Time
	RecusalReason string
}

// Active reports whether the assignment still stands (not recused).
func (a *Assignment) Active() bool { return a != nil && a.RecusedAt == nil }

// ConflictKind says how an appraiser's unit is tied to a participant's.
type ConflictKind string

// Conflicts of interest: the appraiser belongs to the participant's own
// unit, to one of its ancestors, or to one of its descendants.
const (
	ConflictSelf       ConflictKind = "self"
	ConflictAncestor   ConflictKind = "ancestor"
	ConflictDescendant ConflictKind = "descendant"
)

// Conflict is a conflict of interest found between an appraiser and a
// participant during a phase: on Day, UnitID (the appraiser's unit, or,
// when Lineage is set, a unit merged or split into it or from it) was the
// participant's own unit, an ancestor or a descendant of it in the tree
// as of that day. Such an assignment is refused.
type Conflict struct {
	Kind              ConflictKind
	Day               time.Time
	UnitID            int64
	UnitName          string // UnitID's name on Day
	ParticipantName   string // the participant's name on Day
	AppraiserUnitName string // the appraiser's own unit
	Lineage           bool
}
