package postgres

import (
	"context"

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
		rows, err = q.Query(ctx, `SELECT `+columns+`, '' FROM achievements a WHERE a.person_id = $1
			ORDER BY a.year DESC, a.decision_date DESC NULLS LAST, a.id`, s.PersonID)
	} else {
		rows, err = q.Query(ctx, predecessorsSQL+`
			SELECT `+columns+`, CASE WHEN p.via IS NULL THEN '' ELSE u.name END
			FROM pred p JOIN achievements a ON a.unit_id = p.unit_id JOIN units u ON u.id = a.unit_id
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
