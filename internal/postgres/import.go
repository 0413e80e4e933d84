package postgres

import (
	"context"
	"errors"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"

	"thidua/internal/domain"
)

// errRollback ends an import transaction that must write nothing: a dry run,
// or a file with problems.
var errRollback = errors.New("import: roll back")

// ImportUnits streams unit rows (the caller counts them in report.Rows) into a temporary table with COPY, checks
// them as a set (duplicate codes, missing parents, cycles), and, unless
// dryRun or a problem was found, merges them into the registry in the same
// transaction. A row matches an existing unit by code, or, without a code,
// by parent and name; a matched row that differs corrects the unit, an
// identical one changes nothing, so importing a file twice is harmless.
func (db *DB) ImportUnits(ctx context.Context, next func() (*domain.UnitRow, error), report *domain.ImportReport, dryRun bool) (err error) {
	defer wrap(&err, "ImportUnits")
	report.DryRun = dryRun
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `CREATE TEMP TABLE imp_units (
			line int NOT NULL, code text NOT NULL, name text NOT NULL, short_name text NOT NULL, kind text NOT NULL,
			parent_code text NOT NULL, valid_from date, valid_to date, invalid boolean NOT NULL,
			match_id bigint, new_id bigint, parent_id bigint, same boolean NOT NULL DEFAULT false) ON COMMIT DROP`); err != nil {
			return err
		}
		_, err := tx.CopyFrom(ctx, pgx.Identifier{"imp_units"},
			[]string{"line", "code", "name", "short_name", "kind", "parent_code", "valid_from", "valid_to", "invalid"},
			pgx.CopyFromFunc(func() ([]any, error) {
				r, err := next()
				if r == nil || err != nil {
					return nil, err
				}
				return []any{r.Line, r.Code, r.Name, r.ShortName, string(r.Kind), r.ParentCode, dayOrNil(r.ValidFrom), r.ValidTo, r.Invalid}, nil
			}))
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `CREATE INDEX ON imp_units (code); ANALYZE imp_units`); err != nil {
			return err
		}
		if err := checkUnitRows(ctx, tx, report); err != nil {
			return err
		}
		if !report.OK() {
			return errRollback
		}
		if err := matchUnitRows(ctx, tx, report); err != nil {
			return err
		}
		// Parent links through units already in the registry may close a
		// loop the file alone does not show. The links, the file's and the
		// registry's, go into an indexed table first, so that each step of
		// the walk looks its parent up (a common table expression there
		// made every step scan every link: 10 s for 20,000 rows).
		if _, err := tx.Exec(ctx, `CREATE TEMP TABLE imp_edges ON COMMIT DROP AS
				SELECT coalesce(match_id, new_id) AS id, parent_id FROM imp_units
				UNION ALL
				SELECT u.id, u.parent_id FROM units u WHERE NOT EXISTS (SELECT 1 FROM imp_units i WHERE i.match_id = u.id);
			CREATE INDEX ON imp_edges (id); ANALYZE imp_edges`); err != nil {
			return err
		}
		if err := problemsFrom(ctx, tx, report, "ma_cap_tren", "import.unit.cycle", `
			WITH RECURSIVE walk (start, cur, depth) AS (
				SELECT coalesce(match_id, new_id), parent_id, 1 FROM imp_units WHERE parent_id IS NOT NULL
				UNION ALL
				SELECT w.start, e.parent_id, w.depth + 1 FROM walk w JOIN imp_edges e ON e.id = w.cur
				WHERE e.parent_id IS NOT NULL AND w.depth < 64 AND w.cur <> w.start)
			SELECT i.line, coalesce(nullif(i.code, ''), i.name) FROM imp_units i
			WHERE coalesce(i.match_id, i.new_id) IN (SELECT w.start FROM walk w WHERE w.cur = w.start)
			ORDER BY i.line`); err != nil {
			return err
		}
		if !report.OK() {
			sortProblems(report.Problems)
			return errRollback
		}
		if dryRun {
			return errRollback
		}
		if err := mergeUnitRows(ctx, tx); err != nil {
			return err
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditUnitImport, ObjectType: "unit",
			Details: map[string]any{"rows": report.Rows, "inserted": report.Inserted, "updated": report.Updated, "unchanged": report.Unchanged}})
	})
	if errors.Is(err, errRollback) {
		return nil
	}
	return err
}

// dayOrNil is NULL for a date a row lacks (reported on the row already).
func dayOrNil(d time.Time) any {
	if d.IsZero() {
		return nil
	}
	return d
}

// stagedCheck is one check of a staged import: the rows a query returns
// as (line, arg) are problems of that column, with that message.
type stagedCheck struct{ column, message, sql string }

