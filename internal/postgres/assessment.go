package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"thidua/internal/domain"
)

// Assessment is a unit's self-assessment form for one phase.
type Assessment struct {
	ID            int64
	CampaignID    int64
	SetID         int64
	PhaseID       int64
	UnitID        int64
	UnitName      string
	PhaseName     string
	Status        domain.AssessmentStatus
	Version       int
	SubmittedAt   *time.Time
	Deadline      *time.Time // a unit's extension
	WindowFrom    *time.Time
	WindowTo      *time.Time
	Points        domain.Points
	ApplicableMax domain.Points
	Converted     domain.Points
	Scored        int
	// CampaignStatus is the campaign's: only an announced campaign takes
	// self-assessments.
	CampaignStatus domain.CampaignStatus
}

const assessmentColumns = `a.id, a.campaign_id, a.set_id, a.phase_id, a.unit_id, u.name, p.name, a.status, a.version, a.submitted_at,
	a.deadline, p.assessment_from, p.assessment_to, a.total_points, a.applicable_max, a.converted, a.scored, cp.status`

const assessmentFrom = ` FROM assessments a JOIN units u ON u.id = a.unit_id JOIN phases p ON p.id = a.phase_id JOIN campaigns cp ON cp.id = a.campaign_id`

func scanAssessment(row pgx.Row) (*Assessment, error) {
	var a Assessment
	err := row.Scan(&a.ID, &a.CampaignID, &a.SetID, &a.PhaseID, &a.UnitID, &a.UnitName, &a.PhaseName, &a.Status, &a.Version, &a.SubmittedAt,
		&a.Deadline, &a.WindowFrom, &a.WindowTo, &a.Points, &a.ApplicableMax, &a.Converted, &a.Scored, &a.CampaignStatus)
	if err != nil {
		return nil, notFound(err, "assessment.not_found")
	}
	return &a, nil
}

// AssessmentByID returns a form.
func (db *DB) AssessmentByID(ctx context.Context, id int64) (_ *Assessment, err error) {
	defer wrap(&err, "AssessmentByID")
	return scanAssessment(db.Pool.QueryRow(ctx, `SELECT `+assessmentColumns+assessmentFrom+` WHERE a.id = $1`, id))
}

