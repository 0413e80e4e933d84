package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"thidua/internal/domain"
)

// A phase's results per participant group (criteria set): staff propose the
// group's ranking once every submitted form is locked, which fixes its rows
// (result_rows); a leader who did not propose approves them, which
// publishes them, or returns them with a reason.

// ResultGroup is one phase and criteria set of a campaign with its forms
// counted by status and its results' state.
type ResultGroup struct {
	PhaseID   int64
	PhaseName string
	SetID     int64
	SetName   string
	// Forms counts the group's forms by status.
	Forms  map[domain.AssessmentStatus]int
	Result domain.PhaseResult
	// ProposedByName and DecidedByName name who proposed and who decided.
	ProposedByName, DecidedByName string
}

// ResultGroups lists the groups of a campaign that have forms or results,
// by phase then set.
func (db *DB) ResultGroups(ctx context.Context, campaignID int64) (_ []ResultGroup, err error) {
	defer wrap(&err, "ResultGroups")
	rows, err := db.Pool.Query(ctx, `
		WITH counts AS (
			SELECT a.phase_id, a.set_id, jsonb_object_agg(a.status, a.n) AS forms
			FROM (SELECT phase_id, set_id, status, count(*) AS n FROM assessments WHERE campaign_id = $1
				GROUP BY phase_id, set_id, status) a
			GROUP BY a.phase_id, a.set_id)
		SELECT p.id, p.name, s.id, s.name, coalesce(c.forms, '{}'),
			coalesce(r.id, 0), coalesce(r.status, ''), r.proposed_by, r.proposed_at, r.decided_by, r.decided_at,
			coalesce(r.reason, ''), r.published_at, coalesce(r.version, 0),
			coalesce(pu.full_name, ''), coalesce(du.full_name, '')
		FROM phases p JOIN criteria_sets s ON s.campaign_id = p.campaign_id
		LEFT JOIN counts c ON c.phase_id = p.id AND c.set_id = s.id
		LEFT JOIN phase_results r ON r.phase_id = p.id AND r.set_id = s.id
		LEFT JOIN users pu ON pu.id = r.proposed_by
		LEFT JOIN users du ON du.id = r.decided_by
		WHERE p.campaign_id = $1 AND (c.forms IS NOT NULL OR r.id IS NOT NULL)
		ORDER BY p.seq, p.id, s.name COLLATE "vi-x-icu", s.id`, campaignID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ResultGroup
	for rows.Next() {
		var g ResultGroup
		var forms map[string]int
		r := &g.Result
		if err := rows.Scan(&g.PhaseID, &g.PhaseName, &g.SetID, &g.SetName, &forms, &r.ID, &r.Status, &r.ProposedBy, &r.ProposedAt,
			&r.DecidedBy, &r.DecidedAt, &r.Reason, &r.PublishedAt, &r.Version, &g.ProposedByName, &g.DecidedByName); err != nil {
			return nil, err
		}
		r.CampaignID, r.PhaseID, r.SetID = campaignID, g.PhaseID, g.SetID
		g.Forms = map[domain.AssessmentStatus]int{}
		for k, n := range forms {
			g.Forms[domain.AssessmentStatus(k)] = n
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// notLockedStatuses are the statuses of forms submitted and not locked yet:
// their totals may still change, so results wait for them. A returned form
// is back with its unit and not part of the results unless resubmitted.
var notLockedStatuses = []string{string(domain.AssessSubmitted), string(domain.AssessReceived), string(domain.AssessAppraised)}

// lockResult loads a group's results for update; a group not proposed yet
// comes back with ID 0. The phase and the set must be the campaign's.
func lockResult(ctx context.Context, tx pgx.Tx, campaignID, phaseID, setID int64) (*domain.PhaseResult, error) {
	var ok bool
	err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM phases p JOIN criteria_sets s ON s.campaign_id = p.campaign_id
		WHERE p.campaign_id = $1 AND p.id = $2 AND s.id = $3)`, campaignID, phaseID, setID).Scan(&ok)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, domain.Errorf(domain.ENOTFOUND, "results.not_found")
	}
	r := &domain.PhaseResult{CampaignID: campaignID, PhaseID: phaseID, SetID: setID}
	err = tx.QueryRow(ctx, `SELECT id, status, proposed_by, proposed_at, decided_by, decided_at, reason, published_at, version
		FROM phase_results WHERE phase_id = $1 AND set_id = $2 FOR UPDATE`, phaseID, setID).
		Scan(&r.ID, &r.Status, &r.ProposedBy, &r.ProposedAt, &r.DecidedBy, &r.DecidedAt, &r.Reason, &r.PublishedAt, &r.Version)
	if errors.Is(err, pgx.ErrNoRows) {
		return r, nil
	}
	return r, err
}

// groupForms reads what a proposal depends on, locking the group's forms
// against a change (a reopening) until the transaction ends.
func groupForms(ctx context.Context, tx pgx.Tx, phaseID, setID int64) (domain.GroupForms, error) {
	var g domain.GroupForms
	rows, err := tx.Query(ctx, `SELECT u.name, a.status FROM assessments a JOIN units u ON u.id = a.unit_id
		WHERE a.phase_id = $1 AND a.set_id = $2 AND (a.status = 'locked' OR a.status = ANY($3))
		ORDER BY u.name COLLATE "vi-x-icu", a.id FOR SHARE OF a`, phaseID, setID, notLockedStatuses)
	if err != nil {
		return g, err
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		var status domain.AssessmentStatus
		if err := rows.Scan(&name, &status); err != nil {
			return g, err
		}
		if status == domain.AssessLocked {
			g.Locked++
		} else {
			g.NotLocked = append(g.NotLocked, name)
		}
	}
	return g, rows.Err()
}

// checkVersion refuses a decision made on a page older than the record.
func checkVersion(r *domain.PhaseResult, version int) error {
	if r.Version != version {
		return domain.Errorf(domain.ECONFLICT, "results.stale")
	}
	return nil
}

// ProposeResults records staff member by's proposal of a group's results,
// seen at version (0 for a group never proposed): the group's locked forms
// are ranked and their rows fixed, in one transaction with the step and the
// audit entry.
func (db *DB) ProposeResults(ctx context.Context, campaignID, phaseID, setID, by int64, version int, now time.Time) (err error) {
	defer wrap(&err, "ProposeResults")
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		var status domain.CampaignStatus
		var bands domain.Bands
		if err := tx.QueryRow(ctx, `SELECT status, (band_excellent * 100)::int, (band_good * 100)::int, (band_fair * 100)::int,
			(band_average * 100)::int FROM campaigns WHERE id = $1`, campaignID).
			Scan(&status, &bands.Excellent, &bands.Good, &bands.Fair, &bands.Average); err != nil {
			return notFound(err, "campaign.not_found")
		}
		if status != domain.StatusAnnounced && status != domain.StatusClosed {
			return domain.Errorf(domain.ECONFLICT, "results.campaign_not_running")
		}
		r, err := lockResult(ctx, tx, campaignID, phaseID, setID)
		if err != nil {
			return err
		}
		if err := checkVersion(r, version); err != nil {
			return err
		}
		forms, err := groupForms(ctx, tx, phaseID, setID)
		if err != nil {
			return err
		}
		if err := r.Propose(by, forms, now); err != nil {
			return err
		}
		if r.ID == 0 {
			err = tx.QueryRow(ctx, `INSERT INTO phase_results (campaign_id, phase_id, set_id, status, proposed_by, proposed_at, version)
				VALUES ($1, $2, $3, $4, $5, $6, 1) RETURNING id`, campaignID, phaseID, setID, r.Status, by, now).Scan(&r.ID)
			if isUniqueViolation(err, "") {
				return domain.Errorf(domain.ECONFLICT, "results.stale")
			}
		} else {
			_, err = tx.Exec(ctx, `UPDATE phase_results SET status = $2, proposed_by = $3, proposed_at = $4, decided_by = NULL,
				decided_at = NULL, reason = '', version = $5 WHERE id = $1`, r.ID, r.Status, by, now, r.Version)
		}
		if err != nil {
			return err
		}
		var step int64
		if err := tx.QueryRow(ctx, `INSERT INTO result_steps (phase_result_id, action, actor_id, at) VALUES ($1, 'proposed', $2, $3)
			RETURNING id`, r.ID, by, now).Scan(&step); err != nil {
			return err
		}
		rows, err := lockedRows(ctx, tx, phaseID, setID)
		if err != nil {
			return err
		}
		domain.RankResults(rows, bands)
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"result_rows"},
			[]string{"step_id", "assessment_id", "unit_id", "unit_name", "rank", "band", "self_converted", "appraised_converted", "final_converted"},
			pgx.CopyFromSlice(len(rows), func(i int) ([]any, error) {
				x := rows[i]
				return []any{step, x.AssessmentID, x.UnitID, x.UnitName, x.Rank, x.Band, int64(x.SelfConverted), int64(x.AppraisedConverted), int64(x.FinalConverted)}, nil
			})); err != nil {
			return fmt.Errorf("result rows: %w", err)
		}
		if _, err := tx.Exec(ctx, `UPDATE phase_results SET proposal_step_id = $2 WHERE id = $1`, r.ID, step); err != nil {
			return err
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditResultsPropose, ObjectType: "criteria_set", ObjectID: fmt.Sprint(setID),
			Details: map[string]any{"campaign_id": campaignID, "phase_id": phaseID, "units": len(rows)}})
	})
	return err
}

// lockedRows reads the group's locked forms, the best final total first
// (ties by name, as the page shows them).
func lockedRows(ctx context.Context, tx pgx.Tx, phaseID, setID int64) ([]domain.ResultRow, error) {
	rows, err := tx.Query(ctx, `SELECT a.id, a.unit_id, u.name, 0, '', a.converted, a.appraised_converted, a.final_converted
		FROM assessments a JOIN units u ON u.id = a.unit_id
		WHERE a.phase_id = $1 AND a.set_id = $2 AND a.status = 'locked'
		ORDER BY a.final_converted DESC, u.name COLLATE "vi-x-icu", a.id`, phaseID, setID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[domain.ResultRow])
}

// DecideResults records a leader's decision on a proposal seen at version:
// approve (which publishes the rows proposed) or return with a reason. An
// approval is refused when the group's forms changed since the proposal
// (a form reopened, or locked since): staff propose again.
func (db *DB) DecideResults(ctx context.Context, campaignID, phaseID, setID, by int64, approve bool, reason string, version int, now time.Time) (err error) {
	defer wrap(&err, "DecideResults")
	return db.inTx(ctx, func(tx pgx.Tx) error {
		r, err := lockResult(ctx, tx, campaignID, phaseID, setID)
		if err != nil {
			return err
		}
		if r.ID == 0 {
			return domain.Errorf(domain.ECONFLICT, "results.not_proposed")
		}
		if err := checkVersion(r, version); err != nil {
			return err
		}
		action := domain.AuditResultsReturn
		if approve {
			action = domain.AuditResultsApprove
			if err := r.Approve(by, now); err != nil {
				return err
			}
			var changed bool
			if err := tx.QueryRow(ctx, `
				WITH cur AS (SELECT id, final_converted, status FROM assessments
						WHERE phase_id = $1 AND set_id = $2 AND (status = 'locked' OR status = ANY($4)) FOR SHARE),
					locked AS (SELECT id, final_converted FROM cur WHERE status = 'locked'),
					proposed AS (SELECT assessment_id AS id, final_converted FROM result_rows
						WHERE step_id = (SELECT proposal_step_id FROM phase_results WHERE id = $3))
				SELECT EXISTS (SELECT * FROM locked EXCEPT SELECT * FROM proposed)
					OR EXISTS (SELECT * FROM proposed EXCEPT SELECT * FROM locked)
					OR EXISTS (SELECT 1 FROM cur WHERE status <> 'locked')`, phaseID, setID, r.ID, notLockedStatuses).Scan(&changed); err != nil {
				return err
			}
			if changed {
				return domain.Errorf(domain.ECONFLICT, "results.changed")
			}
		} else if err := r.Return(by, reason, now); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE phase_results SET status = $2, decided_by = $3, decided_at = $4, reason = $5,
			published_at = $6, version = $7 WHERE id = $1`, r.ID, r.Status, by, now, r.Reason, r.PublishedAt, r.Version); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO result_steps (phase_result_id, action, reason, actor_id, at) VALUES ($1, $2, $3, $4, $5)`,
			r.ID, r.Status, r.Reason, by, now); err != nil {
			return err
		}
		if approve {
			if err := db.notifyPublished(ctx, tx, campaignID, r.ID); err != nil {
				return err
			}
		}
		details := map[string]any{"campaign_id": campaignID, "phase_id": phaseID}
		if r.Reason != "" {
			details["reason"] = r.Reason
		}
		return audit(ctx, tx, auditEntry{Action: action, ObjectType: "criteria_set", ObjectID: fmt.Sprint(setID), Details: details})
	})
}

// ProposedRows returns the rows fixed by a group's latest proposal, in rank
// order; none when the group was never proposed.
func (db *DB) ProposedRows(ctx context.Context, phaseID, setID int64) (_ []domain.ResultRow, err error) {
	defer wrap(&err, "ProposedRows")
	rows, err := db.Pool.Query(ctx, `SELECT x.assessment_id, x.unit_id, x.unit_name, x.rank, x.band, x.self_converted,
			x.appraised_converted, x.final_converted
		FROM phase_results r JOIN result_rows x ON x.step_id = r.proposal_step_id
		WHERE r.phase_id = $1 AND r.set_id = $2
		ORDER BY x.rank, x.unit_name COLLATE "vi-x-icu", x.assessment_id`, phaseID, setID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[domain.ResultRow])
}

// ResultStep is one step of a group's results, for its history.
type ResultStep struct {
	Action domain.ResultStatus
	Reason string
	Actor  string
	At     time.Time
}

// ResultSteps returns a group's steps, oldest first.
func (db *DB) ResultSteps(ctx context.Context, phaseID, setID int64) (_ []ResultStep, err error) {
	defer wrap(&err, "ResultSteps")
	rows, err := db.Pool.Query(ctx, `SELECT s.action, s.reason, coalesce(u.full_name, ''), s.at
		FROM phase_results r JOIN result_steps s ON s.phase_result_id = r.id LEFT JOIN users u ON u.id = s.actor_id
		WHERE r.phase_id = $1 AND r.set_id = $2 ORDER BY s.at, s.id`, phaseID, setID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[ResultStep])
}

// PublishedGroup is a group's approved results as citizens read them.
type PublishedGroup struct {
	PhaseName   string
	SetName     string
	PublishedAt time.Time
	Rows        []domain.ResultRow
}

// PublishedResults returns a campaign's published results, by phase then
// set, each with its rows in rank order. Nothing unpublished is read.
func (db *DB) PublishedResults(ctx context.Context, campaignID int64) (_ []PublishedGroup, err error) {
	defer wrap(&err, "PublishedResults")
	rows, err := db.Pool.Query(ctx, `SELECT r.id, p.name, s.name, r.published_at, x.assessment_id, x.unit_id, x.unit_name, x.rank, x.band,
			x.self_converted, x.appraised_converted, x.final_converted
		FROM phase_results r JOIN phases p ON p.id = r.phase_id JOIN criteria_sets s ON s.id = r.set_id
		JOIN result_rows x ON x.step_id = r.proposal_step_id
		WHERE r.campaign_id = $1 AND r.status = 'approved' AND r.published_at IS NOT NULL
		ORDER BY p.seq, p.id, s.name COLLATE "vi-x-icu", r.id, x.rank, x.unit_name COLLATE "vi-x-icu", x.assessment_id`, campaignID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []PublishedGroup
	var last int64
	for rows.Next() {
		var id int64
		var g PublishedGroup
		var x domain.ResultRow
		if err := rows.Scan(&id, &g.PhaseName, &g.SetName, &g.PublishedAt, &x.AssessmentID, &x.UnitID, &x.UnitName, &x.Rank, &x.Band,
			&x.SelfConverted, &x.AppraisedConverted, &x.FinalConverted); err != nil {
			return nil, err
		}
		if id != last || len(out) == 0 {
			out = append(out, g)
			last = id
		}
		out[len(out)-1].Rows = append(out[len(out)-1].Rows, x)
	}
	return out, rows.Err()
}

// resultsPublished is the condition on phase_results of results the
// public reads.
const resultsPublished = `published_at IS NOT NULL AND status = 'approved'`

// PublishedCampaigns returns the IDs of the campaigns with published
// results, for the links of the public pages.
func (db *DB) PublishedCampaigns(ctx context.Context) (_ map[int64]bool, err error) {
	defer wrap(&err, "PublishedCampaigns")
	rows, err := db.Pool.Query(ctx, `SELECT DISTINCT campaign_id FROM phase_results WHERE `+resultsPublished)
	if err != nil {
		return nil, err
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, err
	}
	out := map[int64]bool{}
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}
