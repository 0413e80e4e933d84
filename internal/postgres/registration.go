package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"thidua/internal/domain"
)

// Target is a measurable pledge (the domain's type).
type Target = domain.Target

// Registration is a unit's registration for a campaign: the domain's
// record (kept under this name for code written before it moved there).
type Registration = domain.Registration

const registrationColumns = `r.id, r.campaign_id, r.unit_id, u.name, r.status, r.pledge, r.targets, r.reason, r.submitted_at, r.decided_at, r.version,
	(SELECT count(*) FROM registration_people rp WHERE rp.registration_id = r.id)`

func scanRegistration(row pgx.Row) (*Registration, error) {
	var r Registration
	var targets []byte
	if err := row.Scan(&r.ID, &r.CampaignID, &r.UnitID, &r.UnitName, &r.Status, &r.Pledge, &targets, &r.Reason, &r.SubmittedAt, &r.DecidedAt, &r.Version, &r.PeopleCount); err != nil {
		return nil, notFound(err, "registration.not_found")
	}
	_ = json.Unmarshal(targets, &r.Targets)
	return &r, nil
}

// RegistrationOf returns a unit's registration for a campaign.
func (db *DB) RegistrationOf(ctx context.Context, campaignID, unitID int64) (_ *Registration, err error) {
	defer wrap(&err, "RegistrationOf")
	r, err := scanRegistration(db.Pool.QueryRow(ctx, `SELECT `+registrationColumns+` FROM registrations r JOIN units u ON u.id = r.unit_id
		WHERE r.campaign_id = $1 AND r.unit_id = $2`, campaignID, unitID))
	if err != nil {
		return nil, err
	}
	rows, err := db.Pool.Query(ctx, `SELECT person_id FROM registration_people WHERE registration_id = $1 ORDER BY person_id`, r.ID)
	if err != nil {
		return nil, err
	}
	r.People, err = pgx.CollectRows(rows, pgx.RowTo[int64])
	return r, err
}

// RegistrationByID returns a registration.
func (db *DB) RegistrationByID(ctx context.Context, id int64) (_ *Registration, err error) {
	defer wrap(&err, "RegistrationByID")
	return scanRegistration(db.Pool.QueryRow(ctx, `SELECT `+registrationColumns+` FROM registrations r JOIN units u ON u.id = r.unit_id WHERE r.id = $1`, id))
}

// registrationOpen checks that a campaign takes registrations on day from
// a unit: announced, before the last registration deadline of its phases,
// and the unit is among those who compete.
func registrationOpen(ctx context.Context, tx pgx.Tx, campaignID, unitID int64, day time.Time) error {
	var status domain.CampaignStatus
	var kinds []string
	var scope *int64
	var deadline *time.Time
	err := tx.QueryRow(ctx, `SELECT c.status, c.target_kinds, c.scope_unit_id,
		(SELECT max(registration_deadline) FROM phases p WHERE p.campaign_id = c.id)
		FROM campaigns c WHERE c.id = $1 FOR SHARE`, campaignID).Scan(&status, &kinds, &scope, &deadline)
	if err != nil {
		return notFound(err, "campaign.not_found")
	}
	if status != domain.StatusAnnounced {
		return domain.Errorf(domain.ECONFLICT, "registration.campaign_closed")
	}
	if deadline != nil && day.After(*deadline) {
		return domain.Errorf(domain.ECONFLICT, "registration.deadline_passed", deadline.Format("02/01/2006"))
	}
	var kind string
	if err := tx.QueryRow(ctx, `SELECT kind FROM units WHERE id = $1 AND valid_from <= $2 AND (valid_to IS NULL OR valid_to > $2)`, unitID, day).Scan(&kind); err != nil {
		return domain.Errorf(domain.EFORBIDDEN, "registration.unit_not_in_force")
	}
	if len(kinds) > 0 {
		found := false
		for _, k := range kinds {
			found = found || k == kind
		}
		if !found {
			return domain.Errorf(domain.EFORBIDDEN, "registration.not_a_target")
		}
	}
	if scope != nil {
		var inside bool
		if err := tx.QueryRow(ctx, `WITH RECURSIVE up AS (
				SELECT unit_id, parent_id FROM unit_versions WHERE unit_id = $1 AND valid_from <= $3 AND (valid_to IS NULL OR valid_to > $3)
				UNION SELECT v.unit_id, v.parent_id FROM unit_versions v JOIN up ON v.unit_id = up.parent_id
				WHERE v.valid_from <= $3 AND (v.valid_to IS NULL OR v.valid_to > $3))
			SELECT EXISTS (SELECT 1 FROM up WHERE unit_id = $2)`, unitID, *scope, day).Scan(&inside); err != nil {
			return err
		}
		if !inside {
			return domain.Errorf(domain.EFORBIDDEN, "registration.not_a_target")
		}
	}
	return nil
}

