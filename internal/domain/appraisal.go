package domain

// CheckEntry validates one criterion's entry by its scoring method and
// returns what is stored: the points (computed from the measured value for
// tiers and targets), the measured value where the method takes one, the
// not-applicable mark and the cleaned text. textMax is the longest text
// allowed. The self-assessment, the appraisal and any other role that
// scores a criterion check through it, so a value one accepts the others
// accept too.
func CheckEntry(c *Criterion, e Entry, textMax int) (Entry, error) {
	e.Explanation = CleanText(e.Explanation)
	if RuneLen(e.Explanation) > textMax {
		return Entry{}, Errorf(EINVALID, "field.too_long")
	}
	pts, err := EntryPoints(c, e)
	if err != nil {
		return Entry{}, err
	}
	out := Entry{Points: pts, NA: e.NA, Explanation: e.Explanation}
	if !e.NA && (c.Method == MethodTiers || c.Method == MethodTargetShare) {
		out.Measured = e.Measured
	}
	return out, nil
}

// AppraisalDiffers reports whether an appraised value differs from the
// unit's own: another score, not applicable on one side only, or another
// measured value for a criterion scored from one.
func AppraisalDiffers(c *Criterion, self, appraised Entry) bool {
	if self.NA != appraised.NA {
		return true
	}
	if appraised.NA {
		return false
	}
	if !samePoints(self.Points, appraised.Points) {
		return true
	}
	if c.Method == MethodTiers || c.Method == MethodTargetShare {
		return !sameInt(self.Measured, appraised.Measured)
	}
	return false
}

// CheckAppraised validates an appraiser's value of one criterion: by the
// criterion's method, like the unit's own (CheckEntry), with the comment
// (in Explanation) required wherever it differs from the unit's value.
func CheckAppraised(c *Criterion, self, appraised Entry) (Entry, error) {
	out, err := CheckEntry(c, appraised, 4000)
	if err != nil {
		return Entry{}, err
	}
	if out.Points == nil && !out.NA {
		return Entry{}, Errorf(EINVALID, "appraisal.score_missing")
	}
	if AppraisalDiffers(c, self, out) && out.Explanation == "" {
		return Entry{}, Errorf(EINVALID, "appraisal.comment_required")
	}
	return out, nil
}

func samePoints(a, b *Points) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }

func sameInt(a, b *int64) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }

// SameEntry reports whether two entries hold the same value and text
// (their evidence counts aside).
func SameEntry(a, b Entry) bool {
	return samePoints(a.Points, b.Points) && sameInt(a.Measured, b.Measured) && a.NA == b.NA && a.Explanation == b.Explanation
}
