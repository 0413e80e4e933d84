package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"thidua/internal/domain"
	"thidua/internal/i18n"
	"thidua/internal/paths"
)

// Assessment is a unit's form for one phase: the domain's record (kept
// under this name for code written before the records moved to domain).
type Assessment = domain.Assessment

// assessmentColumns are the columns scanAssessment reads, in its order.
var assessmentColumns = strings.Join(assessmentColumnList, ", ")

var assessmentColumnList = []string{"a.id", "a.campaign_id", "a.set_id", "a.phase_id", "a.unit_id", "u.name", "p.name", "a.status", "a.version",
	"a.submitted_at", "a.deadline", "p.assessment_from", "p.assessment_to", "a.total_points", "a.applicable_max", "a.converted", "a.scored",
	"cp.status", "a.received_at", "a.appraised_at", "a.reply_until", "a.locked_at", "a.appraised_points", "a.appraised_max",
	"a.appraised_converted", "a.appraised_scored", "a.final_points", "a.final_max", "a.final_converted", "a.reply_submitted_at",
	setRevisionColumn}

// setRevisionColumn reads the revision of the form's criteria set
// (Assessment.SetRevision, for DB.FormCriteria).
const setRevisionColumn = "coalesce((SELECT s.revision FROM criteria_sets s WHERE s.id = a.set_id), 0)"

const assessmentFrom = ` FROM assessments a JOIN units u ON u.id = a.unit_id JOIN phases p ON p.id = a.phase_id JOIN campaigns cp ON cp.id = a.campaign_id`

func scanAssessment(row pgx.Row) (*Assessment, error) {
	var a Assessment
	err := row.Scan(&a.ID, &a.CampaignID, &a.SetID, &a.PhaseID, &a.UnitID, &a.UnitName, &a.PhaseName, &a.Status, &a.Version, &a.SubmittedAt,
		&a.Deadline, &a.WindowFrom, &a.WindowTo, &a.Points, &a.ApplicableMax, &a.Converted, &a.Scored, &a.CampaignStatus,
		&a.ReceivedAt, &a.AppraisedAt, &a.ReplyUntil, &a.LockedAt, &a.AppraisedPoints, &a.AppraisedMax, &a.AppraisedConverted,
		&a.AppraisedScored, &a.FinalPoints, &a.FinalMax, &a.FinalConverted, &a.ReplySent, &a.SetRevision)
	if err != nil {
		return nil, notFound(err, "assessment.not_found")
	}
	return &a, nil
}

// lockAssessment loads a form for a state change inside tx: the form's row
// locked for update, its campaign's for share.
func lockAssessment(ctx context.Context, tx pgx.Tx, id int64) (*Assessment, error) {
	return scanAssessment(tx.QueryRow(ctx, `SELECT `+assessmentColumns+assessmentFrom+` WHERE a.id = $1 FOR UPDATE OF a FOR SHARE OF cp`, id))
}

// AssessmentByID returns a form.
func (db *DB) AssessmentByID(ctx context.Context, id int64) (_ *Assessment, err error) {
	defer wrap(&err, "AssessmentByID")
	return scanAssessment(db.Pool.QueryRow(ctx, `SELECT `+assessmentColumns+assessmentFrom+` WHERE a.id = $1`, id))
}