// Open reports whether the form takes saves and submits on day: its
// campaign is still announced (not closed or cancelled) and day is within
// the phase's window or the unit's extension.
func (a *Assessment) Open(day time.Time) (bool, string, []any) {
	if a.CampaignStatus != domain.StatusAnnounced {
		return false, "assessment.campaign_not_open", nil
	}
	return domain.Window(a.WindowFrom, a.WindowTo, a.Deadline, day)
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

// StoredScore is a leaf's stored entry.
type StoredScore struct {
	CriterionID    int64
	Points         *domain.Points
	Measured       *int64
	NA             bool
	Explanation    string
	ReturnedReason string
	Reopened       bool
	Version        int
	UpdatedBy      string
	UpdatedAt      time.Time
}

func loadScores(ctx context.Context, q querier, campaignID, assessmentID int64, lock bool) (map[int64]StoredScore, error) {
	sql := `SELECT s.criterion_id, s.points, s.measured, s.na, s.explanation, s.returned_reason, s.reopened, s.version,
		coalesce(u.full_name, ''), s.updated_at
		FROM scores s LEFT JOIN users u ON u.id = s.updated_by WHERE s.campaign_id = $1 AND s.assessment_id = $2`
	if lock {
		sql += ` FOR UPDATE OF s`
	}
	rows, err := q.Query(ctx, sql, campaignID, assessmentID)
	if err != nil {
		return nil, err
	}
	list, err := pgx.CollectRows(rows, pgx.RowToStructByPos[StoredScore])
	if err != nil {
		return nil, err
	}
	out := make(map[int64]StoredScore, len(list))
	for _, s := range list {
		out[s.CriterionID] = s
	}
	return out, nil
}

// Scores returns a form's stored entries by criterion.
func (db *DB) Scores(ctx context.Context, a *Assessment) (_ map[int64]StoredScore, err error) {
	defer wrap(&err, "Scores")
	return loadScores(ctx, db.Pool, a.CampaignID, a.ID, false)
}

// ScoreEdit is one criterion of a saved form: what the user sent, what the
// form showed when it was loaded (Orig) and the version it showed.
type ScoreEdit struct {
	CriterionID int64
	Entry       domain.Entry
	Orig        domain.Entry
	Version     int
}

// Conflict is a criterion someone else changed since the form was loaded.
type Conflict struct {
	CriterionID int64
	Mine        domain.Entry
	Theirs      StoredScore
}

func sameEntry(a, b domain.Entry) bool {
	eqP := (a.Points == nil) == (b.Points == nil) && (a.Points == nil || *a.Points == *b.Points)
	eqM := (a.Measured == nil) == (b.Measured == nil) && (a.Measured == nil || *a.Measured == *b.Measured)
	return eqP && eqM && a.NA == b.NA && a.Explanation == b.Explanation
}

// holds reports whether the stored score is what entry would store.
func (s StoredScore) holds(c *domain.Criterion, e domain.Entry) bool {
	pts, err := domain.EntryPoints(c, e)
	if err != nil {
		return false
	}
	return sameEntry(domain.Entry{Points: pts, Measured: e.Measured, NA: e.NA, Explanation: e.Explanation},
		domain.Entry{Points: s.Points, Measured: s.Measured, NA: s.NA, Explanation: s.Explanation})
}

func entryJSON(e domain.Entry) []byte {
	b, _ := json.Marshal(map[string]any{"points": e.Points, "measured": e.Measured, "na": e.NA, "explanation": e.Explanation})
	return b
}

// pastSubmission refuses the unit's changes (and their deadlines) to a
// form that has gone on to appraisal: received, appraised or locked.
func pastSubmission(st domain.AssessmentStatus) error {
	switch st {
	case domain.AssessLocked:
		return domain.Errorf(domain.ECONFLICT, "reply.locked")
	case domain.AssessReceived, domain.AssessAppraised:
		return domain.Errorf(domain.ECONFLICT, "assessment.submitted")
	}
	return nil
}

// checkWindow refuses changes outside the form's window.
func (db *DB) checkWindow(a *Assessment) error {
	if open, msg, args := a.Open(domain.DateOf(db.Now())); !open {
		return domain.Errorf(domain.ECONFLICT, msg, args...)
	}
	return nil
}

// SaveScores saves the criteria a user changed, each against the version
// the form showed: a criterion changed meanwhile by someone else is not
// overwritten but returned as a conflict; criteria the user did not touch
// are left alone, so two people filling different criteria do not clobber
// each other. The form's totals are updated in the same transaction, and
// every change is written to the history.
func (db *DB) SaveScores(ctx context.Context, assessmentID int64, edits []ScoreEdit) (_ []Conflict, err error) {
	defer wrap(&err, "SaveScores")
	var conflicts []Conflict
	touched := edits[:0:0]
	for _, e := range edits {
		e.Entry.Explanation = domain.CleanText(e.Entry.Explanation)
		e.Orig.Explanation = domain.CleanText(e.Orig.Explanation)
		if !sameEntry(e.Entry, e.Orig) {
			touched = append(touched, e)
		}
	}
	if len(touched) == 0 {
		return nil, nil // nothing typed: nothing to save, whatever the form's state
	}
	edits = touched
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		a, err := scanAssessment(tx.QueryRow(ctx, `SELECT `+assessmentColumns+assessmentFrom+` WHERE a.id = $1 FOR UPDATE OF a FOR SHARE OF cp`, assessmentID))
		if err != nil {
			return err
		}
		if a.Status == domain.AssessSubmitted {
			return domain.Errorf(domain.ECONFLICT, "assessment.submitted")
		}
		if err := pastSubmission(a.Status); err != nil {
			return err
		}
		if err := db.checkWindow(a); err != nil {
			return err
		}
		nodes, err := loadCriteria(ctx, tx, a.SetID)
		if err != nil {
			return err
		}
		leaves := map[int64]*domain.Criterion{}
		for _, l := range domain.Leaves(nodes) {
			leaf := l
			leaves[l.ID] = &leaf
		}
		stored, err := loadScores(ctx, tx, a.CampaignID, a.ID, true)
		if err != nil {
			return err
		}
		actor := domain.ActorFrom(ctx).UserID
		var problems domain.TreeErrors
		changed := 0
		for _, e := range edits {
			c, ok := leaves[e.CriterionID]
			if !ok {
				return domain.Errorf(domain.ENOTFOUND, "criteria.not_found")
			}
			cur, exists := stored[e.CriterionID]
			if a.Status == domain.AssessReturned && !cur.Reopened {
				return domain.Errorf(domain.ECONFLICT, "assessment.criterion_locked", c.Code)
			}
			if exists && cur.Version != e.Version || !exists && e.Version != 0 {
				if exists && cur.holds(c, e.Entry) {
					continue // already saved as typed (a double click): nothing to save, no conflict
				}
				conflicts = append(conflicts, Conflict{CriterionID: e.CriterionID, Mine: e.Entry, Theirs: cur})
				continue
			}
			if domain.RuneLen(e.Entry.Explanation) > 4000 {
				problems = append(problems, domain.TreeProblem{Code: c.Code, Message: "field.too_long"})
				continue
			}
			pts, err := domain.EntryPoints(c, e.Entry)
			if err != nil {
				key, args := domain.ErrorMessage(err)
				problems = append(problems, domain.TreeProblem{Code: c.Code, Message: key, Args: args})
				continue
			}
			var points *int64
			if pts != nil {
				v := int64(*pts)
				points = &v
			}
			if _, err := tx.Exec(ctx, `
				INSERT INTO scores (campaign_id, assessment_id, criterion_id, points, measured, na, explanation, updated_by)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
				ON CONFLICT (campaign_id, assessment_id, criterion_id) DO UPDATE SET points = EXCLUDED.points, measured = EXCLUDED.measured,
					na = EXCLUDED.na, explanation = EXCLUDED.explanation, updated_by = EXCLUDED.updated_by, updated_at = now(),
					version = scores.version + 1`,
				a.CampaignID, a.ID, e.CriterionID, points, e.Entry.Measured, e.Entry.NA, e.Entry.Explanation, nullID(actor)); err != nil {
				return err
			}
			old := domain.Entry{Points: cur.Points, Measured: cur.Measured, NA: cur.NA, Explanation: cur.Explanation}
			if _, err := tx.Exec(ctx, `INSERT INTO assessment_history (assessment_id, criterion_id, action, old_value, new_value, actor_id)
				VALUES ($1, $2, 'score', $3, $4, $5)`, a.ID, e.CriterionID, entryJSON(old), entryJSON(e.Entry), nullID(actor)); err != nil {
				return err
			}
			changed++
		}
		if len(problems) > 0 {
			return problems
		}
		if changed == 0 {
			return nil
		}
		if err := updateTotals(ctx, tx, a, nodes); err != nil {
			return err
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditAssessmentSave, ObjectType: "assessment", ObjectID: strconv.FormatInt(a.ID, 10),
			Details: map[string]any{"changed": changed, "conflicts": len(conflicts)}})
	})
	return conflicts, err
}

