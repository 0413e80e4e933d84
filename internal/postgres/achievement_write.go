package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"thidua/internal/domain"
)

// ImportAchievements streams the rows of a past-awards file into a
// temporary table with COPY, checks them as a set (unknown units or
// people, a unit's code not in force in the award's year, the same award
// twice) and, unless dryRun or a problem was found, merges them into the
// achievement history in the same transaction. A row matches a recorded
// award by its unit or person, year, title and decision number (the
// table's unique key): an identical one changes nothing, one whose other
// columns differ corrects it, so importing a file twice is harmless.
// jobKey names the web import job the awards are recorded with ("" from
// the command line).
func (db *DB) ImportAchievements(ctx context.Context, jobKey string, next func() (*domain.AwardRow, error), report *domain.ImportReport, dryRun bool) (err error) {
	defer wrap(&err, "ImportAchievements")
	report.DryRun = dryRun
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `CREATE TEMP TABLE imp_awards (
			line int NOT NULL, unit_code text NOT NULL, person_code text NOT NULL, year int, title text NOT NULL,
			decision_number text NOT NULL, decision_date date, issuer text NOT NULL, thematic boolean NOT NULL,
			note text NOT NULL, invalid boolean NOT NULL,
			unit_id bigint, unit_known boolean NOT NULL DEFAULT false, person_id bigint, form_id bigint,
			match_id bigint, same boolean NOT NULL DEFAULT false) ON COMMIT DROP`); err != nil {
			return err
		}
		_, err := tx.CopyFrom(ctx, pgx.Identifier{"imp_awards"},
			[]string{"line", "unit_code", "person_code", "year", "title", "decision_number", "decision_date", "issuer", "thematic", "note", "invalid"},
			pgx.CopyFromFunc(func() ([]any, error) {
				r, err := next()
				if r == nil || err != nil {
					return nil, err
				}
				var year any
				if r.Year != 0 {
					year = r.Year
				}
				return []any{r.Line, r.UnitCode, r.PersonCode, year, r.Title, r.DecisionNumber, r.DecisionDate, r.Issuer,
					r.Thematic, r.Note, r.Invalid}, nil
			}))
		if err != nil {
			return err
		}
		stmts := []string{
			`ANALYZE imp_awards`,
			// A unit by its code, as it was when the award was made: in
			// force on the decision's date, else at some time of the year.
			// A commune merged in 2025 keeps its own code and awards.
			`UPDATE imp_awards i SET unit_known = EXISTS (SELECT 1 FROM units u WHERE u.code = i.unit_code),
				unit_id = (SELECT u.id FROM units u WHERE u.code = i.unit_code
					AND (i.decision_date IS NULL OR (u.valid_from <= i.decision_date AND (u.valid_to IS NULL OR u.valid_to > i.decision_date)))
					AND (i.year IS NULL OR (u.valid_from <= make_date(i.year, 12, 31) AND (u.valid_to IS NULL OR u.valid_to > make_date(i.year, 1, 1))))
					ORDER BY u.valid_from DESC LIMIT 1)
			 WHERE i.unit_code <> ''`,
			`UPDATE imp_awards i SET person_id = p.id FROM people p WHERE i.person_code <> '' AND p.code = i.person_code`,
			// The award form of the catalogue with that name, if any.
			`UPDATE imp_awards i SET form_id = (SELECT f.id FROM award_forms f WHERE lower(f.name) = lower(i.title) ORDER BY f.id LIMIT 1)`,
		}
		for _, s := range stmts {
			if _, err := tx.Exec(ctx, s); err != nil {
				return err
			}
		}
		checks := []stagedCheck{
			{"ma_don_vi", "import.award.unit_missing", `SELECT line, unit_code FROM imp_awards WHERE unit_code <> '' AND NOT unit_known ORDER BY line`},
			{"ma_don_vi", "import.award.unit_not_in_force", `SELECT line, unit_code || ' (' || coalesce(year::text, '') || ')' FROM imp_awards
				WHERE unit_code <> '' AND unit_known AND unit_id IS NULL AND year IS NOT NULL ORDER BY line`},
			{"ma_can_bo", "import.award.person_missing", `SELECT line, person_code FROM imp_awards WHERE person_code <> '' AND person_id IS NULL ORDER BY line`},
			{"so_quyet_dinh", "import.award.duplicate", `SELECT line, first::text FROM (
				SELECT line, min(line) OVER (PARTITION BY unit_id, person_id, year, title, decision_number) AS first FROM imp_awards
				WHERE (unit_id IS NOT NULL OR person_id IS NOT NULL) AND year IS NOT NULL AND title <> '') d
				WHERE line <> first ORDER BY line`},
		}
		if err := runChecks(ctx, tx, report, checks); err != nil {
			return err
		}
		if !report.OK() {
			return errRollback
		}
		var invalid bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM imp_awards WHERE invalid)`).Scan(&invalid); err != nil {
			return err
		}
		if invalid { // reported on their cells already
			return errRollback
		}
		if _, err := tx.Exec(ctx, `UPDATE imp_awards i SET match_id = a.id,
				same = (a.decision_date IS NOT DISTINCT FROM i.decision_date AND a.issuer = i.issuer AND a.thematic = i.thematic
					AND a.note = i.note AND a.award_form_id IS NOT DISTINCT FROM i.form_id)
			FROM achievements a
			WHERE a.unit_id IS NOT DISTINCT FROM i.unit_id AND a.person_id IS NOT DISTINCT FROM i.person_id
			  AND a.year = i.year AND a.title = i.title AND a.decision_number = i.decision_number`); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT count(*) FILTER (WHERE match_id IS NULL), count(*) FILTER (WHERE match_id IS NOT NULL AND NOT same),
			count(*) FILTER (WHERE same) FROM imp_awards`).Scan(&report.Inserted, &report.Updated, &report.Unchanged); err != nil {
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
		if _, err := tx.Exec(ctx, `UPDATE achievements a SET decision_date = i.decision_date, issuer = i.issuer, thematic = i.thematic,
				note = i.note, award_form_id = i.form_id
			FROM imp_awards i WHERE a.id = i.match_id AND NOT i.same`); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO achievements (unit_id, person_id, year, award_form_id, title, decision_number, decision_date,
				issuer, thematic, source, import_job_id, note, created_by)
			SELECT unit_id, person_id, year, form_id, title, decision_number, decision_date, issuer, thematic, 'import', $2, note, $1
			FROM imp_awards WHERE match_id IS NULL ORDER BY line`, actor, job); err != nil {
			return err
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditAchievementImport, ObjectType: "achievement",
			Details: map[string]any{"rows": report.Rows, "inserted": report.Inserted, "updated": report.Updated, "unchanged": report.Unchanged}})
	})
	if errors.Is(err, errRollback) {
		return nil
	}
	return err
}
