package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"thidua/internal/domain"
)

// predecessorsSQL is the set of units whose history a unit carries: the
// unit itself and, through merger and split events, every unit it came
// from, recursively ($1 the unit). A commune merged on 01/07/2025 keeps its
// own results, and they are seen from the commune it merged into.
const predecessorsSQL = `
	WITH RECURSIVE pred(unit_id, via) AS (
		SELECT $1::bigint, NULL::bigint
		UNION
		SELECT l.from_unit_id, l.from_unit_id
		FROM pred p
		JOIN unit_event_links l ON l.to_unit_id = p.unit_id AND l.from_unit_id IS NOT NULL AND l.from_unit_id <> p.unit_id
		JOIN unit_events e ON e.id = l.event_id AND e.kind IN ('merge', 'split')
	)`

// AchievementsOf returns the achievement history of a unit (with the
// history of the units it came from, each marked with the name of the
// predecessor it was granted to) or of a person, the latest year first.
// An award whose decision was revoked is left out: it no longer counts.
func (db *DB) AchievementsOf(ctx context.Context, s domain.Subject) (_ []domain.Achievement, err error) {
	defer wrap(&err, "AchievementsOf")
	return achievementsOf(ctx, db.Pool, s)
}

func achievementsOf(ctx context.Context, q querier, s domain.Subject) ([]domain.Achievement, error) {
	const columns = `a.id, coalesce(a.unit_id, 0), coalesce(a.person_id, 0), a.year, a.award_form_id, a.title, a.decision_number,
		a.decision_date, a.issuer, a.campaign_id, a.thematic, a.source`
	var rows pgx.Rows
	var err error
	if s.PersonID != 0 {
		rows, err = q.Query(ctx, `SELECT `+columns+`, '' FROM achievements a WHERE a.person_id = $1 AND a.revoked_by_decision_id IS NULL
			ORDER BY a.year DESC, a.decision_date DESC NULLS LAST, a.id`, s.PersonID)
	} else {
		rows, err = q.Query(ctx, predecessorsSQL+`
			SELECT `+columns+`, CASE WHEN p.via IS NULL THEN '' ELSE u.name END
			FROM pred p JOIN achievements a ON a.unit_id = p.unit_id AND a.revoked_by_decision_id IS NULL JOIN units u ON u.id = a.unit_id
			ORDER BY a.year DESC, a.decision_date DESC NULLS LAST, a.id`, s.UnitID)
	}
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (domain.Achievement, error) {
		var a domain.Achievement
		err := row.Scan(&a.ID, &a.Subject.UnitID, &a.Subject.PersonID, &a.Year, &a.AwardFormID, &a.Title, &a.DecisionNumber,
			&a.DecisionDate, &a.Issuer, &a.CampaignID, &a.Thematic, &a.Source, &a.Via)
		return a, err
	})
}

// FlagsOf returns every pending flag ever set on a unit or a person, lifted
// or not, the latest first.
func (db *DB) FlagsOf(ctx context.Context, s domain.Subject) (_ []domain.PendingFlag, err error) {
	defer wrap(&err, "FlagsOf")
	return flagsOf(ctx, db.Pool, s)
}

func flagsOf(ctx context.Context, q querier, s domain.Subject) ([]domain.PendingFlag, error) {
	rows, err := q.Query(ctx, `SELECT f.id, coalesce(f.unit_id, 0), coalesce(f.person_id, 0), f.kind, f.reason, f.valid_from, f.valid_to,
			coalesce(u.full_name, ''), f.set_at, f.lift_reason
		FROM pending_flags f LEFT JOIN users u ON u.id = f.set_by
		WHERE ($1 <> 0 AND f.unit_id = $1) OR ($2 <> 0 AND f.person_id = $2)
		ORDER BY f.valid_from DESC, f.id DESC`, s.UnitID, s.PersonID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (domain.PendingFlag, error) {
		var f domain.PendingFlag
		err := row.Scan(&f.ID, &f.Subject.UnitID, &f.Subject.PersonID, &f.Kind, &f.Reason, &f.From, &f.To, &f.SetBy, &f.SetAt, &f.LiftReason)
		return f, err
	})
}

// UnitResult is one published campaign result of a unit or of a unit it
// came from: the campaign, the phase and participant group, the rank among
// the group's units, the band and the final converted total, as approved.
type UnitResult struct {
	CampaignID    int64
	CampaignTitle string
	Thematic      bool
	Year          int
	PhaseName     string
	SetName       string
	UnitName      string // the unit's name at the proposal
	Rank          int
	Of            int // the group's number of ranked units
	Band          string
	Final         domain.Points
	PublishedAt   time.Time
	// Via names the predecessor the result belongs to, when it is seen from
	// a successor ("" for the unit's own results).
	Via string
}

// ResultsOf returns the published results of a unit and of the units it
// came from (through mergers and splits), the latest phase first: the
// rows of approved proposals, never the live totals.
func (db *DB) ResultsOf(ctx context.Context, unitID int64) (_ []UnitResult, err error) {
	defer wrap(&err, "ResultsOf")
	rows, err := db.Pool.Query(ctx, predecessorsSQL+`
		SELECT c.id, c.title, c.kind = 'thematic', extract(year FROM ph.end_date)::int, ph.name, s.name, x.unit_name, x.rank,
			(SELECT count(*) FROM result_rows y WHERE y.step_id = x.step_id)::int, x.band, x.final_converted, r.published_at,
			CASE WHEN p.via IS NULL THEN '' ELSE x.unit_name END
		FROM pred p
		JOIN result_rows x ON x.unit_id = p.unit_id
		JOIN phase_results r ON r.proposal_step_id = x.step_id AND r.status = 'approved' AND r.published_at IS NOT NULL
		JOIN phases ph ON ph.id = r.phase_id
		JOIN campaigns c ON c.id = r.campaign_id
		JOIN criteria_sets s ON s.id = r.set_id
		ORDER BY ph.end_date DESC, c.id DESC, s.name, x.rank`, unitID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[UnitResult])
}

// RecordedAward is an award of the achievement history with the unit or
// person it belongs to, for the list of recorded awards.
type RecordedAward struct {
	domain.Achievement
	SubjectName string
}

// RecentAchievements returns the latest recorded awards (by year, then by
// when they were recorded), at most limit, and how many there are in all.
func (db *DB) RecentAchievements(ctx context.Context, limit int) (_ []RecordedAward, total int, err error) {
	defer wrap(&err, "RecentAchievements")
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM achievements`).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := db.Pool.Query(ctx, `SELECT a.id, coalesce(a.unit_id, 0), coalesce(a.person_id, 0), a.year, a.award_form_id, a.title,
			a.decision_number, a.decision_date, a.issuer, a.campaign_id, a.thematic, a.source, '', coalesce(u.name, p.full_name, '')
		FROM achievements a LEFT JOIN units u ON u.id = a.unit_id LEFT JOIN people p ON p.id = a.person_id
		ORDER BY a.year DESC, a.created_at DESC, a.id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, 0, err
	}
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (RecordedAward, error) {
		var a RecordedAward
		err := row.Scan(&a.ID, &a.Subject.UnitID, &a.Subject.PersonID, &a.Year, &a.AwardFormID, &a.Title, &a.DecisionNumber,
			&a.DecisionDate, &a.Issuer, &a.CampaignID, &a.Thematic, &a.Source, &a.Via, &a.SubjectName)
		return a, err
	})
	return list, total, err
}