// RegistrationInput is what a focal point sends.
type RegistrationInput struct {
	Pledge  string
	Targets []Target
	People  []int64
	Submit  bool // send for approval, else keep as a draft
	Version int  // 0 for a new registration
}

// SaveRegistration creates or changes a unit's registration while the
// campaign takes registrations. A sent registration waits for approval; an
// approved one can no longer change.
func (db *DB) SaveRegistration(ctx context.Context, campaignID, unitID int64, in RegistrationInput) (_ int64, err error) {
	defer wrap(&err, "SaveRegistration")
	in.Pledge = domain.CleanText(in.Pledge)
	f := domain.FieldErrors{}
	if domain.RuneLen(in.Pledge) > 10000 {
		f.Add("pledge", "field.too_long")
	}
	var targets []Target
	for _, t := range in.Targets {
		t.Label, t.Value = domain.CleanText(t.Label), domain.CleanText(t.Value)
		if t.Label == "" && t.Value == "" {
			continue
		}
		if t.Label == "" || t.Value == "" || domain.RuneLen(t.Label) > 300 || domain.RuneLen(t.Value) > 100 {
			f.Add("targets", "registration.target.invalid")
		}
		targets = append(targets, t)
	}
	seen := map[int64]bool{}
	var people []int64
	for _, p := range in.People {
		if !seen[p] {
			seen[p] = true
			people = append(people, p)
		}
	}
	in.People = people
	if len(targets) > 20 || len(in.People) > 500 {
		f.Add("targets", "field.too_long")
	}
	if err := f.Err(); err != nil {
		return 0, err
	}
	if targets == nil {
		targets = []Target{}
	}
	day := domain.DateOf(db.Now())
	var id int64
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		if err := registrationOpen(ctx, tx, campaignID, unitID, day); err != nil {
			return err
		}
		var reg domain.Registration
		err := tx.QueryRow(ctx, `SELECT id, status, version FROM registrations WHERE campaign_id = $1 AND unit_id = $2 FOR UPDATE`,
			campaignID, unitID).Scan(&reg.ID, &reg.Status, &reg.Version)
		id = reg.ID
		raw, _ := json.Marshal(targets)
		switch {
		case err == pgx.ErrNoRows:
			reg = domain.Registration{Status: domain.RegDraft}
			if err := reg.Save(in.Submit, 0, db.Now()); err != nil {
				return err
			}
			err = tx.QueryRow(ctx, `INSERT INTO registrations (campaign_id, unit_id, status, pledge, targets, submitted_at)
				VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (campaign_id, unit_id) DO NOTHING RETURNING id`,
				campaignID, unitID, reg.Status, in.Pledge, raw, reg.SubmittedAt).Scan(&id)
			if err == pgx.ErrNoRows {
				return domain.Errorf(domain.ECONFLICT, "error.stale")
			}
			if err != nil {
				return err
			}
		case err != nil:
			return err
		default:
			if err := reg.Save(in.Submit, in.Version, db.Now()); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `UPDATE registrations SET status = $2, pledge = $3, targets = $4, reason = $6,
				submitted_at = CASE WHEN $5 THEN now() ELSE submitted_at END, version = version + 1, updated_at = now() WHERE id = $1`,
				id, reg.Status, in.Pledge, raw, in.Submit, reg.Reason); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `DELETE FROM registration_people WHERE registration_id = $1`, id); err != nil {
			return err
		}
		for _, p := range in.People {
			// Only people of the unit on the day can be proposed.
			tag, err := tx.Exec(ctx, `INSERT INTO registration_people (registration_id, person_id)
				SELECT $1, $2 WHERE EXISTS (SELECT 1 FROM person_units WHERE person_id = $2 AND unit_id = $3
					AND valid_from <= $4 AND (valid_to IS NULL OR valid_to > $4)) ON CONFLICT DO NOTHING`, id, p, unitID, day)
			if err != nil {
				return err
			}
			if tag.RowsAffected() == 0 {
				return &domain.ValidationError{Fields: domain.FieldErrors{"people": "registration.person_not_in_unit"}}
			}
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditRegistrationSave, ObjectType: "registration", ObjectID: strconv.FormatInt(id, 10),
			Details: map[string]any{"campaign_id": campaignID, "unit_id": unitID, "status": reg.Status, "people": len(in.People)}})
	})
	return id, err
}

