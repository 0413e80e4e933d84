package postgres

import (
	"context"
	"strconv"

	"github.com/jackc/pgx/v5"

	"thidua/internal/domain"
)

// Issuing bodies of decisions (cơ quan ban hành) and their number
// registers (sổ đăng ký văn bản), one per issuer and year.

const issuerColumns = `id, name, parent_name, code, place, signer_authority, signer_title, unit_id`

func scanIssuer(row pgx.Row) (domain.Issuer, error) {
	var i domain.Issuer
	err := row.Scan(&i.ID, &i.Name, &i.ParentName, &i.Code, &i.Place, &i.SignerAuthority, &i.SignerTitle, &i.UnitID)
	return i, err
}

// Issuers returns every issuer by name.
func (db *DB) Issuers(ctx context.Context) (_ []domain.Issuer, err error) {
	defer wrap(&err, "Issuers")
	rows, err := db.Pool.Query(ctx, `SELECT `+issuerColumns+` FROM issuers ORDER BY name COLLATE "vi-x-icu", id`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (domain.Issuer, error) { return scanIssuer(row) })
}

// IssuerByID returns one issuer.
func (db *DB) IssuerByID(ctx context.Context, id int64) (_ *domain.Issuer, err error) {
	defer wrap(&err, "IssuerByID")
	i, err := scanIssuer(db.Pool.QueryRow(ctx, `SELECT `+issuerColumns+` FROM issuers WHERE id = $1`, id))
	if err != nil {
		return nil, notFound(err, "issuer.not_found")
	}
	return &i, nil
}

// SaveIssuer creates an issuer (ID 0) or corrects one, and returns its ID.
// Numbers already given keep the code they were given with.
func (db *DB) SaveIssuer(ctx context.Context, in domain.Issuer) (_ int64, err error) {
	defer wrap(&err, "SaveIssuer")
	in.Normalize()
	if err := in.Validate(); err != nil {
		return 0, err
	}
	id := in.ID
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		if id == 0 {
			err = tx.QueryRow(ctx, `INSERT INTO issuers (name, parent_name, code, place, signer_authority, signer_title)
				VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
				in.Name, in.ParentName, in.Code, in.Place, in.SignerAuthority, in.SignerTitle).Scan(&id)
		} else {
			var tag pgconnTag
			tag, err = tx.Exec(ctx, `UPDATE issuers SET name = $2, parent_name = $3, code = $4, place = $5, signer_authority = $6,
				signer_title = $7 WHERE id = $1`, id, in.Name, in.ParentName, in.Code, in.Place, in.SignerAuthority, in.SignerTitle)
			if err == nil && tag.RowsAffected() == 0 {
				return domain.Errorf(domain.ENOTFOUND, "issuer.not_found")
			}
		}
		if isUniqueViolation(err, "") {
			return &domain.ValidationError{Fields: domain.FieldErrors{"name": "issuer.name.taken"}}
		}
		if err != nil {
			return err
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditIssuerSave, ObjectType: "issuer", ObjectID: strconv.FormatInt(id, 10),
			Details: map[string]any{"name": in.Name, "code": in.Code}})
	})
	return id, err
}

// takeNumber gives the next number of an issuer's register for a year, in
// tx: one statement, under the register row's lock, so decisions signed
// at the same moment get consecutive numbers and never the same one; the
// first decision of a year opens the year's register.
func takeNumber(ctx context.Context, tx pgx.Tx, issuerID int64, year int) (int, error) {
	var n int
	err := tx.QueryRow(ctx, `INSERT INTO decision_registers (issuer_id, year, last_number) VALUES ($1, $2, 1)
		ON CONFLICT (issuer_id, year) DO UPDATE SET last_number = decision_registers.last_number + 1
		RETURNING last_number`, issuerID, year).Scan(&n)
	return n, err
}
