package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"thidua/internal/domain"
)

// The work queues of the signed-in homes: what each role has to act on,
// counted in a few set-based queries (never one query per campaign or unit).
// Only announced campaigns take registrations and forms, so only they
// appear.

// CampaignQueue is what staff have to act on in one announced campaign.
type CampaignQueue struct {
	ID    int64
	Title string
	Plan  string
	// Pending registrations wait for a decision.
	Pending int
	// Submitted forms wait to be received (checked, or returned).
	Submitted int
	// Late counts approved units and phases whose self-assessment window
	// (with the unit's extension) closed before today without a submitted
	// form, started or not.
	Late int
}

// Deadline is a phase's deadline falling within the coming days.
type Deadline struct {
	CampaignID int64
	Campaign   string
	PhaseID    int64
	Phase      string
	Kind       string // "registration" or "assessment"
	Date       time.Time
	// Outstanding counts who still has to act: registrations not sent yet,
	// or approved units without a submitted form for the phase.
	Outstanding int
}

// StaffQueue is the work queue of Home Affairs staff.
type StaffQueue struct {
	Campaigns []CampaignQueue // announced campaigns, newest first
	Deadlines []Deadline      // soonest first
}

// Totals adds up the campaigns' counts.
func (q *StaffQueue) Totals() (pending, submitted, late int) {
	for _, c := range q.Campaigns {
		pending += c.Pending
		submitted += c.Submitted
		late += c.Late
	}
	return pending, submitted, late
}

// StaffQueue counts, per announced campaign, registrations waiting,
// submissions to receive and late units on today, and lists the
// registration and self-assessment deadlines from today to today+days.
func (db *DB) StaffQueue(ctx context.Context, today time.Time, days int) (_ *StaffQueue, err error) {
	defer wrap(&err, "StaffQueue")
	rows, err := db.Pool.Query(ctx, `
		SELECT c.id, c.title, c.plan_number,
			(SELECT count(*) FROM registrations r WHERE r.campaign_id = c.id AND r.status = 'pending'),
			(SELECT count(*) FROM assessments a WHERE a.campaign_id = c.id AND a.status = 'submitted'),
			(SELECT count(*) FROM registrations r JOIN phases p ON p.campaign_id = r.campaign_id
				WHERE r.campaign_id = c.id AND r.status = 'approved' AND p.assessment_to < $1
				AND NOT EXISTS (SELECT 1 FROM assessments a WHERE a.campaign_id = c.id AND a.phase_id = p.id AND a.unit_id = r.unit_id
					AND (a.status IN ('submitted', 'received', 'appraised', 'locked') OR a.deadline >= $1)))
		FROM campaigns c WHERE c.status = 'announced'
		ORDER BY c.issue_date DESC, c.id DESC`, today)
	if err != nil {
		return nil, fmt.Errorf("staff queue: campaigns: %w", err)
	}
	var q StaffQueue
	q.Campaigns, err = pgx.CollectRows(rows, pgx.RowToStructByPos[CampaignQueue])
	if err != nil {
		return nil, fmt.Errorf("staff queue: campaigns: %w", err)
	}
	rows, err = db.Pool.Query(ctx, `
		SELECT c.id, c.title, p.id, p.name, 'registration', p.registration_deadline,
			(SELECT count(*) FROM registrations r WHERE r.campaign_id = c.id AND r.status = 'draft')
		FROM phases p JOIN campaigns c ON c.id = p.campaign_id
		WHERE c.status = 'announced' AND p.registration_deadline BETWEEN $1 AND $1 + $2::int
		UNION ALL
		SELECT c.id, c.title, p.id, p.name, 'assessment', p.assessment_to,
			(SELECT count(*) FROM registrations r WHERE r.campaign_id = c.id AND r.status = 'approved'
				AND NOT EXISTS (SELECT 1 FROM assessments a WHERE a.campaign_id = c.id AND a.phase_id = p.id
					AND a.unit_id = r.unit_id AND a.status IN ('submitted', 'received', 'appraised', 'locked')))
		FROM phases p JOIN campaigns c ON c.id = p.campaign_id
		WHERE c.status = 'announced' AND p.assessment_to BETWEEN $1 AND $1 + $2::int
		ORDER BY 6, 2, 4`, today, days)
	if err != nil {
		return nil, fmt.Errorf("staff queue: deadlines: %w", err)
	}
	q.Deadlines, err = pgx.CollectRows(rows, pgx.RowToStructByPos[Deadline])
	if err != nil {
		return nil, fmt.Errorf("staff queue: deadlines: %w", err)
	}
	return &q, nil
}

// DueForm is a phase's self-assessment of a focal point's unit: started or
// not, due or returned.
type DueForm struct {
	CampaignID   int64
	Campaign     string
	PhaseID      int64
	Phase        string
	AssessmentID int64                   // 0 when the form is not started
	Status       domain.AssessmentStatus // "" when not started
	From         *time.Time              // the phase's window
	To           *time.Time
	Extension    *time.Time // the unit's own deadline, when given
	ReplyUntil   *time.Time // once appraised: the last day of the unit's reply window
	ReplySent    *time.Time // when the unit sent its reply
}