// runChecks runs a staged import's checks and sorts the report's problems
// by line.
func runChecks(ctx context.Context, tx pgx.Tx, report *domain.ImportReport, checks []stagedCheck) error {
	for _, c := range checks {
		if err := problemsFrom(ctx, tx, report, c.column, c.message, c.sql); err != nil {
			return err
		}
	}
	sortProblems(report.Problems)
	return nil
}

// problemsFrom adds a problem per row a query returns as (line, arg).
func problemsFrom(ctx context.Context, tx pgx.Tx, report *domain.ImportReport, column, message, sql string) error {
	rows, err := tx.Query(ctx, sql)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var line int
		var arg string
		if err := rows.Scan(&line, &arg); err != nil {
			return err
		}
		report.AddProblem(domain.ImportProblem{Line: line, Column: column, Message: message, Args: []any{arg}})
	}
	return rows.Err()
}

func checkUnitRows(ctx context.Context, tx pgx.Tx, report *domain.ImportReport) error {
	checks := []stagedCheck{
		{"ma", "import.unit.duplicate_code", `
			SELECT line, first::text FROM (
				SELECT line, min(line) OVER (PARTITION BY code) AS first FROM imp_units WHERE code <> '') d
			WHERE line <> first ORDER BY line`},
		{"ma_cap_tren", "import.unit.parent_missing", `
			SELECT i.line, i.parent_code FROM imp_units i
			WHERE i.parent_code <> ''
			  AND NOT EXISTS (SELECT 1 FROM imp_units p WHERE p.code = i.parent_code)
			  AND NOT EXISTS (SELECT 1 FROM units u WHERE u.code = i.parent_code)
			ORDER BY i.line`},
		{"ma_cap_tren", "import.unit.parent_self", `
			SELECT line, code FROM imp_units WHERE parent_code <> '' AND parent_code = code ORDER BY line`},
		{"ma_cap_tren", "import.unit.cycle", `
			WITH RECURSIVE walk (start, code, depth) AS (
				SELECT line, parent_code, 1 FROM imp_units WHERE parent_code <> '' AND parent_code <> code
				UNION ALL
				SELECT w.start, i.parent_code, w.depth + 1 FROM walk w JOIN imp_units i ON i.code = w.code
				WHERE i.parent_code <> '' AND w.depth < 64)
			SELECT DISTINCT i.line, i.code FROM walk w JOIN imp_units i ON i.line = w.start
			WHERE w.code = i.code ORDER BY i.line`},
	}
	return runChecks(ctx, tx, report, checks)
}

// matchUnitRows finds the existing unit of each row, gives new rows their
// IDs ahead of time (so rows can point at parents created by the same
// file), resolves parents, and counts what the import will do.
func matchUnitRows(ctx context.Context, tx pgx.Tx, report *domain.ImportReport) error {
	stmts := []string{
		// By code: the latest unit with that code.
		`UPDATE imp_units i SET match_id = (SELECT u.id FROM units u WHERE u.code = i.code ORDER BY u.valid_from DESC LIMIT 1)
		 WHERE i.code <> ''`,
		// Parents named by code in the file, else in the registry.
		`UPDATE imp_units i SET new_id = nextval(pg_get_serial_sequence('units', 'id')) WHERE match_id IS NULL AND code <> ''`,
		`UPDATE imp_units i SET parent_id = coalesce(
			(SELECT coalesce(p.match_id, p.new_id) FROM imp_units p WHERE p.code = i.parent_code),
			(SELECT u.id FROM units u WHERE u.code = i.parent_code ORDER BY u.valid_from DESC LIMIT 1))
		 WHERE i.parent_code <> ''`,
		// Without a code: by parent and name among units without a code.
		`UPDATE imp_units i SET match_id = (SELECT u.id FROM units u
			WHERE u.code IS NULL AND u.name = i.name AND u.parent_id IS NOT DISTINCT FROM i.parent_id
			ORDER BY u.valid_from DESC LIMIT 1)
		 WHERE i.code = ''`,
		`UPDATE imp_units i SET new_id = nextval(pg_get_serial_sequence('units', 'id')) WHERE match_id IS NULL AND new_id IS NULL`,
		`UPDATE imp_units i SET same = true FROM units u
		 WHERE u.id = i.match_id AND u.name = i.name AND u.short_name = i.short_name AND u.kind = i.kind
		   AND u.parent_id IS NOT DISTINCT FROM i.parent_id AND u.valid_from = i.valid_from
		   AND u.valid_to IS NOT DISTINCT FROM i.valid_to`,
	}
	for _, s := range stmts {
		if _, err := tx.Exec(ctx, s); err != nil {
			return err
		}
	}
	return tx.QueryRow(ctx, `SELECT count(*) FILTER (WHERE match_id IS NULL), count(*) FILTER (WHERE match_id IS NOT NULL AND NOT same),
		count(*) FILTER (WHERE same) FROM imp_units`).Scan(&report.Inserted, &report.Updated, &report.Unchanged)
}

