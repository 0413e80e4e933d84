package postgres

import (
	"context"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"thidua/internal/domain"
)

const userColumns = `u.id, u.email, u.full_name, u.role, u.unit_id, coalesce(n.name, ''), u.password_hash,
	u.locale, u.session_epoch, u.disabled_at, u.version, u.created_at`

func scanUser(row pgx.Row) (*domain.User, error) {
	var u domain.User
	err := row.Scan(&u.ID, &u.Email, &u.FullName, &u.Role, &u.UnitID, &u.UnitName, &u.PasswordHash,
		&u.Locale, &u.SessionEpoch, &u.DisabledAt, &u.Version, &u.CreatedAt)
	if err != nil {
		return nil, notFound(err, "user.not_found")
	}
	return &u, nil
}

// UserByID returns the user with the given ID.
func (db *DB) UserByID(ctx context.Context, id int64) (_ *domain.User, err error) {
	defer wrap(&err, "UserByID")
	return scanUser(db.Pool.QueryRow(ctx, `SELECT `+userColumns+`
		FROM users u LEFT JOIN units n ON n.id = u.unit_id WHERE u.id = $1`, id))
}

// UserByEmail returns the user with the given (normalized) e-mail address.
func (db *DB) UserByEmail(ctx context.Context, email string) (_ *domain.User, err error) {
	defer wrap(&err, "UserByEmail")
	return scanUser(db.Pool.QueryRow(ctx, `SELECT `+userColumns+`
		FROM users u LEFT JOIN units n ON n.id = u.unit_id WHERE u.email = $1`, email))
}

// ListUsers returns every user, sorted by name in Vietnamese order.
func (db *DB) ListUsers(ctx context.Context) (_ []*domain.User, err error) {
	defer wrap(&err, "ListUsers")
	rows, err := db.Pool.Query(ctx, `SELECT `+userColumns+`
		FROM users u LEFT JOIN units n ON n.id = u.unit_id
		ORDER BY u.full_name COLLATE "vi-x-icu", u.id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var users []*domain.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		users = append(users, u)
	}
	return users, rows.Err()
}

// CreateUser inserts a user with an already hashed password. With a non-empty
// idempotency key, a repeated submission returns the user the first one
// created and created=false.
func (db *DB) CreateUser(ctx context.Context, n domain.NewUser, hash, idemKey string) (u *domain.User, created bool, err error) {
	defer wrap(&err, "CreateUser")
	var id int64
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		if idemKey != "" {
			prior, claimed, err := claimIdempotencyKey(ctx, tx, idemKey)
			if err != nil {
				return err
			}
			if !claimed {
				id, err = strconv.ParseInt(prior, 10, 64)
				return err
			}
		}
		err := tx.QueryRow(ctx, `
			INSERT INTO users (email, full_name, role, unit_id, password_hash)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			n.Email, n.FullName, n.Role, n.UnitID, hash).Scan(&id)
		if isUniqueViolation(err, "users_email_key") {
			return &domain.ValidationError{Fields: domain.FieldErrors{"email": "user.email.taken"}}
		}
		if isForeignKeyViolation(err) {
			return &domain.ValidationError{Fields: domain.FieldErrors{"unit_id": "user.unit.invalid"}}
		}
		if err != nil {
			return err
		}
		created = true
		if idemKey != "" {
			if err := setIdempotencyResult(ctx, tx, idemKey, strconv.FormatInt(id, 10)); err != nil {
				return err
			}
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditUserCreate, ObjectType: "user", ObjectID: strconv.FormatInt(id, 10),
			Details: map[string]any{"email": n.Email, "role": n.Role, "unit_id": n.UnitID}})
	})
	if err != nil {
		return nil, false, err
	}
	u, err = db.UserByID(ctx, id)
	return u, created, err
}

// UserUpdate is what an administrator may change on a user.
type UserUpdate struct {
	FullName string
	Role     domain.Role
	UnitID   *int64
	Version  int
}

// UpdateUser changes a user's name, role and unit if the version the editor
// saw is still current. A change of role or unit ends the user's sessions,
// so the new rights apply from the next sign-in.
func (db *DB) UpdateUser(ctx context.Context, id int64, up UserUpdate) (err error) {
	defer wrap(&err, "UpdateUser")
	return db.inTx(ctx, func(tx pgx.Tx) error {
		var role domain.Role
		var unitID *int64
		var version int
		err := tx.QueryRow(ctx, `SELECT role, unit_id, version FROM users WHERE id = $1 FOR UPDATE`, id).Scan(&role, &unitID, &version)
		if err != nil {
			return notFound(err, "user.not_found")
		}
		if version != up.Version {
			return domain.Errorf(domain.ECONFLICT, "error.stale")
		}
		rightsChanged := role != up.Role || !sameID(unitID, up.UnitID)
		_, err = tx.Exec(ctx, `
			UPDATE users SET full_name = $2, role = $3, unit_id = $4, version = version + 1, updated_at = now(),
				session_epoch = session_epoch + CASE WHEN $5 THEN 1 ELSE 0 END
			WHERE id = $1`, id, up.FullName, up.Role, up.UnitID, rightsChanged)
		if isForeignKeyViolation(err) {
			return &domain.ValidationError{Fields: domain.FieldErrors{"unit_id": "user.unit.invalid"}}
		}
		if err != nil {
			return err
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditUserUpdate, ObjectType: "user", ObjectID: strconv.FormatInt(id, 10),
			Details: map[string]any{"role_from": role, "role_to": up.Role, "unit_from": unitID, "unit_to": up.UnitID, "full_name": up.FullName}})
	})
}

