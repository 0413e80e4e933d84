package postgres

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"thidua/internal/domain"
)

// Participant is one form of a campaign's phase (a unit with its criteria
// set) as the appraisal team page lists it, with who is assigned to it.
type Participant struct {
	AssessmentID int64
	UnitID       int64
	UnitName     string
	SetName      string
	Status       domain.AssessmentStatus
	Appraisers   []AssignedAppraiser
}

// AssignedAppraiser is one assignment of a participant, active or recused.
type AssignedAppraiser struct {
	AssignmentID  int64
	UserID        int64
	FullName      string
	AssignedAt    time.Time
	RecusedAt     *time.Time
	RecusalReason string
}

// Participants lists the forms of a campaign's phase in unit name order,
// each with its assignments (recused ones too, with their reasons).
func (db *DB) Participants(ctx context.Context, campaignID, phaseID int64) (_ []Participant, err error) {
	defer wrap(&err, "Participants")
	rows, err := db.Pool.Query(ctx, `
		SELECT a.id, a.unit_id, un.name, s.name, a.status,
			x.id, x.appraiser_id, coalesce(u.full_name, ''), x.assigned_at, x.recused_at, coalesce(x.recusal_reason, '')
		FROM assessments a
		JOIN units un ON un.id = a.unit_id
		JOIN criteria_sets s ON s.id = a.set_id
		LEFT JOIN appraisal_assignments x ON x.assessment_id = a.id
		LEFT JOIN users u ON u.id = x.appraiser_id
		WHERE a.campaign_id = $1 AND a.phase_id = $2
		ORDER BY un.name COLLATE "vi-x-icu", a.id, x.recused_at NULLS FIRST, u.full_name, x.id`, campaignID, phaseID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Participant
	for rows.Next() {
		var p Participant
		var asgID, userID *int64
		var at *time.Time
		var x AssignedAppraiser
		if err := rows.Scan(&p.AssessmentID, &p.UnitID, &p.UnitName, &p.SetName, &p.Status,
			&asgID, &userID, &x.FullName, &at, &x.RecusedAt, &x.RecusalReason); err != nil {
			return nil, err
		}
		if n := len(out); n == 0 || out[n-1].AssessmentID != p.AssessmentID {
			out = append(out, p)
		}
		if asgID != nil {
			x.AssignmentID, x.UserID, x.AssignedAt = *asgID, *userID, *at
			last := &out[len(out)-1]
			last.Appraisers = append(last.Appraisers, x)
		}
	}
	return out, rows.Err()
}

// Refusal is a participant an assignment left out, with why.
type Refusal struct {
	AssessmentID int64
	UnitName     string
	// Conflict is set for a conflict of interest; otherwise Reason is a
	// catalogue key (already recused, form closed).
	Conflict *domain.Conflict
	Reason   string
}

// AssignResult says what an assignment did: the participants newly
// assigned, those the appraiser already had, and those refused.
type AssignResult struct {
	Assigned []int64
	Already  []int64
	Refused  []Refusal
}

// Assign gives appraiserID the forms assessmentIDs of a campaign's phase,
// in one transaction with its audit entry. The appraiser must be an active
// user on the campaign's appraisal team for the phase. A form in conflict
// of interest with the appraiser's unit (domain.Conflict, computed through
// the tree as of the phase's dates and the units' lineage), or one they
// recused from, is refused and listed; the others are assigned. A form of
// another campaign or phase is not found.
func (db *DB) Assign(ctx context.Context, campaignID, phaseID, appraiserID int64, assessmentIDs []int64) (_ AssignResult, err error) {
	defer wrap(&err, "Assign")
	var res AssignResult
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		phase, err := lockTeamPhase(ctx, tx, campaignID, phaseID)
		if err != nil {
			return err
		}
		unit, err := appraiserUnit(ctx, tx, campaignID, phaseID, appraiserID)
		if err != nil {
			return err
		}
		var units []int64
		var names []string
		var recused []bool
		rows, err := tx.Query(ctx, `
			SELECT a.id, a.unit_id, un.name,
				EXISTS (SELECT 1 FROM appraisal_assignments x WHERE x.assessment_id = a.id AND x.appraiser_id = $3 AND x.recused_at IS NOT NULL)
			FROM assessments a JOIN units un ON un.id = a.unit_id
			WHERE a.id = ANY($4::bigint[]) AND a.campaign_id = $1 AND a.phase_id = $2
			ORDER BY un.name COLLATE "vi-x-icu", a.id`, campaignID, phaseID, appraiserID, assessmentIDs)
		if err != nil {
			return err
		}
		var ids []int64
		for rows.Next() {
			var id, u int64
			var name string
			var rec bool
			if err := rows.Scan(&id, &u, &name, &rec); err != nil {
				rows.Close()
				return err
			}
			ids, units, names, recused = append(ids, id), append(units, u), append(names, name), append(recused, rec)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(ids) != len(uniq(assessmentIDs)) {
			return domain.Errorf(domain.ENOTFOUND, "assessment.not_found")
		}
		conflicts := map[int64]domain.Conflict{}
		if unit != nil {
			if conflicts, err = conflictsOf(ctx, tx, *unit, phase, units); err != nil {
				return err
			}
		}
		var take []int64
		for i, id := range ids {
			switch c, ok := conflicts[units[i]]; {
			case ok:
				res.Refused = append(res.Refused, Refusal{AssessmentID: id, UnitName: names[i], Conflict: &c})
			case recused[i]:
				res.Refused = append(res.Refused, Refusal{AssessmentID: id, UnitName: names[i], Reason: "appraisal.refused.recused"})
			default:
				take = append(take, id)
			}
		}
		if len(take) > 0 {
			rows, err := tx.Query(ctx, `
				INSERT INTO appraisal_assignments (campaign_id, assessment_id, appraiser_id, assigned_by)
				SELECT $1, a, $2, $3 FROM unnest($4::bigint[]) a
				ON CONFLICT (assessment_id, appraiser_id) WHERE recused_at IS NULL DO NOTHING
				RETURNING assessment_id`, campaignID, appraiserID, actingUser(ctx), take)
			if err != nil {
				return err
			}
			res.Assigned, err = pgx.CollectRows(rows, pgx.RowTo[int64])
			if err != nil {
				return err
			}
			done := map[int64]bool{}
			for _, id := range res.Assigned {
				done[id] = true
			}
			for _, id := range take {
				if !done[id] {
					res.Already = append(res.Already, id)
				}
			}
		}
		if len(res.Assigned) == 0 {
			return nil
		}
		var refused []int64
		for _, r := range res.Refused {
			refused = append(refused, r.AssessmentID)
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditAppraisalAssign, ObjectType: "campaign", ObjectID: strconv.FormatInt(campaignID, 10),
			Details: map[string]any{"appraiser_id": appraiserID, "phase_id": phaseID, "assessments": res.Assigned, "refused": refused}})
	})
	return res, err
}

