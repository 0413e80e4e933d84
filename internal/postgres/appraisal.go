package postgres

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"thidua/internal/domain"
	"thidua/internal/i18n"
	"thidua/internal/paths"
)

// SaveAppraisal saves an appraiser's values of a received form's criteria
// (EditScores with AppraisalScores): the same conflict rules as the unit's
// own save, a comment required wherever a value differs from the unit's.
func (db *DB) SaveAppraisal(ctx context.Context, assessmentID int64, edits []ScoreEdit) (_ []Conflict, err error) {
	defer wrap(&err, "SaveAppraisal")
	return db.EditScores(ctx, assessmentID, &AppraisalScores, edits)
}

// CompleteAppraisal ends the appraisal of a received form once every
// criterion has an appraised value, and opens the unit's reply window: the
// phase's reply_days working days from today, weekends and the holidays
// table skipped (domain.ReplyUntil). Completing it twice (a double click)
// does nothing and reports false.
func (db *DB) CompleteAppraisal(ctx context.Context, id int64) (done bool, err error) {
	defer wrap(&err, "CompleteAppraisal")
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		a, err := lockAssessment(ctx, tx, id)
		if err != nil {
			return err
		}
		if a.Status == domain.AssessAppraised {
			return nil
		}
		if err := a.CheckAppraisal(); err != nil {
			return err
		}
		nodes, err := loadCriteria(ctx, tx, a.SetID)
		if err != nil {
			return err
		}
		stored, err := loadScores(ctx, tx, a.CampaignID, a.ID, false)
		if err != nil {
			return err
		}
		left := 0
		for _, l := range domain.Leaves(nodes) {
			if !stored[l.ID].Appraised() {
				left++
			}
		}
		var days int
		if err := tx.QueryRow(ctx, `SELECT reply_days FROM phases WHERE id = $1`, a.PhaseID).Scan(&days); err != nil {
			return err
		}
		now := db.Now()
		today := domain.DateOf(now)
		off, err := holidaysFrom(ctx, tx, today)
		if err != nil {
			return err
		}
		if done, err = a.CompleteAppraisal(now, domain.ReplyUntil(now, days, off), left); err != nil || !done {
			return err
		}
		actor := nullID(domain.ActorFrom(ctx).UserID)
		// A new window (after a reopening) waits for a new reply.
		if _, err := tx.Exec(ctx, `UPDATE assessments SET status = $2, appraised_at = $3, appraised_by = $4, reply_until = $5,
			reply_submitted_at = NULL, reply_submitted_by = NULL, version = version + 1, updated_at = now() WHERE id = $1`, a.ID, a.Status, a.AppraisedAt, actor, a.ReplyUntil); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO assessment_history (assessment_id, action, actor_id) VALUES ($1, 'appraisal_done', $2)`, a.ID, actor); err != nil {
			return err
		}
		title, err := campaignTitle(ctx, tx, a.CampaignID)
		if err != nil {
			return err
		}
		if err := db.notifyUnits(ctx, tx, domain.NewNotification{Kind: domain.NotifyAppraisalCompleted, Message: "notify.appraisal_completed",
			Args: []string{a.PhaseName, a.UnitName, title, i18n.Day(*a.ReplyUntil)},
			Link: paths.AssessmentAction(a.CampaignID, a.ID, "reply")}, a.UnitID); err != nil {
			return err
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditAppraisalComplete, ObjectType: "assessment", ObjectID: strconv.FormatInt(a.ID, 10),
			Details: map[string]any{"reply_until": a.ReplyUntil.Format(time.DateOnly), "appraised": a.AppraisedConverted.String()}})
	})
	return done, err
}

// AppraisalRow is a form on an appraisal list: where it stands, how many of
// its criteria are appraised and adjusted, and who appraises it.
type AppraisalRow struct {
	Assessment
	Leaves     int
	Appraised  int // criteria with an appraised value
	Adjusted   int // criteria whose appraised value differs from the unit's
	Appraisers []string
}

// AppraisalForms lists the forms of a campaign to appraise, in phase and
// Vietnamese unit order: every submitted one (submitted, received,
// appraised or locked) when appraiserID is 0 (staff); else those assigned
// to that appraiser, not recused, in a phase they are still on the team
// for (AssignedAssessments), drafts included: an appraiser sees early what
// is coming and may recuse before the form arrives.
func (db *DB) AppraisalForms(ctx context.Context, campaignID, appraiserID int64) (_ []AppraisalRow, err error) {
	defer wrap(&err, "AppraisalForms")
	rows, err := db.Pool.Query(ctx, `SELECT `+assessmentColumns+`,
		(SELECT count(*) FROM criteria c WHERE c.set_id = a.set_id AND NOT EXISTS (SELECT 1 FROM criteria k WHERE k.parent_id = c.id)),
		(SELECT count(*) FROM scores s WHERE s.campaign_id = a.campaign_id AND s.assessment_id = a.id
			AND (s.appraised_points IS NOT NULL OR s.appraised_na)),
		(SELECT count(*) FROM scores s WHERE s.campaign_id = a.campaign_id AND s.assessment_id = a.id
			AND (s.appraised_points IS NOT NULL OR s.appraised_na)
			AND (s.appraised_na IS DISTINCT FROM s.na OR NOT s.appraised_na
				AND (s.appraised_points IS DISTINCT FROM s.points OR s.appraised_measured IS DISTINCT FROM s.measured))),
		coalesce((SELECT array_agg(x.full_name ORDER BY x.full_name COLLATE "vi-x-icu") FROM appraisal_assignments g JOIN users x ON x.id = g.appraiser_id
			WHERE g.assessment_id = a.id AND g.recused_at IS NULL), '{}')
		`+assessmentFrom+`
		WHERE a.campaign_id = $1 AND ($2 = 0 AND a.status IN ('submitted', 'received', 'appraised', 'locked')
			OR $2 <> 0 AND EXISTS (SELECT 1 FROM appraisal_assignments g WHERE g.assessment_id = a.id AND g.appraiser_id = $2 AND g.recused_at IS NULL)
				AND EXISTS (SELECT 1 FROM campaign_members m WHERE m.campaign_id = $1 AND m.user_id = $2 AND m.role = 'appraiser'
					AND m.removed_at IS NULL AND (m.phase_id IS NULL OR m.phase_id = a.phase_id)))
		ORDER BY p.seq, u.name COLLATE "vi-x-icu", a.id`, campaignID, appraiserID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AppraisalRow
	for rows.Next() {
		var row AppraisalRow
		a, err := scanAssessment(appraisalScan{rows, &row})
		if err != nil {
			return nil, err
		}
		row.Assessment = *a
		out = append(out, row)
	}
	return out, rows.Err()
}

// appraisalScan scans assessmentColumns and then an AppraisalRow's counts.
type appraisalScan struct {
	pgx.Row
	row *AppraisalRow
}

func (s appraisalScan) Scan(dest ...any) error {
	return s.Row.Scan(append(dest, &s.row.Leaves, &s.row.Appraised, &s.row.Adjusted, &s.row.Appraisers)...)
}

// ActiveAssignment returns a user's assignment to a form, nil when there
// is none or it was recused: what domain.CanAppraise decides on.
func (db *DB) ActiveAssignment(ctx context.Context, assessmentID, userID int64) (_ *domain.Assignment, err error) {
	defer wrap(&err, "ActiveAssignment")
	var g domain.Assignment
	err = db.Pool.QueryRow(ctx, `SELECT g.id, g.campaign_id, g.assessment_id, a.phase_id, g.appraiser_id, g.assigned_by, g.assigned_at, g.recused_at, g.recusal_reason
		FROM appraisal_assignments g JOIN assessments a ON a.id = g.assessment_id
		WHERE g.assessment_id = $1 AND g.appraiser_id = $2 AND g.recused_at IS NULL ORDER BY g.id DESC LIMIT 1`, assessmentID, userID).
		Scan(&g.ID, &g.CampaignID, &g.AssessmentID, &g.PhaseID, &g.AppraiserID, &g.AssignedBy, &g.AssignedAt, &g.RecusedAt, &g.RecusalReason)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &g, nil
}

// AppraiserSeesEvidence reports whether an evidence file is attached to a
// form assigned to a user (not recused) who is on the campaign's appraisal
// team for the form's phase: an appraiser reads the evidence of the forms
// they appraise (domain.CanAppraise's rule).
func (db *DB) AppraiserSeesEvidence(ctx context.Context, key string, userID int64) (_ bool, err error) {
	defer wrap(&err, "AppraiserSeesEvidence")
	var ok bool
	err = db.Pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM evidence_files f JOIN score_evidence e ON e.evidence_id = f.id AND e.removed_at IS NULL
		JOIN appraisal_assignments g ON g.assessment_id = e.assessment_id AND g.appraiser_id = $2 AND g.recused_at IS NULL
		JOIN assessments a ON a.id = e.assessment_id
		JOIN campaign_members m ON m.campaign_id = g.campaign_id AND m.user_id = $2 AND m.role = 'appraiser' AND m.removed_at IS NULL
			AND (m.phase_id IS NULL OR m.phase_id = a.phase_id)
		WHERE f.key = $1)`, key, userID).Scan(&ok)
	return ok, err
}
