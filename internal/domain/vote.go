package domain

import (
	"strings"
	"time"
)

// The inputs of the council's pages (issue 12, part "vote"): a council, a
// membership and its end, a vote rule, a session. Each Validate cleans the
// text it keeps and says which field is wrong.

// Audit actions of the vote rules' editor; a ballot's own (AuditBallotCast,
// AuditBallotWritten) are in audit_council.go.
const (
	AuditVoteRuleAdd = "vote_rule.add"
	AuditVoteRuleEnd = "vote_rule.end"
)

func init() { AuditActions = append(AuditActions, AuditVoteRuleAdd, AuditVoteRuleEnd) }

// cleanField cleans s and checks it: required when min > 0, at most max
// characters; the problem goes to field.
func cleanField(f FieldErrors, field string, s *string, required bool, max int) {
	*s = CleanText(strings.ReplaceAll(*s, "\r\n", "\n"))
	switch {
	case !ValidText(*s):
		f.Add(field, "error.bad_text")
	case required && *s == "":
		f.Add(field, "field.required")
	case RuneLen(*s) > max:
		f.Add(field, "field.too_long")
	}
}

// CouncilInput is a new council: its name, the campaign it is set up for
// (nil: a standing council) and the issuing body of its decisions.
type CouncilInput struct {
	Name       string
	CampaignID *int64
	IssuerID   *int64
}

// Validate cleans the name and checks it.
func (in *CouncilInput) Validate() error {
	f := FieldErrors{}
	cleanField(f, "name", &in.Name, true, 300)
	return f.Err()
}

// MemberInput is a user put on a council in a role from From (to To when
// not nil).
type MemberInput struct {
	UserID   int64
	Role     CouncilRole
	Position string
	From     time.Time
	To       *time.Time
}

// Validate checks the role, the position and the dates.
func (in *MemberInput) Validate() error {
	f := FieldErrors{}
	if in.UserID <= 0 {
		f.Add("user", "field.required")
	}
	if !in.Role.Valid() {
		f.Add("role", "field.required")
	}
	cleanField(f, "position", &in.Position, false, 300)
	if in.From.IsZero() {
		f.Add("valid_from", "field.required")
	}
	if in.To != nil && !in.From.IsZero() && in.To.Before(in.From) {
		f.Add("valid_to", "councils.member.to_before_from")
	}
	return f.Err()
}

// MemberEnd ends a membership on To (its last day) for a reason.
type MemberEnd struct {
	To     time.Time
	Reason string
}

// Validate checks the day and the reason.
func (in *MemberEnd) Validate() error {
	f := FieldErrors{}
	if in.To.IsZero() {
		f.Add("valid_to", "field.required")
	}
	cleanField(f, "reason", &in.Reason, true, 2000)
	return f.Err()
}

// VoteRuleInput is a new vote rule for an award form.
type VoteRuleInput struct {
	AwardFormID int64
	Basis       VoteBasis
	Share       Percent
	Quorum      Percent
	Citation    string
	From, To    *time.Time
}

// Validate checks the basis, the shares (share above 0 and at most 100 %,
// quorum from 0 to 100 %), the citation and the days.
func (in *VoteRuleInput) Validate() error {
	f := FieldErrors{}
	if in.AwardFormID <= 0 {
		f.Add("award_form", "field.required")
	}
	if in.Basis != BasisTotal && in.Basis != BasisPresent {
		f.Add("basis", "field.required")
	}
	if in.Share <= 0 || in.Share > 10000 {
		f.Add("share", "voterule.share.invalid")
	}
	if in.Quorum < 0 || in.Quorum > 10000 {
		f.Add("quorum", "voterule.quorum.invalid")
	}
	cleanField(f, "citation", &in.Citation, true, 1000)
	if in.From != nil && in.To != nil && in.To.Before(*in.From) {
		f.Add("in_force_to", "voterule.to_before_from")
	}
	return f.Err()
}

// ParsePercent reads a share typed the Vietnamese or the English way
// ("90", "66,66", "50.01", "90 %") into hundredths of a percent; false
// when it is not a number with at most two decimals.
func ParsePercent(s string) (Percent, bool) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%"))
	s = strings.ReplaceAll(s, ",", ".")
	if s == "" {
		return 0, false
	}
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" || len(frac) > 2 || len(whole) > 3 {
		return 0, false
	}
	var p int64
	for _, r := range whole {
		if r < '0' || r > '9' {
			return 0, false
		}
		p = p*10 + int64(r-'0')
	}
	p *= 100
	for i, r := range frac {
		if r < '0' || r > '9' {
			return 0, false
		}
		d := int64(r - '0')
		if i == 0 {
			d *= 10
		}
		p += d
	}
	return Percent(p), true
}

// SessionInput is a new session of a council: the campaign whose nominees
// it votes on, the day, the hour it starts ("08 giờ 00") and the place.
type SessionInput struct {
	CampaignID int64
	HeldOn     time.Time
	StartsAt   string
	Place      string
}

// Validate checks the campaign, the day, the hour and the place.
func (in *SessionInput) Validate() error {
	f := FieldErrors{}
	if in.CampaignID <= 0 {
		f.Add("campaign", "field.required")
	}
	if in.HeldOn.IsZero() {
		f.Add("held_on", "field.required")
	}
	cleanField(f, "starts_at", &in.StartsAt, false, 20)
	cleanField(f, "place", &in.Place, true, 300)
	return f.Err()
}
