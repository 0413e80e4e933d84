package domain

import (
	"strconv"
	"time"
)

// The council (Hội đồng Thi đua – Khen thưởng) and its secret ballot
// (issue 12). A council is standing (its membership valid over dates) or
// set up for one campaign; a session puts nominees whose public notice has
// ended, with every objection answered, to the vote of the members on the
// session's roster. Votes are secret: who took part is recorded apart from
// the anonymous tally of each nominee, and nothing links the two.

// CouncilRole is a member's part on the council.
type CouncilRole string

const (
	CouncilChair     CouncilRole = "chair"      // Chủ tịch Hội đồng
	CouncilViceChair CouncilRole = "vice_chair" // Phó Chủ tịch Hội đồng
	CouncilOrdinary  CouncilRole = "member"     // Ủy viên
	CouncilSecretary CouncilRole = "secretary"  // Thư ký (does not vote)
)

// CouncilRoles in the order a roster lists them.
var CouncilRoles = []CouncilRole{CouncilChair, CouncilViceChair, CouncilOrdinary, CouncilSecretary}

// Valid reports whether r is a known role.
func (r CouncilRole) Valid() bool {
	for _, k := range CouncilRoles {
		if r == k {
			return true
		}
	}
	return false
}

// Votes reports whether a member in the role votes: everyone but the
// secretary.
func (r CouncilRole) Votes() bool { return r.Valid() && r != CouncilSecretary }

// Council is a council: standing (CampaignID nil) or for one campaign.
type Council struct {
	ID         int64
	Name       string
	CampaignID *int64
	IssuerID   *int64
	CreatedAt  time.Time
}

// CouncilMember is a user on a council in a role from From to To (nil:
// still a member).
type CouncilMember struct {
	ID        int64
	CouncilID int64
	UserID    int64
	UserName  string
	Role      CouncilRole
	Position  string // chức vụ, as the minutes print it
	From      time.Time
	To        *time.Time
	EndReason string
}

// ValidOn reports whether the membership holds on day.
func (m CouncilMember) ValidOn(day time.Time) bool {
	return !day.Before(m.From) && (m.To == nil || !day.After(*m.To))
}

// SessionStatus is where a council session is.
type SessionStatus string

const (
	SessionDraft  SessionStatus = "draft"  // nominees and attendance being set
	SessionOpen   SessionStatus = "open"   // voting
	SessionClosed SessionStatus = "closed" // tallied, outcomes fixed
)

// Attendance is how a member of a session's roster takes part.
type Attendance string

const (
	AttendPresent Attendance = "present" // có mặt
	AttendWritten Attendance = "written" // vắng, có phiếu bằng văn bản
	AttendAbsent  Attendance = "absent"  // vắng
)

// Valid reports whether a is a known attendance.
func (a Attendance) Valid() bool {
	return a == AttendPresent || a == AttendWritten || a == AttendAbsent
}

// Choice is one mark on a ballot for one nominee.
type Choice string

const (
	ChoiceFor     Choice = "for"     // đồng ý
	ChoiceAgainst Choice = "against" // không đồng ý
	ChoiceBlank   Choice = "blank"   // not marked: counted as returned, not valid
)

// Valid reports whether c is a known choice.
func (c Choice) Valid() bool { return c == ChoiceFor || c == ChoiceAgainst || c == ChoiceBlank }

// VoteBasis is the denominator of a passing share.
type VoteBasis string

const (
	// BasisTotal: all voting members of the council on the session's date
	// (the secretary excluded), present or not.
	BasisTotal VoteBasis = "total"
	// BasisPresent: the voting members who took part, in person or by a
	// written ballot.
	BasisPresent VoteBasis = "present"
)

// Percent is a share in hundredths of a percent: 9000 is 90 %, 5001 is
// 50,01 %; comparisons with it stay exact.
type Percent int64

// String writes the share the Vietnamese way: "90", "66,67", "50,01".
func (p Percent) String() string {
	s := strconv.FormatInt(int64(p)/100, 10)
	if f := int64(p) % 100; f != 0 {
		d := strconv.FormatInt(100+f, 10)[1:]
		if d[1] == '0' {
			d = d[:1]
		}
		s += "," + d
	}
	return s
}

// VoteRule is the threshold of a council vote for an award form: Share of
// the Basis, with a Quorum (a share of all voting members who must take
// part), its citation and the days it is in force.
type VoteRule struct {
	ID          int64
	AwardFormID int64
	Basis       VoteBasis
	Share       Percent
	Quorum      Percent
	Citation    string
	InForceFrom *time.Time
	InForceTo   *time.Time
}

// InForce reports whether the rule applies on day.
func (r VoteRule) InForce(day time.Time) bool {
	return (r.InForceFrom == nil || !day.Before(*r.InForceFrom)) && (r.InForceTo == nil || !day.After(*r.InForceTo))
}