// mergeUnitRows writes the new units and corrects the changed ones. Foreign
// keys are checked at the end of each statement, so new units may point at
// each other in any order.
func mergeUnitRows(ctx context.Context, tx pgx.Tx) error {
	stmts := []string{
		`INSERT INTO units (id, name, short_name, kind, code, parent_id, valid_from, valid_to)
		 OVERRIDING SYSTEM VALUE
		 SELECT new_id, name, short_name, kind, nullif(code, ''), parent_id, valid_from, valid_to FROM imp_units WHERE match_id IS NULL`,
		`INSERT INTO unit_versions (unit_id, valid_from, valid_to, name, short_name, parent_id)
		 SELECT new_id, valid_from, valid_to, name, short_name, parent_id FROM imp_units WHERE match_id IS NULL`,
		`UPDATE units u SET name = i.name, short_name = i.short_name, kind = i.kind, parent_id = i.parent_id,
			valid_from = i.valid_from, valid_to = i.valid_to, version = u.version + 1, updated_at = now()
		 FROM imp_units i WHERE i.match_id = u.id AND NOT i.same`,
		// A correction rewrites the latest version; history before it stays.
		`UPDATE unit_versions v SET name = i.name, short_name = i.short_name, parent_id = i.parent_id, valid_to = i.valid_to
		 FROM imp_units i
		 WHERE i.match_id = v.unit_id AND NOT i.same
		   AND v.valid_from = (SELECT max(valid_from) FROM unit_versions x WHERE x.unit_id = v.unit_id)`,
		`UPDATE unit_versions v SET valid_from = i.valid_from
		 FROM imp_units i
		 WHERE i.match_id = v.unit_id AND NOT i.same
		   AND (SELECT count(*) FROM unit_versions x WHERE x.unit_id = v.unit_id) = 1`,
	}
	for _, s := range stmts {
		if _, err := tx.Exec(ctx, s); err != nil {
			if isExclusionViolation(err, "units_code_in_time") {
				return domain.Errorf(domain.EINVALID, "import.unit.code_conflict")
			}
			return err
		}
	}
	return nil
}

