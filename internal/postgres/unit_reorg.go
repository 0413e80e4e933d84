package postgres

import (
	"context"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"thidua/internal/domain"
)

// Reorganise carries out a merge (several units into one new unit) or a
// split (one unit into several new ones) in one transaction: the new units
// start on the date, the old ones end on it and keep their names and
// history, and the event links them both ways. On a merge, the children and
// the people of the old units move to the new one from the date.
func (db *DB) Reorganise(ctx context.Context, r domain.Reorganisation) (eventID int64, created []int64, err error) {
	defer wrap(&err, "Reorganise")
	if err := r.Validate(); err != nil {
		return 0, nil, err
	}
	day := r.EffectiveDate
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		if err := lockUnitsInForce(ctx, tx, r.Sources, day); err != nil {
			return err
		}
		if r.Kind == domain.EventSplit {
			var children int
			if err := tx.QueryRow(ctx, `SELECT count(*) FROM unit_versions WHERE parent_id = $1 AND (valid_to IS NULL OR valid_to > $2)`,
				r.Sources[0], day).Scan(&children); err != nil {
				return err
			}
			if children > 0 {
				return &domain.ValidationError{Fields: domain.FieldErrors{"sources": "unit.reorg.split_children"}}
			}
		}
		var err error
		if eventID, err = insertEvent(ctx, tx, r.Kind, day, r.Decision, r.Note); err != nil {
			return err
		}
		created = created[:0]
		if r.Into != nil {
			var inForce bool
			if err := tx.QueryRow(ctx, `SELECT valid_from <= $2 AND (valid_to IS NULL OR valid_to > $2) FROM units WHERE id = $1 FOR UPDATE`,
				*r.Into, day).Scan(&inForce); err != nil {
				return notFound(err, "unit.not_found")
			}
			if !inForce {
				return &domain.ValidationError{Fields: domain.FieldErrors{"into": "unit.parent.not_in_force"}}
			}
			created = append(created, *r.Into)
		}
		for i, t := range r.Targets {
			id, err := insertUnit(ctx, tx, t)
			if ve, ok := err.(*domain.ValidationError); ok {
				return prefixFields(ve, "target_"+strconv.Itoa(i)+"_")
			}
			if err != nil {
				return err
			}
			created = append(created, id)
		}
		if err := endUnits(ctx, tx, r.Sources, day); err != nil {
			return err
		}
		for _, from := range r.Sources {
			for _, to := range created {
				if _, err := tx.Exec(ctx, `INSERT INTO unit_event_links (event_id, from_unit_id, to_unit_id) VALUES ($1, $2, $3)`, eventID, from, to); err != nil {
					return err
				}
			}
		}
		if r.Kind == domain.EventMerge {
			if err := moveChildren(ctx, tx, r.Sources, created[0], day); err != nil {
				return err
			}
			if err := movePeople(ctx, tx, r.Sources, created[0], day); err != nil {
				return err
			}
		}
		return audit(ctx, tx, auditEntry{Action: "unit." + string(r.Kind), ObjectType: "unit_event", ObjectID: strconv.FormatInt(eventID, 10),
			Details: map[string]any{"date": day.Format(time.DateOnly), "decision": r.Decision, "from": r.Sources, "to": created}})
	})
	return eventID, created, err
}

func prefixFields(ve *domain.ValidationError, prefix string) error {
	f := domain.FieldErrors{}
	for k, v := range ve.Fields {
		f[prefix+k] = v
	}
	return &domain.ValidationError{Fields: f}
}

