package domain

import "time"

// The achievement history's writing side: pending flags set and lifted by
// staff, and rows of a past-awards file.

// ParseFlagKind reads a flag kind from a form.
func ParseFlagKind(s string) (FlagKind, bool) {
	switch k := FlagKind(s); k {
	case FlagDiscipline, FlagInspection, FlagComplaint:
		return k, true
	}
	return "", false
}

// FlagKinds lists the kinds of flag in the order forms offer them.
var FlagKinds = []FlagKind{FlagDiscipline, FlagInspection, FlagComplaint}

// FlagInput is a pending flag staff set on a unit or a person: the kind,
// the reason (the document or case it comes from) and its dates, To nil
// while it has no known end.
type FlagInput struct {
	Subject Subject
	Kind    FlagKind
	Reason  string
	From    time.Time
	To      *time.Time
}

// Validate checks a flag before it is stored, cleaning its reason.
func (f *FlagInput) Validate() error {
	e := FieldErrors{}
	if _, ok := ParseFlagKind(string(f.Kind)); !ok {
		e.Add("kind", "flag.kind.invalid")
	}
	e.addReason("reason", &f.Reason)
	if !ValidDate(f.From) {
		e.Add("from", "date.out_of_range")
	}
	if f.To != nil {
		switch {
		case !ValidDate(*f.To):
			e.Add("to", "date.out_of_range")
		case ValidDate(f.From) && f.To.Before(f.From):
			e.Add("to", "flag.to.before_from")
		}
	}
	return e.Err()
}

// FlagLift is staff's lifting of a pending flag: from the day after To it
// is no longer pending; the reason says why (the decision closing the case).
type FlagLift struct {
	To     time.Time
	Reason string
}

// Validate checks a lift against the flag's start, cleaning its reason.
func (l *FlagLift) Validate(from time.Time) error {
	e := FieldErrors{}
	e.addReason("lift_reason", &l.Reason)
	switch {
	case !ValidDate(l.To):
		e.Add("lift_to", "date.out_of_range")
	case l.To.Before(from):
		e.Add("lift_to", "flag.to.before_from")
	}
	return e.Err()
}

// addReason cleans a required reason of at most 2,000 characters.
func (f FieldErrors) addReason(field string, s *string) {
	if !ValidText(*s) {
		f.Add(field, "field.invalid")
		return
	}
	*s = CleanText(*s)
	switch n := RuneLen(*s); {
	case n == 0:
		f.Add(field, "field.required")
	case n > 2000:
		f.Add(field, "field.too_long")
	}
}

// AwardRow is one row of a past-awards file: an award of a unit (by its
// code) or of a person (by theirs). An Invalid row had problems in its
// cells (already reported); it is still checked with the others as a set,
// and a file with any such row writes nothing.
type AwardRow struct {
	Invalid        bool
	Line           int
	UnitCode       string
	PersonCode     string
	Year           int
	Title          string
	DecisionNumber string
	DecisionDate   *time.Time
	Issuer         string
	Thematic       bool
	Note           string
}
