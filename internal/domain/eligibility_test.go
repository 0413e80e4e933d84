package domain

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func cand(name string, final Points, band string) Candidate {
	return Candidate{Target: TargetCollective, UnitID: int64(len(name)) + int64(final), Name: name, Final: final, Band: band}
}

func statuses(ps []Proposal) string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Candidate.Name+"="+string(p.Status))
	}
	return strings.Join(out, " ")
}

// TestProposeQuotaAndTies: the best passing candidates up to the quota;
// candidates sharing the total at the boundary are all flagged as a tie,
// never cut by name; failing candidates are excluded; an open quota takes
// everyone who passes; a quota of zero takes no one.
func TestProposeQuotaAndTies(t *testing.T) {
	pass := []Outcome{{Kind: RuleMinBand, Pass: true}}
	fail := []Outcome{{Kind: RuleMinBand, Pass: false, Key: "rule.min_band.fail"}}
	cands := []Candidate{cand("E", 8500, "good"), cand("A", 9500, "excellent"), cand("C", 9000, "excellent"), cand("B", 9000, "excellent"),
		cand("D", 9000, "excellent"), cand("F", 9900, "fair")}
	outs := [][]Outcome{pass, pass, pass, pass, pass, fail}
	n := func(i int) *int { return &i }
	for _, tc := range []struct {
		quota *int
		want  string
	}{
		{n(2), "A=proposed B=tie C=tie D=tie E=excluded F=excluded"},
		{n(4), "A=proposed B=proposed C=proposed D=proposed E=excluded F=excluded"},
		{n(3), "A=proposed B=tie C=tie D=tie E=excluded F=excluded"},
		{n(1), "A=proposed B=excluded C=excluded D=excluded E=excluded F=excluded"},
		{n(0), "A=excluded B=excluded C=excluded D=excluded E=excluded F=excluded"},
		{nil, "A=proposed B=proposed C=proposed D=proposed E=proposed F=excluded"},
		{n(10), "A=proposed B=proposed C=proposed D=proposed E=proposed F=excluded"},
	} {
		if got := statuses(Propose(cands, outs, tc.quota)); got != tc.want {
			q := "open"
			if tc.quota != nil {
				q = fmt.Sprint(*tc.quota)
			}
			t.Errorf("quota %s:\n got %s\nwant %s", q, got, tc.want)
		}
	}
}

// TestEvaluateRules: each rule answers pass or fail with its reason's key
// and arguments; rules out of force are not applied; a prerequisite counts
// the years before the phase's, through a predecessor's history, and
// ignores thematic titles when the not-thematic rule applies.
func TestEvaluateRules(t *testing.T) {
	day := Day(2026, 12, 31)
	form := int64(7)
	rules := []Rule{
		{Kind: RuleMinBand, MinBand: "good", Citation: "KH 25"},
		{Kind: RuleNoPendingFlag},
		{Kind: RuleOneAward},
		{Kind: RulePrerequisite, PrerequisiteFormID: &form, PrerequisiteYears: 2},
		{Kind: RuleNotThematic},
		{Kind: RuleMinBand, MinBand: "excellent", InForceFrom: ptr(Day(2027, 1, 1))},
	}
	inForce := RulesInForce(rules, day)
	if len(inForce) != 5 {
		t.Fatalf("%d rules in force, want 5", len(inForce))
	}
	ec := EvalContext{Day: day, Year: 2026, FormNames: map[int64]string{7: "Tập thể lao động xuất sắc"}}
	ach := func(year int, via string, thematic bool) Achievement {
		return Achievement{Year: year, AwardFormID: &form, Via: via, Thematic: thematic}
	}
	keys := func(os []Outcome) string {
		var out []string
		for _, o := range os {
			out = append(out, fmt.Sprint(o.Key, " ", o.Args))
		}
		return strings.Join(out, " | ")
	}
	for _, tc := range []struct {
		name   string
		c      Candidate
		f      Facts
		ec     EvalContext
		want   string
		passes bool
	}{
		{"passes all, prerequisite through a merged commune", cand("A", 9000, "excellent"),
			Facts{Achievements: []Achievement{ach(2025, "", false), ach(2024, "UBND xã Mỹ Hội", false)},
				Flags: []PendingFlag{{Kind: FlagInspection, From: Day(2026, 1, 1), To: ptr(Day(2026, 6, 30))}}}, ec,
			"rule.min_band.pass [excellent good] | rule.no_pending_flag.pass [] | rule.one_award.pass [] | rule.prerequisite.pass_via [Tập thể lao động xuất sắc 2024 2025 UBND xã Mỹ Hội] | rule.not_thematic.pass []", true},
		{"Khá, flagged, listed elsewhere, a year missing (thematic not counted)", cand("B", 7000, "fair"),
			Facts{Achievements: []Achievement{ach(2025, "", true), ach(2024, "", false), ach(2023, "", false)}, ListedIn: "Cờ thi đua",
				Flags: []PendingFlag{{Kind: FlagDiscipline, From: Day(2026, 11, 1), Reason: "Kỷ luật"}}}, ec,
			"rule.min_band.fail [fair good] | rule.no_pending_flag.fail [discipline 2026-11-01 Kỷ luật] | rule.one_award.fail [Cờ thi đua] | rule.prerequisite.fail [Tập thể lao động xuất sắc 2 2024 2025 2025] | rule.not_thematic.pass []", false},
		{"no approved result, thematic campaign", cand("C", 0, ""), Facts{Achievements: []Achievement{ach(2025, "", false), ach(2024, "", false)}},
			EvalContext{Day: day, Year: 2026, Thematic: true, FormNames: ec.FormNames},
			"rule.min_band.no_result [good] | rule.no_pending_flag.pass [] | rule.one_award.pass [] | rule.prerequisite.pass [Tập thể lao động xuất sắc 2024 2025] | rule.not_thematic.fail []", false},
	} {
		got := Evaluate(inForce, tc.c, tc.f, tc.ec)
		if keys(got) != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, keys(got), tc.want)
		}
		if Passes(got) != tc.passes {
			t.Errorf("%s: passes %v", tc.name, Passes(got))
		}
		if got[0].Citation != "KH 25" {
			t.Errorf("%s: the outcome lost its citation", tc.name)
		}
	}
}

func ptr(t time.Time) *time.Time { return &t }
