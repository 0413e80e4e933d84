package domain

import (
	"strings"
	"time"
)

// Public notice (công khai) of a shortlist and the objections to it. A
// shortlist is posted for the campaign's notice days, counted in working
// days (weekends and the holidays staff keep skipped); anyone may object to
// a nominee while it is posted, without signing in; staff answer each
// objection, and a nominee with an unanswered one cannot go to the council.

const (
	// DefaultNoticeDays is a campaign's notice period when none is set.
	DefaultNoticeDays = 5
	// MaxNoticeDays is the longest notice period a campaign may set.
	MaxNoticeDays = 60
	// ObjectionWindow is how long an objection counts against its sender's
	// address (sliding).
	ObjectionWindow = time.Hour
	// ObjectionLimit is how many objections one address may send to one
	// notice within ObjectionWindow; the next is refused (429).
	ObjectionLimit = 5
	// Objection limits in characters, as the database checks them.
	ObjectionNameMax    = 200
	ObjectionContactMax = 200
	ObjectionBodyMax    = 4000
	ObjectionAnswerMax  = 4000
)

// NoticeEnd is the last day of a notice that starts on start and lasts
// days working days: start plus that many working days, weekends and the
// holidays of off skipped (a notice started just before Tết ends after it).
func NoticeEnd(start time.Time, days int, off Holidays) time.Time {
	return AddWorkingDays(start, days, off)
}

// Notice is a shortlist posted for public notice.
type Notice struct {
	ID          int64
	CampaignID  int64
	ShortlistID int64
	StartsOn    time.Time
	EndsOn      time.Time
	WorkingDays int
	PublishedAt time.Time
	PublishedBy string
}

// Open reports whether objections are taken on day: from the first to the
// last day of the notice, both included.
func (n Notice) Open(day time.Time) bool { return !day.Before(n.StartsOn) && !day.After(n.EndsOn) }

// Ended reports whether the notice is over on day (the day after its end).
func (n Notice) Ended(day time.Time) bool { return day.After(n.EndsOn) }

// ObjectionInput is an objection as a visitor sends it.
type ObjectionInput struct {
	EntryID int64
	Name    string
	Contact string
	Body    string
}

// Normalize cleans the fields in place (NFC, surrounding and invisible
// characters removed, Windows line ends made plain).
func (o *ObjectionInput) Normalize() {
	o.Name = CleanText(o.Name)
	o.Contact = CleanText(o.Contact)
	o.Body = CleanText(strings.ReplaceAll(o.Body, "\r\n", "\n"))
}

// Validate checks an objection: every field required, within its length,
// without control characters or broken bytes.
func (o *ObjectionInput) Validate() error {
	f := FieldErrors{}
	if o.EntryID <= 0 {
		f.Add("entry", "objection.entry.required")
	}
	text := func(field, v string, max int, tooLong string) {
		switch n := RuneLen(v); {
		case !ValidText(v):
			f.Add(field, "objection.bad_text")
		case n == 0:
			f.Add(field, "field.required")
		case n > max:
			f.Add(field, tooLong)
		}
	}
	text("name", o.Name, ObjectionNameMax, "objection.name.too_long")
	text("contact", o.Contact, ObjectionContactMax, "objection.contact.too_long")
	text("body", o.Body, ObjectionBodyMax, "objection.body.too_long")
	return f.Err()
}

// ObjectionOutcome is staff's answer to an objection: upheld (the
// objection is right) or dismissed.
type ObjectionOutcome string

const (
	ObjectionUpheld    ObjectionOutcome = "upheld"
	ObjectionDismissed ObjectionOutcome = "dismissed"
)

// ObjectionAnswer is staff's recorded answer to an objection.
type ObjectionAnswer struct {
	Outcome ObjectionOutcome
	Text    string
}

// Validate checks an answer: an outcome and its explanation.
func (a *ObjectionAnswer) Validate() error {
	a.Text = CleanText(strings.ReplaceAll(a.Text, "\r\n", "\n"))
	f := FieldErrors{}
	if a.Outcome != ObjectionUpheld && a.Outcome != ObjectionDismissed {
		f.Add("outcome", "objection.outcome.required")
	}
	switch n := RuneLen(a.Text); {
	case !ValidText(a.Text):
		f.Add("answer", "objection.bad_text")
	case n == 0:
		f.Add("answer", "field.required")
	case n > ObjectionAnswerMax:
		f.Add("answer", "objection.answer.too_long")
	}
	return f.Err()
}
