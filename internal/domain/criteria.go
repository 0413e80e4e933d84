package domain

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// Method is how a criterion is scored.
type Method string

// Scoring methods, described in docs/domain.md.
const (
	MethodPoints      Method = "points"       // points in [0, max] with a step
	MethodYesNo       Method = "yes_no"       // 0 or max
	MethodTiers       Method = "tiers"        // a measured value → points by tiers
	MethodTargetShare Method = "target_share" // max × share of a target reached
)

// Methods lists the methods in form order.
var Methods = []Method{MethodPoints, MethodYesNo, MethodTiers, MethodTargetShare}

// Valid reports whether m is a known method.
func (m Method) Valid() bool {
	for _, x := range Methods {
		if m == x {
			return true
		}
	}
	return false
}

// Tier gives Points to a measured value of at least Min (e.g. satisfaction
// ≥ 95% → full points). Min is in hundredths like points: 95% is 9500.
type Tier struct {
	Min    int64  `json:"min"`
	Points Points `json:"points"`
}

// Criterion is a node of a criteria tree.
type Criterion struct {
	ID                     int64
	ParentID               *int64
	Seq                    int
	Code                   string // "1.2.a"
	Title                  string
	Guidance               string
	Max                    Points
	Method                 Method
	Step                   Points // for MethodPoints
	Tiers                  []Tier // for MethodTiers, any order
	Target                 int64  // for MethodTargetShare, in hundredths
	EvidenceRequired       bool
	ExplainWithoutEvidence bool
	AllowNA                bool
	// MeasureID, when not 0, links a tiers or target-share criterion to an
	// external measure: its appraised value can be filled from the
	// participant's value of that measure for MeasurePeriod (a year).
	MeasureID     int64
	MeasurePeriod int
}

// Score is what a unit enters for a leaf: points directly (points, yes/no)
// or a measured value (tiers, share of a target), in hundredths.
type Score struct {
	Points   Points
	Measured int64
}

// Points computes the points of a leaf from what was entered, refusing
// values the method does not allow.
func (c *Criterion) PointsFor(in Score) (Points, error) {
	switch c.Method {
	case MethodPoints:
		step := c.Step
		if step <= 0 {
			step = 1
		}
		if in.Points < 0 || in.Points > c.Max {
			return 0, Errorf(EINVALID, "score.out_of_range", c.Max.String())
		}
		if in.Points%step != 0 {
			return 0, Errorf(EINVALID, "score.step", step.String())
		}
		return in.Points, nil
	case MethodYesNo:
		if in.Points != 0 && in.Points != c.Max {
			return 0, Errorf(EINVALID, "score.yes_no", c.Max.String())
		}
		return in.Points, nil
	case MethodTiers:
		if in.Measured < 0 {
			return 0, Errorf(EINVALID, "score.measured_negative")
		}
		tiers := append([]Tier(nil), c.Tiers...)
		sort.Slice(tiers, func(i, j int) bool { return tiers[i].Min > tiers[j].Min })
		for _, t := range tiers {
			if in.Measured >= t.Min {
				return t.Points, nil
			}
		}
		return 0, nil
	case MethodTargetShare:
		if in.Measured < 0 {
			return 0, Errorf(EINVALID, "score.measured_negative")
		}
		if c.Target <= 0 || in.Measured >= c.Target {
			return c.Max, nil
		}
		// Rounded down to the hundredth: a share never earns more than reached.
		return Points(math.Floor(float64(c.Max) * float64(in.Measured) / float64(c.Target))), nil
	}
	return 0, Errorf(EINVALID, "criteria.method.invalid")
}

// TreeProblem is a problem of a criteria tree, named by the node's code.
type TreeProblem struct {
	Code    string
	Message string // catalogue key
	Args    []any
}

// Error makes a TreeProblem an error.
func (p TreeProblem) Error() string { return fmt.Sprintf("%s: %s %v", p.Code, p.Message, p.Args) }