// VoteOutcome is a nominee's result at a session's close.
type VoteOutcome string

const (
	VotePassed   VoteOutcome = "passed"
	VoteFailed   VoteOutcome = "failed"
	VoteNoQuorum VoteOutcome = "no_quorum"
)

// Turnout is who could and did vote at a session.
type Turnout struct {
	Total   int // voting members of the council on the session's date
	Present int // voting members present in person
	Written int // voting members absent with a written ballot
}

// TookPart is the number of voting members who took part.
func (t Turnout) TookPart() int { return t.Present + t.Written }

// Tally is the anonymous count of one nominee's ballots.
type Tally struct {
	For, Against, Blank int
}

// Returned is the number of ballots returned for the nominee.
func (t Tally) Returned() int { return t.For + t.Against + t.Blank }

// Valid is the number of valid ballots (marked for or against).
func (t Tally) Valid() int { return t.For + t.Against }

// Count is the arithmetic of one nominee's vote: the quorum check, the
// share of the denominator the rule names, and the outcome, with what the
// minutes print.
type Count struct {
	Rule        VoteRule
	Turnout     Turnout
	Tally       Tally
	Denominator int
	QuorumMet   bool
	Passed      bool
	Outcome     VoteOutcome
}

// CountVotes applies rule to a nominee's tally. The quorum: those who took
// part are at least Quorum of the total. The share: votes for are at least
// Share of the denominator (the total, or those who took part), compared
// exactly in integers: 8 of 9 is 88,89 % and fails a 90 % rule.
func CountVotes(rule VoteRule, turnout Turnout, tally Tally) Count {
	c := Count{Rule: rule, Turnout: turnout, Tally: tally, Denominator: turnout.Total}
	if rule.Basis == BasisPresent {
		c.Denominator = turnout.TookPart()
	}
	c.QuorumMet = turnout.Total > 0 && int64(turnout.TookPart())*10000 >= int64(rule.Quorum)*int64(turnout.Total)
	c.Passed = c.QuorumMet && c.Denominator > 0 && int64(tally.For)*10000 >= int64(rule.Share)*int64(c.Denominator)
	switch {
	case !c.QuorumMet:
		c.Outcome = VoteNoQuorum
	case c.Passed:
		c.Outcome = VotePassed
	default:
		c.Outcome = VoteFailed
	}
	return c
}

// ShareOf is For as a share of the denominator, written for the minutes
// with one decimal ("88,9"), or with two, cut down, where one decimal
// would round across the rule's share ("89,99" rather than "90,0" when
// the rule is 90 % and the vote fails).
func (c Count) ShareOf() string {
	if c.Denominator == 0 {
		return "0"
	}
	exact := int64(c.Tally.For) * 1000000 / int64(c.Denominator) // ten-thousandths of a percent
	oneDec := (exact + 500) / 1000                               // tenths of a percent, rounded
	reached := int64(c.Tally.For)*10000 >= int64(c.Rule.Share)*int64(c.Denominator)
	if (oneDec*10 >= int64(c.Rule.Share)) == reached {
		s := strconv.FormatInt(oneDec/10, 10)
		if d := oneDec % 10; d != 0 {
			s += "," + strconv.FormatInt(d, 10)
		}
		return s
	}
	return Percent(exact / 100).String()
}

// Session is a council's sitting on the nominees of one campaign.
type Session struct {
	ID         int64
	CouncilID  int64
	CampaignID int64
	HeldOn     time.Time
	StartsAt   string // "08 giờ 00"
	Place      string
	Status     SessionStatus
	Note       string
	Version    int
	OpenedAt   *time.Time
	ClosedAt   *time.Time
	// Fixed at closing.
	Turnout         *Turnout
	BallotsReturned *int
}

// SessionMember is one line of a session's roster, fixed when it opens.
type SessionMember struct {
	SessionID  int64
	MemberID   int64
	UserID     int64
	Name       string
	Role       CouncilRole
	Position   string
	Attendance Attendance
}

// Votes reports whether the roster line is a member who votes at the
// session in person: present, and not the secretary.
func (m *SessionMember) Votes() bool {
	return m != nil && m.Role.Votes() && m.Attendance == AttendPresent
}

// TurnoutOf counts a roster: voting members in total, present, and absent
// with a written ballot (the secretary is not counted).
func TurnoutOf(roster []SessionMember) Turnout {
	var t Turnout
	for _, m := range roster {
		if !m.Role.Votes() {
			continue
		}
		t.Total++
		switch m.Attendance {
		case AttendPresent:
			t.Present++
		case AttendWritten:
			t.Written++
		}
	}
	return t
}