// AssignSubtree is Assign for every form of the phase whose unit is unitID
// or under it, in the tree as of any day of the phase.
func (db *DB) AssignSubtree(ctx context.Context, campaignID, phaseID, appraiserID, unitID int64) (_ AssignResult, err error) {
	defer wrap(&err, "AssignSubtree")
	var start, end time.Time
	if err := db.Pool.QueryRow(ctx, `SELECT start_date, end_date FROM phases WHERE id = $1 AND campaign_id = $2`, phaseID, campaignID).
		Scan(&start, &end); err != nil {
		return AssignResult{}, notFound(err, "phase.not_found")
	}
	rows, err := db.Pool.Query(ctx, `
		WITH RECURSIVE sub(unit_id, r) AS (
			SELECT $3::bigint, daterange($4::date, $5::date, '[]')
			UNION
			SELECT v.unit_id, s.r * daterange(v.valid_from, v.valid_to)
			FROM sub s JOIN unit_versions v ON v.parent_id = s.unit_id AND daterange(v.valid_from, v.valid_to) && s.r
		)
		SELECT a.id FROM assessments a
		WHERE a.campaign_id = $1 AND a.phase_id = $2 AND a.unit_id IN (SELECT unit_id FROM sub)
		ORDER BY a.id`, campaignID, phaseID, unitID, start, end)
	if err != nil {
		return AssignResult{}, err
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return AssignResult{}, err
	}
	if len(ids) == 0 {
		return AssignResult{}, &domain.ValidationError{Fields: domain.FieldErrors{"unit_id": "appraisal.subtree.empty"}}
	}
	return db.Assign(ctx, campaignID, phaseID, appraiserID, ids)
}