// WithdrawRegistration lets a unit withdraw before approval.
func (db *DB) WithdrawRegistration(ctx context.Context, id int64) (err error) {
	defer wrap(&err, "WithdrawRegistration")
	return db.inTx(ctx, func(tx pgx.Tx) error {
		var reg domain.Registration
		if err := tx.QueryRow(ctx, `SELECT status FROM registrations WHERE id = $1 FOR UPDATE`, id).Scan(&reg.Status); err != nil {
			return notFound(err, "registration.not_found")
		}
		if err := reg.Withdraw(); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE registrations SET status = $2, version = version + 1, updated_at = now() WHERE id = $1`, id, reg.Status); err != nil {
			return err
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditRegistrationDecide, ObjectType: "registration", ObjectID: strconv.FormatInt(id, 10),
			Details: map[string]any{"status": "withdrawn"}})
	})
}

// RegistrationChoice is a registration staff chose to decide, with the
// version their page showed.
type RegistrationChoice struct {
	ID      int64
	Version int
}

// DecideRegistrations approves or rejects pending registrations of a
// campaign, one or many; a rejection needs its reason. It returns how many
// changed: a registration no longer pending, or changed by its unit since
// staff saw it (another version), is left as it is.
func (db *DB) DecideRegistrations(ctx context.Context, campaignID int64, chosen []RegistrationChoice, approve bool, reason string) (_ int, err error) {
	defer wrap(&err, "DecideRegistrations")
	reason = domain.CleanText(reason)
	// The reason is checked before anything is read: a refusal names it
	// even when no registration is chosen.
	if err := (&domain.Registration{Status: domain.RegPending}).Decide(approve, reason, time.Time{}); err != nil {
		return 0, err
	}
	var n int
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		actor := nullID(domain.ActorFrom(ctx).UserID)
		ids, versions := make([]int64, len(chosen)), make([]int32, len(chosen))
		for i, c := range chosen {
			ids[i], versions[i] = c.ID, int32(c.Version)
		}
		rows, err := tx.Query(ctx, `SELECT r.id, r.status, r.version FROM registrations r
			JOIN unnest($2::bigint[], $3::int[]) AS x(id, version) ON r.id = x.id AND r.version = x.version
			WHERE r.campaign_id = $1 ORDER BY r.id FOR UPDATE OF r`, campaignID, ids, versions)
		if err != nil {
			return err
		}
		regs, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (domain.Registration, error) {
			var r domain.Registration
			err := row.Scan(&r.ID, &r.Status, &r.Version)
			return r, err
		})
		if err != nil {
			return err
		}
		now := db.Now()
		var decided []int64
		var status domain.RegistrationStatus
		for i := range regs {
			// One no longer pending (decided meanwhile) is left as it is.
			if regs[i].Decide(approve, reason, now) == nil {
				decided = append(decided, regs[i].ID)
				status = regs[i].Status
			}
		}
		if status == "" {
			status = domain.RegRejected
			if approve {
				status = domain.RegApproved
			}
		}
		if len(decided) > 0 {
			if _, err := tx.Exec(ctx, `UPDATE registrations SET status = $2, reason = $3, decided_at = now(), decided_by = $4,
				version = version + 1, updated_at = now() WHERE id = ANY($1::bigint[])`, decided, status, reason, actor); err != nil {
				return err
			}
		}
		n = len(decided)
		if decided == nil {
			decided = []int64{}
		}
		if err := db.notifyDecided(ctx, tx, campaignID, decided, status == domain.RegApproved, reason); err != nil {
			return err
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditRegistrationDecide, ObjectType: "campaign", ObjectID: strconv.FormatInt(campaignID, 10),
			Details: map[string]any{"registrations": decided, "status": status, "reason": reason}})
	})
	return n, err
}

// scopeUnregistered selects, as of day $1, the units in force of the
// campaign's scope ($2, NULL for all) and target kinds ($4) that have no
// registration for campaign $3 yet: whom "register all" would register.
const scopeUnregistered = `
	WITH RECURSIVE inforce AS (` + unitAsOf + `),
	scoped AS (
		SELECT id FROM inforce WHERE $2::bigint IS NULL OR id = $2
		UNION SELECT i.id FROM inforce i JOIN scoped s ON i.parent_id = s.id WHERE $2::bigint IS NOT NULL)
	SELECT i.id, i.name, i.code, i.kind FROM inforce i JOIN scoped s ON s.id = i.id
	WHERE (cardinality($4::text[]) = 0 OR i.kind = ANY($4))
		AND NOT EXISTS (SELECT 1 FROM registrations r WHERE r.campaign_id = $3 AND r.unit_id = i.id)`

// UnitToRegister is a unit "register all" would register.
type UnitToRegister struct {
	ID   int64
	Name string
	Code string
	Kind string
}

// UnitsToRegister lists, in Vietnamese name order, the units of a
// campaign's scope and targets that have no registration yet: what staff
// confirm before registering them all.
func (db *DB) UnitsToRegister(ctx context.Context, campaignID int64) (_ []UnitToRegister, err error) {
	defer wrap(&err, "UnitsToRegister")
	var kinds []string
	var scope *int64
	if err := db.Pool.QueryRow(ctx, `SELECT target_kinds, scope_unit_id FROM campaigns WHERE id = $1`, campaignID).Scan(&kinds, &scope); err != nil {
		return nil, notFound(err, "campaign.not_found")
	}
	rows, err := db.Pool.Query(ctx, `SELECT * FROM (`+scopeUnregistered+`) x ORDER BY name COLLATE "vi-x-icu", id`,
		domain.DateOf(db.Now()), scope, campaignID, kinds)
	if err != nil {
		return nil, fmt.Errorf("units to register: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[UnitToRegister])
}

// RegisterAll registers, approved, the chosen units (those staff saw and
// confirmed) that are still in the campaign's targets and scope and still
// have no registration; it returns how many it added. Running it again adds
// nothing.
func (db *DB) RegisterAll(ctx context.Context, campaignID int64, chosen []int64) (_ int, err error) {
	defer wrap(&err, "RegisterAll")
	if len(chosen) == 0 {
		return 0, &domain.ValidationError{Fields: domain.FieldErrors{"units": "registration.all.none"}}
	}
	day := domain.DateOf(db.Now())
	var n int
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		var status domain.CampaignStatus
		var kinds []string
		var scope *int64
		if err := tx.QueryRow(ctx, `SELECT status, target_kinds, scope_unit_id FROM campaigns WHERE id = $1 FOR UPDATE`, campaignID).Scan(&status, &kinds, &scope); err != nil {
			return notFound(err, "campaign.not_found")
		}
		if status != domain.StatusAnnounced {
			return domain.Errorf(domain.ECONFLICT, "registration.campaign_closed")
		}
		var actor *int64
		if a := domain.ActorFrom(ctx); a.UserID != 0 {
			actor = &a.UserID
		}
		rows, err := tx.Query(ctx, `INSERT INTO registrations (campaign_id, unit_id, status, decided_at, decided_by)
			SELECT $3, x.id, 'approved', now(), $5 FROM (`+scopeUnregistered+`) x WHERE x.id = ANY($6::bigint[])
			ON CONFLICT (campaign_id, unit_id) DO NOTHING RETURNING unit_id`, day, scope, campaignID, kinds, actor, chosen)
		if err != nil {
			return fmt.Errorf("register all: %w", err)
		}
		added, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil {
			return fmt.Errorf("register all: %w", err)
		}
		n = len(added)
		if err := db.notifyUnitsDecided(ctx, tx, campaignID, added, true, ""); err != nil {
			return err
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditRegistrationDecide, ObjectType: "campaign", ObjectID: strconv.FormatInt(campaignID, 10),
			Details: map[string]any{"register_all": n, "confirmed": len(chosen), "units": added}})
	})
	return n, err
}

// ListRegistrations returns a campaign's registrations, optionally of one
// status, in Vietnamese unit order.
func (db *DB) ListRegistrations(ctx context.Context, campaignID int64, status domain.RegistrationStatus) (_ []Registration, err error) {
	defer wrap(&err, "ListRegistrations")
	rows, err := db.Pool.Query(ctx, `SELECT `+registrationColumns+` FROM registrations r JOIN units u ON u.id = r.unit_id
		WHERE r.campaign_id = $1 AND ($2 = '' OR r.status = $2) ORDER BY u.name COLLATE "vi-x-icu", r.id`, campaignID, status)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Registration
	for rows.Next() {
		r, err := scanRegistration(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *r)
	}
	return out, rows.Err()
}

// CampaignsForUnit lists the announced campaigns a unit may take part in,
// with its registration status ("" when it has none).
func (db *DB) CampaignsForUnit(ctx context.Context, unitID int64) (_ []CampaignRow, _ []domain.RegistrationStatus, err error) {
	defer wrap(&err, "CampaignsForUnit")
	day := domain.DateOf(db.Now())
	rows, err := db.ListCampaigns(ctx, CampaignFilter{Public: true}, day)
	if err != nil {
		return nil, nil, err
	}
	var kind string
	if err := db.Pool.QueryRow(ctx, `SELECT kind FROM units WHERE id = $1`, unitID).Scan(&kind); err != nil {
		return nil, nil, notFound(err, "unit.not_found")
	}
	var out []CampaignRow
	var statuses []domain.RegistrationStatus
	for _, c := range rows {
		var status string
		var target bool
		err := db.Pool.QueryRow(ctx, `SELECT coalesce((SELECT status FROM registrations WHERE campaign_id = $1 AND unit_id = $2), ''),
			cardinality(target_kinds) = 0 OR $3 = ANY(target_kinds) FROM campaigns WHERE id = $1`, c.ID, unitID, kind).Scan(&status, &target)
		if err != nil {
			return nil, nil, err
		}
		if c.Status != domain.StatusAnnounced && status == "" {
			continue
		}
		if !target && status == "" {
			continue
		}
		out = append(out, c)
		statuses = append(statuses, domain.RegistrationStatus(status))
	}
	return out, statuses, nil
}