// StartAssessment opens the form of an approved unit for a phase, with the
// criteria set for the unit's kind; opening it twice finds the first.
func (db *DB) StartAssessment(ctx context.Context, campaignID, phaseID, unitID int64) (_ int64, err error) {
	defer wrap(&err, "StartAssessment")
	var id int64
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		var campaignStatus domain.CampaignStatus
		if err := tx.QueryRow(ctx, `SELECT status FROM campaigns WHERE id = $1 FOR SHARE`, campaignID).Scan(&campaignStatus); err != nil {
			return notFound(err, "campaign.not_found")
		}
		if campaignStatus != domain.StatusAnnounced {
			return domain.Errorf(domain.ECONFLICT, "assessment.campaign_not_open")
		}
		var regID int64
		var status domain.RegistrationStatus
		if err := tx.QueryRow(ctx, `SELECT id, status FROM registrations WHERE campaign_id = $1 AND unit_id = $2`, campaignID, unitID).Scan(&regID, &status); err != nil || status != domain.RegApproved {
			return domain.Errorf(domain.ECONFLICT, "assessment.not_registered")
		}
		var opens *time.Time
		if err := tx.QueryRow(ctx, `SELECT assessment_from FROM phases WHERE id = $1 AND campaign_id = $2`, phaseID, campaignID).Scan(&opens); err != nil {
			return notFound(err, "phase.not_found")
		}
		// Before its window a phase starts nothing: no form, no "in progress".
		if opens != nil && domain.DateOf(db.Now()).Before(*opens) {
			return domain.Errorf(domain.ECONFLICT, "assessment.not_open", opens.Format("02/01/2006"))
		}
		var setID int64
		err := tx.QueryRow(ctx, `SELECT s.id FROM criteria_sets s, units u WHERE s.campaign_id = $1 AND u.id = $2 AND NOT s.individual
			AND (cardinality(s.target_kinds) = 0 OR u.kind = ANY(s.target_kinds))
			ORDER BY cardinality(s.target_kinds) = 0, s.id LIMIT 1`, campaignID, unitID).Scan(&setID)
		if err == pgx.ErrNoRows {
			return domain.Errorf(domain.ECONFLICT, "assessment.no_criteria")
		}
		if err != nil {
			return err
		}
		err = tx.QueryRow(ctx, `INSERT INTO assessments (campaign_id, set_id, phase_id, unit_id, registration_id) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (phase_id, set_id, unit_id) DO NOTHING RETURNING id`, campaignID, setID, phaseID, unitID, regID).Scan(&id)
		if err == pgx.ErrNoRows {
			return tx.QueryRow(ctx, `SELECT id FROM assessments WHERE phase_id = $1 AND set_id = $2 AND unit_id = $3`, phaseID, setID, unitID).Scan(&id)
		}
		if err != nil {
			return err
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditAssessmentStart, ObjectType: "assessment", ObjectID: strconv.FormatInt(id, 10),
			Details: map[string]any{"campaign_id": campaignID, "phase_id": phaseID, "unit_id": unitID}})
	})
	return id, err
}

func evidenceCounts(ctx context.Context, q querier, assessmentID int64) (map[int64]int, error) {
	rows, err := q.Query(ctx, `SELECT criterion_id, count(*) FROM score_evidence WHERE assessment_id = $1 AND removed_at IS NULL GROUP BY criterion_id`, assessmentID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		out[id] = n
	}
	return out, rows.Err()
}

// SubmitAssessment checks a form is complete and submits it. Submitting a
// form already submitted (a double click) does nothing and reports false.
func (db *DB) SubmitAssessment(ctx context.Context, id int64) (submitted bool, err error) {
	defer wrap(&err, "SubmitAssessment")
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		a, err := lockAssessment(ctx, tx, id)
		if err != nil {
			return err
		}
		now := db.Now()
		day := domain.DateOf(now)
		if a.Submitted() && a.Status != domain.AssessLocked {
			return nil // a double click, or one staff have since received
		}
		if err := a.CheckSelfEdit(day); err != nil {
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
		ev, err := evidenceCounts(ctx, tx, a.ID)
		if err != nil {
			return err
		}
		entries := entriesOf(stored, ev)
		if ps := domain.SubmitProblems(nodes, entries); len(ps) > 0 {
			return domain.TreeErrors(ps)
		}
		if submitted, err = a.Submit(day, now); err != nil || !submitted {
			return err
		}
		actor := nullID(domain.ActorFrom(ctx).UserID)
		var at time.Time
		if err := tx.QueryRow(ctx, `UPDATE assessments SET status = $2, submitted_at = now(), submitted_by = $3, version = version + 1, updated_at = now()
			WHERE id = $1 RETURNING submitted_at`, a.ID, a.Status, actor).Scan(&at); err != nil {
			return err
		}
		// The receipt keeps the totals and every entry as submitted.
		receipt, err := writeReceipt(ctx, tx, a, nodes, entries, at, actor)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE scores SET reopened = false WHERE campaign_id = $1 AND assessment_id = $2`, a.CampaignID, a.ID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO assessment_history (assessment_id, action, actor_id) VALUES ($1, 'submit', $2)`, a.ID, actor); err != nil {
			return err
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditAssessmentSubmit, ObjectType: "assessment", ObjectID: strconv.FormatInt(a.ID, 10),
			Details: map[string]any{"total": receipt.Points.String(), "converted": receipt.Converted.String(), "receipt": receipt.Number}})
	})
	return submitted, err
}