// lockTeamPhase checks that the phase is the campaign's and the campaign
// can still be worked on, and returns the phase's dates.
func lockTeamPhase(ctx context.Context, tx pgx.Tx, campaignID, phaseID int64) (domain.Phase, error) {
	var status domain.CampaignStatus
	if err := tx.QueryRow(ctx, `SELECT status FROM campaigns WHERE id = $1 FOR SHARE`, campaignID).Scan(&status); err != nil {
		return domain.Phase{}, notFound(err, "campaign.not_found")
	}
	if status == domain.StatusCancelled || status == domain.StatusClosed {
		return domain.Phase{}, domain.Errorf(domain.ECONFLICT, "campaign.not_editable")
	}
	p := domain.Phase{ID: phaseID, CampaignID: campaignID}
	err := tx.QueryRow(ctx, `SELECT name, start_date, end_date FROM phases WHERE id = $1 AND campaign_id = $2`, phaseID, campaignID).
		Scan(&p.Name, &p.Start, &p.End)
	if err != nil {
		return domain.Phase{}, notFound(err, "phase.not_found")
	}
	return p, nil
}

// appraiserUnit checks that the user is active and on the campaign's
// appraisal team for the phase, and returns their unit (nil: none).
func appraiserUnit(ctx context.Context, tx pgx.Tx, campaignID, phaseID, userID int64) (*int64, error) {
	var unit *int64
	var disabled, member bool
	err := tx.QueryRow(ctx, `
		SELECT u.unit_id, u.disabled_at IS NOT NULL,
			EXISTS (SELECT 1 FROM campaign_members m WHERE m.campaign_id = $1 AND m.user_id = u.id AND m.role = 'appraiser'
				AND m.removed_at IS NULL AND (m.phase_id IS NULL OR m.phase_id = $2))
		FROM users u WHERE u.id = $3`, campaignID, phaseID, userID).Scan(&unit, &disabled, &member)
	if errors.Is(err, pgx.ErrNoRows) || disabled {
		return nil, &domain.ValidationError{Fields: domain.FieldErrors{"appraiser_id": "member.user.invalid"}}
	}
	if err != nil {
		return nil, err
	}
	if !member {
		return nil, &domain.ValidationError{Fields: domain.FieldErrors{"appraiser_id": "appraisal.not_on_team"}}
	}
	return unit, nil
}

