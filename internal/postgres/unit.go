package postgres

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"

	"thidua/internal/domain"
)

// Unit is a unit as a list or a tree shows it: its identity and lifetime,
// with the name and parent it had on the date asked for.
type Unit struct {
	ID        int64
	ParentID  *int64
	Name      string
	ShortName string
	Code      string
	Kind      domain.UnitKind
	ValidFrom time.Time
	ValidTo   *time.Time
}

// unitAsOf selects units in force on $1 with their version of that day.
const unitAsOf = `
	SELECT u.id, v.parent_id, v.name, v.short_name, coalesce(u.code, '') AS code, u.kind, u.valid_from, u.valid_to
	FROM units u
	JOIN unit_versions v ON v.unit_id = u.id AND v.valid_from <= $1 AND (v.valid_to IS NULL OR v.valid_to > $1)`

// collectUnits reads rows of Unit's columns in its order. The unit tree
// reads a province's thousand units on every request, so they are scanned
// field by field into plain types: pgx's struct scanning (reflection on
// every row) and its plans for named and pointer types were a third of the
// tree page's CPU.
func collectUnits(rows pgx.Rows, err error) ([]Unit, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Unit
	var u Unit
	var parent pgtype.Int8
	var validTo pgtype.Date
	dest := []any{&u.ID, &parent, &u.Name, &u.ShortName, &u.Code, (*string)(&u.Kind), &u.ValidFrom, &validTo}
	for rows.Next() {
		u, parent, validTo = Unit{}, pgtype.Int8{}, pgtype.Date{}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		if parent.Valid {
			id := parent.Int64
			u.ParentID = &id
		}
		if validTo.Valid {
			t := validTo.Time
			u.ValidTo = &t
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// CreateUnit registers a unit (and its first version) from in.ValidFrom.
func (db *DB) CreateUnit(ctx context.Context, in domain.UnitInput) (_ int64, err error) {
	defer wrap(&err, "CreateUnit")
	in.Normalize()
	if in.ValidFrom.IsZero() {
		in.ValidFrom = domain.Day(2000, 1, 1)
	}
	if err := in.Validate(); err != nil {
		return 0, err
	}
	var id int64
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		id, err = insertUnit(ctx, tx, in)
		if err != nil {
			return err
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditUnitCreate, ObjectType: "unit", ObjectID: strconv.FormatInt(id, 10),
			Details: map[string]any{"name": in.Name, "code": in.Code, "kind": in.Kind, "parent_id": in.ParentID, "valid_from": in.ValidFrom.Format(time.DateOnly)}})
	})
	return id, err
}

// insertUnit inserts a unit and its first version; the parent must be in
// force on the unit's first day.
func insertUnit(ctx context.Context, tx pgx.Tx, in domain.UnitInput) (int64, error) {
	if in.ParentID != nil {
		var ok bool
		err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM units WHERE id = $1 AND valid_from <= $2 AND (valid_to IS NULL OR valid_to > $2))`,
			*in.ParentID, in.ValidFrom).Scan(&ok)
		if err != nil {
			return 0, err
		}
		if !ok {
			return 0, &domain.ValidationError{Fields: domain.FieldErrors{"parent_id": "unit.parent.not_in_force"}}
		}
	}
	var code *string
	if in.Code != "" {
		code = &in.Code
	}
	var id int64
	err := tx.QueryRow(ctx, `
		INSERT INTO units (name, short_name, parent_id, kind, code, valid_from, valid_to)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		in.Name, in.ShortName, in.ParentID, in.Kind, code, in.ValidFrom, in.ValidTo).Scan(&id)
	if isExclusionViolation(err, "units_code_in_time") {
		return 0, &domain.ValidationError{Fields: domain.FieldErrors{"code": "unit.code.taken"}}
	}
	if err != nil {
		return 0, err
	}
	_, err = tx.Exec(ctx, `INSERT INTO unit_versions (unit_id, valid_from, valid_to, name, short_name, parent_id)
		VALUES ($1, $2, $3, $4, $5, $6)`, id, in.ValidFrom, in.ValidTo, in.Name, in.ShortName, in.ParentID)
	return id, err
}

// UnitByID returns a unit with its latest name and parent.
func (db *DB) UnitByID(ctx context.Context, id int64) (_ *domain.Unit, err error) {
	defer wrap(&err, "UnitByID")
	var u domain.Unit
	err = db.Pool.QueryRow(ctx, `
		SELECT id, coalesce(code, ''), kind, name, short_name, parent_id, valid_from, valid_to, version
		FROM units WHERE id = $1`, id).
		Scan(&u.ID, &u.Code, &u.Kind, &u.Name, &u.ShortName, &u.ParentID, &u.ValidFrom, &u.ValidTo, &u.Version)
	if err != nil {
		return nil, notFound(err, "unit.not_found")
	}
	return &u, nil
}

