package postgres

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"thidua/internal/domain"
	"thidua/internal/paths"
)

// The deadlines a unit is reminded of (reminders.deadline).
const (
	DeadlineAssessment = "assessment" // the self-assessment: the phase's assessment_to, or the unit's extension
	DeadlineReply      = "reply"      // the reply to the appraisal: the form's reply_until
	DeadlineNomination = "nomination" // the nominations: the phase's nomination_to, while the unit has some unsent
)

// Reminder is one reminder a unit was sent: of which deadline, due when,
// how many days before it, and when it went.
type Reminder struct {
	PhaseID    int64
	UnitID     int64
	Deadline   string
	DueOn      time.Time
	DaysBefore int
	SentAt     time.Time
}

// dueReminder is a reminder to send now, with what its notice says.
type dueReminder struct {
	PhaseID    int64
	UnitID     int64
	Deadline   string
	DueOn      time.Time
	DaysBefore int
	CampaignID int64
	Title      string
	PhaseName  string
	FormID     *int64
}

// dueRemindersSQL finds the reminders due on day $1 (the Vietnamese
// calendar day; $2 is its time zone's name):
//
//   - the self-assessment of every approved unit of an announced campaign
//     whose form for the phase is not submitted (not started, draft or
//     returned), due on the phase's assessment_to or the unit's later
//     extension, once the phase's window has opened;
//   - the reply of every appraised form whose appraisal adjusted at least
//     one criterion (otherwise there is nothing to reply to) and whose reply
//     is not sent, due on its reply_until; a reminder N days before counts
//     only when the window opened earlier than that (the notice of the
//     completed appraisal says the rest);
//   - the nominations of every unit with a nomination of the phase still in
//     draft or returned, due on the phase's nomination_to.
//
// For each, the reminder is the smallest N of the phase's reminder_days
// whose day has come (due_on − N ≤ today < due_on), unless a reminder of
// that due date with N or fewer days was sent already: a run missed for a
// day or two sends one reminder, not one per day missed, and each
// (phase, unit, deadline, due_on, N) goes once. Units without an active
// focal point have no one to remind and wait for one.
const dueRemindersSQL = `
	WITH due AS (
		SELECT p.id AS phase_id, r.unit_id, 'assessment' AS deadline, greatest(p.assessment_to, f.extended) AS due_on,
		       NULL::date AS opened, p.reminder_days, c.id AS campaign_id, c.title, p.name AS phase_name, f.form_id
		FROM campaigns c
		JOIN phases p ON p.campaign_id = c.id
		JOIN registrations r ON r.campaign_id = c.id AND r.status = 'approved'
		LEFT JOIN LATERAL (
			SELECT max(a.deadline) AS extended, min(a.id) AS form_id,
			       bool_or(a.status IN ('submitted', 'received', 'appraised', 'locked')) AS submitted
			FROM assessments a WHERE a.phase_id = p.id AND a.unit_id = r.unit_id) f ON true
		WHERE c.status = 'announced' AND p.assessment_to IS NOT NULL
		  AND (p.assessment_from IS NULL OR p.assessment_from <= $1)
		  AND f.submitted IS NOT TRUE
		UNION ALL
		SELECT a.phase_id, a.unit_id, 'reply', a.reply_until, (a.appraised_at AT TIME ZONE $2)::date,
		       p.reminder_days, c.id, c.title, p.name, a.id
		FROM assessments a JOIN phases p ON p.id = a.phase_id JOIN campaigns c ON c.id = a.campaign_id
		WHERE c.status = 'announced' AND a.status = 'appraised' AND a.reply_submitted_at IS NULL AND a.reply_until IS NOT NULL
		  AND EXISTS (SELECT 1 FROM scores s JOIN criteria k ON k.id = s.criterion_id
			WHERE s.campaign_id = a.campaign_id AND s.assessment_id = a.id
			  AND (s.appraised_points IS NOT NULL OR s.appraised_na)
			  AND (s.appraised_na IS DISTINCT FROM s.na OR NOT s.appraised_na
				AND (s.appraised_points IS DISTINCT FROM s.points
				     OR k.method IN ('tiers', 'target_share') AND s.appraised_measured IS DISTINCT FROM s.measured)))
		UNION ALL
		SELECT p.id, n.unit_id, 'nomination', p.nomination_to, NULL::date, p.reminder_days, c.id, c.title, p.name, NULL::bigint
		FROM phases p JOIN campaigns c ON c.id = p.campaign_id
		JOIN (SELECT DISTINCT phase_id, unit_id FROM nominations WHERE status IN ('draft', 'returned')) n ON n.phase_id = p.id
		WHERE c.status = 'announced' AND p.nomination_to IS NOT NULL
	), pick AS (
		SELECT d.*, (SELECT min(n) FROM unnest(d.reminder_days) n
			WHERE d.due_on - n <= $1 AND (d.opened IS NULL OR d.due_on - n > d.opened)) AS days_before
		FROM due d
		WHERE $1 < d.due_on
		  AND EXISTS (SELECT 1 FROM users u WHERE u.role = 'focal_point' AND u.unit_id = d.unit_id AND u.disabled_at IS NULL)
	)
	SELECT phase_id, unit_id, deadline, due_on, days_before, campaign_id, title, phase_name, form_id
	FROM pick
	WHERE days_before IS NOT NULL
	  AND NOT EXISTS (SELECT 1 FROM reminders x WHERE x.phase_id = pick.phase_id AND x.unit_id = pick.unit_id
		AND x.deadline = pick.deadline AND x.due_on = pick.due_on AND x.days_before <= pick.days_before)
	ORDER BY campaign_id, phase_id, deadline, unit_id`

