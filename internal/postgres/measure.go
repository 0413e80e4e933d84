package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"thidua/internal/domain"
)

const measureColumns = `m.id, m.code, m.short_name, m.name, m.scale, m.min_value, m.max_value, m.publisher`

// Measures returns the external measures in their usual order (PAR INDEX,
// SIPAS, the PAPI dimensions, dossiers on time).
func (db *DB) Measures(ctx context.Context) (_ []domain.Measure, err error) {
	defer wrap(&err, "Measures")
	rows, err := db.Pool.Query(ctx, `SELECT `+measureColumns+` FROM measures m ORDER BY m.seq, m.code`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[domain.Measure])
}

// MeasureValueRow is a current value as the measures page lists it.
type MeasureValueRow struct {
	MeasureID   int64
	UnitID      int64
	UnitName    string
	UnitCode    string
	Period      int
	Value       int64
	Source      string
	PublishedOn time.Time
	ImportedBy  string
	ImportedAt  time.Time
	// Replaced counts the earlier values of the same unit, measure and
	// period kept as history.
	Replaced int
}

// MeasureValues lists the current values of a measure (of every measure
// when measureID is 0) for a period (every period when 0), by unit name.
func (db *DB) MeasureValues(ctx context.Context, measureID int64, period int, limit int) (_ []MeasureValueRow, err error) {
	defer wrap(&err, "MeasureValues")
	rows, err := db.Pool.Query(ctx, `SELECT v.measure_id, v.unit_id, u.name, coalesce(u.code, ''), v.period, v.value, v.source, v.published_on,
			coalesce(us.full_name, ''), v.imported_at,
			(SELECT count(*) FROM measure_values h WHERE h.measure_id = v.measure_id AND h.unit_id = v.unit_id
				AND h.period = v.period AND h.replaced_at IS NOT NULL)::int
		FROM measure_values v JOIN units u ON u.id = v.unit_id JOIN measures m ON m.id = v.measure_id
		LEFT JOIN users us ON us.id = v.imported_by
		WHERE v.replaced_at IS NULL AND ($1 = 0 OR v.measure_id = $1) AND ($2 = 0 OR v.period = $2)
		ORDER BY v.period DESC, m.seq, u.name, v.unit_id LIMIT $3`, measureID, period, limit)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[MeasureValueRow])
}

// MeasurePeriods returns the periods that have values, newest first.
func (db *DB) MeasurePeriods(ctx context.Context) (_ []int, err error) {
	defer wrap(&err, "MeasurePeriods")
	rows, err := db.Pool.Query(ctx, `SELECT DISTINCT period FROM measure_values WHERE replaced_at IS NULL ORDER BY period DESC`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[int])
}

