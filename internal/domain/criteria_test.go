package domain

import (
	"strconv"
	"testing"
)

func pts(s string) Points {
	p, ok := ParsePoints(s)
	if !ok {
		panic("bad points " + s)
	}
	return p
}

func TestParsePoints(t *testing.T) {
	for in, want := range map[string]Points{"12,5": 1250, "12.5": 1250, "0,25": 25, "10": 1000, "0": 0, " 7,05 ": 705} {
		if got, ok := ParsePoints(in); !ok || got != want {
			t.Errorf("ParsePoints(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, bad := range []string{"", "1,234", "abc", "1,2,3", "+1", ".5", "1e3", "１"} {
		if _, ok := ParsePoints(bad); ok {
			t.Errorf("ParsePoints(%q) accepted", bad)
		}
	}
	for p, want := range map[Points]string{1250: "12,5", 1000: "10", 25: "0,25", 705: "7,05", -50: "-0,5"} {
		if got := p.String(); got != want {
			t.Errorf("%d.String() = %q, want %q", p, got, want)
		}
	}
}

// TestScoringBoundaries is acceptance 5 of the campaigns feature: each
// method at and around its boundaries.
func TestScoringBoundaries(t *testing.T) {
	satisfaction := Criterion{Code: "3.1", Max: pts("2"), Method: MethodTiers,
		Tiers: []Tier{{Min: 9000, Points: pts("1")}, {Min: 9500, Points: pts("2")}}} // ≥95% full, ≥90% half
	onTime := Criterion{Code: "3.2", Max: pts("4"), Method: MethodTargetShare, Target: 10000} // 100% of dossiers on time
	plan := Criterion{Code: "1.1", Max: pts("1"), Method: MethodYesNo}
	points := Criterion{Code: "1.2", Max: pts("3"), Method: MethodPoints, Step: pts("0,25")}
	for _, tc := range []struct {
		c       Criterion
		in      Score
		want    Points
		invalid bool
	}{
		{satisfaction, Score{Measured: 9499}, pts("1"), false}, // 94,99% → half
		{satisfaction, Score{Measured: 9500}, pts("2"), false}, // 95% → full
		{satisfaction, Score{Measured: 10000}, pts("2"), false},
		{satisfaction, Score{Measured: 9000}, pts("1"), false}, // 90% → half
		{satisfaction, Score{Measured: 8999}, 0, false},        // 89,99% → nothing
		{satisfaction, Score{Measured: -1}, 0, true},
		{onTime, Score{Measured: 10000}, pts("4"), false},
		{onTime, Score{Measured: 12000}, pts("4"), false}, // above target: capped
		{onTime, Score{Measured: 9950}, pts("3,98"), false},
		{onTime, Score{Measured: 9999}, pts("3,99"), false}, // rounded down, never up
		{onTime, Score{Measured: 0}, 0, false},
		{plan, Score{Points: pts("1")}, pts("1"), false},
		{plan, Score{Points: 0}, 0, false},
		{plan, Score{Points: pts("0,5")}, 0, true},
		{points, Score{Points: pts("3")}, pts("3"), false},
		{points, Score{Points: pts("2,75")}, pts("2,75"), false},
		{points, Score{Points: pts("2,8")}, 0, true}, // off the 0,25 step
		{points, Score{Points: pts("3,25")}, 0, true},
		{points, Score{Points: pts("-0,25")}, 0, true},
	} {
		got, err := tc.c.PointsFor(tc.in)
		if tc.invalid {
			if err == nil {
				t.Errorf("%s %+v: accepted as %s", tc.c.Code, tc.in, got)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%s %+v = %s, %v; want %s", tc.c.Code, tc.in, got, err, tc.want)
		}
	}
}

func TestValidateTreeNamesTheNode(t *testing.T) {
	id := func(n int64) *int64 { return &n }
	tree := []Criterion{
		{ID: 1, Code: "1", Title: "Chỉ đạo điều hành", Max: pts("10"), Method: MethodPoints, Step: 25},
		{ID: 2, ParentID: id(1), Code: "1.1", Title: "Kế hoạch", Max: pts("6"), Method: MethodPoints, Step: 25},
		{ID: 3, ParentID: id(1), Code: "1.2", Title: "Báo cáo", Max: pts("5"), Method: MethodPoints, Step: 25},
	}
	ps := ValidateTree(tree, false)
	if len(ps) != 1 || ps[0].Code != "1" || ps[0].Message != "criteria.sum.over" {
		t.Fatalf("problems %+v", ps)
	}
	tree[2].Max = pts("4")
	if ps := ValidateTree(tree, false); len(ps) != 0 {
		t.Errorf("a tree being built: %+v", ps)
	}
	tree[2].Max = pts("3")
	if ps := ValidateTree(tree, true); len(ps) != 1 || ps[0].Message != "criteria.sum.under" || ps[0].Code != "1" {
		t.Errorf("incomplete tree: %+v", ps)
	}
	tree[2].ParentID = id(3)
	if ps := ValidateTree(tree, false); len(ps) == 0 {
		t.Error("a node that is its own parent passed")
	}
}

func TestTransitions(t *testing.T) {
	for _, tc := range []struct {
		from, to CampaignStatus
		ok       bool
	}{
		{StatusDraft, StatusAnnounced, true}, {StatusAnnounced, StatusClosed, true}, {StatusDraft, StatusCancelled, true},
		{StatusClosed, StatusAnnounced, false}, {StatusCancelled, StatusDraft, false}, {StatusAnnounced, StatusDraft, false},
		{StatusDraft, StatusClosed, false},
	} {
		if CanTransition(tc.from, tc.to) != tc.ok {
			t.Errorf("%s → %s: %v", tc.from, tc.to, !tc.ok)
		}
	}
	if DefaultBands.Classify(8999) != "good" || DefaultBands.Classify(9000) != "excellent" || DefaultBands.Classify(4999) != "weak" {
		t.Error("Classify at the band edges")
	}
}

// TestValidateTreeDepth: a tree deeper than CriteriaMaxDepth levels is
// refused, naming the first node too deep, once.
func TestValidateTreeDepth(t *testing.T) {
	chain := func(levels int) []Criterion {
		var nodes []Criterion
		for i := 1; i <= levels; i++ {
			code := "c" + strconv.Itoa(i)
			n := Criterion{ID: int64(i), Code: code, Title: "Cấp " + code, Max: pts("1"), Method: MethodPoints, Step: 25}
			if i > 1 {
				p := int64(i - 1)
				n.ParentID = &p
			}
			nodes = append(nodes, n)
		}
		return nodes
	}
	if ps := ValidateTree(chain(CriteriaMaxDepth), true); len(ps) != 0 {
		t.Errorf("%d levels refused: %+v", CriteriaMaxDepth, ps)
	}
	for _, levels := range []int{CriteriaMaxDepth + 1, 34, 40} {
		nodes := chain(levels)
		ps := ValidateTree(nodes, true)
		if len(ps) != 1 || ps[0].Message != "criteria.too_deep" || ps[0].Code != nodes[CriteriaMaxDepth].Code {
			t.Errorf("%d levels: %+v", levels, ps)
		}
	}
}