// Due is the last day the form takes a submission: the later of the
// window's end and the unit's extension; nil when the window has no end.
func (f DueForm) Due() *time.Time {
	if f.Extension != nil && (f.To == nil || f.Extension.After(*f.To)) {
		return f.Extension
	}
	return f.To
}

// OpenRegistration is an announced campaign a unit may still register for
// (or change its registration in) today.
type OpenRegistration struct {
	CampaignID int64
	Title      string
	Plan       string
	Deadline   *time.Time // the last registration deadline of its phases
	Status     domain.RegistrationStatus
}

// UnitQueue is the work queue of a unit's focal point.
type UnitQueue struct {
	Forms         []DueForm
	Registrations []OpenRegistration
}

// UnitQueue lists, for a unit on today, the forms it has to fill in (every
// phase with a self-assessment window in the announced campaigns it is
// approved in, started or not; a submitted form stays listed until its
// deadline passes, a late one stays listed), soonest deadline first, and
// the campaigns it may still register for.
func (db *DB) UnitQueue(ctx context.Context, unitID int64, today time.Time) (_ *UnitQueue, err error) {
	defer wrap(&err, "UnitQueue")
	rows, err := db.Pool.Query(ctx, `
		SELECT c.id, c.title, p.id, p.name, coalesce(a.id, 0), coalesce(a.status, ''), p.assessment_from, p.assessment_to, a.deadline,
			a.reply_until, a.reply_submitted_at
		FROM registrations r
		JOIN campaigns c ON c.id = r.campaign_id AND c.status = 'announced'
		JOIN phases p ON p.campaign_id = c.id AND (p.assessment_from IS NOT NULL OR p.assessment_to IS NOT NULL)
		LEFT JOIN LATERAL (SELECT a.id, a.status, a.deadline, a.reply_until, a.reply_submitted_at FROM assessments a
			WHERE a.campaign_id = c.id AND a.phase_id = p.id AND a.unit_id = r.unit_id ORDER BY a.id LIMIT 1) a ON true
		WHERE r.unit_id = $1 AND r.status = 'approved'
			AND (a.status IS NULL OR a.status NOT IN ('submitted', 'received', 'appraised', 'locked') OR greatest(p.assessment_to, a.deadline) >= $2
				OR (a.status = 'appraised' AND a.reply_until >= $2))
		ORDER BY greatest(p.assessment_to, a.deadline) NULLS LAST, p.assessment_from, c.id, p.seq`, unitID, today)
	if err != nil {
		return nil, fmt.Errorf("unit queue: forms: %w", err)
	}
	var q UnitQueue
	q.Forms, err = pgx.CollectRows(rows, pgx.RowToStructByPos[DueForm])
	if err != nil {
		return nil, fmt.Errorf("unit queue: forms: %w", err)
	}
	// A campaign takes a unit's registration when it targets the unit's
	// kind, its scope holds the unit, and its last registration deadline
	// has not passed (the rules of registrationOpen, for every campaign at
	// once).
	rows, err = db.Pool.Query(ctx, `
		WITH RECURSIVE up AS (
			SELECT unit_id, parent_id FROM unit_versions WHERE unit_id = $1 AND valid_from <= $2 AND (valid_to IS NULL OR valid_to > $2)
			UNION SELECT v.unit_id, v.parent_id FROM unit_versions v JOIN up ON v.unit_id = up.parent_id
			WHERE v.valid_from <= $2 AND (v.valid_to IS NULL OR v.valid_to > $2)),
		me AS (SELECT kind FROM units WHERE id = $1 AND valid_from <= $2 AND (valid_to IS NULL OR valid_to > $2)),
		open AS (SELECT c.id, c.title, c.plan_number, c.issue_date,
				(SELECT max(p.registration_deadline) FROM phases p WHERE p.campaign_id = c.id) AS deadline
			FROM campaigns c, me
			WHERE c.status = 'announced' AND (cardinality(c.target_kinds) = 0 OR me.kind = ANY(c.target_kinds))
				AND (c.scope_unit_id IS NULL OR c.scope_unit_id IN (SELECT unit_id FROM up)))
		SELECT o.id, o.title, o.plan_number, o.deadline, coalesce(r.status, '')
		FROM open o LEFT JOIN registrations r ON r.campaign_id = o.id AND r.unit_id = $1
		WHERE (o.deadline IS NULL OR o.deadline >= $2) AND (r.status IS NULL OR r.status <> 'approved')
		ORDER BY o.deadline NULLS LAST, o.issue_date DESC, o.id DESC`, unitID, today)
	if err != nil {
		return nil, fmt.Errorf("unit queue: registrations: %w", err)
	}
	q.Registrations, err = pgx.CollectRows(rows, pgx.RowToStructByPos[OpenRegistration])
	if err != nil {
		return nil, fmt.Errorf("unit queue: registrations: %w", err)
	}
	return &q, nil
}