// SendReminders writes the deadline reminders due now (db.Now(), on the
// Vietnamese calendar) and returns how many it sent: for each, the
// reminders row and the notice (kind deadline_reminder) to the unit's focal
// points, with its mail, in one transaction. The reminders row's key makes
// each reminder once, also when two instances run at the same time: the
// second waits for the first's row and then inserts nothing.
func (db *DB) SendReminders(ctx context.Context) (sent int, err error) {
	defer wrap(&err, "SendReminders")
	now := db.Now()
	today := domain.DateOf(now)
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		sent = 0
		rows, err := tx.Query(ctx, dueRemindersSQL, today, domain.Zone.String())
		if err != nil {
			return err
		}
		due, err := pgx.CollectRows(rows, pgx.RowToStructByPos[dueReminder])
		if err != nil {
			return err
		}
		for _, d := range due {
			var one int
			err := tx.QueryRow(ctx, `
				INSERT INTO reminders (phase_id, unit_id, deadline, due_on, days_before, sent_at) VALUES ($1, $2, $3, $4, $5, $6)
				ON CONFLICT DO NOTHING RETURNING 1`, d.PhaseID, d.UnitID, d.Deadline, d.DueOn, d.DaysBefore, now).Scan(&one)
			if errors.Is(err, pgx.ErrNoRows) {
				continue // another run sent it
			}
			if err != nil {
				return err
			}
			if err := db.notifyUnits(ctx, tx, d.notice(today), d.UnitID); err != nil {
				return err
			}
			sent++
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return sent, nil
}

// notice is what the reminder tells the unit's focal points on day today:
// how many days are left (or that tomorrow is the last day), of which
// campaign and phase, the deadline, and where to act.
func (d dueReminder) notice(today time.Time) domain.NewNotification {
	left := int(d.DueOn.Sub(today).Hours()+12) / 24
	due := d.DueOn.Format("02/01/2006")
	n := domain.NewNotification{Kind: domain.NotifyDeadlineReminder}
	switch {
	case d.Deadline == DeadlineReply && left == 1:
		n.Message, n.Args = "notify.deadline_reminder.reply_tomorrow", []string{d.Title, d.PhaseName, due}
	case d.Deadline == DeadlineReply:
		n.Message, n.Args = "notify.deadline_reminder.reply", []string{strconv.Itoa(left), d.Title, d.PhaseName, due}
	case d.Deadline == DeadlineNomination && left == 1:
		n.Message, n.Args = "notify.deadline_reminder.nomination_tomorrow", []string{d.Title, d.PhaseName, due}
	case d.Deadline == DeadlineNomination:
		n.Message, n.Args = "notify.deadline_reminder.nomination", []string{strconv.Itoa(left), d.Title, d.PhaseName, due}
	case left == 1:
		n.Message, n.Args = "notify.deadline_reminder.assessment_tomorrow", []string{d.Title, d.PhaseName, due}
	default:
		n.Message, n.Args = "notify.deadline_reminder.assessment", []string{strconv.Itoa(left), d.Title, d.PhaseName, due}
	}
	switch {
	case d.Deadline == DeadlineNomination:
		n.Link = paths.Nominations(d.CampaignID)
	case d.Deadline == DeadlineReply && d.FormID != nil:
		n.Link = paths.AssessmentAction(d.CampaignID, *d.FormID, "reply")
	case d.FormID != nil:
		n.Link = paths.Assessment(d.CampaignID, *d.FormID)
	default: // not started: the unit's list, where it starts the form
		n.Link = paths.Assessments(d.CampaignID)
	}
	return n
}

// Reminders returns the reminders sent to the units of a campaign, oldest
// first: the staff dashboard shows who was reminded when.
func (db *DB) Reminders(ctx context.Context, campaignID int64) (_ []Reminder, err error) {
	defer wrap(&err, "Reminders")
	var out []Reminder
	err = db.run(ctx, remindersRead(campaignID, &out))
	return out, err
}

func remindersRead(campaignID int64, out *[]Reminder) read {
	return read{`
		SELECT x.phase_id, x.unit_id, x.deadline, x.due_on, x.days_before, x.sent_at
		FROM reminders x JOIN phases p ON p.id = x.phase_id
		WHERE p.campaign_id = $1
		ORDER BY x.sent_at, x.days_before DESC`, []any{campaignID}, collectInto(out, pgx.RowToStructByPos[Reminder])}
}