func sameID(a, b *int64) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && *a == *b)
}

// SetUserDisabled disables or re-enables a user. Disabling ends every live
// session of the user at once (the session epoch moves on).
func (db *DB) SetUserDisabled(ctx context.Context, id int64, disabled bool) (err error) {
	defer wrap(&err, "SetUserDisabled")
	return db.inTx(ctx, func(tx pgx.Tx) error {
		var was *time.Time
		if err := tx.QueryRow(ctx, `SELECT disabled_at FROM users WHERE id = $1 FOR UPDATE`, id).Scan(&was); err != nil {
			return notFound(err, "user.not_found")
		}
		if (was != nil) == disabled {
			return nil
		}
		var q, action string
		if disabled {
			q, action = `UPDATE users SET disabled_at = now(), session_epoch = session_epoch + 1, version = version + 1, updated_at = now() WHERE id = $1`, domain.AuditUserDisable
		} else {
			q, action = `UPDATE users SET disabled_at = NULL, version = version + 1, updated_at = now() WHERE id = $1`, domain.AuditUserEnable
		}
		if _, err := tx.Exec(ctx, q, id); err != nil {
			return err
		}
		return audit(ctx, tx, auditEntry{Action: action, ObjectType: "user", ObjectID: strconv.FormatInt(id, 10)})
	})
}

// SetPassword stores a new password hash and ends the user's sessions; it
// returns the new session epoch, so the caller may keep its own session.
func (db *DB) SetPassword(ctx context.Context, id int64, hash, action string) (epoch int, err error) {
	defer wrap(&err, "SetPassword")
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `UPDATE users SET password_hash = $2, session_epoch = session_epoch + 1,
			version = version + 1, updated_at = now() WHERE id = $1 RETURNING session_epoch`, id, hash).Scan(&epoch)
		if err != nil {
			return notFound(err, "user.not_found")
		}
		return audit(ctx, tx, auditEntry{Action: action, ObjectType: "user", ObjectID: strconv.FormatInt(id, 10)})
	})
	return epoch, err
}

// EndSessions ends every session of the user (sign out everywhere) and
// returns the new session epoch.
func (db *DB) EndSessions(ctx context.Context, id int64) (epoch int, err error) {
	defer wrap(&err, "EndSessions")
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `UPDATE users SET session_epoch = session_epoch + 1 WHERE id = $1 RETURNING session_epoch`, id).Scan(&epoch); err != nil {
			return notFound(err, "user.not_found")
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditSessionsEnd, ObjectType: "user", ObjectID: strconv.FormatInt(id, 10)})
	})
	return epoch, err
}

// SetLocale stores the user's language.
func (db *DB) SetLocale(ctx context.Context, id int64, locale string) (err error) {
	defer wrap(&err, "SetLocale")
	_, err = db.Pool.Exec(ctx, `UPDATE users SET locale = $2, updated_at = now() WHERE id = $1`, id, locale)
	return err
}

// Counts are the numbers on the administrator's home page.
type Counts struct {
	ActiveUsers int
	Units       int
}

// CountUsersAndUnits counts active users and units.
func (db *DB) CountUsersAndUnits(ctx context.Context) (_ Counts, err error) {
	defer wrap(&err, "CountUsersAndUnits")
	var c Counts
	err = db.Pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM users WHERE disabled_at IS NULL), (SELECT count(*) FROM units)`).
		Scan(&c.ActiveUsers, &c.Units)
	return c, err
}

// FocalPointsOf returns the focal points of a unit, active ones first.
func (db *DB) FocalPointsOf(ctx context.Context, unitID int64) (_ []*domain.User, err error) {
	defer wrap(&err, "FocalPointsOf")
	rows, err := db.Pool.Query(ctx, `SELECT `+userColumns+`
		FROM users u LEFT JOIN units n ON n.id = u.unit_id
		WHERE u.unit_id = $1 AND u.role = 'focal_point'
		ORDER BY u.disabled_at IS NOT NULL, u.full_name COLLATE "vi-x-icu"`, unitID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var users []*domain.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		users = append(users, u)
	}
	return users, rows.Err()
}

// ActiveFocalPoints counts the enabled focal points of a unit.
func (db *DB) ActiveFocalPoints(ctx context.Context, unitID int64) (_ int, err error) {
	defer wrap(&err, "ActiveFocalPoints")
	var n int
	err = db.Pool.QueryRow(ctx, `SELECT count(*) FROM users WHERE unit_id = $1 AND role = 'focal_point' AND disabled_at IS NULL`, unitID).Scan(&n)
	return n, err
}
