package domain

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The eligibility rules' evaluation and the shortlist's proposal: each rule
// answers pass or fail with its reason for one candidate, and the proposal
// lists the best candidates that pass every rule up to the quota of their
// group, flagging a tie at the quota's boundary instead of breaking it.

// Candidate is one unit (a collective, from the approved results of the
// phase) or one person (an individual, from a received nomination) with
// the result it is ranked on: its own for a collective, its unit's for an
// individual. Band is "" when the unit has no approved result in the phase.
type Candidate struct {
	Target       AwardTarget
	UnitID       int64
	PersonID     int64
	AssessmentID int64
	NominationID int64
	Name         string
	Rank         int
	Final        Points
	Band         string
}

// Subject is the unit or person the candidate is.
func (c Candidate) Subject() Subject {
	if c.Target == TargetIndividual {
		return Subject{PersonID: c.PersonID}
	}
	return Subject{UnitID: c.UnitID}
}

// Facts are what the rules read about one candidate: its pending flags, its
// achievement history (a unit's with its predecessors'), and the other
// shortlist of the same phase it is already listed in ("" when none).
type Facts struct {
	Flags        []PendingFlag
	Achievements []Achievement
	ListedIn     string
}

// EvalContext is what the rules read about the shortlist being proposed:
// the phase's end date (the day rules and flags are read on), the phase's
// year, whether the campaign is thematic and the names of award forms.
type EvalContext struct {
	Day       time.Time
	Year      int
	Thematic  bool
	FormNames map[int64]string
}

// RulesInForce returns the rules that apply on day, in their order.
func RulesInForce(rules []Rule, day time.Time) []Rule {
	var out []Rule
	for _, r := range rules {
		if r.InForce(day) {
			out = append(out, r)
		}
	}
	return out
}

// bandIndex is a band's place, best (0) first; len(BandNames) for none.
func bandIndex(band string) int {
	if i := slices.Index(BandNames, band); i >= 0 {
		return i
	}
	return len(BandNames)
}

// Evaluate answers every rule for one candidate, in the rules' order.
func Evaluate(rules []Rule, c Candidate, f Facts, ec EvalContext) []Outcome {
	ignoreThematic := slices.ContainsFunc(rules, func(r Rule) bool { return r.Kind == RuleNotThematic })
	out := make([]Outcome, 0, len(rules))
	for _, r := range rules {
		o := Outcome{Kind: r.Kind, Citation: r.Citation}
		switch r.Kind {
		case RuleMinBand:
			switch {
			case c.Band == "":
				o.Key = "rule.min_band.no_result"
				o.Args = []any{r.MinBand}
			case bandIndex(c.Band) <= bandIndex(r.MinBand):
				o.Pass, o.Key, o.Args = true, "rule.min_band.pass", []any{c.Band, r.MinBand}
			default:
				o.Key, o.Args = "rule.min_band.fail", []any{c.Band, r.MinBand}
			}
		case RuleOneAward:
			if f.ListedIn == "" {
				o.Pass, o.Key = true, "rule.one_award.pass"
			} else {
				o.Key, o.Args = "rule.one_award.fail", []any{f.ListedIn}
			}
		case RuleNoPendingFlag:
			o.Pass, o.Key = true, "rule.no_pending_flag.pass"
			for _, fl := range f.Flags {
				if fl.PendingOn(ec.Day) {
					o.Pass, o.Key = false, "rule.no_pending_flag.fail"
					o.Args = []any{string(fl.Kind), fl.From.Format(time.DateOnly), fl.Reason}
					break
				}
			}
		case RuleNotThematic:
			if ec.Thematic {
				o.Key = "rule.not_thematic.fail"
			} else {
				o.Pass, o.Key = true, "rule.not_thematic.pass"
			}
		case RulePrerequisite:
			o = prerequisite(r, f.Achievements, ec, ignoreThematic)
		}
		out = append(out, o)
	}
	return out
}

