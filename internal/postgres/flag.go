package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"thidua/internal/domain"
)

// FlagRecord is a pending flag as its pages show it: the flag, who lifted
// it and when (empty while it was never lifted).
type FlagRecord struct {
	domain.PendingFlag
	LiftedBy string
	LiftedAt *time.Time
}

// Lifted reports whether staff lifted the flag.
func (f FlagRecord) Lifted() bool { return f.LiftedAt != nil }

// FlagRecords returns every flag of a unit or a person, lifted or not, the
// latest first, with who lifted it.
func (db *DB) FlagRecords(ctx context.Context, s domain.Subject) (_ []FlagRecord, err error) {
	defer wrap(&err, "FlagRecords")
	rows, err := db.Pool.Query(ctx, `SELECT f.id, coalesce(f.unit_id, 0), coalesce(f.person_id, 0), f.kind, f.reason, f.valid_from, f.valid_to,
			coalesce(su.full_name, ''), f.set_at, f.lift_reason, coalesce(lu.full_name, ''), f.lifted_at
		FROM pending_flags f LEFT JOIN users su ON su.id = f.set_by LEFT JOIN users lu ON lu.id = f.lifted_by
		WHERE ($1 <> 0 AND f.unit_id = $1) OR ($2 <> 0 AND f.person_id = $2)
		ORDER BY f.valid_from DESC, f.id DESC`, s.UnitID, s.PersonID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (FlagRecord, error) {
		var f FlagRecord
		err := row.Scan(&f.ID, &f.Subject.UnitID, &f.Subject.PersonID, &f.Kind, &f.Reason, &f.From, &f.To, &f.SetBy, &f.SetAt,
			&f.LiftReason, &f.LiftedBy, &f.LiftedAt)
		return f, err
	})
}

// subjectObject is the audit log's object of a unit or a person.
func subjectObject(s domain.Subject) (string, string) {
	if s.PersonID != 0 {
		return "person", strconv.FormatInt(s.PersonID, 10)
	}
	return "unit", strconv.FormatInt(s.UnitID, 10)
}

// SetFlag records a pending flag on a unit or a person with its audit
// entry. key is the form's idempotency key: the same form sent twice
// records one flag, and the second sending gets the first one's ID.
func (db *DB) SetFlag(ctx context.Context, key string, in domain.FlagInput) (id int64, err error) {
	defer wrap(&err, "SetFlag")
	if err := in.Validate(); err != nil {
		return 0, err
	}
	if (in.Subject.UnitID == 0) == (in.Subject.PersonID == 0) {
		return 0, fmt.Errorf("a flag is on a unit or a person: %+v", in.Subject)
	}
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		if key != "" {
			prior, claimed, err := claimIdempotencyKey(ctx, tx, key)
			if err != nil {
				return err
			}
			if !claimed {
				id, err = strconv.ParseInt(prior, 10, 64)
				return err
			}
		}
		var unit, person *int64
		if in.Subject.UnitID != 0 {
			unit = &in.Subject.UnitID
		} else {
			person = &in.Subject.PersonID
		}
		if err := tx.QueryRow(ctx, `INSERT INTO pending_flags (unit_id, person_id, kind, reason, valid_from, valid_to, set_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, unit, person, in.Kind, in.Reason, in.From, in.To,
			nullID(domain.ActorFrom(ctx).UserID)).Scan(&id); err != nil {
			return err
		}
		if key != "" {
			if err := setIdempotencyResult(ctx, tx, key, strconv.FormatInt(id, 10)); err != nil {
				return err
			}
		}
		objType, objID := subjectObject(in.Subject)
		details := map[string]any{"flag_id": id, "flag_kind": string(in.Kind), "reason": in.Reason, "flag_start": in.From.Format(time.DateOnly)}
		if in.To != nil {
			details["flag_end"] = in.To.Format(time.DateOnly)
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditFlagSet, ObjectType: objType, ObjectID: objID, Details: details})
	})
	return id, err
}

// LiftFlag ends a pending flag of a unit or a person on lift.To with its
// reason. A flag of another unit or person is not found; a flag lifted
// already (a stale form, a second click) is a conflict, and the first
// lifting stands.
func (db *DB) LiftFlag(ctx context.Context, s domain.Subject, flagID int64, lift domain.FlagLift) (err error) {
	defer wrap(&err, "LiftFlag")
	return db.inTx(ctx, func(tx pgx.Tx) error {
		var from time.Time
		var liftedAt *time.Time
		err := tx.QueryRow(ctx, `SELECT valid_from, lifted_at FROM pending_flags
			WHERE id = $1 AND (($2 <> 0 AND unit_id = $2) OR ($3 <> 0 AND person_id = $3)) FOR UPDATE`,
			flagID, s.UnitID, s.PersonID).Scan(&from, &liftedAt)
		if errors.Is(err, pgx.ErrNoRows) {
			return domain.Errorf(domain.ENOTFOUND, "flag.not_found")
		}
		if err != nil {
			return err
		}
		if liftedAt != nil {
			return domain.Errorf(domain.ECONFLICT, "flag.already_lifted")
		}
		if err := lift.Validate(from); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE pending_flags SET valid_to = $2, lift_reason = $3, lifted_by = $4, lifted_at = now()
			WHERE id = $1`, flagID, lift.To, lift.Reason, nullID(domain.ActorFrom(ctx).UserID)); err != nil {
			return err
		}
		objType, objID := subjectObject(s)
		return audit(ctx, tx, auditEntry{Action: domain.AuditFlagLift, ObjectType: objType, ObjectID: objID,
			Details: map[string]any{"flag_id": flagID, "flag_end": lift.To.Format(time.DateOnly), "reason": lift.Reason}})
	})
}