// conflictsOf finds, for each participant unit, how an appraiser of unit
// appraiserUnit would be in conflict of interest with it during the phase
// (domain.Conflict). The appraiser's unit stands with its lineage: the
// units it was merged or split into and those merged or split into it,
// followed both ways, since after a merger the same people work on. A
// participant's ancestors and descendants are taken from the tree on
// every day of the phase (unit_versions), so a district abolished on
// 01/07/2025 is an ancestor of its communes for a phase before that day and
// of none after it.
func conflictsOf(ctx context.Context, tx pgx.Tx, appraiserUnit int64, phase domain.Phase, units []int64) (map[int64]domain.Conflict, error) {
	rows, err := tx.Query(ctx, `
		WITH RECURSIVE
		lin(unit_id) AS (
			SELECT $1::bigint
			UNION
			SELECT CASE WHEN l.from_unit_id = lin.unit_id THEN l.to_unit_id ELSE l.from_unit_id END
			FROM lin
			JOIN unit_event_links l ON l.from_unit_id = lin.unit_id OR l.to_unit_id = lin.unit_id
			JOIN unit_events e ON e.id = l.event_id AND e.kind IN ('merge', 'split')
			WHERE l.from_unit_id IS NOT NULL AND l.to_unit_id IS NOT NULL
		),
		anc(pid, unit_id, r) AS (
			SELECT p, p, daterange($2::date, $3::date, '[]') FROM unnest($4::bigint[]) p
			UNION
			SELECT a.pid, v.parent_id, a.r * daterange(v.valid_from, v.valid_to)
			FROM anc a JOIN unit_versions v ON v.unit_id = a.unit_id AND daterange(v.valid_from, v.valid_to) && a.r
			WHERE v.parent_id IS NOT NULL
		),
		des(pid, unit_id, r) AS (
			SELECT p, v.unit_id, daterange($2::date, $3::date, '[]') * daterange(v.valid_from, v.valid_to)
			FROM unnest($4::bigint[]) p
			JOIN unit_versions v ON v.parent_id = p AND daterange(v.valid_from, v.valid_to) && daterange($2::date, $3::date, '[]')
			UNION
			SELECT d.pid, v.unit_id, d.r * daterange(v.valid_from, v.valid_to)
			FROM des d JOIN unit_versions v ON v.parent_id = d.unit_id AND daterange(v.valid_from, v.valid_to) && d.r
		),
		hits AS (
			SELECT pid, unit_id, r, CASE WHEN unit_id = pid THEN 'self' ELSE 'ancestor' END AS kind
			FROM anc WHERE unit_id IN (SELECT unit_id FROM lin)
			UNION ALL
			SELECT pid, unit_id, r, 'descendant' FROM des WHERE unit_id IN (SELECT unit_id FROM lin)
		)
		SELECT DISTINCT ON (h.pid) h.pid, h.kind, h.unit_id, lower(h.r),
			coalesce(v.name, u.name), coalesce(pv.name, pu.name), coalesce(av.name, au.name)
		FROM hits h
		JOIN units u ON u.id = h.unit_id
		LEFT JOIN unit_versions v ON v.unit_id = h.unit_id AND v.valid_from <= lower(h.r) AND (v.valid_to IS NULL OR v.valid_to > lower(h.r))
		JOIN units pu ON pu.id = h.pid
		LEFT JOIN unit_versions pv ON pv.unit_id = h.pid AND pv.valid_from <= lower(h.r) AND (pv.valid_to IS NULL OR pv.valid_to > lower(h.r))
		JOIN units au ON au.id = $1
		LEFT JOIN unit_versions av ON av.unit_id = $1 AND av.valid_from <= lower(h.r) AND (av.valid_to IS NULL OR av.valid_to > lower(h.r))
		ORDER BY h.pid, (h.kind = 'self') DESC, (h.unit_id = $1) DESC, lower(h.r)`,
		appraiserUnit, phase.Start, phase.End, units)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]domain.Conflict{}
	for rows.Next() {
		var pid int64
		var c domain.Conflict
		if err := rows.Scan(&pid, &c.Kind, &c.UnitID, &c.Day, &c.UnitName, &c.ParticipantName, &c.AppraiserUnitName); err != nil {
			return nil, err
		}
		c.Lineage = c.UnitID != appraiserUnit
		out[pid] = c
	}
	return out, rows.Err()
}

// ConflictFor is the conflict of interest (if any) between the unit of
// appraiserID and the unit of a form, during its phase: what the team page
// shows before anyone is assigned.
func (db *DB) ConflictFor(ctx context.Context, appraiserID, assessmentID int64) (_ *domain.Conflict, err error) {
	defer wrap(&err, "ConflictFor")
	var c *domain.Conflict
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		var unit *int64
		var participant int64
		var p domain.Phase
		err := tx.QueryRow(ctx, `
			SELECT u.unit_id, a.unit_id, ph.start_date, ph.end_date
			FROM assessments a JOIN phases ph ON ph.id = a.phase_id, users u
			WHERE a.id = $1 AND u.id = $2`, assessmentID, appraiserID).Scan(&unit, &participant, &p.Start, &p.End)
		if err != nil {
			return notFound(err, "assessment.not_found")
		}
		if unit == nil {
			return nil
		}
		found, err := conflictsOf(ctx, tx, *unit, p, []int64{participant})
		if x, ok := found[participant]; ok {
			c = &x
		}
		return err
	})
	return c, err
}

