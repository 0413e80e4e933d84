package domain

import (
	"strconv"
	"time"
)

// The award decision (quyết định khen thưởng, issue 12): drafted by staff
// from a closed session's passing nominees, approved and signed by a leader
// who did not draft it, numbered from its issuer's register at signing,
// immutable once signed, revoked only by another recorded decision (Luật
// Thi đua, khen thưởng 2022, chương VII).

// Issuer is a body that issues decisions, with what its documents print.
type Issuer struct {
	ID              int64
	Name            string // "ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP"
	ParentName      string // the governing body above it, may be empty
	Code            string // "UBND", as in "05/QĐ-UBND"
	Place           string // "Đồng Tháp", as in "Đồng Tháp, ngày …"
	SignerAuthority string // "KT. CHỦ TỊCH"
	SignerTitle     string // "PHÓ CHỦ TỊCH"
	UnitID          *int64
}

// DecisionNumber writes the number of a decision as documents print it:
// seq zero-padded to two digits, "QĐ" and the issuer's code ("05/QĐ-UBND").
func DecisionNumber(seq int, issuerCode string) string {
	s := strconv.Itoa(seq)
	if seq < 10 {
		s = "0" + s
	}
	return s + "/QĐ-" + issuerCode
}

// DecisionKind is what a decision does.
type DecisionKind string

const (
	DecisionAward      DecisionKind = "award"      // grants awards
	DecisionRevocation DecisionKind = "revocation" // revokes an earlier decision
)

// DecisionStatus is where a decision is.
type DecisionStatus string

const (
	DecisionDraft   DecisionStatus = "draft"
	DecisionSigned  DecisionStatus = "signed"
	DecisionRevoked DecisionStatus = "revoked" // signed, then revoked by another decision
)

// Decision is an award decision or a revocation.
type Decision struct {
	ID              int64
	IssuerID        int64
	Kind            DecisionKind
	CampaignID      *int64
	SessionID       *int64
	RevokesID       *int64
	Status          DecisionStatus
	Year            int
	Seq             int
	Number          string // empty until signed
	Place           string
	Date            *time.Time // the signing day
	Title           string     // "Về việc khen thưởng …"
	Grounds         string     // one căn cứ per line
	Proposal        string     // "Xét đề nghị của …"
	Articles        string     // the articles after the first, one per line
	Achievement     string     // "Đã có thành tích …"
	Recipients      string     // nơi nhận, one per line
	SignerAuthority string
	SignerTitle     string
	SignerName      string
	Reason          string // a revocation's reason
	Version         int
	DraftedBy       *int64
	DraftedAt       time.Time
	SignedBy        *int64
	SignedAt        *time.Time
	RevokedByID     *int64
}

// Awardee is one line of a decision's appendix: a person (I. Cá nhân) or a
// collective (II. Tập thể), the award form and the amount where the law
// sets one (Multiple × BaseSalary, in đồng).
type Awardee struct {
	ID          int64
	DecisionID  int64
	NomineeID   *int64
	Target      AwardTarget
	UnitID      int64
	PersonID    *int64
	AwardFormID int64
	FormName    string
	Name        string
	Position    string
	Multiple    *Points // times the base salary, in hundredths: 150 is 1,5
	BaseSalary  *int64
	Amount      *int64
	Sort        int
}

// RewardAmount is multiple (in hundredths) times the base salary, in đồng,
// rounded to the nearest đồng.
func RewardAmount(multiple Points, baseSalary int64) int64 {
	return (int64(multiple)*baseSalary + 50) / 100
}

// Money writes an amount in đồng with dot thousands separators, as
// Vietnamese documents do: "7.020.000".
func Money(amount int64) string {
	s := strconv.FormatInt(amount, 10)
	neg := amount < 0
	if neg {
		s = s[1:]
	}
	out := make([]byte, 0, len(s)+len(s)/3+1)
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, '.')
		}
		out = append(out, s[i])
	}
	if neg {
		return "-" + string(out)
	}
	return string(out)
}