func nullID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

// entriesOf turns stored scores and evidence counts into entries.
func entriesOf(stored map[int64]StoredScore, evidence map[int64]int) map[int64]domain.Entry {
	out := map[int64]domain.Entry{}
	for id, s := range stored {
		out[id] = domain.Entry{Points: s.Points, Measured: s.Measured, NA: s.NA, Explanation: s.Explanation}
	}
	for id, n := range evidence {
		e := out[id]
		e.Evidence = n
		out[id] = e
	}
	return out
}

// updateTotals recomputes and stores a form's totals inside tx.
func updateTotals(ctx context.Context, tx pgx.Tx, a *Assessment, nodes []domain.Criterion) error {
	stored, err := loadScores(ctx, tx, a.CampaignID, a.ID, false)
	if err != nil {
		return err
	}
	t := domain.ComputeTotals(nodes, entriesOf(stored, nil))
	_, err = tx.Exec(ctx, `UPDATE assessments SET total_points = $2, applicable_max = $3, converted = $4, scored = $5,
		version = version + 1, updated_at = now() WHERE id = $1`, a.ID, t.Points, t.ApplicableMax, t.Converted, t.Scored)
	return err
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

// SubmitAssessment checks a form is complete and locks it. Submitting a
// form already submitted (a double click) does nothing and reports false.
func (db *DB) SubmitAssessment(ctx context.Context, id int64) (submitted bool, err error) {
	defer wrap(&err, "SubmitAssessment")
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		a, err := scanAssessment(tx.QueryRow(ctx, `SELECT `+assessmentColumns+assessmentFrom+` WHERE a.id = $1 FOR UPDATE OF a FOR SHARE OF cp`, id))
		if err != nil {
			return err
		}
		if a.Status == domain.AssessSubmitted {
			return nil
		}
		if err := pastSubmission(a.Status); err != nil {
			return err
		}
		if err := db.checkWindow(a); err != nil {
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
		actor := nullID(domain.ActorFrom(ctx).UserID)
		var at time.Time
		if err := tx.QueryRow(ctx, `UPDATE assessments SET status = 'submitted', submitted_at = now(), submitted_by = $2, version = version + 1, updated_at = now()
			WHERE id = $1 RETURNING submitted_at`, a.ID, actor).Scan(&at); err != nil {
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
		submitted = true
		return audit(ctx, tx, auditEntry{Action: domain.AuditAssessmentSubmit, ObjectType: "assessment", ObjectID: strconv.FormatInt(a.ID, 10),
			Details: map[string]any{"total": receipt.Points.String(), "converted": receipt.Converted.String(), "receipt": receipt.Number}})
	})
	return submitted, err
}

// ReturnAssessment sends a submitted form back to its unit with a reason per
// criterion; only those criteria reopen.
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
		a, err := scanAssessment(tx.QueryRow(ctx, `SELECT `+assessmentColumns+assessmentFrom+` WHERE a.id = $1 FOR UPDATE OF a FOR SHARE OF cp`, id))
		if err != nil {
			return err
		}
		if a.Status != domain.AssessSubmitted {
			return domain.Errorf(domain.ECONFLICT, "assessment.not_submitted")
		}
		if a.CampaignStatus != domain.StatusAnnounced {
			return domain.Errorf(domain.ECONFLICT, "assessment.campaign_not_open")
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
		if _, err := tx.Exec(ctx, `UPDATE assessments SET status = 'returned', version = version + 1, updated_at = now() WHERE id = $1`, a.ID); err != nil {
			return err
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditAssessmentReturn, ObjectType: "assessment", ObjectID: strconv.FormatInt(a.ID, 10),
			Details: map[string]any{"criteria": len(reasons)}})
	})
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
		if err := pastSubmission(a.Status); err != nil {
			return err
		}
		// An extension that ends before today or before the phase's own
		// closing day would change nothing: refuse it rather than record it.
		if until.Before(domain.DateOf(db.Now())) || (a.WindowTo != nil && !until.After(*a.WindowTo)) {
			return &domain.ValidationError{Fields: domain.FieldErrors{"until": "assessment.extend.too_early"}}
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

// HistoryRecord is a line of a form's history.
type HistoryRecord struct {
	Code      string
	Action    string
	Old, New  []byte
	ActorName string
	At        time.Time
}

// AssessmentHistory returns a form's history, newest first.
func (db *DB) AssessmentHistory(ctx context.Context, id int64) (_ []HistoryRecord, err error) {
	defer wrap(&err, "AssessmentHistory")
	rows, err := db.Pool.Query(ctx, `SELECT coalesce(c.code, ''), h.action, h.old_value, h.new_value, coalesce(u.full_name, ''), h.at
		FROM assessment_history h LEFT JOIN criteria c ON c.id = h.criterion_id LEFT JOIN users u ON u.id = h.actor_id
		WHERE h.assessment_id = $1 ORDER BY h.id DESC LIMIT 500`, id)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[HistoryRecord])
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
	Version int
	Reason  string
}