// lockUnitsInForce locks the units (in ID order, so concurrent
// reorganisations cannot deadlock) and checks that each was in force before
// day, has no end recorded (even a future one) and no later change of name
// or parent already recorded.
func lockUnitsInForce(ctx context.Context, tx pgx.Tx, ids []int64, day time.Time) error {
	rows, err := tx.Query(ctx, `
		SELECT u.id, u.name, u.valid_from < $2 AND u.valid_to IS NULL,
		       EXISTS (SELECT 1 FROM unit_versions v WHERE v.unit_id = u.id AND v.valid_from >= $2)
		FROM units u WHERE u.id = ANY($1) ORDER BY u.id FOR UPDATE`, ids, day)
	if err != nil {
		return err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
		var id int64
		var name string
		var inForce, later bool
		if err := rows.Scan(&id, &name, &inForce, &later); err != nil {
			return err
		}
		if !inForce {
			return domain.Errorf(domain.EINVALID, "unit.reorg.not_in_force", name)
		}
		if later {
			return domain.Errorf(domain.EINVALID, "unit.reorg.later_change", name)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if n != len(ids) {
		return domain.Errorf(domain.ENOTFOUND, "unit.not_found")
	}
	return nil
}

func insertEvent(ctx context.Context, tx pgx.Tx, kind domain.UnitEventKind, day time.Time, decision, note string) (int64, error) {
	var id int64
	var by *int64
	if a := domain.ActorFrom(ctx); a.UserID != 0 {
		by = &a.UserID
	}
	err := tx.QueryRow(ctx, `INSERT INTO unit_events (kind, effective_date, decision, note, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		kind, day, decision, note, by).Scan(&id)
	return id, err
}

// endUnits ends units and their current versions on day.
func endUnits(ctx context.Context, tx pgx.Tx, ids []int64, day time.Time) error {
	if _, err := tx.Exec(ctx, `UPDATE unit_versions SET valid_to = $2 WHERE unit_id = ANY($1) AND valid_to IS NULL`, ids, day); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `UPDATE units SET valid_to = $2, version = version + 1, updated_at = now() WHERE id = ANY($1)`, ids, day)
	return err
}

// moveChildren gives the units under the ended ones a new version under
// target from day.
func moveChildren(ctx context.Context, tx pgx.Tx, from []int64, target int64, day time.Time) error {
	var blocked string
	err := tx.QueryRow(ctx, `SELECT u.name FROM unit_versions v JOIN units u ON u.id = v.unit_id
		WHERE v.parent_id = ANY($1) AND (v.valid_from >= $2 OR (v.valid_to IS NOT NULL AND v.valid_to > $2)) LIMIT 1`, from, day).Scan(&blocked)
	if err == nil {
		return domain.Errorf(domain.EINVALID, "unit.reorg.later_change", blocked)
	} else if err != pgx.ErrNoRows {
		return err
	}
	if _, err := tx.Exec(ctx, `
		WITH moved AS (
			UPDATE unit_versions SET valid_to = $3
			WHERE parent_id = ANY($1) AND valid_from < $3 AND valid_to IS NULL
			RETURNING unit_id, name, short_name)
		INSERT INTO unit_versions (unit_id, valid_from, name, short_name, parent_id)
		SELECT unit_id, $3, name, short_name, $2 FROM moved`, from, target, day); err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `UPDATE units SET parent_id = $2, version = version + 1, updated_at = now()
		WHERE parent_id = ANY($1) AND (valid_to IS NULL OR valid_to > $3)`, from, target, day)
	return err
}

// movePeople moves the open memberships of the ended units to target.
func movePeople(ctx context.Context, tx pgx.Tx, from []int64, target int64, day time.Time) error {
	_, err := tx.Exec(ctx, `
		WITH ended AS (
			UPDATE person_units SET valid_to = $3
			WHERE unit_id = ANY($1) AND valid_from < $3 AND valid_to IS NULL
			RETURNING person_id)
		INSERT INTO person_units (person_id, unit_id, valid_from)
		SELECT person_id, $2, $3 FROM ended`, from, target, day)
	return err
}

// UnitChange is a rename or a move of a unit from a date.
type UnitChange struct {
	Kind      domain.UnitEventKind // EventRename or EventMove
	Date      time.Time
	Name      string
	ShortName string
	ParentID  *int64
	Decision  string
}

// ChangeUnit renames a unit or moves it under another parent from a date:
// its version up to the date keeps the old name and parent.
func (db *DB) ChangeUnit(ctx context.Context, id int64, c UnitChange) (err error) {
	defer wrap(&err, "ChangeUnit")
	c.Name, c.ShortName, c.Decision = domain.CleanText(c.Name), domain.CleanText(c.ShortName), domain.CleanText(c.Decision)
	f := domain.FieldErrors{}
	if !domain.ValidDate(c.Date) {
		f.Add("date", "date.out_of_range")
	}
	if n := domain.RuneLen(c.Name); n == 0 || n > 300 {
		f.Add("name", "field.required")
	}
	if domain.RuneLen(c.ShortName) > 100 {
		f.Add("short_name", "field.too_long")
	}
	if domain.RuneLen(c.Decision) > 300 {
		f.Add("decision", "field.too_long")
	}
	if c.Kind != domain.EventRename && c.Kind != domain.EventMove {
		f.Add("kind", "field.invalid")
	}
	if err := f.Err(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx pgx.Tx) error {
		if err := lockUnitsInForce(ctx, tx, []int64{id}, c.Date); err != nil {
			return err
		}
		if c.Kind == domain.EventMove {
			if c.ParentID != nil {
				var ok, cycle bool
				err := tx.QueryRow(ctx, `
					WITH RECURSIVE up AS (
						SELECT v.unit_id, v.parent_id FROM unit_versions v
						WHERE v.unit_id = $1 AND v.valid_from <= $3 AND (v.valid_to IS NULL OR v.valid_to > $3)
						UNION
						SELECT v.unit_id, v.parent_id FROM unit_versions v JOIN up ON v.unit_id = up.parent_id
						WHERE v.valid_from <= $3 AND (v.valid_to IS NULL OR v.valid_to > $3))
					SELECT EXISTS (SELECT 1 FROM up), EXISTS (SELECT 1 FROM up WHERE unit_id = $2)`,
					*c.ParentID, id, c.Date).Scan(&ok, &cycle)
				if err != nil {
					return err
				}
				if !ok {
					return &domain.ValidationError{Fields: domain.FieldErrors{"parent_id": "unit.parent.not_in_force"}}
				}
				if cycle {
					return &domain.ValidationError{Fields: domain.FieldErrors{"parent_id": "unit.parent.cycle"}}
				}
			}
		} else {
			if err := tx.QueryRow(ctx, `SELECT parent_id FROM units WHERE id = $1`, id).Scan(&c.ParentID); err != nil {
				return err
			}
		}
		var oldName string
		var oldParent *int64
		if err := tx.QueryRow(ctx, `UPDATE unit_versions SET valid_to = $2 WHERE unit_id = $1 AND valid_to IS NULL
			RETURNING name, parent_id`, id, c.Date).Scan(&oldName, &oldParent); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO unit_versions (unit_id, valid_from, name, short_name, parent_id) VALUES ($1, $2, $3, $4, $5)`,
			id, c.Date, c.Name, c.ShortName, c.ParentID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE units SET name = $2, short_name = $3, parent_id = $4, version = version + 1, updated_at = now() WHERE id = $1`,
			id, c.Name, c.ShortName, c.ParentID); err != nil {
			return err
		}
		eventID, err := insertEvent(ctx, tx, c.Kind, c.Date, c.Decision, "")
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO unit_event_links (event_id, from_unit_id, to_unit_id) VALUES ($1, $2, $2)`, eventID, id); err != nil {
			return err
		}
		return audit(ctx, tx, auditEntry{Action: "unit." + string(c.Kind), ObjectType: "unit", ObjectID: strconv.FormatInt(id, 10),
			Details: map[string]any{"date": c.Date.Format(time.DateOnly), "name_from": oldName, "name_to": c.Name,
				"parent_from": oldParent, "parent_to": c.ParentID, "decision": c.Decision}})
	})
}