// Recuse records that appraiserID withdraws from a form of the campaign,
// with a reason, in one transaction with its audit entry. The assignment
// stays, with when and why. Only an active assignment can be recused
// from; a form whose appraisal is complete no longer can.
func (db *DB) Recuse(ctx context.Context, campaignID, assessmentID, appraiserID int64, reason string) (err error) {
	defer wrap(&err, "Recuse")
	reason = domain.CleanText(reason)
	switch n := domain.RuneLen(reason); {
	case n == 0:
		return &domain.ValidationError{Fields: domain.FieldErrors{"reason": "appraisal.recuse.reason_required"}}
	case n > 2000:
		return &domain.ValidationError{Fields: domain.FieldErrors{"reason": "field.too_long"}}
	}
	return db.inTx(ctx, func(tx pgx.Tx) error {
		var id int64
		var status domain.AssessmentStatus
		err := tx.QueryRow(ctx, `
			SELECT x.id, a.status FROM appraisal_assignments x JOIN assessments a ON a.id = x.assessment_id
			WHERE x.campaign_id = $1 AND x.assessment_id = $2 AND x.appraiser_id = $3 AND x.recused_at IS NULL
			FOR UPDATE OF x`, campaignID, assessmentID, appraiserID).Scan(&id, &status)
		if err != nil {
			return notFound(err, "appraisal.assignment.not_found")
		}
		if status == domain.AssessAppraised || status == domain.AssessLocked {
			return domain.Errorf(domain.ECONFLICT, "appraisal.recuse.too_late")
		}
		if _, err := tx.Exec(ctx, `UPDATE appraisal_assignments SET recused_at = now(), recusal_reason = $2 WHERE id = $1`, id, reason); err != nil {
			return err
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditAppraisalRecuse, ObjectType: "assessment", ObjectID: strconv.FormatInt(assessmentID, 10),
			Details: map[string]any{"reason": reason, "campaign_id": campaignID}})
	})
}

// AssignedForm is a form assigned to an appraiser, as their list shows it.
type AssignedForm struct {
	AssessmentID int64
	PhaseID      int64
	PhaseName    string
	UnitID       int64
	UnitName     string
	SetName      string
	Status       domain.AssessmentStatus
	AssignedAt   time.Time
}

// AssignedAssessments lists the forms of a campaign assigned to userID that
// they may appraise now: active assignments, in phases for which they are
// still on the appraisal team. An appraiser sees these and no others.
func (db *DB) AssignedAssessments(ctx context.Context, campaignID, userID int64) (_ []AssignedForm, err error) {
	defer wrap(&err, "AssignedAssessments")
	rows, err := db.Pool.Query(ctx, `
		SELECT a.id, a.phase_id, ph.name, a.unit_id, un.name, s.name, a.status, x.assigned_at
		FROM appraisal_assignments x
		JOIN assessments a ON a.id = x.assessment_id
		JOIN phases ph ON ph.id = a.phase_id
		JOIN units un ON un.id = a.unit_id
		JOIN criteria_sets s ON s.id = a.set_id
		WHERE x.campaign_id = $1 AND x.appraiser_id = $2 AND x.recused_at IS NULL
		  AND EXISTS (SELECT 1 FROM campaign_members m WHERE m.campaign_id = $1 AND m.user_id = $2 AND m.role = 'appraiser'
			AND m.removed_at IS NULL AND (m.phase_id IS NULL OR m.phase_id = a.phase_id))
		ORDER BY ph.seq, un.name COLLATE "vi-x-icu", a.id`, campaignID, userID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[AssignedForm])
}

// AssignmentOf returns userID's active assignment to a form of the
// campaign, for domain.CanAppraise; ENOTFOUND when there is none.
func (db *DB) AssignmentOf(ctx context.Context, campaignID, assessmentID, userID int64) (_ *domain.Assignment, err error) {
	defer wrap(&err, "AssignmentOf")
	var x domain.Assignment
	err = db.Pool.QueryRow(ctx, `
		SELECT x.id, x.campaign_id, x.assessment_id, a.phase_id, x.appraiser_id, x.assigned_by, x.assigned_at, x.recused_at, x.recusal_reason
		FROM appraisal_assignments x JOIN assessments a ON a.id = x.assessment_id
		WHERE x.campaign_id = $1 AND x.assessment_id = $2 AND x.appraiser_id = $3 AND x.recused_at IS NULL`, campaignID, assessmentID, userID).
		Scan(&x.ID, &x.CampaignID, &x.AssessmentID, &x.PhaseID, &x.AppraiserID, &x.AssignedBy, &x.AssignedAt, &x.RecusedAt, &x.RecusalReason)
	if err != nil {
		return nil, notFound(err, "appraisal.assignment.not_found")
	}
	return &x, nil
}

func uniq(ids []int64) []int64 {
	seen := map[int64]bool{}
	var out []int64
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
