package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"thidua/internal/domain"
)

// LinkedCriterion is a criterion that takes its appraised value from an
// external measure.
type LinkedCriterion struct {
	SetID     int64
	SetName   string
	Criterion domain.Criterion
	Measure   domain.Measure
}

// LinkedCriteria lists the criteria of a campaign linked to a measure, by
// set and in tree order.
func (db *DB) LinkedCriteria(ctx context.Context, campaignID int64) (_ []LinkedCriterion, err error) {
	defer wrap(&err, "LinkedCriteria")
	return linkedCriteria(ctx, db.Pool, campaignID)
}

func linkedCriteria(ctx context.Context, q querier, campaignID int64) ([]LinkedCriterion, error) {
	sets, err := loadSets(ctx, q, campaignID)
	if err != nil {
		return nil, err
	}
	measures := map[int64]domain.Measure{}
	rows, err := q.Query(ctx, `SELECT `+measureColumns+` FROM measures m`)
	if err != nil {
		return nil, err
	}
	list, err := pgx.CollectRows(rows, pgx.RowToStructByPos[domain.Measure])
	if err != nil {
		return nil, err
	}
	for _, m := range list {
		measures[m.ID] = m
	}
	var out []LinkedCriterion
	for _, s := range sets {
		nodes, err := loadCriteria(ctx, q, s.ID)
		if err != nil {
			return nil, err
		}
		for _, leaf := range domain.Leaves(nodes) {
			if leaf.MeasureID != 0 {
				out = append(out, LinkedCriterion{SetID: s.ID, SetName: s.Name, Criterion: leaf, Measure: measures[leaf.MeasureID]})
			}
		}
	}
	return out, nil
}

// MeasureFill is an appraised value filled from a measure.
type MeasureFill struct {
	AssessmentID int64
	UnitName     string
	Code         string // the criterion's
	Value        string // "85,23 %"
	Points       domain.Points
	Source       string
}

// MeasureGap is a criterion of a form left as it was: the unit has no value
// of the measure for the period, or an appraiser already entered the
// appraised value by hand.
type MeasureGap struct {
	AssessmentID int64
	UnitName     string
	Code         string
	Measure      string // "PAR INDEX 2025"
}

// SkippedForm is a form of the phase not filled, with its status.
type SkippedForm struct {
	AssessmentID int64
	UnitName     string
	Status       domain.AssessmentStatus
}

// MeasureApplyReport is what filling a phase's forms from the measures did.
type MeasureApplyReport struct {
	Linked    int // linked criteria in the campaign
	Forms     int // forms filled (being appraised)
	Filled    []MeasureFill
	Unchanged int // values already filled from the same source
	Missing   []MeasureGap
	ByHand    []MeasureGap
	Skipped   []SkippedForm
}

// ApplyMeasures fills, in every form of a phase being appraised (received),
// the appraised value of each criterion linked to a measure with the
// participant unit's value of that measure for the criterion's period,
// recording where it came from in appraisal_source. A unit without a value
// is listed, never given zero; a criterion an appraiser already appraised by
// hand is listed and kept; forms not being appraised (not yet received,
// appraisal completed, locked) are listed and left alone. Each form changes
// in its own transaction with its totals.
func (db *DB) ApplyMeasures(ctx context.Context, campaignID, phaseID int64) (_ *MeasureApplyReport, err error) {
	defer wrap(&err, "ApplyMeasures")
	report := &MeasureApplyReport{}
	linked, err := linkedCriteria(ctx, db.Pool, campaignID)
	if err != nil {
		return nil, err
	}
	report.Linked = len(linked)
	if len(linked) == 0 {
		return report, nil
	}
	rows, err := db.Pool.Query(ctx, `SELECT a.id, a.status, u.name FROM assessments a JOIN units u ON u.id = a.unit_id
		WHERE a.campaign_id = $1 AND a.phase_id = $2 ORDER BY u.name, a.id`, campaignID, phaseID)
	if err != nil {
		return nil, err
	}
	type form struct {
		id     int64
		status domain.AssessmentStatus
		unit   string
	}
	forms, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (form, error) {
		var f form
		err := row.Scan(&f.id, &f.status, &f.unit)
		return f, err
	})
	if err != nil {
		return nil, err
	}
	for _, f := range forms {
		if f.status != domain.AssessReceived {
			report.Skipped = append(report.Skipped, SkippedForm{AssessmentID: f.id, UnitName: f.unit, Status: f.status})
			continue
		}
		if err := db.inTx(ctx, func(tx pgx.Tx) error { return applyMeasuresToForm(ctx, tx, f.id, linked, report) }); err != nil {
			return nil, err
		}
	}
	return report, nil
}

// measureValue is a unit's current value of a measure for a period.
type measureValue struct {
	value     int64
	source    string
	published time.Time
}

