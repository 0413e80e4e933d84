package postgres

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"thidua/internal/domain"
)

// personOn selects people with the unit they belong to on $1.
const personOn = `
	SELECT p.id, coalesce(p.code, ''), p.full_name, coalesce(p.gender, ''), p.birth_year, p.position, p.category,
	       m.unit_id, coalesce(v.name, ''), p.version
	FROM people p
	LEFT JOIN person_units m ON m.person_id = p.id AND m.valid_from <= $1 AND (m.valid_to IS NULL OR m.valid_to > $1)
	LEFT JOIN unit_versions v ON v.unit_id = m.unit_id AND v.valid_from <= $1 AND (v.valid_to IS NULL OR v.valid_to > $1)`

func collectPeople(rows pgx.Rows, err error) ([]domain.Person, error) {
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (domain.Person, error) {
		var p domain.Person
		var birth *int16
		err := row.Scan(&p.ID, &p.Code, &p.FullName, &p.Gender, &birth, &p.Position, &p.Category, &p.UnitID, &p.UnitName, &p.Version)
		if birth != nil {
			y := int(*birth)
			p.BirthYear = &y
		}
		return p, err
	})
}

// CreatePerson registers a person as a member of a unit from in.From.
func (db *DB) CreatePerson(ctx context.Context, in domain.PersonInput) (_ int64, err error) {
	defer wrap(&err, "CreatePerson")
	in.Normalize()
	if err := in.Validate(); err != nil {
		return 0, err
	}
	var id int64
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		var inForce bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM units WHERE id = $1 AND valid_from <= $2 AND (valid_to IS NULL OR valid_to > $2))`,
			in.UnitID, in.From).Scan(&inForce); err != nil {
			return err
		}
		if !inForce {
			return &domain.ValidationError{Fields: domain.FieldErrors{"unit_id": "person.unit.not_in_force"}}
		}
		err := tx.QueryRow(ctx, `INSERT INTO people (code, full_name, gender, birth_year, position, category)
			VALUES (nullif($1, ''), $2, nullif($3, ''), $4, $5, $6) RETURNING id`,
			in.Code, in.FullName, in.Gender, in.BirthYear, in.Position, in.Category).Scan(&id)
		if isUniqueViolation(err, "people_code_key") {
			return &domain.ValidationError{Fields: domain.FieldErrors{"code": "person.code.taken"}}
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO person_units (person_id, unit_id, valid_from) VALUES ($1, $2, $3)`, id, in.UnitID, in.From); err != nil {
			return err
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditPersonCreate, ObjectType: "person", ObjectID: strconv.FormatInt(id, 10),
			Details: map[string]any{"unit_id": in.UnitID}})
	})
	return id, err
}

// PersonOn returns a person with the unit they belong to on day.
func (db *DB) PersonOn(ctx context.Context, id int64, day time.Time) (_ *domain.Person, err error) {
	defer wrap(&err, "PersonOn")
	people, err := collectPeople(db.Pool.Query(ctx, personOn+` WHERE p.id = $2`, day, id))
	if err != nil {
		return nil, err
	}
	if len(people) == 0 {
		return nil, domain.Errorf(domain.ENOTFOUND, "person.not_found")
	}
	return &people[0], nil
}

// Membership is a span of a person's life in a unit.
type Membership struct {
	UnitID    int64
	UnitName  string
	ValidFrom time.Time
	ValidTo   *time.Time
}

// Memberships returns the units a person belonged to, oldest first, with
// each unit's name at the start of the span.
func (db *DB) Memberships(ctx context.Context, personID int64) (_ []Membership, err error) {
	defer wrap(&err, "Memberships")
	rows, err := db.Pool.Query(ctx, `
		SELECT m.unit_id, coalesce(v.name, u.name), m.valid_from, m.valid_to
		FROM person_units m JOIN units u ON u.id = m.unit_id
		LEFT JOIN unit_versions v ON v.unit_id = m.unit_id AND v.valid_from <= m.valid_from AND (v.valid_to IS NULL OR v.valid_to > m.valid_from)
		WHERE m.person_id = $1 ORDER BY m.valid_from`, personID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[Membership])
}

// UnitsOfPerson returns every unit a person ever belonged to: what decides
// whether a focal point may see the person.
func (db *DB) UnitsOfPerson(ctx context.Context, personID int64) (_ []int64, err error) {
	defer wrap(&err, "UnitsOfPerson")
	rows, err := db.Pool.Query(ctx, `SELECT DISTINCT unit_id FROM person_units WHERE person_id = $1`, personID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[int64])
}

// PeopleFilter narrows a people search.
type PeopleFilter struct {
	Query  string
	UnitID *int64 // only people of this unit on Day
	Day    time.Time
	Limit  int
	Offset int
}