// ReturnAssessment sends a submitted (or received) form back to its unit
// with a reason per criterion; only those criteria reopen.
//
// until is the day by which the unit must resubmit. It is required when the
// form's window has already closed (the unit could not save otherwise) and
// is recorded as an extension; when the window is still open it may be nil.
func (db *DB) ReturnAssessment(ctx context.Context, id int64, reasons map[int64]string, until *time.Time) (err error) {
	defer wrap(&err, "ReturnAssessment")
	if len(reasons) == 0 {
		return &domain.ValidationError{Fields: domain.FieldErrors{"reasons": "assessment.return.none"}}
	}
	return db.inTx(ctx, func(tx pgx.Tx) error {
		a, err := lockAssessment(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := a.Return(); err != nil {
			return err
		}
		today := domain.DateOf(db.Now())
		if until != nil && (!domain.ValidDate(*until) || until.Before(today)) {
			return &domain.ValidationError{Fields: domain.FieldErrors{"until": "assessment.return.until_past"}}
		}
		if open, _, _ := a.Open(today); !open && until == nil {
			return &domain.ValidationError{Fields: domain.FieldErrors{"until": "assessment.return.until_needed"}}
		}
		if until != nil {
			if err := extend(ctx, tx, a.ID, *until, "Hạn nộp bổ sung khi trả lại hồ sơ"); err != nil {
				return err
			}
		}
		nodes, err := loadCriteria(ctx, tx, a.SetID)
		if err != nil {
			return err
		}
		leaves := map[int64]bool{}
		for _, l := range domain.Leaves(nodes) {
			leaves[l.ID] = true
		}
		// The unit reads the reasons in the criteria's order.
		var detail []string
		for _, l := range domain.Leaves(nodes) {
			if r, ok := reasons[l.ID]; ok {
				detail = append(detail, l.Code+": "+domain.CleanText(r))
			}
		}
		actor := nullID(domain.ActorFrom(ctx).UserID)
		for _, cid := range slices.Sorted(maps.Keys(reasons)) {
			reason := domain.CleanText(reasons[cid])
			if !leaves[cid] || reason == "" || domain.RuneLen(reason) > 2000 {
				return &domain.ValidationError{Fields: domain.FieldErrors{"reasons": "assessment.return.reason"}}
			}
			if _, err := tx.Exec(ctx, `INSERT INTO scores (campaign_id, assessment_id, criterion_id, returned_reason, reopened)
				VALUES ($1, $2, $3, $4, true)
				ON CONFLICT (campaign_id, assessment_id, criterion_id) DO UPDATE SET returned_reason = EXCLUDED.returned_reason, reopened = true`,
				a.CampaignID, a.ID, cid, reason); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `INSERT INTO assessment_history (assessment_id, criterion_id, action, new_value, actor_id) VALUES ($1, $2, 'return', $3, $4)`,
				a.ID, cid, entryJSON(domain.Entry{Explanation: reason}), actor); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE assessments SET status = $2, received_at = $3, received_by = NULL, version = version + 1, updated_at = now() WHERE id = $1`,
			a.ID, a.Status, a.ReceivedAt); err != nil {
			return err
		}
		title, err := campaignTitle(ctx, tx, a.CampaignID)
		if err != nil {
			return err
		}
		n := domain.NewNotification{Kind: domain.NotifyFormReturned, Message: "notify.form_returned",
			Args:   []string{a.PhaseName, a.UnitName, title, strconv.Itoa(len(reasons))},
			Detail: notifyDetail(strings.Join(detail, "\n")), Link: paths.Assessment(a.CampaignID, a.ID)}
		if until != nil {
			n.Message, n.Args = "notify.form_returned.until", append(n.Args, i18n.Day(*until))
		}
		if err := db.notifyUnits(ctx, tx, n, a.UnitID); err != nil {
			return err
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditAssessmentReturn, ObjectType: "assessment", ObjectID: strconv.FormatInt(a.ID, 10),
			Details: map[string]any{"criteria": len(reasons)}})
	})
}

// ReceiveAssessment marks a submitted form received (tiếp nhận): its
// appraisal may start. Receiving it twice (a double click) does nothing and
// reports false.
func (db *DB) ReceiveAssessment(ctx context.Context, id int64) (received bool, err error) {
	defer wrap(&err, "ReceiveAssessment")
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		a, err := lockAssessment(ctx, tx, id)
		if err != nil {
			return err
		}
		if received, err = a.Receive(db.Now()); err != nil || !received {
			return err
		}
		actor := nullID(domain.ActorFrom(ctx).UserID)
		if _, err := tx.Exec(ctx, `UPDATE assessments SET status = $2, received_at = $3, received_by = $4, version = version + 1, updated_at = now()
			WHERE id = $1`, a.ID, a.Status, a.ReceivedAt, actor); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO assessment_history (assessment_id, action, actor_id) VALUES ($1, 'receive', $2)`, a.ID, actor); err != nil {
			return err
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditAssessmentReceive, ObjectType: "assessment", ObjectID: strconv.FormatInt(a.ID, 10)})
	})
	return received, err
}

