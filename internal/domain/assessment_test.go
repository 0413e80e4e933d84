package domain

import (
	"testing"
	"time"
)

func TestComputeTotalsWithNotApplicable(t *testing.T) {
	id := func(n int64) *int64 { return &n }
	p := func(s string) *Points { v := pts(s); return &v }
	nodes := []Criterion{
		{ID: 1, Code: "1", Max: pts("10")},
		{ID: 2, ParentID: id(1), Code: "1.1", Max: pts("6")},
		{ID: 3, ParentID: id(1), Code: "1.2", Max: pts("4"), AllowNA: true},
		{ID: 4, Code: "2", Max: pts("5")},
	}
	got := ComputeTotals(nodes, map[int64]Entry{2: {Points: p("5")}, 3: {NA: true}, 4: {Points: p("4,5")}})
	// 9,5 of an applicable 11: 86,3636… → 86,36.
	if got.Points != pts("9,5") || got.ApplicableMax != pts("11") || got.Converted != pts("86,36") || got.Scored != 3 || got.Leaves != 3 {
		t.Errorf("totals %+v", got)
	}
	if a := got.Areas[1]; a.Points != pts("5") || a.ApplicableMax != pts("6") {
		t.Errorf("area 1: %+v", a)
	}
	// Rounding half up: 2 of 3 → 66,666… → 66,67.
	two := ComputeTotals([]Criterion{{ID: 1, Code: "1", Max: pts("3")}}, map[int64]Entry{1: {Points: p("2")}})
	if two.Converted != pts("66,67") {
		t.Errorf("2/3 converted to %s", two.Converted)
	}
	if ps := SubmitProblems(nodes, map[int64]Entry{2: {Points: p("5")}, 3: {NA: true}}); len(ps) != 2 || ps[0].Code != "1.2" || ps[1].Code != "2" {
		t.Errorf("submit problems %+v", ps)
	}
}

func TestWindow(t *testing.T) {
	from, to := Day(2025, 12, 1), Day(2025, 12, 20)
	for _, tc := range []struct {
		day      time.Time
		extended *time.Time
		open     bool
	}{
		{Day(2025, 11, 30), nil, false},
		{Day(2025, 12, 1), nil, true},
		{Day(2025, 12, 20), nil, true},
		{Day(2025, 12, 21), nil, false},
		{Day(2025, 12, 21), func() *time.Time { d := Day(2025, 12, 24); return &d }(), true},
	} {
		if open, _, _ := Window(&from, &to, tc.extended, tc.day); open != tc.open {
			t.Errorf("%s: open=%v", tc.day.Format("02/01"), open)
		}
	}
}

// TestSubmitProblemsRequireEvidence: a criterion whose evidence is required
// (bắt buộc) needs a file; an explanation does not replace it, and every such
// criterion is listed, in form order, scored or not.
func TestSubmitProblemsRequireEvidence(t *testing.T) {
	p := func(s string) *Points { v := pts(s); return &v }
	nodes := []Criterion{
		{ID: 1, Code: "1", Max: pts("2"), EvidenceRequired: true, ExplainWithoutEvidence: true},
		{ID: 2, Code: "2", Max: pts("2"), EvidenceRequired: true, ExplainWithoutEvidence: true},
		{ID: 3, Code: "3", Max: pts("2"), ExplainWithoutEvidence: true},
		{ID: 4, Code: "4", Max: pts("2"), EvidenceRequired: true, AllowNA: true},
		{ID: 5, Code: "5", Max: pts("2"), EvidenceRequired: true},
	}
	entries := map[int64]Entry{
		1: {Points: p("2"), Explanation: "Có kế hoạch nhưng chưa tải lên"},
		2: {Points: p("2"), Evidence: 1},
		3: {Points: p("2"), Explanation: "Không có tài liệu, giải trình thay thế"},
		4: {NA: true, Explanation: "Đơn vị không có nhiệm vụ này"},
	}
	ps := SubmitProblems(nodes, entries)
	var got []string
	for _, x := range ps {
		got = append(got, x.Code+":"+x.Message)
	}
	want := []string{"1:score.evidence_missing", "5:score.missing", "5:score.evidence_missing"}
	if len(got) != len(want) {
		t.Fatalf("problems %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("problems %v, want %v", got, want)
		}
	}
}

// Where a unit stands on the dashboard, and whether it is late, as the
// days pass a phase's window (1–10 March) with and without a form.
func TestStandingAndLate(t *testing.T) {
	from, to := Day(2026, 3, 1), Day(2026, 3, 10)
	extended := Day(2026, 3, 15)
	form := func(id int64, status AssessmentStatus) Assessment {
		return Assessment{ID: id, Status: status, CampaignStatus: StatusAnnounced, WindowFrom: &from, WindowTo: &to}
	}
	withExtension := form(3, AssessDraft)
	withExtension.Deadline = &extended
	closedCampaign := form(4, AssessDraft)
	closedCampaign.CampaignStatus = StatusClosed
	for _, c := range []struct {
		name     string
		a        Assessment
		day      time.Time
		standing string
		late     bool
	}{
		{"not started, before the window", form(0, ""), Day(2026, 2, 28), "not_open", false},
		{"started early, before the window", form(1, AssessDraft), Day(2026, 2, 28), "not_open", false},
		{"not started, in the window", form(0, ""), Day(2026, 3, 5), "none", false},
		{"draft on the last day", form(1, AssessDraft), Day(2026, 3, 10), "draft", false},
		{"draft the day after", form(1, AssessDraft), Day(2026, 3, 11), "draft", true},
		{"not started the day after", form(0, ""), Day(2026, 3, 11), "none", true},
		{"submitted the day after", form(2, AssessSubmitted), Day(2026, 3, 11), "submitted", false},
		{"submitted before the window (never not_open)", form(2, AssessSubmitted), Day(2026, 2, 28), "submitted", false},
		{"extended, within the extension", withExtension, Day(2026, 3, 12), "draft", false},
		{"extended, after it", withExtension, Day(2026, 3, 16), "draft", true},
		{"campaign no longer open", closedCampaign, Day(2026, 3, 5), "draft", true},
	} {
		if got := c.a.Standing(c.day); got != c.standing {
			t.Errorf("%s: standing %q, want %q", c.name, got, c.standing)
		}
		if got := c.a.Late(c.day); got != c.late {
			t.Errorf("%s: late %v, want %v", c.name, got, c.late)
		}
	}
}