// PeoplePage is one page of people.
type PeoplePage struct {
	People []domain.Person
	Total  int
}

// SearchPeople lists people matching the filter in Vietnamese name order;
// names match without accents ("nguyen van a" finds "Nguyễn Văn A").
func (db *DB) SearchPeople(ctx context.Context, f PeopleFilter) (_ PeoplePage, err error) {
	defer wrap(&err, "SearchPeople")
	var where []string
	args := []any{f.Day}
	if q := strings.TrimSpace(f.Query); q != "" {
		args = append(args, "%"+escapeLike(q)+"%")
		where = append(where, "p.search LIKE search_key($"+strconv.Itoa(len(args))+")")
	}
	if f.UnitID != nil {
		args = append(args, *f.UnitID)
		where = append(where, "m.unit_id = $"+strconv.Itoa(len(args)))
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	var page PeoplePage
	countSQL := `SELECT count(*) FROM people p
		LEFT JOIN person_units m ON m.person_id = p.id AND m.valid_from <= $1 AND (m.valid_to IS NULL OR m.valid_to > $1)` + cond
	if err := db.Pool.QueryRow(ctx, countSQL, args...).Scan(&page.Total); err != nil {
		return page, err
	}
	args = append(args, f.Limit, f.Offset)
	page.People, err = collectPeople(db.Pool.Query(ctx, personOn+cond+
		` ORDER BY p.full_name COLLATE "vi-x-icu", p.id LIMIT $`+strconv.Itoa(len(args)-1)+` OFFSET $`+strconv.Itoa(len(args)), args...))
	return page, err
}

// MovePerson moves a person to another unit from day.
func (db *DB) MovePerson(ctx context.Context, personID, unitID int64, day time.Time) (err error) {
	defer wrap(&err, "MovePerson")
	if !domain.ValidDate(day) {
		return &domain.ValidationError{Fields: domain.FieldErrors{"from": "date.out_of_range"}}
	}
	return db.inTx(ctx, func(tx pgx.Tx) error {
		var exists bool
		if err := tx.QueryRow(ctx, `SELECT true FROM people WHERE id = $1 FOR UPDATE`, personID).Scan(&exists); err != nil {
			return notFound(err, "person.not_found")
		}
		var inForce bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM units WHERE id = $1 AND valid_from <= $2 AND (valid_to IS NULL OR valid_to > $2))`,
			unitID, day).Scan(&inForce); err != nil {
			return err
		}
		if !inForce {
			return &domain.ValidationError{Fields: domain.FieldErrors{"unit_id": "person.unit.not_in_force"}}
		}
		var later bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM person_units WHERE person_id = $1 AND valid_from >= $2)`, personID, day).Scan(&later); err != nil {
			return err
		}
		if later {
			return &domain.ValidationError{Fields: domain.FieldErrors{"from": "person.move.later"}}
		}
		if _, err := tx.Exec(ctx, `UPDATE person_units SET valid_to = $2 WHERE person_id = $1 AND (valid_to IS NULL OR valid_to > $2)`, personID, day); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO person_units (person_id, unit_id, valid_from) VALUES ($1, $2, $3)`, personID, unitID, day); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE people SET version = version + 1, updated_at = now() WHERE id = $1`, personID); err != nil {
			return err
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditPersonMove, ObjectType: "person", ObjectID: strconv.FormatInt(personID, 10),
			Details: map[string]any{"unit_id": unitID, "from": day.Format(time.DateOnly)}})
	})
}

// PeopleForExport streams the people who belong to a unit on day, with the
// unit's code and the start of their membership, calling fn for each.
func (db *DB) PeopleForExport(ctx context.Context, day time.Time, fn func(p domain.Person, unitCode string, from time.Time) error) (err error) {
	defer wrap(&err, "PeopleForExport")
	rows, err := db.Pool.Query(ctx, `
		SELECT p.id, coalesce(p.code, ''), p.full_name, coalesce(p.gender, ''), p.birth_year, p.position, p.category,
		       coalesce(u.code, ''), m.valid_from
		FROM people p
		JOIN person_units m ON m.person_id = p.id AND m.valid_from <= $1 AND (m.valid_to IS NULL OR m.valid_to > $1)
		JOIN units u ON u.id = m.unit_id
		ORDER BY u.code, p.full_name COLLATE "vi-x-icu", p.id`, day)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var p domain.Person
		var birth *int16
		var unitCode string
		var from time.Time
		if err := rows.Scan(&p.ID, &p.Code, &p.FullName, &p.Gender, &birth, &p.Position, &p.Category, &unitCode, &from); err != nil {
			return err
		}
		if birth != nil {
			y := int(*birth)
			p.BirthYear = &y
		}
		if err := fn(p, unitCode, from); err != nil {
			return err
		}
	}
	return rows.Err()
}