// ValidateCriterion checks one node on its own.
func ValidateCriterion(c *Criterion) []TreeProblem {
	var ps []TreeProblem
	add := func(key string, args ...any) { ps = append(ps, TreeProblem{Code: c.Code, Message: key, Args: args}) }
	if !criterionCode(c.Code) {
		add("criteria.code.invalid")
	}
	if n := RuneLen(c.Title); n == 0 || n > 500 {
		add("criteria.title.invalid")
	}
	if RuneLen(c.Guidance) > 4000 {
		add("field.too_long")
	}
	if c.Max < 0 || c.Max > 100000 {
		add("criteria.max.invalid")
	}
	if !c.Method.Valid() {
		add("criteria.method.invalid")
	}
	switch c.Method {
	case MethodPoints:
		if c.Step <= 0 || c.Step > c.Max && c.Max > 0 || c.Step > 0 && c.Max%c.Step != 0 {
			add("criteria.step.invalid")
		}
	case MethodTiers:
		if len(c.Tiers) == 0 {
			add("criteria.tiers.missing")
		}
		seen := map[int64]bool{}
		for _, t := range c.Tiers {
			if t.Points < 0 || t.Points > c.Max {
				add("criteria.tiers.points", t.Points.String(), c.Max.String())
			}
			if seen[t.Min] {
				add("criteria.tiers.duplicate")
			}
			seen[t.Min] = true
		}
	case MethodTargetShare:
		if c.Target <= 0 {
			add("criteria.target.invalid")
		}
	}
	if c.MeasureID != 0 {
		if c.Method != MethodTiers && c.Method != MethodTargetShare {
			add("criteria.measure.method")
		}
		if !ValidMeasurePeriod(c.MeasurePeriod) {
			add("criteria.measure.period")
		}
	}
	return ps
}

func criterionCode(s string) bool {
	if s == "" || len(s) > 20 || strings.HasPrefix(s, ".") || strings.HasSuffix(s, ".") || strings.Contains(s, "..") {
		return false
	}
	for _, r := range s {
		if !(r == '.' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

// CriteriaMaxDepth is how many levels a criteria tree may have: area →
// criterion → sub-criterion → and two more for the finest breakdowns; the
// templates and real PAR index sets use two or three.
const CriteriaMaxDepth = 5

// ValidateTree checks a whole tree: each node, unique codes, parents that
// exist, no cycle, and every parent's maximum equal to the sum of its
// children's (complete=true, as for announcing or importing) or at least
// that sum (complete=false, while the tree is being built).
func ValidateTree(nodes []Criterion, complete bool) []TreeProblem {
	var ps []TreeProblem
	byID := map[int64]*Criterion{}
	codes := map[string]bool{}
	for i := range nodes {
		n := &nodes[i]
		ps = append(ps, ValidateCriterion(n)...)
		if codes[n.Code] {
			ps = append(ps, TreeProblem{Code: n.Code, Message: "criteria.code.duplicate"})
		}
		codes[n.Code] = true
		byID[n.ID] = n
	}
	sums := map[int64]Points{}
	hasChildren := map[int64]bool{}
	for i := range nodes {
		n := &nodes[i]
		if n.ParentID == nil {
			continue
		}
		if _, ok := byID[*n.ParentID]; !ok {
			ps = append(ps, TreeProblem{Code: n.Code, Message: "criteria.parent.missing"})
			continue
		}
		sums[*n.ParentID] += n.Max
		hasChildren[*n.ParentID] = true
		// Walk up: a cycle never reaches a root. The first level too deep
		// is named, not each node below it.
		seen := map[int64]bool{n.ID: true}
		depth, rooted := 1, false
		for p := n.ParentID; p != nil; {
			if seen[*p] {
				ps = append(ps, TreeProblem{Code: n.Code, Message: "criteria.cycle"})
				break
			}
			seen[*p] = true
			depth++
			parent, ok := byID[*p]
			if !ok {
				break
			}
			p = parent.ParentID
			rooted = p == nil
		}
		if rooted && depth == CriteriaMaxDepth+1 {
			ps = append(ps, TreeProblem{Code: n.Code, Message: "criteria.too_deep", Args: []any{CriteriaMaxDepth}})
		}
	}
	for i := range nodes {
		n := &nodes[i]
		if !hasChildren[n.ID] {
			continue
		}
		sum := sums[n.ID]
		if sum > n.Max {
			ps = append(ps, TreeProblem{Code: n.Code, Message: "criteria.sum.over", Args: []any{sum.String(), n.Max.String()}})
		} else if complete && sum < n.Max {
			ps = append(ps, TreeProblem{Code: n.Code, Message: "criteria.sum.under", Args: []any{sum.String(), n.Max.String()}})
		}
	}
	return ps
}

// TreeTotal is the sum of the maxima of the roots.
func TreeTotal(nodes []Criterion) Points {
	var t Points
	for _, n := range nodes {
		if n.ParentID == nil {
			t += n.Max
		}
	}
	return t
}

// TreeErrors are the problems that stop a change of a criteria tree.
type TreeErrors []TreeProblem

// Error makes TreeErrors an error.
func (e TreeErrors) Error() string {
	if len(e) == 0 {
		return "criteria tree problems"
	}
	return e[0].Error()
}
