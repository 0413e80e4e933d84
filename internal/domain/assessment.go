package domain

import (
	"fmt"
	"time"
)

// RegistrationStatus is where a unit's registration stands:
// chưa gửi → chờ duyệt → đã duyệt / từ chối / rút.
type RegistrationStatus string

// Registration statuses.
const (
	RegDraft     RegistrationStatus = "draft"
	RegPending   RegistrationStatus = "pending"
	RegApproved  RegistrationStatus = "approved"
	RegRejected  RegistrationStatus = "rejected"
	RegWithdrawn RegistrationStatus = "withdrawn"
)

// AssessmentStatus is where a self-assessment form stands.
type AssessmentStatus string

// Assessment statuses.
const (
	AssessDraft     AssessmentStatus = "draft"
	AssessSubmitted AssessmentStatus = "submitted"
	AssessReturned  AssessmentStatus = "returned"
	AssessReceived  AssessmentStatus = "received"  // tiếp nhận: appraisal in progress
	AssessAppraised AssessmentStatus = "appraised" // appraisal complete, the reply window open
	AssessLocked    AssessmentStatus = "locked"    // final: changed only by a recorded reopening
)

// Entry is what a unit entered for one leaf of its form.
type Entry struct {
	Points      *Points
	Measured    *int64
	NA          bool
	Explanation string
	Evidence    int // evidence files attached
}

// Totals are a form's sums: the points scored, the maximum of the
// applicable leaves, the total converted to a 100-point scale, and the
// sums per area (root of the tree).
type Totals struct {
	Points        Points
	ApplicableMax Points
	Converted     Points
	Scored        int // leaves with a score or marked not applicable
	Leaves        int
	Areas         map[int64]AreaTotal
}

// AreaTotal is the sum of one area.
type AreaTotal struct {
	Points, ApplicableMax Points
}

// Leaves returns the nodes with no children.
func Leaves(nodes []Criterion) []Criterion {
	parents := map[int64]bool{}
	for _, n := range nodes {
		if n.ParentID != nil {
			parents[*n.ParentID] = true
		}
	}
	var out []Criterion
	for _, n := range nodes {
		if !parents[n.ID] {
			out = append(out, n)
		}
	}
	return out
}

// RootOf returns the ID of the area a node belongs to.
func RootOf(nodes []Criterion, id int64) int64 {
	return rootsOf(nodes)(id)
}

// rootsOf indexes a tree once and returns RootOf for it (a form's totals
// look up the area of every leaf).
func rootsOf(nodes []Criterion) func(id int64) int64 {
	parent := make(map[int64]*int64, len(nodes))
	for i := range nodes {
		parent[nodes[i].ID] = nodes[i].ParentID
	}
	return func(id int64) int64 {
		for depth := 0; depth < 64; depth++ {
			p, ok := parent[id]
			if !ok || p == nil {
				return id
			}
			id = *p
		}
		return id
	}
}

// ComputeTotals sums a form: Σ scores ÷ Σ applicable max × 100, rounded half
// up to the hundredth. A leaf marked not applicable leaves both sums.
func ComputeTotals(nodes []Criterion, entries map[int64]Entry) Totals {
	t := Totals{Areas: map[int64]AreaTotal{}}
	rootOf := rootsOf(nodes)
	for _, leaf := range Leaves(nodes) {
		t.Leaves++
		e := entries[leaf.ID]
		area := rootOf(leaf.ID)
		a := t.Areas[area]
		if e.NA && leaf.AllowNA {
			t.Scored++
			t.Areas[area] = a
			continue
		}
		a.ApplicableMax += leaf.Max
		t.ApplicableMax += leaf.Max
		if e.Points != nil {
			t.Scored++
			a.Points += *e.Points
			t.Points += *e.Points
		}
		t.Areas[area] = a
	}
	if t.ApplicableMax > 0 {
		t.Converted = Points((int64(t.Points)*10000*2 + int64(t.ApplicableMax)) / (int64(t.ApplicableMax) * 2))
	}
	return t
}