// amendTotals recomputes, inside an amendment's transaction, the totals of
// every form of the set, and writes the amendment into each form's history
// with its totals before and after: the unit sees why its total moved. The
// forms' receipts keep what was submitted.
func amendTotals(ctx context.Context, tx pgx.Tx, forms []Assessment, nodes []domain.Criterion, criterionID int64, note amendmentNote) error {
	actor := nullID(domain.ActorFrom(ctx).UserID)
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
	}
	return nil
}

// DashboardForms lists, for every approved registration of a campaign (of
// one unit when unitID is not 0) and every phase, the unit's form, or a row
// with ID 0 and no status when the unit has not started that phase: a
// registered unit that never opened its form is still on the dashboard.
func (db *DB) DashboardForms(ctx context.Context, campaignID, unitID int64) (_ []Assessment, err error) {
	defer wrap(&err, "DashboardForms")
	rows, err := db.Pool.Query(ctx, `SELECT coalesce(a.id, 0), r.campaign_id, coalesce(a.set_id, 0), p.id, r.unit_id, u.name, p.name,
		coalesce(a.status, ''), coalesce(a.version, 0), a.submitted_at, a.deadline, p.assessment_from, p.assessment_to,
		coalesce(a.total_points, 0), coalesce(a.applicable_max, 0), coalesce(a.converted, 0), coalesce(a.scored, 0), cp.status
		FROM registrations r JOIN campaigns cp ON cp.id = r.campaign_id JOIN phases p ON p.campaign_id = r.campaign_id
		JOIN units u ON u.id = r.unit_id LEFT JOIN assessments a ON a.phase_id = p.id AND a.unit_id = r.unit_id
		WHERE r.campaign_id = $1 AND r.status = 'approved' AND ($2 = 0 OR r.unit_id = $2)
		ORDER BY p.seq, u.name COLLATE "vi-x-icu", r.unit_id, a.id`, campaignID, unitID)
	if err != nil {
		return nil, fmt.Errorf("dashboard forms: %w", err)
	}
	defer rows.Close()
	var out []Assessment
	for rows.Next() {
		a, err := scanAssessment(rows)
		if err != nil {
			return nil, fmt.Errorf("dashboard forms: %w", err)
		}
		out = append(out, *a)
	}
	return out, rows.Err()
}