// UnitsOn returns every unit in force on day, with its name and parent of
// that day, in Vietnamese name order: the material of the tree "as of".
func (db *DB) UnitsOn(ctx context.Context, day time.Time) (_ []Unit, err error) {
	defer wrap(&err, "UnitsOn")
	return collectUnits(db.Pool.Query(ctx, unitAsOf+` ORDER BY v.name COLLATE "vi-x-icu", u.id`, day))
}

// ChildrenOn returns the units under parent on day.
func (db *DB) ChildrenOn(ctx context.Context, parent int64, day time.Time) (_ []Unit, err error) {
	defer wrap(&err, "ChildrenOn")
	return collectUnits(db.Pool.Query(ctx, unitAsOf+` WHERE v.parent_id = $2 ORDER BY v.name COLLATE "vi-x-icu", u.id`, day, parent))
}

// UnitOn returns one unit with its name and parent on day; a unit not in
// force that day is not found.
func (db *DB) UnitOn(ctx context.Context, id int64, day time.Time) (_ *Unit, err error) {
	defer wrap(&err, "UnitOn")
	units, err := collectUnits(db.Pool.Query(ctx, unitAsOf+` WHERE u.id = $2`, day, id))
	if err != nil {
		return nil, err
	}
	if len(units) == 0 {
		return nil, domain.Errorf(domain.ENOTFOUND, "unit.not_found")
	}
	return &units[0], nil
}

// UnitVersion is one span of a unit's name and parent.
type UnitVersion struct {
	ValidFrom  time.Time
	ValidTo    *time.Time
	Name       string
	ShortName  string
	ParentID   *int64
	ParentName string
}

// UnitVersions returns a unit's names and parents over time, oldest first.
// The parent's name is the one it had when the span began.
func (db *DB) UnitVersions(ctx context.Context, id int64) (_ []UnitVersion, err error) {
	defer wrap(&err, "UnitVersions")
	rows, err := db.Pool.Query(ctx, `
		SELECT v.valid_from, v.valid_to, v.name, v.short_name, v.parent_id, coalesce(pv.name, p.name, '')
		FROM unit_versions v
		LEFT JOIN units p ON p.id = v.parent_id
		LEFT JOIN unit_versions pv ON pv.unit_id = v.parent_id AND pv.valid_from <= v.valid_from
			AND (pv.valid_to IS NULL OR pv.valid_to > v.valid_from)
		WHERE v.unit_id = $1 ORDER BY v.valid_from`, id)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[UnitVersion])
}

// LineageLink is a predecessor or successor of a unit through an event.
type LineageLink struct {
	EventID  int64
	Kind     domain.UnitEventKind
	Date     time.Time
	Decision string
	UnitID   int64
	UnitName string // the other unit's name on its side of the event
	UnitCode string
}

// Lineage returns the units a unit came from and those it went into, with
// each other unit's name as it was on its side of the event.
func (db *DB) Lineage(ctx context.Context, id int64) (predecessors, successors []LineageLink, err error) {
	defer wrap(&err, "Lineage")
	q := func(sql string) ([]LineageLink, error) {
		rows, err := db.Pool.Query(ctx, sql, id)
		if err != nil {
			return nil, err
		}
		return pgx.CollectRows(rows, pgx.RowToStructByPos[LineageLink])
	}
	predecessors, err = q(`
		SELECT e.id, e.kind, e.effective_date, e.decision, u.id, coalesce(v.name, u.name), coalesce(u.code, '')
		FROM unit_event_links l JOIN unit_events e ON e.id = l.event_id
		JOIN units u ON u.id = l.from_unit_id
		LEFT JOIN unit_versions v ON v.unit_id = u.id AND v.valid_to = e.effective_date
		WHERE l.to_unit_id = $1 AND l.from_unit_id <> $1
		ORDER BY e.effective_date, u.name COLLATE "vi-x-icu"`)
	if err != nil {
		return nil, nil, err
	}
	successors, err = q(`
		SELECT e.id, e.kind, e.effective_date, e.decision, u.id, coalesce(v.name, u.name), coalesce(u.code, '')
		FROM unit_event_links l JOIN unit_events e ON e.id = l.event_id
		JOIN units u ON u.id = l.to_unit_id
		LEFT JOIN unit_versions v ON v.unit_id = u.id AND v.valid_from = e.effective_date
		WHERE l.from_unit_id = $1 AND l.to_unit_id <> $1
		ORDER BY e.effective_date, u.name COLLATE "vi-x-icu"`)
	return predecessors, successors, err
}