// ImportMeasureValues streams the rows of an external values file through
// COPY, checks them as a set (an unknown or ambiguous unit, the same unit,
// measure and period twice; the caller checked each row's measure and
// value) and, unless
// dryRun or a problem was found, writes them: a value for a unit, measure
// and period that already has one replaces it (the old one is kept as
// history), an identical one changes nothing. jobKey names the import job
// the values are recorded with ("" from the command line).
func (db *DB) ImportMeasureValues(ctx context.Context, jobKey string, next func() (*domain.MeasureRow, error), report *domain.ImportReport, dryRun bool) (err error) {
	defer wrap(&err, "ImportMeasureValues")
	report.DryRun = dryRun
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `CREATE TEMP TABLE imp_measures (
			line int NOT NULL, unit_code text NOT NULL, unit_name text NOT NULL, measure_code text NOT NULL, period int,
			value bigint, source text NOT NULL, published_on date, invalid boolean NOT NULL,
			unit_id bigint, unit_matches int NOT NULL DEFAULT 0, measure_id bigint, current_id bigint,
			same boolean NOT NULL DEFAULT false) ON COMMIT DROP`); err != nil {
			return err
		}
		_, err := tx.CopyFrom(ctx, pgx.Identifier{"imp_measures"},
			[]string{"line", "unit_code", "unit_name", "measure_code", "period", "value", "source", "published_on", "invalid"},
			pgx.CopyFromFunc(func() ([]any, error) {
				r, err := next()
				if r == nil || err != nil {
					return nil, err
				}
				var period, value any
				if r.Period != 0 {
					period = r.Period
				}
				if r.HasValue {
					value = r.Value
				}
				return []any{r.Line, r.UnitCode, r.UnitName, r.MeasureCode, period, value, r.Source, dayOrNil(r.PublishedOn), r.Invalid}, nil
			}))
		if err != nil {
			return err
		}
		stmts := []string{
			`ANALYZE imp_measures`,
			// A unit by its code (the latest unit with it), else by its
			// full or short name, preferring the units still in force.
			`UPDATE imp_measures i SET unit_id = (SELECT u.id FROM units u WHERE u.code = i.unit_code ORDER BY u.valid_from DESC LIMIT 1),
				unit_matches = 1 WHERE i.unit_code <> ''`,
			`UPDATE imp_measures i SET unit_matches = m.n, unit_id = CASE WHEN m.n = 1 THEN m.id END
			 FROM (SELECT x.line, count(DISTINCT u.id)::int AS n, min(u.id) AS id FROM imp_measures x
				JOIN units u ON lower(u.name) = lower(x.unit_name) OR lower(u.short_name) = lower(x.unit_name)
				WHERE x.unit_code = '' AND x.unit_name <> '' GROUP BY x.line) m
			 WHERE m.line = i.line`,
			`UPDATE imp_measures i SET unit_matches = m.n, unit_id = CASE WHEN m.n = 1 THEN m.id END
			 FROM (SELECT x.line, count(DISTINCT u.id)::int AS n, min(u.id) AS id FROM imp_measures x
				JOIN units u ON (lower(u.name) = lower(x.unit_name) OR lower(u.short_name) = lower(x.unit_name)) AND u.valid_to IS NULL
				WHERE x.unit_code = '' AND x.unit_matches > 1 GROUP BY x.line) m
			 WHERE m.line = i.line`,
			`UPDATE imp_measures i SET measure_id = m.id FROM measures m WHERE m.code = upper(i.measure_code)`,
		}
		for _, s := range stmts {
			if _, err := tx.Exec(ctx, s); err != nil {
				return err
			}
		}
		checks := []stagedCheck{
			{"ma_don_vi", "import.measure.unit_missing", `SELECT line, unit_code FROM imp_measures WHERE unit_code <> '' AND unit_id IS NULL ORDER BY line`},
			{"ten_don_vi", "import.measure.unit_name_missing", `SELECT line, unit_name FROM imp_measures WHERE unit_code = '' AND unit_name <> '' AND unit_matches = 0 ORDER BY line`},
			{"ten_don_vi", "import.measure.unit_ambiguous", `SELECT line, unit_name FROM imp_measures WHERE unit_code = '' AND unit_matches > 1 ORDER BY line`},
			{"nam", "import.measure.duplicate", `SELECT line, first::text FROM (
				SELECT line, min(line) OVER (PARTITION BY unit_id, measure_id, period) AS first FROM imp_measures
				WHERE unit_id IS NOT NULL AND measure_id IS NOT NULL AND period IS NOT NULL) d
				WHERE line <> first ORDER BY line`},
		}
		if err := runChecks(ctx, tx, report, checks); err != nil {
			return err
		}
		if !report.OK() {
			return errRollback
		}
		var invalid bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM imp_measures WHERE invalid)`).Scan(&invalid); err != nil {
			return err
		}
		if invalid { // reported on their cells already
			return errRollback
		}
		if _, err := tx.Exec(ctx, `UPDATE imp_measures i SET current_id = v.id,
				same = (v.value = i.value AND v.source = i.source AND v.published_on = i.published_on)
			FROM measure_values v WHERE v.measure_id = i.measure_id AND v.unit_id = i.unit_id AND v.period = i.period AND v.replaced_at IS NULL`); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT count(*) FILTER (WHERE current_id IS NULL), count(*) FILTER (WHERE current_id IS NOT NULL AND NOT same),
			count(*) FILTER (WHERE same) FROM imp_measures`).Scan(&report.Inserted, &report.Updated, &report.Unchanged); err != nil {
			return err
		}
		if dryRun {
			return errRollback
		}
		actor := nullID(domain.ActorFrom(ctx).UserID)
		var job *int64
		if jobKey != "" {
			if err := tx.QueryRow(ctx, `SELECT id FROM import_jobs WHERE key = $1`, jobKey).Scan(&job); err != nil && !errors.Is(err, pgx.ErrNoRows) {
				return err
			}
		}
		merge := []string{
			`UPDATE measure_values v SET replaced_at = now(), replaced_by = $1
			 FROM imp_measures i WHERE v.id = i.current_id AND NOT i.same`,
			`INSERT INTO measure_values (measure_id, unit_id, period, value, source, published_on, imported_by, import_job_id)
			 SELECT measure_id, unit_id, period, value, source, published_on, $1, $2 FROM imp_measures
			 WHERE current_id IS NULL OR NOT same ORDER BY line`,
		}
		if _, err := tx.Exec(ctx, merge[0], actor); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, merge[1], actor, job); err != nil {
			return err
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditMeasureImport, ObjectType: "measure",
			Details: map[string]any{"rows": report.Rows, "inserted": report.Inserted, "updated": report.Updated, "unchanged": report.Unchanged}})
	})
	if errors.Is(err, errRollback) {
		return nil
	}
	return err
}
