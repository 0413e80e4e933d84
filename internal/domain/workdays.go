package domain

import "time"

// Holiday is a public holiday (ngày nghỉ lễ, Tết) or a decreed day off in
// its place (nghỉ bù): a day skipped by working-day counts, as weekends are.
// The government announces the exact days every year, so they are data
// kept by staff, not rules in code.
type Holiday struct {
	Day  time.Time
	Name string
}

// Validate checks a holiday before it is stored.
func (h *Holiday) Validate() error {
	f := FieldErrors{}
	h.Name = CleanText(h.Name)
	if n := RuneLen(h.Name); n == 0 {
		f.Add("name", "field.required")
	} else if n > 200 || !ValidText(h.Name) {
		f.Add("name", "field.invalid")
	}
	if !ValidDate(h.Day) {
		f.Add("day", "date.out_of_range")
	}
	return f.Err()
}

// Holidays is a set of days off besides weekends, keyed by the date at
// midnight UTC (as Day and DateOf build them).
type Holidays map[time.Time]bool

// NewHolidays builds the set of days.
func NewHolidays(days ...time.Time) Holidays {
	h := make(Holidays, len(days))
	for _, d := range days {
		h[Day(d.Date())] = true
	}
	return h
}

// IsWorkingDay reports whether d is neither a Saturday, a Sunday nor a
// holiday of off.
func IsWorkingDay(d time.Time, off Holidays) bool {
	if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	return !off[Day(d.Date())]
}

// AddWorkingDays returns the n-th working day after d (d itself when n ≤ 0):
// from Friday, one working day is the next Monday unless that is a holiday.
// Make-up working Saturdays (làm bù) are not modelled, so a day off swapped
// with a Saturday (hoán đổi) is best left out of the holidays: the two cancel.
func AddWorkingDays(d time.Time, n int, off Holidays) time.Time {
	d = Day(d.Date())
	for n > 0 {
		d = d.AddDate(0, 0, 1)
		if IsWorkingDay(d, off) {
			n--
		}
	}
	return d
}

// ReplyUntil is the last day a unit may reply to its appraisal completed at
// instant at: the completion day in Vietnam plus the phase's reply days in
// working days. The reply is open until the end of that day.
func ReplyUntil(at time.Time, replyDays int, off Holidays) time.Time {
	return AddWorkingDays(DateOf(at), replyDays, off)
}