// prerequisite answers a prerequisite rule: the award form held in each of
// the rule's consecutive years up to the year before the phase's, read from
// the achievement history (a merged commune's years count for its
// successor; thematic achievements do not count when a not-thematic rule
// applies).
func prerequisite(r Rule, history []Achievement, ec EvalContext, ignoreThematic bool) Outcome {
	o := Outcome{Kind: r.Kind, Citation: r.Citation}
	var formID int64
	if r.PrerequisiteFormID != nil {
		formID = *r.PrerequisiteFormID
	}
	form := ec.FormNames[formID]
	first, last := ec.Year-r.PrerequisiteYears, ec.Year-1
	held := map[int]string{}
	for _, a := range history {
		if a.AwardFormID == nil || *a.AwardFormID != formID || (ignoreThematic && a.Thematic) {
			continue
		}
		if _, ok := held[a.Year]; !ok || a.Via == "" {
			held[a.Year] = a.Via
		}
	}
	var missing, via []string
	for y := first; y <= last; y++ {
		v, ok := held[y]
		if !ok {
			missing = append(missing, strconv.Itoa(y))
		} else if v != "" && !slices.Contains(via, v) {
			via = append(via, v)
		}
	}
	if len(missing) > 0 {
		o.Key, o.Args = "rule.prerequisite.fail", []any{form, r.PrerequisiteYears, first, last, strings.Join(missing, ", ")}
		return o
	}
	o.Pass = true
	if len(via) > 0 {
		o.Key, o.Args = "rule.prerequisite.pass_via", []any{form, first, last, strings.Join(via, ", ")}
	} else {
		o.Key, o.Args = "rule.prerequisite.pass", []any{form, first, last}
	}
	return o
}

// Passes reports whether every outcome passes.
func Passes(outcomes []Outcome) bool {
	for _, o := range outcomes {
		if !o.Pass {
			return false
		}
	}
	return true
}

// Proposal is a candidate's place in a proposed shortlist: its status and
// the rules' outcomes. Why it is excluded or tied follows from them: the
// first failing outcome, or its total against the quota (FirstFailure).
type Proposal struct {
	Candidate Candidate
	Outcomes  []Outcome
	Status    EntryStatus
}

// FirstFailure is the first failing outcome, and false when all pass.
func FirstFailure(outcomes []Outcome) (Outcome, bool) {
	for _, o := range outcomes {
		if !o.Pass {
			return o, true
		}
	}
	return Outcome{}, false
}

// Propose places the candidates of one group: those failing a rule are
// excluded with the first failing rule's reason; of the others, best final
// total first, those within the quota are proposed; when candidates with
// the same total straddle the quota's boundary, all of them are flagged as
// a tie for staff to decide; those beyond are excluded as over the quota.
// A nil quota is a number the plan leaves open: every passing candidate is
// proposed. The result is in list order: the passing best first, then the
// failing, each by total then name.
func Propose(cands []Candidate, outcomes [][]Outcome, quota *int) []Proposal {
	var pass, fail []Proposal
	for i, c := range cands {
		p := Proposal{Candidate: c, Outcomes: outcomes[i]}
		if Passes(p.Outcomes) {
			pass = append(pass, p)
			continue
		}
		p.Status = EntryExcluded
		fail = append(fail, p)
	}
	byTotal := func(a, b Proposal) int {
		return cmp.Or(cmp.Compare(b.Candidate.Final, a.Candidate.Final), strings.Compare(a.Candidate.Name, b.Candidate.Name),
			cmp.Compare(a.Candidate.UnitID, b.Candidate.UnitID), cmp.Compare(a.Candidate.PersonID, b.Candidate.PersonID))
	}
	slices.SortStableFunc(pass, byTotal)
	slices.SortStableFunc(fail, byTotal)
	if quota == nil || len(pass) <= *quota {
		for i := range pass {
			pass[i].Status = EntryProposed
		}
		return append(pass, fail...)
	}
	q := *quota
	// above counts those strictly better than the boundary's total; the
	// ones equal to it share the remaining places or tie for them.
	var boundary Points
	if q > 0 {
		boundary = pass[q-1].Candidate.Final
	}
	tieAtBoundary := q > 0 && pass[q].Candidate.Final == boundary
	for i := range pass {
		final := pass[i].Candidate.Final
		switch {
		case q > 0 && final > boundary, q > 0 && final == boundary && !tieAtBoundary:
			pass[i].Status = EntryProposed
		case q > 0 && final == boundary:
			pass[i].Status = EntryTie
		default:
			pass[i].Status = EntryExcluded
		}
	}
	return append(pass, fail...)
}
