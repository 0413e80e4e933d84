package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"thidua/internal/domain"
)

// HolidaysOfYear returns the holidays of a calendar year in date order.
func (db *DB) HolidaysOfYear(ctx context.Context, year int) (_ []domain.Holiday, err error) {
	defer wrap(&err, "HolidaysOfYear")
	rows, err := db.Pool.Query(ctx, `SELECT day, name FROM holidays WHERE day >= $1 AND day < $2 ORDER BY day`,
		domain.Day(year, 1, 1), domain.Day(year+1, 1, 1))
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[domain.Holiday])
}

// HolidayYears returns the years that have holidays, newest first.
func (db *DB) HolidayYears(ctx context.Context) (_ []int, err error) {
	defer wrap(&err, "HolidayYears")
	rows, err := db.Pool.Query(ctx, `SELECT DISTINCT extract(year FROM day)::int AS y FROM holidays ORDER BY y DESC`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[int])
}

// holidaysFrom loads the days off from day on, far enough for any reply
// window (at most 60 working days, so well within a year).
func holidaysFrom(ctx context.Context, q pgx.Tx, day time.Time) (domain.Holidays, error) {
	rows, err := q.Query(ctx, `SELECT day FROM holidays WHERE day > $1 AND day <= $2`, day, day.AddDate(1, 0, 0))
	if err != nil {
		return nil, err
	}
	days, err := pgx.CollectRows(rows, pgx.RowTo[time.Time])
	if err != nil {
		return nil, err
	}
	return domain.NewHolidays(days...), nil
}

// AddHoliday records a day off. The same day with the same name again (a
// form sent twice) changes nothing; another name for a recorded day is
// refused beside the date.
func (db *DB) AddHoliday(ctx context.Context, h domain.Holiday) (err error) {
	defer wrap(&err, "AddHoliday")
	if err := h.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO holidays (day, name) VALUES ($1, $2) ON CONFLICT (day) DO NOTHING`, h.Day, h.Name)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			var name string
			if err := tx.QueryRow(ctx, `SELECT name FROM holidays WHERE day = $1`, h.Day).Scan(&name); err != nil {
				return err
			}
			if name == h.Name {
				return nil
			}
			return &domain.ValidationError{Fields: domain.FieldErrors{"day": "holiday.taken"}}
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditHolidayAdd, ObjectType: "holiday", ObjectID: h.Day.Format("2006-01-02"),
			Details: map[string]any{"day": h.Day.Format("2006-01-02"), "name": h.Name}})
	})
}

// RemoveHoliday removes a day entered by mistake, recording what it was in
// the audit log. Reply windows already computed keep their end date.
func (db *DB) RemoveHoliday(ctx context.Context, day time.Time) (err error) {
	defer wrap(&err, "RemoveHoliday")
	return db.inTx(ctx, func(tx pgx.Tx) error {
		var name string
		err := tx.QueryRow(ctx, `DELETE FROM holidays WHERE day = $1 RETURNING name`, day).Scan(&name)
		if errors.Is(err, pgx.ErrNoRows) {
			return domain.Errorf(domain.ENOTFOUND, "holiday.not_found")
		}
		if err != nil {
			return err
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditHolidayRemove, ObjectType: "holiday", ObjectID: day.Format("2006-01-02"),
			Details: map[string]any{"day": day.Format("2006-01-02"), "name": name}})
	})
}
