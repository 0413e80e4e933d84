package domain

import "sort"

// Placing is one participant's place in a ranking: Index is its position
// in the list given to Rank, Rank its standard competition rank (1, 2, 2,
// 4) and Tied whether another participant shares that rank.
type Placing struct {
	Index int
	Rank  int
	Tied  bool
}

// Rank orders converted totals best first and gives them standard
// competition ranks: equal totals share a rank, and the next rank skips as
// many places as shared it (1, 2, 2, 4). A tie is never broken: tied
// participants keep the order they were given in (the caller sorts them by
// name, for reading only) and are marked Tied, so a page shows the tie.
func Rank(totals []Points) []Placing {
	out := make([]Placing, len(totals))
	for i := range out {
		out[i].Index = i
	}
	sort.SliceStable(out, func(i, j int) bool { return totals[out[i].Index] > totals[out[j].Index] })
	for i := range out {
		if i > 0 && totals[out[i].Index] == totals[out[i-1].Index] {
			out[i].Rank = out[i-1].Rank
			out[i].Tied, out[i-1].Tied = true, true
		} else {
			out[i].Rank = i + 1
		}
	}
	return out
}

// Difference is how far the appraisal moved a total from the unit's own:
// appraised − self (negative when the appraisal lowered it).
func Difference(self, appraised Points) Points { return appraised - self }

// Ranked reports whether a form takes a place in the ranking: only once its
// appraisal is complete (appraised, the reply window open or closed, or
// locked). Drafts, submitted, returned and received forms (appraisal still
// in progress) are listed apart as not yet appraised.
func (s AssessmentStatus) Ranked() bool { return s == AssessAppraised || s == AssessLocked }

// ScoreValues are the three values of one criterion of a form: the unit's
// own, the appraisal team's and the final one (after the reply). A nil
// Points with NA false is "not yet given".
type ScoreValues struct {
	Self, Appraised, Final Entry
}

// Explain recomputes a form's three totals from its criteria, so "why this
// total" shows sums that add up to what the ranking shows: the self total
// from the self values, the appraised from the appraised values, the final
// from the final ones.
func Explain(nodes []Criterion, values map[int64]ScoreValues) (self, appraised, final Totals) {
	s := make(map[int64]Entry, len(values))
	a := make(map[int64]Entry, len(values))
	f := make(map[int64]Entry, len(values))
	for id, v := range values {
		s[id], a[id], f[id] = v.Self, v.Appraised, v.Final
	}
	return ComputeTotals(nodes, s), ComputeTotals(nodes, a), ComputeTotals(nodes, f)
}

// Areas returns the roots of a criteria tree (its areas) in the order
// given, and for each leaf the index of its area in that list.
func Areas(nodes []Criterion) (areas []Criterion, leafArea map[int64]int) {
	index := map[int64]int{}
	for _, n := range nodes {
		if n.ParentID == nil {
			index[n.ID] = len(areas)
			areas = append(areas, n)
		}
	}
	leafArea = map[int64]int{}
	rootOf := rootsOf(nodes)
	for _, l := range Leaves(nodes) {
		if i, ok := index[rootOf(l.ID)]; ok {
			leafArea[l.ID] = i
		}
	}
	return areas, leafArea
}

// Ranker gives standard competition ranks to totals that arrive best first,
// one at a time, as a streamed export reads them: the same ranks as Rank.
type Ranker struct {
	seen, rank int
	last       Points
}

// Next returns the rank of the next total.
func (r *Ranker) Next(total Points) int {
	r.seen++
	if r.seen == 1 || total != r.last {
		r.rank = r.seen
	}
	r.last = total
	return r.rank
}
