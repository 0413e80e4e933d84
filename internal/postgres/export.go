package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"thidua/internal/domain"
)

// withUnitCode scans a row of assessmentColumns followed by the unit's code,
// so the export keeps using scanAssessment whatever columns it gains.
type withUnitCode struct {
	pgx.Rows
	code *string
}

func (r withUnitCode) Scan(dest ...any) (err error) {
	defer wrap(&err, "withUnitCode.Scan")
	return r.Rows.Scan(append(dest, r.code)...)
}

// AssessmentsForExport streams a campaign's self-assessment forms with
// their unit's code, in the order of the dashboard (phase, unit name),
// calling fn for each; nothing is held in memory but the current row.
func (db *DB) AssessmentsForExport(ctx context.Context, campaignID int64, fn func(a *Assessment, unitCode string) error) (err error) {
	defer wrap(&err, "AssessmentsForExport")
	rows, err := db.Pool.Query(ctx, `SELECT `+assessmentColumns+`, coalesce(u.code, '')`+assessmentFrom+`
		WHERE a.campaign_id = $1 ORDER BY p.seq, u.name COLLATE "vi-x-icu", a.id`, campaignID)
	if err != nil {
		return fmt.Errorf("assessments for export: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var code string
		a, err := scanAssessment(withUnitCode{rows, &code})
		if err != nil {
			return fmt.Errorf("assessments for export: %w", err)
		}
		if err := fn(a, code); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("assessments for export: %w", err)
	}
	return nil
}

// ScoreExportRow is one scorable criterion (a leaf) of one form.
type ScoreExportRow struct {
	UnitCode, UnitName, PhaseName string
	Code, Title                   string
	// Points is the self score; nil while the criterion is not scored or
	// is marked not applicable.
	Points         *domain.Points
	Max            domain.Points
	NA             bool
	HasExplanation bool
	Evidence       int // files attached and not removed
}

// ScoresForExport streams every leaf criterion of every form of a campaign
// with the unit's score, in the order of AssessmentsForExport and, within a
// form, in the order of the criteria tree.
func (db *DB) ScoresForExport(ctx context.Context, campaignID int64, fn func(r *ScoreExportRow) error) (err error) {
	defer wrap(&err, "ScoresForExport")
	rows, err := db.Pool.Query(ctx, `
		WITH RECURSIVE tree AS (
			SELECT c.id, c.set_id, ARRAY[lpad(c.seq::text, 10, '0') || ' ' || c.code] AS path
			FROM criteria c JOIN criteria_sets s ON s.id = c.set_id
			WHERE s.campaign_id = $1 AND c.parent_id IS NULL
			UNION ALL
			SELECT c.id, c.set_id, t.path || (lpad(c.seq::text, 10, '0') || ' ' || c.code)
			FROM criteria c JOIN tree t ON c.parent_id = t.id AND cardinality(t.path) < 64)
		SELECT coalesce(u.code, ''), u.name, p.name, c.code, c.title, CASE WHEN sc.na THEN NULL ELSE sc.points END, c.max_points,
			coalesce(sc.na, false), coalesce(sc.explanation, '') <> '',
			(SELECT count(*) FROM score_evidence e WHERE e.assessment_id = a.id AND e.criterion_id = c.id AND e.removed_at IS NULL)
		FROM assessments a
		JOIN units u ON u.id = a.unit_id
		JOIN phases p ON p.id = a.phase_id
		JOIN tree t ON t.set_id = a.set_id
		JOIN criteria c ON c.id = t.id
		LEFT JOIN scores sc ON sc.campaign_id = a.campaign_id AND sc.assessment_id = a.id AND sc.criterion_id = c.id
		WHERE a.campaign_id = $1 AND NOT EXISTS (SELECT 1 FROM criteria k WHERE k.parent_id = c.id)
		ORDER BY p.seq, u.name COLLATE "vi-x-icu", a.id, t.path`, campaignID)
	if err != nil {
		return fmt.Errorf("scores for export: %w", err)
	}
	defer rows.Close()
	var r ScoreExportRow
	for rows.Next() {
		var points *int64
		var count int64
		if err := rows.Scan(&r.UnitCode, &r.UnitName, &r.PhaseName, &r.Code, &r.Title, &points, &r.Max, &r.NA, &r.HasExplanation, &count); err != nil {
			return fmt.Errorf("scores for export: %w", err)
		}
		r.Points, r.Evidence = nil, int(count)
		if points != nil {
			p := domain.Points(*points)
			r.Points = &p
		}
		if err := fn(&r); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("scores for export: %w", err)
	}
	return nil
}
