package domain

import (
	"slices"
	"strings"
	"time"
)

// CampaignStatus is where a campaign is in its life.
type CampaignStatus string

// Campaign statuses.
const (
	StatusDraft     CampaignStatus = "draft"
	StatusAnnounced CampaignStatus = "announced"
	StatusClosed    CampaignStatus = "closed"
	StatusCancelled CampaignStatus = "cancelled"
)

// transitions lists the legal changes of status.
var transitions = map[CampaignStatus][]CampaignStatus{
	StatusDraft:     {StatusAnnounced, StatusCancelled},
	StatusAnnounced: {StatusClosed, StatusCancelled},
}

// CanTransition reports whether a campaign may go from one status to another.
func CanTransition(from, to CampaignStatus) bool {
	for _, s := range transitions[from] {
		if s == to {
			return true
		}
	}
	return false
}

// Public reports whether citizens may read a campaign in this status.
func (s CampaignStatus) Public() bool { return s == StatusAnnounced || s == StatusClosed }

// CampaignKind is regular (thường xuyên) or thematic (chuyên đề); thematic
// results cannot ground merit awards later.
type CampaignKind string

// Campaign kinds.
const (
	KindRegular  CampaignKind = "regular"
	KindThematic CampaignKind = "thematic"
)

// Bands are the minimum converted totals of the classification bands; below
// Average is Yếu.
type Bands struct {
	Excellent, Good, Fair, Average Points
}

// DefaultBands are Xuất sắc ≥ 90, Tốt ≥ 80, Khá ≥ 65, Trung bình ≥ 50.
var DefaultBands = Bands{Excellent: 9000, Good: 8000, Fair: 6500, Average: 5000}

// Band names, best first.
var BandNames = []string{"excellent", "good", "fair", "average", "weak"}

// Classify returns the band of a converted total.
func (b Bands) Classify(total Points) string {
	switch {
	case total >= b.Excellent:
		return "excellent"
	case total >= b.Good:
		return "good"
	case total >= b.Fair:
		return "fair"
	case total >= b.Average:
		return "average"
	}
	return "weak"
}

// Valid reports whether the bands descend within (0, 100].
func (b Bands) Valid() bool {
	return b.Excellent <= 10000 && b.Excellent > b.Good && b.Good > b.Fair && b.Fair > b.Average && b.Average > 0
}

// Campaign is an emulation campaign as planned.
type Campaign struct {
	ID               int64
	PlanNumber       string
	Title            string
	IssuerUnitID     *int64
	IssuerName       string
	SignerName       string
	SignerPosition   string
	IssueDate        time.Time
	Kind             CampaignKind
	Purposes         string
	Content          string
	TargetKinds      []string
	TargetCategories []string
	TargetNote       string
	ScopeUnitID      *int64
	PeriodStart      time.Time
	PeriodEnd        time.Time
	Status           CampaignStatus
	Bands            Bands
	// NoticeDays is how many working days a shortlist stays on public
	// notice (công khai).
	NoticeDays int
	Version    int
}

// Normalize cleans the text fields in place.
func (c *Campaign) Normalize() {
	c.PlanNumber = CleanText(c.PlanNumber)
	c.Title = CleanText(c.Title)
	c.IssuerName = CleanText(c.IssuerName)
	c.SignerName = CleanText(c.SignerName)
	c.SignerPosition = CleanText(c.SignerPosition)
	c.Purposes = CleanText(strings.ReplaceAll(c.Purposes, "\r\n", "\n"))
	c.Content = CleanText(strings.ReplaceAll(c.Content, "\r\n", "\n"))
	c.TargetNote = CleanText(strings.ReplaceAll(c.TargetNote, "\r\n", "\n"))
}

// Validate checks a campaign's fields.
func (c *Campaign) Validate() error {
	f := FieldErrors{}
	req := func(field, v string, max int) {
		switch n := RuneLen(v); {
		case n == 0:
			f.Add(field, "field.required")
		case n > max:
			f.Add(field, "field.too_long")
		}
	}
	req("plan_number", c.PlanNumber, 60)
	req("title", c.Title, 500)
	req("issuer_name", c.IssuerName, 300)
	if RuneLen(c.SignerName) > 200 {
		f.Add("signer_name", "field.too_long")
	}
	if RuneLen(c.SignerPosition) > 200 {
		f.Add("signer_position", "field.too_long")
	}
	if RuneLen(c.Purposes) > 20000 {
		f.Add("purposes", "field.too_long")
	}
	if RuneLen(c.Content) > 20000 {
		f.Add("content", "field.too_long")
	}
	if RuneLen(c.TargetNote) > 4000 {
		f.Add("target_note", "field.too_long")
	}
	if c.Kind != KindRegular && c.Kind != KindThematic {
		f.Add("kind", "field.invalid")
	}
	if !ValidDate(c.IssueDate) {
		f.Add("issue_date", "date.out_of_range")
	}
	if !ValidDate(c.PeriodStart) {
		f.Add("period_start", "date.out_of_range")
	}
	if !ValidDate(c.PeriodEnd) {
		f.Add("period_end", "date.out_of_range")
	} else if c.PeriodEnd.Before(c.PeriodStart) {
		f.Add("period_end", "campaign.period.order")
	}
	for _, k := range c.TargetKinds {
		if !UnitKind(k).Valid() {
			f.Add("target_kinds", "field.invalid")
		}
	}
	for _, k := range c.TargetCategories {
		if !Category(k).Valid() {
			f.Add("target_categories", "field.invalid")
		}
	}
	if !c.Bands.Valid() {
		f.Add("bands", "campaign.bands.invalid")
	}
	if c.NoticeDays < 0 || c.NoticeDays > MaxNoticeDays { // 0: the default, DefaultNoticeDays
		f.Add("notice_days", "campaign.notice_days.invalid")
	}
	return f.Err()
}