// ExtendAssessment moves one unit's deadline, recorded with its reason.
func (db *DB) ExtendAssessment(ctx context.Context, id int64, until time.Time, reason string) (err error) {
	defer wrap(&err, "ExtendAssessment")
	reason = domain.CleanText(reason)
	if reason == "" || domain.RuneLen(reason) > 2000 {
		return &domain.ValidationError{Fields: domain.FieldErrors{"reason": "assessment.extend.reason"}}
	}
	if !domain.ValidDate(until) {
		return &domain.ValidationError{Fields: domain.FieldErrors{"until": "date.out_of_range"}}
	}
	return db.inTx(ctx, func(tx pgx.Tx) error {
		a, err := scanAssessment(tx.QueryRow(ctx, `SELECT `+assessmentColumns+assessmentFrom+` WHERE a.id = $1 FOR UPDATE OF a`, id))
		if err != nil {
			return err
		}
		// The self-assessment's deadline means nothing once the form has gone
		// on to appraisal; after the lock nothing changes.
		switch a.Status {
		case domain.AssessLocked:
			return domain.Errorf(domain.ECONFLICT, "assessment.locked")
		case domain.AssessReceived, domain.AssessAppraised:
			return domain.Errorf(domain.ECONFLICT, "assessment.submitted")
		}
		// An extension that ends before today or before the phase's own
		// closing day would change nothing: refuse it rather than record it.
		if until.Before(domain.DateOf(db.Now())) || (a.WindowTo != nil && !until.After(*a.WindowTo)) {
			return &domain.ValidationError{Fields: domain.FieldErrors{"until": "assessment.extend.too_early"}}
		}
		title, err := campaignTitle(ctx, tx, a.CampaignID)
		if err != nil {
			return err
		}
		if err := db.notifyUnits(ctx, tx, domain.NewNotification{Kind: domain.NotifyExtensionGranted, Message: "notify.extension_granted",
			Args: []string{a.PhaseName, a.UnitName, title, i18n.Day(until)}, Detail: notifyDetail(reason),
			Link: paths.Assessment(a.CampaignID, a.ID)}, a.UnitID); err != nil {
			return err
		}
		return extend(ctx, tx, id, until, reason)
	})
}