func applyMeasuresToForm(ctx context.Context, tx pgx.Tx, assessmentID int64, linked []LinkedCriterion, report *MeasureApplyReport) error {
	a, err := lockAssessment(ctx, tx, assessmentID)
	if err != nil {
		return err
	}
	if a.CheckAppraisal() != nil { // changed since the list was read
		report.Skipped = append(report.Skipped, SkippedForm{AssessmentID: a.ID, UnitName: a.UnitName, Status: a.Status})
		return nil
	}
	var mine []LinkedCriterion
	for _, l := range linked {
		if l.SetID == a.SetID {
			mine = append(mine, l)
		}
	}
	if len(mine) == 0 {
		return nil
	}
	values := map[[2]int64]measureValue{}
	rows, err := tx.Query(ctx, `SELECT measure_id, period, value, source, published_on FROM measure_values
		WHERE unit_id = $1 AND replaced_at IS NULL`, a.UnitID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var m, p int64
		var v measureValue
		if err := rows.Scan(&m, &p, &v.value, &v.source, &v.published); err != nil {
			rows.Close()
			return err
		}
		values[[2]int64{m, p}] = v
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	type current struct {
		points    *int64
		measured  *int64
		appraised *int64
		measuredA *int64
		source    string
	}
	actor := nullID(domain.ActorFrom(ctx).UserID)
	changed := 0
	for _, l := range mine {
		c := l.Criterion
		label := l.Measure.ShortName + " " + strconv.Itoa(c.MeasurePeriod)
		v, ok := values[[2]int64{c.MeasureID, int64(c.MeasurePeriod)}]
		if !ok {
			report.Missing = append(report.Missing, MeasureGap{AssessmentID: a.ID, UnitName: a.UnitName, Code: c.Code, Measure: label})
			continue
		}
		var cur current
		err = tx.QueryRow(ctx, `SELECT points, measured, appraised_points, appraised_measured, appraisal_source FROM scores
			WHERE campaign_id = $1 AND assessment_id = $2 AND criterion_id = $3 FOR UPDATE`, a.CampaignID, a.ID, c.ID).
			Scan(&cur.points, &cur.measured, &cur.appraised, &cur.measuredA, &cur.source)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		if cur.appraised != nil && cur.source == "" {
			report.ByHand = append(report.ByHand, MeasureGap{AssessmentID: a.ID, UnitName: a.UnitName, Code: c.Code, Measure: label})
			continue
		}
		points, err := c.PointsFor(domain.Score{Measured: v.value})
		if err != nil {
			return err
		}
		source := domain.MeasureSource(l.Measure.ShortName, c.MeasurePeriod, v.source, v.published)
		if cur.appraised != nil && *cur.appraised == int64(points) && cur.measuredA != nil && *cur.measuredA == v.value && cur.source == source {
			report.Unchanged++
			continue
		}
		// The comment says why the value differs from the unit's own.
		comment := ""
		if cur.measured == nil || *cur.measured != v.value {
			comment = "Giá trị theo chỉ số công bố: " + l.Measure.FormatValue(v.value) + "."
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO scores (campaign_id, assessment_id, criterion_id, appraised_points, appraised_measured, appraised_na,
				appraisal_comment, appraisal_source, appraised_by, appraised_at, final_points, final_measured, final_na)
			VALUES ($1, $2, $3, $4, $5, false, $6, $7, $8, now(), $4, $5, false)
			ON CONFLICT (campaign_id, assessment_id, criterion_id) DO UPDATE SET appraised_points = EXCLUDED.appraised_points,
				appraised_measured = EXCLUDED.appraised_measured, appraised_na = false, appraisal_comment = EXCLUDED.appraisal_comment,
				appraisal_source = EXCLUDED.appraisal_source, appraised_by = EXCLUDED.appraised_by, appraised_at = now(),
				final_points = EXCLUDED.final_points, final_measured = EXCLUDED.final_measured, final_na = false,
				version = scores.version + 1`,
			a.CampaignID, a.ID, c.ID, int64(points), v.value, comment, source, actor); err != nil {
			return err
		}
		old, _ := json.Marshal(map[string]any{"points": cur.appraised, "measured": cur.measuredA, "source": cur.source})
		now, _ := json.Marshal(map[string]any{"points": int64(points), "measured": v.value, "source": source, "comment": comment})
		if _, err := tx.Exec(ctx, `INSERT INTO assessment_history (assessment_id, criterion_id, action, old_value, new_value, actor_id)
			VALUES ($1, $2, 'appraise', $3, $4, $5)`, a.ID, c.ID, old, now, actor); err != nil {
			return err
		}
		report.Filled = append(report.Filled, MeasureFill{AssessmentID: a.ID, UnitName: a.UnitName, Code: c.Code,
			Value: l.Measure.FormatValue(v.value), Points: points, Source: source})
		changed++
	}
	report.Forms++
	if changed == 0 {
		return nil
	}
	nodes, err := loadCriteria(ctx, tx, a.SetID)
	if err != nil {
		return err
	}
	if err := updateTotals(ctx, tx, a, nodes); err != nil {
		return err
	}
	return audit(ctx, tx, auditEntry{Action: domain.AuditMeasureApply, ObjectType: "assessment", ObjectID: strconv.FormatInt(a.ID, 10),
		Details: map[string]any{"changed": changed}})
}