// ImportPeople streams people rows through COPY, checks them as a set
// (duplicate codes, unknown units) and, unless dryRun or a problem was
// found, merges them: a row matches a person by code, or, without a code,
// by name, birth year and unit. progress, when not nil, is called with the
// number of rows read so far.
func (db *DB) ImportPeople(ctx context.Context, next func() (*domain.PersonRow, error), report *domain.ImportReport, dryRun bool) (err error) {
	defer wrap(&err, "ImportPeople")
	report.DryRun = dryRun
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `CREATE TEMP TABLE imp_people (
			line int NOT NULL, code text NOT NULL, full_name text NOT NULL, gender text, birth_year smallint,
			position text NOT NULL, category text NOT NULL, unit_code text NOT NULL, valid_from date, invalid boolean NOT NULL,
			unit_id bigint, match_id bigint, new_id bigint, same boolean NOT NULL DEFAULT false, same_unit boolean NOT NULL DEFAULT false) ON COMMIT DROP`); err != nil {
			return err
		}
		_, err := tx.CopyFrom(ctx, pgx.Identifier{"imp_people"},
			[]string{"line", "code", "full_name", "gender", "birth_year", "position", "category", "unit_code", "valid_from", "invalid"},
			pgx.CopyFromFunc(func() ([]any, error) {
				r, err := next()
				if r == nil || err != nil {
					return nil, err
				}
				var gender *string
				if r.Gender != "" {
					gender = &r.Gender
				}
				return []any{r.Line, r.Code, r.FullName, gender, r.BirthYear, r.Position, string(r.Category), r.UnitCode, dayOrNil(r.From), r.Invalid}, nil
			}))
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `CREATE INDEX ON imp_people (code); ANALYZE imp_people`); err != nil {
			return err
		}
		// A row whose start date is unreadable (reported already) is only
		// checked for a unit with that code at all.
		if _, err := tx.Exec(ctx, `UPDATE imp_people i SET unit_id = (SELECT u.id FROM units u WHERE u.code = i.unit_code
			AND (i.valid_from IS NULL OR u.valid_from <= i.valid_from AND (u.valid_to IS NULL OR u.valid_to > i.valid_from)) LIMIT 1)`); err != nil {
			return err
		}
		checks := []stagedCheck{
			{"ma_can_bo", "import.person.duplicate_code", `
				SELECT line, first::text FROM (
					SELECT line, min(line) OVER (PARTITION BY code) AS first FROM imp_people WHERE code <> '') d
				WHERE line <> first ORDER BY line`},
			{"ma_don_vi", "import.person.unit_missing", `SELECT line, unit_code FROM imp_people WHERE unit_id IS NULL AND unit_code <> '' ORDER BY line`},
		}
		if err := runChecks(ctx, tx, report, checks); err != nil {
			return err
		}
		if !report.OK() {
			return errRollback
		}
		stmts := []string{
			`UPDATE imp_people i SET match_id = p.id FROM people p WHERE i.code <> '' AND p.code = i.code`,
			`UPDATE imp_people i SET match_id = (SELECT p.id FROM people p JOIN person_units m ON m.person_id = p.id
				AND m.unit_id = i.unit_id AND m.valid_to IS NULL
				WHERE p.code IS NULL AND p.full_name = i.full_name AND p.birth_year IS NOT DISTINCT FROM i.birth_year LIMIT 1)
			 WHERE i.code = ''`,
			`UPDATE imp_people i SET new_id = nextval(pg_get_serial_sequence('people', 'id')) WHERE match_id IS NULL`,
			`UPDATE imp_people i SET same_unit = EXISTS (SELECT 1 FROM person_units m WHERE m.person_id = i.match_id
				AND m.unit_id = i.unit_id AND m.valid_to IS NULL)
			 WHERE match_id IS NOT NULL`,
			`UPDATE imp_people i SET same = i.same_unit FROM people p
			 WHERE p.id = i.match_id AND p.full_name = i.full_name AND p.gender IS NOT DISTINCT FROM i.gender
			   AND p.birth_year IS NOT DISTINCT FROM i.birth_year AND p.position = i.position AND p.category = i.category`,
		}
		for _, s := range stmts {
			if _, err := tx.Exec(ctx, s); err != nil {
				return err
			}
		}
		if err := tx.QueryRow(ctx, `SELECT count(*) FILTER (WHERE match_id IS NULL), count(*) FILTER (WHERE match_id IS NOT NULL AND NOT same),
			count(*) FILTER (WHERE same) FROM imp_people`).Scan(&report.Inserted, &report.Updated, &report.Unchanged); err != nil {
			return err
		}
		if dryRun {
			return errRollback
		}
		merge := []string{
			`INSERT INTO people (id, code, full_name, gender, birth_year, position, category) OVERRIDING SYSTEM VALUE
			 SELECT new_id, nullif(code, ''), full_name, gender, birth_year, position, category FROM imp_people WHERE match_id IS NULL`,
			`INSERT INTO person_units (person_id, unit_id, valid_from) SELECT new_id, unit_id, valid_from FROM imp_people WHERE match_id IS NULL`,
			`UPDATE people p SET full_name = i.full_name, gender = i.gender, birth_year = i.birth_year, position = i.position,
				category = i.category, version = p.version + 1, updated_at = now()
			 FROM imp_people i WHERE i.match_id = p.id AND NOT i.same`,
			// A person who changed unit: the old membership ends where the new one starts.
			`UPDATE person_units m SET valid_to = i.valid_from FROM imp_people i
			 WHERE i.match_id = m.person_id AND NOT i.same_unit AND m.valid_to IS NULL AND m.valid_from < i.valid_from`,
			`INSERT INTO person_units (person_id, unit_id, valid_from)
			 SELECT i.match_id, i.unit_id, i.valid_from FROM imp_people i
			 WHERE i.match_id IS NOT NULL AND NOT i.same_unit
			   AND NOT EXISTS (SELECT 1 FROM person_units m WHERE m.person_id = i.match_id AND m.valid_from >= i.valid_from)`,
		}
		for _, s := range merge {
			if _, err := tx.Exec(ctx, s); err != nil {
				return err
			}
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditPersonImport, ObjectType: "person",
			Details: map[string]any{"rows": report.Rows, "inserted": report.Inserted, "updated": report.Updated, "unchanged": report.Unchanged}})
	})
	if errors.Is(err, errRollback) {
		return nil
	}
	return err
}

// sortProblems puts problems in line order, keeping the order of the checks
// within a line.
func sortProblems(p []domain.ImportProblem) {
	sort.SliceStable(p, func(i, j int) bool { return p[i].Line < p[j].Line })
}