// extend records a unit's new deadline for a form.
func extend(ctx context.Context, tx pgx.Tx, id int64, until time.Time, reason string) error {
	actor := nullID(domain.ActorFrom(ctx).UserID)
	if _, err := tx.Exec(ctx, `UPDATE assessments SET deadline = $2, version = version + 1, updated_at = now() WHERE id = $1`, id, until); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO assessment_extensions (assessment_id, until, reason, actor_id) VALUES ($1, $2, $3, $4)`, id, until, reason, actor); err != nil {
		return err
	}
	return audit(ctx, tx, auditEntry{Action: domain.AuditAssessmentExtend, ObjectType: "assessment", ObjectID: strconv.FormatInt(id, 10),
		Details: map[string]any{"until": until.Format(time.DateOnly), "reason": reason}})
}

// HistoryRecord is a line of a form's history. A score line ("score",
// "appraise") carries its values in OldValue and NewValue and no JSON; the
// other lines carry their JSON in Old and New.
type HistoryRecord struct {
	Code               string
	Action             string
	Old, New           []byte
	OldValue, NewValue HistoryValue
	ActorName          string
	At                 time.Time
}

// HistoryValue is a criterion's value before or after a score line's change
// (all empty when it had none).
type HistoryValue struct {
	Points   *domain.Points
	Measured *int64
	NA       bool
}

// collectHistory reads the rows of historySQL (field by field, like
// collectScores).
func collectHistory(rows pgx.Rows) ([]HistoryRecord, error) {
	defer rows.Close()
	var out []HistoryRecord
	for rows.Next() {
		var h HistoryRecord
		if err := rows.Scan(&h.Code, &h.Action, &h.Old, &h.New,
			&h.OldValue.Points, &h.OldValue.Measured, &h.OldValue.NA, &h.NewValue.Points, &h.NewValue.Measured, &h.NewValue.NA,
			&h.ActorName, &h.At); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// historySQL reads a page of a form's history, newest first: the page's
// entries are taken from the end of the form's index before the criterion's
// code and the actor's name are looked up for them. A score line's values
// come as columns, without the explanation: a line shows the value, and
// decoding the JSON (whose explanation alone may be 4,000 characters) was a
// tenth of the form page's time.
var historySQL = `SELECT coalesce(c.code, ''), h.action,
		CASE WHEN NOT h.scored THEN h.old_value END, CASE WHEN NOT h.scored THEN h.new_value END,
		` + historyNumber("old_value", "points") + `, ` + historyNumber("old_value", "measured") + `,
		h.scored AND coalesce(h.old_value->'na' = 'true'::jsonb, false),
		` + historyNumber("new_value", "points") + `, ` + historyNumber("new_value", "measured") + `,
		h.scored AND coalesce(h.new_value->'na' = 'true'::jsonb, false),
		coalesce(u.full_name, ''), h.at
		FROM (SELECT id, criterion_id, action, action IN ('score', 'appraise') AS scored, old_value, new_value, actor_id, at
			FROM assessment_history WHERE assessment_id = $1 ORDER BY id DESC LIMIT $2 OFFSET $3) h
		LEFT JOIN criteria c ON c.id = h.criterion_id LEFT JOIN users u ON u.id = h.actor_id
		ORDER BY h.id DESC`

// historyNumber is a score line's number under key in column, NULL when it
// is not a number (as a value that cannot be read showed "—" when the JSON
// was decoded here): a malformed entry never makes the page fail.
func historyNumber(column, key string) string {
	v := "h." + column + "->'" + key + "'"
	return "CASE WHEN h.scored AND jsonb_typeof(" + v + ") = 'number' THEN round((" + v + ")::numeric)::bigint END"
}

// historyReads read a form's history, newest first, limit entries from
// offset, and the count of all its entries.
func historyReads(assessmentID int64, offset, limit int, out *[]HistoryRecord, total *int) []read {
	return []read{
		{historySQL, []any{assessmentID, limit, offset}, func(rows pgx.Rows) (err error) {
			*out, err = collectHistory(rows)
			return err
		}},
		valueRead(`SELECT count(*) FROM assessment_history WHERE assessment_id = $1`, []any{assessmentID}, total),
	}
}

// AssessmentHistory returns a page of a form's history, newest first, and
// the count of all its entries, in one round trip.
func (db *DB) AssessmentHistory(ctx context.Context, assessmentID int64, offset, limit int) (_ []HistoryRecord, total int, err error) {
	defer wrap(&err, "AssessmentHistory")
	var out []HistoryRecord
	if err := db.run(ctx, historyReads(assessmentID, offset, limit, &out, &total)...); err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// AssessmentsOf lists a campaign's forms (of one unit when unitID is not
// 0), for the dashboard and the unit's own list.
func (db *DB) AssessmentsOf(ctx context.Context, campaignID, unitID int64) (_ []Assessment, err error) {
	defer wrap(&err, "AssessmentsOf")
	rows, err := db.Pool.Query(ctx, `SELECT `+assessmentColumns+assessmentFrom+`
		WHERE a.campaign_id = $1 AND ($2 = 0 OR a.unit_id = $2) ORDER BY p.seq, u.name COLLATE "vi-x-icu", a.id`, campaignID, unitID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Assessment
	for rows.Next() {
		a, err := scanAssessment(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *a)
	}
	return out, rows.Err()
}

// SubmitterName returns who submitted a form.
func (db *DB) SubmitterName(ctx context.Context, id int64) (_ string, err error) {
	defer wrap(&err, "SubmitterName")
	var name string
	err = db.Pool.QueryRow(ctx, `SELECT coalesce(u.full_name, '') FROM assessments a LEFT JOIN users u ON u.id = a.submitted_by WHERE a.id = $1`, id).Scan(&name)
	return name, err
}

// amendmentNote says which amendment changed a form: the set's new version
// and the reason given.
type amendmentNote struct {
	Version   int
	Reason    string
	Criterion string // the amended criterion's code
}

// amendTotals recomputes, inside an amendment's transaction, the totals of
// every form of the set, and writes the amendment into each form's history
// with its totals before and after: the unit sees why its total moved. The
// forms' receipts keep what was submitted.
func (db *DB) amendTotals(ctx context.Context, tx pgx.Tx, forms []Assessment, nodes []domain.Criterion, criterionID int64, note amendmentNote) error {
	actor := nullID(domain.ActorFrom(ctx).UserID)
	titles := map[int64]string{}
	for i := range forms {
		a := &forms[i]
		if err := updateTotals(ctx, tx, a, nodes); err != nil {
			return err
		}
		var points, converted domain.Points
		if err := tx.QueryRow(ctx, `SELECT total_points, converted FROM assessments WHERE id = $1`, a.ID).Scan(&points, &converted); err != nil {
			return fmt.Errorf("amended totals: %w", err)
		}
		old, _ := json.Marshal(map[string]any{"points": a.Points, "converted": a.Converted})
		now, _ := json.Marshal(map[string]any{"points": points, "converted": converted, "version": note.Version, "reason": note.Reason})
		if _, err := tx.Exec(ctx, `INSERT INTO assessment_history (assessment_id, criterion_id, action, old_value, new_value, actor_id)
			VALUES ($1, $2, 'amend', $3, $4, $5)`, a.ID, criterionID, old, now, actor); err != nil {
			return fmt.Errorf("amendment history: %w", err)
		}
		// The unit is told when the total it submitted moved: a form
		// still a draft (or returned to it) is the unit's own to read.
		submitted := a.Status == domain.AssessSubmitted || a.Status == domain.AssessReceived || a.Status == domain.AssessAppraised
		if !submitted || (points == a.Points && converted == a.Converted) {
			continue
		}
		if _, ok := titles[a.CampaignID]; !ok {
			title, err := campaignTitle(ctx, tx, a.CampaignID)
			if err != nil {
				return err
			}
			titles[a.CampaignID] = title
		}
		if err := db.notifyUnits(ctx, tx, domain.NewNotification{Kind: domain.NotifyTotalAmended, Message: "notify.total_amended",
			Args:   []string{note.Criterion, titles[a.CampaignID], a.PhaseName, a.UnitName, pointsText(a.Converted), pointsText(converted)},
			Detail: notifyDetail(note.Reason), Link: paths.Assessment(a.CampaignID, a.ID)}, a.UnitID); err != nil {
			return err
		}
	}
	return nil
}

// dashboardFormsRead lists, for every approved registration of a campaign (of
// one unit when unitID is not 0) and every phase, the unit's form, or a row
// with ID 0 and no status when the unit has not started that phase: a
// registered unit that never opened its form is still on the dashboard.
// Each form holds only what the dashboard shows and counts by: its keys,
// unit name, status, submission, extended deadline, converted total and
// progress; its phase's name and window and its campaign's status are set
// by Dashboard from the phases and the campaign, once for all the forms of
// a phase. The rest of Assessment is zero. A province's thousand forms are
// all read for the counts, so the rows are kept narrow and scanned into
// plain types (pgx's plans for named and pointer types cost a third of the
// page's time).
func dashboardFormsRead(campaignID, unitID int64, out *[]Assessment) read {
	// The campaign's forms are read first on their own (its index, about
	// as many rows as registrations): joined as a table, the planner took
	// the forms of a phase for a few dozen, looped over them for every
	// registration, or hashed the forms of every campaign (54 ms for 1,030
	// units beside 20 other campaigns; 18 ms like this).
	return read{`WITH a AS MATERIALIZED (SELECT id, phase_id, unit_id, status, submitted_at, deadline, converted, scored
			FROM assessments WHERE campaign_id = $1)
		SELECT coalesce(a.id, 0), p.id, r.unit_id, u.name, coalesce(a.status, ''), a.submitted_at, a.deadline,
			coalesce(a.converted, 0), coalesce(a.scored, 0)
		FROM registrations r JOIN phases p ON p.campaign_id = r.campaign_id
		JOIN units u ON u.id = r.unit_id LEFT JOIN a ON a.phase_id = p.id AND a.unit_id = r.unit_id
		WHERE r.campaign_id = $1 AND r.status = 'approved' AND ($2 = 0 OR r.unit_id = $2)
		ORDER BY p.seq, u.name COLLATE "vi-x-icu", r.unit_id, a.id`, []any{campaignID, unitID}, func(rows pgx.Rows) error {
		defer rows.Close()
		var a Assessment
		var submitted, deadline pgtype.Timestamptz
		var converted int64
		dest := []any{&a.ID, &a.PhaseID, &a.UnitID, &a.UnitName, (*string)(&a.Status), &submitted, &deadline, &converted, &a.Scored}
		for rows.Next() {
			a, submitted, deadline = Assessment{CampaignID: campaignID}, pgtype.Timestamptz{}, pgtype.Timestamptz{}
			if err := rows.Scan(dest...); err != nil {
				return err
			}
			a.Converted = domain.Points(converted)
			if submitted.Valid {
				t := submitted.Time // the row's own: submitted is scanned into again
				a.SubmittedAt = &t
			}
			if deadline.Valid {
				t := deadline.Time
				a.Deadline = &t
			}
			*out = append(*out, a)
		}
		return rows.Err()
	}}
}

// Dashboard is what the self-assessment dashboard shows.
type Dashboard struct {
	Forms  []Assessment // dashboardFormsRead
	Phases []domain.Phase
	// Staff only: the campaign's approved registrations and reminders.
	Registered int
	Reminders  []Reminder
}

// Dashboard reads the dashboard of campaign c (of one unit when unitID is
// not 0) in one round trip; staff adds what only staff see.
func (db *DB) Dashboard(ctx context.Context, c *domain.Campaign, unitID int64, staff bool) (_ *Dashboard, err error) {
	defer wrap(&err, "Dashboard")
	d := &Dashboard{}
	reads := []read{dashboardFormsRead(c.ID, unitID, &d.Forms), phasesRead(c.ID, &d.Phases)}
	if staff {
		reads = append(reads, valueRead(`SELECT count(*) FROM registrations WHERE campaign_id = $1 AND status = 'approved'`, []any{c.ID}, &d.Registered),
			remindersRead(c.ID, &d.Reminders))
	}
	if err := db.run(ctx, reads...); err != nil {
		return nil, err
	}
	phases := make(map[int64]*domain.Phase, len(d.Phases))
	for i := range d.Phases {
		phases[d.Phases[i].ID] = &d.Phases[i]
	}
	for i := range d.Forms {
		a := &d.Forms[i]
		a.CampaignStatus = c.Status
		if p := phases[a.PhaseID]; p != nil { // read in the same batch: a phase deleted between the two reads has no window
			a.PhaseName, a.WindowFrom, a.WindowTo = p.Name, p.AssessmentFrom, p.AssessmentTo
		}
	}
	return d, nil
}