// DissolveUnit ends a unit with no successor. Units still under it on the
// date must be moved or ended first.
func (db *DB) DissolveUnit(ctx context.Context, id int64, day time.Time, decision string) (err error) {
	defer wrap(&err, "DissolveUnit")
	decision = domain.CleanText(decision)
	if !domain.ValidDate(day) {
		return &domain.ValidationError{Fields: domain.FieldErrors{"date": "date.out_of_range"}}
	}
	return db.inTx(ctx, func(tx pgx.Tx) error {
		if err := lockUnitsInForce(ctx, tx, []int64{id}, day); err != nil {
			return err
		}
		var children int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM unit_versions WHERE parent_id = $1 AND (valid_to IS NULL OR valid_to > $2)`,
			id, day).Scan(&children); err != nil {
			return err
		}
		if children > 0 {
			return domain.Errorf(domain.EINVALID, "unit.dissolve.children", children)
		}
		if err := endUnits(ctx, tx, []int64{id}, day); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE person_units SET valid_to = $2 WHERE unit_id = $1 AND valid_to IS NULL AND valid_from < $2`, id, day); err != nil {
			return err
		}
		eventID, err := insertEvent(ctx, tx, domain.EventDissolve, day, decision, "")
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO unit_event_links (event_id, from_unit_id) VALUES ($1, $2)`, eventID, id); err != nil {
			return err
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditUnitDissolve, ObjectType: "unit", ObjectID: strconv.FormatInt(id, 10),
			Details: map[string]any{"date": day.Format(time.DateOnly), "decision": decision}})
	})
}

// UnitUpdate corrects a unit's code and kind: facts that are not history.
type UnitUpdate struct {
	Code    string
	Kind    domain.UnitKind
	Version int
}

// UpdateUnit corrects a unit's code and kind when the version the editor
// saw is still current.
func (db *DB) UpdateUnit(ctx context.Context, id int64, up UnitUpdate) (err error) {
	defer wrap(&err, "UpdateUnit")
	f := domain.FieldErrors{}
	if up.Code != "" && !domain.ValidCode(up.Code) {
		f.Add("code", "unit.code.invalid")
	}
	if !up.Kind.Valid() {
		f.Add("kind", "unit.kind.invalid")
	}
	if err := f.Err(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx pgx.Tx) error {
		var version int
		var oldCode string
		var oldKind domain.UnitKind
		if err := tx.QueryRow(ctx, `SELECT version, coalesce(code, ''), kind FROM units WHERE id = $1 FOR UPDATE`, id).Scan(&version, &oldCode, &oldKind); err != nil {
			return notFound(err, "unit.not_found")
		}
		if version != up.Version {
			return domain.Errorf(domain.ECONFLICT, "error.stale")
		}
		var code *string
		if up.Code != "" {
			code = &up.Code
		}
		_, err := tx.Exec(ctx, `UPDATE units SET code = $2, kind = $3, version = version + 1, updated_at = now() WHERE id = $1`, id, code, up.Kind)
		if isExclusionViolation(err, "units_code_in_time") {
			return &domain.ValidationError{Fields: domain.FieldErrors{"code": "unit.code.taken"}}
		}
		if err != nil {
			return err
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditUnitUpdate, ObjectType: "unit", ObjectID: strconv.FormatInt(id, 10),
			Details: map[string]any{"code_from": oldCode, "code_to": up.Code, "kind_from": oldKind, "kind_to": up.Kind}})
	})
}