// ReviewKind is how a phase ends: an interim review (sơ kết), a final one
// (tổng kết) or a yearly one.
type ReviewKind string

// Review kinds.
const (
	ReviewInterim ReviewKind = "interim"
	ReviewFinal   ReviewKind = "final"
	ReviewAnnual  ReviewKind = "annual"
)

// DefaultReplyDays is a phase's reply window when none is set: five working
// days, as the schema's default.
const DefaultReplyDays = 5

// Phase is a phase (đợt) of a campaign with its windows.
type Phase struct {
	ID                   int64
	CampaignID           int64
	Seq                  int
	Name                 string
	Start, End           time.Time
	RegistrationDeadline *time.Time
	AssessmentFrom       *time.Time
	AssessmentTo         *time.Time
	AppraisalFrom        *time.Time
	AppraisalTo          *time.Time
	ReplyFrom            *time.Time
	ReplyTo              *time.Time
	ReviewKind           ReviewKind
	ReviewDate           *time.Time
	ReplyDays            int // working days the unit has to reply to its appraisal
	// ReminderDays are how many days before each of the phase's deadlines
	// the units that have not submitted are reminded, largest first: nil
	// is the default (DefaultReminderDays), empty is no reminder.
	ReminderDays []int
	// NominationTo is the last day the units may send their nominations of
	// the phase; nil: while the campaign is announced.
	NominationTo *time.Time
	Version      int
}

// DefaultReminderDays are a phase's reminders when none are set: a week,
// three days and one day before each deadline, as the schema's default.
var DefaultReminderDays = []int{7, 3, 1}

// MaxReminders is how many reminders a phase may have per deadline, and
// MaxReminderDays how long before a deadline the first may go.
const (
	MaxReminders    = 5
	MaxReminderDays = 60
)

// CheckReminderDays sorts a phase's reminder days largest first and says
// whether they are valid: at most MaxReminders distinct whole days from 1
// to MaxReminderDays.
func CheckReminderDays(days []int) ([]int, bool) {
	out := slices.Clone(days)
	slices.Sort(out)
	slices.Reverse(out)
	if len(out) > MaxReminders || len(slices.Compact(slices.Clone(out))) != len(out) {
		return out, false
	}
	for _, d := range out {
		if d < 1 || d > MaxReminderDays {
			return out, false
		}
	}
	return out, true
}

// Validate checks a phase against itself and its campaign's period.
func (p *Phase) Validate(c *Campaign) error {
	f := FieldErrors{}
	p.Name = CleanText(p.Name)
	if n := RuneLen(p.Name); n == 0 || n > 200 {
		f.Add("name", "field.required")
	}
	if !ValidDate(p.Start) {
		f.Add("start", "date.out_of_range")
	}
	if !ValidDate(p.End) {
		f.Add("end", "date.out_of_range")
	} else if p.End.Before(p.Start) {
		f.Add("end", "campaign.period.order")
	}
	if c != nil && (p.Start.Before(c.PeriodStart) || p.End.After(c.PeriodEnd)) {
		f.Add("start", "phase.outside_period")
	}
	pair := func(field string, from, to *time.Time) {
		if from != nil && to != nil && to.Before(*from) {
			f.Add(field, "campaign.period.order")
		}
	}
	pair("assessment_to", p.AssessmentFrom, p.AssessmentTo)
	pair("appraisal_to", p.AppraisalFrom, p.AppraisalTo)
	pair("reply_to", p.ReplyFrom, p.ReplyTo)
	if p.NominationTo != nil && (p.NominationTo.Before(p.Start) || p.NominationTo.After(p.End)) {
		f.Add("nomination_to", "phase.nomination_to.outside")
	}
	if p.AssessmentTo != nil && p.AppraisalFrom != nil && p.AppraisalFrom.Before(*p.AssessmentTo) {
		f.Add("appraisal_from", "phase.appraisal_before_assessment")
	}
	if p.ReplyDays == 0 {
		p.ReplyDays = DefaultReplyDays
	}
	if p.ReplyDays < 1 || p.ReplyDays > 60 {
		f.Add("reply_days", "phase.reply_days.invalid")
	}
	if p.ReminderDays == nil {
		p.ReminderDays = slices.Clone(DefaultReminderDays)
	}
	days, ok := CheckReminderDays(p.ReminderDays)
	if !ok {
		f.Add("reminder_days", "phase.reminder_days.invalid")
	}
	p.ReminderDays = days
	switch p.ReviewKind {
	case ReviewInterim, ReviewFinal, ReviewAnnual:
	default:
		f.Add("review_kind", "field.invalid")
	}
	return f.Err()
}

// CanManageCampaigns reports whether u may create and change campaigns.
func CanManageCampaigns(u *User) bool { return HasRole(u, RoleStaff) }
