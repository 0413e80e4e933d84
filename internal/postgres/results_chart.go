package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"thidua/internal/domain"
)

// GroupForm is one form of a group as the charts read it.
type GroupForm struct {
	UnitName           string
	Status             domain.AssessmentStatus
	SelfConverted      domain.Points
	AppraisedConverted domain.Points
	FinalConverted     domain.Points
}

// AreaAverage is an area's average share of its applicable maximum over the
// group's appraised forms, self-assessed and final, in hundredths of a
// percent (8550 is 85,5 %).
type AreaAverage struct {
	Code, Title string
	Self, Final domain.Points
}

// GroupChartData reads a group's forms (every status) and its areas'
// averages over the forms whose appraisal is complete (appraised or
// locked), for the charts of the results page.
func (db *DB) GroupChartData(ctx context.Context, phaseID, setID int64) (_ []GroupForm, _ []AreaAverage, err error) {
	defer wrap(&err, "GroupChartData")
	rows, err := db.Pool.Query(ctx, `SELECT u.name, a.status, a.converted, a.appraised_converted, a.final_converted
		FROM assessments a JOIN units u ON u.id = a.unit_id
		WHERE a.phase_id = $1 AND a.set_id = $2
		ORDER BY u.name COLLATE "vi-x-icu", a.id`, phaseID, setID)
	if err != nil {
		return nil, nil, err
	}
	forms, err := pgx.CollectRows(rows, pgx.RowToStructByPos[GroupForm])
	if err != nil {
		return nil, nil, err
	}
	rows, err = db.Pool.Query(ctx, `
		WITH RECURSIVE tree AS (
			SELECT id, id AS root FROM criteria WHERE set_id = $2 AND parent_id IS NULL
			UNION ALL SELECT c.id, t.root FROM criteria c JOIN tree t ON c.parent_id = t.id),
		leaves AS (SELECT t.id, t.root, c.max_points FROM tree t JOIN criteria c ON c.id = t.id
			WHERE NOT EXISTS (SELECT 1 FROM criteria k WHERE k.parent_id = t.id)),
		per AS (
			SELECT a.id, l.root,
				sum(coalesce(s.points, 0)) FILTER (WHERE NOT coalesce(s.na, false)) AS self_points,
				sum(l.max_points) FILTER (WHERE NOT coalesce(s.na, false)) AS self_max,
				sum(coalesce(s.final_points, 0)) FILTER (WHERE NOT coalesce(s.final_na, false)) AS final_points,
				sum(l.max_points) FILTER (WHERE NOT coalesce(s.final_na, false)) AS final_max
			FROM assessments a CROSS JOIN leaves l
			LEFT JOIN scores s ON s.campaign_id = a.campaign_id AND s.assessment_id = a.id AND s.criterion_id = l.id
			WHERE a.phase_id = $1 AND a.set_id = $2 AND a.status IN ('appraised', 'locked')
			GROUP BY a.id, l.root)
		SELECT c.code, c.title, coalesce(round(avg(p.self_points * 10000.0 / nullif(p.self_max, 0))), 0)::bigint,
			coalesce(round(avg(p.final_points * 10000.0 / nullif(p.final_max, 0))), 0)::bigint
		FROM per p JOIN criteria c ON c.id = p.root
		GROUP BY c.id, c.seq, c.code, c.title ORDER BY c.seq, c.id`, phaseID, setID)
	if err != nil {
		return nil, nil, err
	}
	areas, err := pgx.CollectRows(rows, pgx.RowToStructByPos[AreaAverage])
	if err != nil {
		return nil, nil, err
	}
	return forms, areas, nil
}
