package domain

import "time"

// ReplyUntil is the last day of a unit's reply window when its appraisal
// completes on day: days working days after it, weekends and the given
// holidays skipped (a window of 5 opened on a Friday ends the next Friday).
//
// Placeholder of the appraisal work until the reply work's working-day
// calendar lands on main: that one replaces this body (or this function),
// and CompleteAppraisal's callers keep calling it by this name.
func ReplyUntil(day time.Time, days int, holidays []time.Time) time.Time {
	off := make(map[time.Time]bool, len(holidays))
	for _, h := range holidays {
		off[DateOf(h)] = true
	}
	d := DateOf(day)
	for n := 0; n < days; {
		d = d.AddDate(0, 0, 1)
		if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday || off[d] {
			continue
		}
		n++
	}
	return d
}