// EndingEvent returns how a unit that is no longer in force ended, if an
// event ended it.
func (db *DB) EndingEvent(ctx context.Context, id int64) (kind domain.UnitEventKind, date time.Time, ok bool, err error) {
	defer wrap(&err, "EndingEvent")
	err = db.Pool.QueryRow(ctx, `
		SELECT e.kind, e.effective_date FROM unit_event_links l JOIN unit_events e ON e.id = l.event_id
		JOIN units u ON u.id = l.from_unit_id
		WHERE l.from_unit_id = $1 AND e.kind IN ('merge', 'split', 'dissolve') AND u.valid_to = e.effective_date
		ORDER BY e.effective_date DESC LIMIT 1`, id).Scan(&kind, &date)
	if err == pgx.ErrNoRows {
		return "", time.Time{}, false, nil
	}
	return kind, date, err == nil, err
}

// UnitPage is one page of a unit search.
type UnitPage struct {
	Units []Unit
	Total int
}

// SearchUnits finds units whose name, short name or code contains q,
// ignoring accents and case ("dong thap" finds "Đồng Tháp"), in Vietnamese
// order. An empty q lists every unit. The trigram index serves the match.
func (db *DB) SearchUnits(ctx context.Context, q string, limit, offset int) (_ UnitPage, err error) {
	defer wrap(&err, "SearchUnits")
	const columns = `SELECT id, parent_id, name, short_name, coalesce(code, ''), kind, valid_from, valid_to FROM units`
	const order = ` ORDER BY name COLLATE "vi-x-icu", id LIMIT $2 OFFSET $3`
	var page UnitPage
	if q = strings.TrimSpace(q); q == "" {
		if err = db.Pool.QueryRow(ctx, `SELECT count(*) FROM units`).Scan(&page.Total); err != nil {
			return page, err
		}
		page.Units, err = collectUnits(db.Pool.Query(ctx, columns+` WHERE $1::text IS NOT NULL`+order, q, limit, offset))
		return page, err
	}
	pattern := "%" + escapeLike(q) + "%"
	if err = db.Pool.QueryRow(ctx, `SELECT count(*) FROM units WHERE search LIKE search_key($1)`, pattern).Scan(&page.Total); err != nil {
		return page, err
	}
	page.Units, err = collectUnits(db.Pool.Query(ctx, columns+` WHERE search LIKE search_key($1)`+order, pattern, limit, offset))
	return page, err
}

// escapeLike makes LIKE wildcards in user input literal.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

func isExclusionViolation(err error, constraint string) bool {
	var pgErr *pgconn.PgError
	return asPgError(err, &pgErr) && pgErr.Code == "23P01" && (constraint == "" || pgErr.ConstraintName == constraint)
}

// UnitByCode returns the unit with code in force on day.
func (db *DB) UnitByCode(ctx context.Context, code string, day time.Time) (_ *Unit, err error) {
	defer wrap(&err, "UnitByCode")
	units, err := collectUnits(db.Pool.Query(ctx, unitAsOf+` WHERE u.code = $2`, day, code))
	if err != nil {
		return nil, err
	}
	if len(units) == 0 {
		return nil, domain.Errorf(domain.ENOTFOUND, "unit.not_found")
	}
	return &units[0], nil
}

// UnitsForExport streams every unit in force on day in the import layout,
// parents before children, calling fn for each.
func (db *DB) UnitsForExport(ctx context.Context, day time.Time, fn func(u Unit, parentCode string) error) (err error) {
	defer wrap(&err, "UnitsForExport")
	rows, err := db.Pool.Query(ctx, `
		WITH RECURSIVE inforce AS (`+unitAsOf+`),
		tree AS (
			SELECT i.*, 0 AS depth FROM inforce i WHERE i.parent_id IS NULL OR i.parent_id NOT IN (SELECT id FROM inforce)
			UNION ALL
			SELECT i.*, t.depth + 1 FROM inforce i JOIN tree t ON i.parent_id = t.id)
		SELECT t.id, t.parent_id, t.name, t.short_name, t.code, t.kind, t.valid_from, t.valid_to, coalesce(p.code, '')
		FROM tree t LEFT JOIN units p ON p.id = t.parent_id
		ORDER BY t.depth, t.name COLLATE "vi-x-icu", t.id`, day)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var u Unit
		var parentCode string
		if err := rows.Scan(&u.ID, &u.ParentID, &u.Name, &u.ShortName, &u.Code, &u.Kind, &u.ValidFrom, &u.ValidTo, &parentCode); err != nil {
			return err
		}
		if err := fn(u, parentCode); err != nil {
			return err
		}
	}
	return rows.Err()
}