// Subtotals sums the leaves under every parent node: the points scored and
// the maximum of the applicable leaves (a leaf marked not applicable leaves
// both), as ComputeTotals does for the whole form.
func Subtotals(nodes []Criterion, entries map[int64]Entry) map[int64]AreaTotal {
	byID := make(map[int64]*Criterion, len(nodes))
	for i := range nodes {
		byID[nodes[i].ID] = &nodes[i]
	}
	sums := map[int64]AreaTotal{}
	for _, leaf := range Leaves(nodes) {
		e := entries[leaf.ID]
		if e.NA && leaf.AllowNA {
			continue
		}
		for p, depth := leaf.ParentID, 0; p != nil && depth < 64; depth++ {
			s := sums[*p]
			s.ApplicableMax += leaf.Max
			if e.Points != nil {
				s.Points += *e.Points
			}
			sums[*p] = s
			parent, ok := byID[*p]
			if !ok {
				break
			}
			p = parent.ParentID
		}
	}
	return sums
}

// EntryProblems checks one entry against its criterion: the points its
// method gives (computed from the measured value for tiers and targets).
func EntryPoints(c *Criterion, e Entry) (*Points, error) {
	if e.NA {
		if !c.AllowNA {
			return nil, Errorf(EINVALID, "score.na_not_allowed")
		}
		return nil, nil
	}
	switch c.Method {
	case MethodTiers, MethodTargetShare:
		if e.Measured == nil {
			return nil, nil
		}
		p, err := c.PointsFor(Score{Measured: *e.Measured})
		return &p, err
	default:
		if e.Points == nil {
			return nil, nil
		}
		p, err := c.PointsFor(Score{Points: *e.Points})
		return &p, err
	}
}

// SubmitProblems lists what stops a form from being submitted, leaf by
// leaf in form order: no score; no file on a criterion whose evidence is
// required (bắt buộc: an explanation does not replace the file, and the
// criterion is listed even while it is not yet scored, so one refusal names
// every missing file); no explanation where one is needed.
func SubmitProblems(nodes []Criterion, entries map[int64]Entry) []TreeProblem {
	var ps []TreeProblem
	for _, leaf := range Leaves(nodes) {
		e := entries[leaf.ID]
		if e.NA && leaf.AllowNA {
			if RuneLen(e.Explanation) == 0 {
				ps = append(ps, TreeProblem{Code: leaf.Code, Message: "score.na_needs_explanation"})
			}
			continue
		}
		if e.Points == nil {
			ps = append(ps, TreeProblem{Code: leaf.Code, Message: "score.missing"})
		}
		switch {
		case leaf.EvidenceRequired && e.Evidence == 0:
			ps = append(ps, TreeProblem{Code: leaf.Code, Message: "score.evidence_missing"})
		case e.Points != nil && e.Evidence == 0 && leaf.ExplainWithoutEvidence && RuneLen(e.Explanation) == 0:
			ps = append(ps, TreeProblem{Code: leaf.Code, Message: "score.explanation_missing"})
		}
	}
	return ps
}

// Window says whether a self-assessment may be saved or submitted on day:
// between the phase's opening and its closing day (or the unit's extension),
// both inclusive, by the server's clock.
func Window(from, to, extended *time.Time, day time.Time) (open bool, message string, args []any) {
	deadline := to
	if extended != nil && (deadline == nil || extended.After(*deadline)) {
		deadline = extended
	}
	if from != nil && day.Before(*from) {
		return false, "assessment.not_open", []any{from.Format("02/01/2006")}
	}
	if deadline != nil && day.After(*deadline) {
		return false, "assessment.closed", []any{deadline.Format("02/01/2006")}
	}
	return true, "", nil
}

// CanSeeUnitWork reports whether u may see a unit's registrations, forms
// and evidence: staff and admins, and the unit's own focal point.
func CanSeeUnitWork(u *User, unitID int64) bool { return CanSeePeopleOf(u, unitID) }

// CanEditUnitWork reports whether u may fill in a unit's forms: only its
// own focal point.
func CanEditUnitWork(u *User, unitID int64) bool {
	return u != nil && u.Role == RoleFocalPoint && u.UnitID != nil && *u.UnitID == unitID
}

// EvidenceReference cleans where in a file the evidence is (page, section)
// and checks its length.
func EvidenceReference(s string) (string, error) {
	s = CleanText(s)
	if RuneLen(s) > 300 {
		return "", &ValidationError{Fields: FieldErrors{"reference": "field.too_long"}}
	}
	return s, nil
}

// ReceiptNumber writes a submission's number in its campaign as printed on
// the receipt: at least four digits, "0007".
func ReceiptNumber(n int) string { return fmt.Sprintf("%04d", n) }
