package postgres

import (
	"context"
	"strconv"

	"github.com/jackc/pgx/v5"

	"thidua/internal/domain"
)

// Unit is a unit of the minimal registry: enough for a focal point to belong
// to one.
type Unit struct {
	ID       int64
	ParentID *int64
	Name     string
}

// CreateUnit inserts a unit under parentID (nil for a root).
func (db *DB) CreateUnit(ctx context.Context, name string, parentID *int64) (int64, error) {
	name = domain.CleanText(name)
	var id int64
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO units (name, parent_id) VALUES ($1, $2) RETURNING id`, name, parentID).Scan(&id); err != nil {
			return err
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditUnitCreate, ObjectType: "unit", ObjectID: strconv.FormatInt(id, 10),
			Details: map[string]any{"name": name, "parent_id": parentID}})
	})
	return id, err
}

// ListUnits returns every unit in Vietnamese name order.
func (db *DB) ListUnits(ctx context.Context) ([]Unit, error) {
	rows, err := db.Pool.Query(ctx, `SELECT id, parent_id, name FROM units ORDER BY name COLLATE "vi-x-icu", id`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[Unit])
}

// UnitExists reports whether a unit with id exists.
func (db *DB) UnitExists(ctx context.Context, id int64) (bool, error) {
	var ok bool
	err := db.Pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM units WHERE id = $1)`, id).Scan(&ok)
	return ok, err
}
