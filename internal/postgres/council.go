package postgres

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"thidua/internal/domain"
)

// The council (Hội đồng Thi đua – Khen thưởng), issue 12: councils, their
// membership over dates, and the vote rules of each award form. Sessions
// are in council_session.go, the secret ballot in ballot.go.

// CouncilInfo is a council with what its pages name.
type CouncilInfo struct {
	domain.Council
	CampaignTitle string
	IssuerName    string
	Members       int // memberships valid today
	Sessions      int
}

// Choice is an ID and its name, for a select box.
type Choice struct {
	ID   int64
	Name string
}

const councilColumns = `k.id, k.name, k.campaign_id, k.issuer_id, k.created_at, coalesce(c.title, ''), coalesce(i.name, ''),
	(SELECT count(*) FROM council_members m WHERE m.council_id = k.id AND m.valid_from <= $1::date AND (m.valid_to IS NULL OR m.valid_to >= $1::date))::int,
	(SELECT count(*) FROM council_sessions s WHERE s.council_id = k.id)::int`

const councilFrom = ` FROM councils k LEFT JOIN campaigns c ON c.id = k.campaign_id LEFT JOIN issuers i ON i.id = k.issuer_id`

func scanCouncil(row pgx.Row) (*CouncilInfo, error) {
	var k CouncilInfo
	err := row.Scan(&k.ID, &k.Name, &k.CampaignID, &k.IssuerID, &k.CreatedAt, &k.CampaignTitle, &k.IssuerName, &k.Members, &k.Sessions)
	return &k, err
}

// Councils returns the councils, newest first: all of them (all), or those
// userID has ever been a member of.
func (db *DB) Councils(ctx context.Context, userID int64, all bool, today time.Time) (_ []CouncilInfo, err error) {
	defer wrap(&err, "Councils")
	rows, err := db.Pool.Query(ctx, `SELECT `+councilColumns+councilFrom+`
		WHERE $2 OR EXISTS (SELECT 1 FROM council_members m WHERE m.council_id = k.id AND m.user_id = $3)
		ORDER BY k.id DESC`, today, all, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []CouncilInfo
	for rows.Next() {
		k, err := scanCouncil(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *k)
	}
	return out, rows.Err()
}

// CouncilByID returns a council.
func (db *DB) CouncilByID(ctx context.Context, councilID int64, today time.Time) (_ *CouncilInfo, err error) {
	defer wrap(&err, "CouncilByID")
	k, err := scanCouncil(db.Pool.QueryRow(ctx, `SELECT `+councilColumns+councilFrom+` WHERE k.id = $2`, today, councilID))
	if err != nil {
		return nil, notFound(err, "councils.not_found")
	}
	return k, nil
}

// IsCouncilMember reports whether userID has (or had) a membership of the
// council.
func (db *DB) IsCouncilMember(ctx context.Context, councilID, userID int64) (_ bool, err error) {
	defer wrap(&err, "IsCouncilMember")
	var ok bool
	err = db.Pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM council_members WHERE council_id = $1 AND user_id = $2)`,
		councilID, userID).Scan(&ok)
	return ok, err
}

// CouncilCampaignChoices are the campaigns a council or a session may be
// set up for, newest first.
func (db *DB) CouncilCampaignChoices(ctx context.Context) (_ []Choice, err error) {
	defer wrap(&err, "CouncilCampaignChoices")
	return choices(ctx, db, `SELECT id, title FROM campaigns ORDER BY issue_date DESC, id DESC`)
}

// CouncilIssuerChoices are the issuing bodies a council's decisions may
// come from.
func (db *DB) CouncilIssuerChoices(ctx context.Context) (_ []Choice, err error) {
	defer wrap(&err, "CouncilIssuerChoices")
	return choices(ctx, db, `SELECT id, name FROM issuers ORDER BY name COLLATE "vi-x-icu", id`)
}

// CouncilUserChoices are the users who may be put on a council (any role,
// not disabled), by name.
func (db *DB) CouncilUserChoices(ctx context.Context) (_ []Choice, err error) {
	defer wrap(&err, "CouncilUserChoices")
	return choices(ctx, db, `SELECT id, full_name || ' (' || email || ')' FROM users WHERE disabled_at IS NULL
		ORDER BY full_name COLLATE "vi-x-icu", id`)
}

func choices(ctx context.Context, db *DB, sql string) ([]Choice, error) {
	rows, err := db.Pool.Query(ctx, sql)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Choice
	for rows.Next() {
		var c Choice
		if err := rows.Scan(&c.ID, &c.Name); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// actorID is the acting user from ctx, nil when none.
func actorID(ctx context.Context) *int64 {
	if a := domain.ActorFrom(ctx); a.UserID != 0 {
		return &a.UserID
	}
	return nil
}

// CreateCouncil sets up a council and returns its ID. formKey (the form's
// hidden key) makes the same form sent twice return the first council.
func (db *DB) CreateCouncil(ctx context.Context, in domain.CouncilInput, formKey string) (_ int64, err error) {
	defer wrap(&err, "CreateCouncil")
	if err := in.Validate(); err != nil {
		return 0, err
	}
	var id int64
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		if formKey != "" {
			prior, claimed, err := claimIdempotencyKey(ctx, tx, "council:"+formKey)
			if err != nil {
				return err
			}
			if !claimed {
				id, err = strconv.ParseInt(prior, 10, 64)
				return err
			}
		}
		if in.CampaignID != nil {
			var ok bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM campaigns WHERE id = $1)`, *in.CampaignID).Scan(&ok); err != nil {
				return err
			}
			if !ok {
				return &domain.ValidationError{Fields: domain.FieldErrors{"campaign": "field.invalid"}}
			}
		}
		if in.IssuerID != nil {
			var ok bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM issuers WHERE id = $1)`, *in.IssuerID).Scan(&ok); err != nil {
				return err
			}
			if !ok {
				return &domain.ValidationError{Fields: domain.FieldErrors{"issuer": "field.invalid"}}
			}
		}
		err := tx.QueryRow(ctx, `INSERT INTO councils (name, campaign_id, issuer_id, created_by) VALUES ($1, $2, $3, $4) RETURNING id`,
			in.Name, in.CampaignID, in.IssuerID, actorID(ctx)).Scan(&id)
		if err != nil {
			return err
		}
		if formKey != "" {
			if err := setIdempotencyResult(ctx, tx, "council:"+formKey, strconv.FormatInt(id, 10)); err != nil {
				return err
			}
		}
		d := map[string]any{"name": in.Name}
		if in.CampaignID != nil {
			d["campaign_id"] = *in.CampaignID
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditCouncilCreate, ObjectType: "council", ObjectID: strconv.FormatInt(id, 10), Details: d})
	})
	return id, err
}

// CouncilMembers returns every membership of a council, past ones
// included, by role then name.
func (db *DB) CouncilMembers(ctx context.Context, councilID int64) (_ []domain.CouncilMember, err error) {
	defer wrap(&err, "CouncilMembers")
	rows, err := db.Pool.Query(ctx, `
		SELECT m.id, m.council_id, m.user_id, u.full_name, m.role, m.position, m.valid_from, m.valid_to, m.end_reason
		FROM council_members m JOIN users u ON u.id = m.user_id
		WHERE m.council_id = $1
		ORDER BY array_position(ARRAY['chair', 'vice_chair', 'member', 'secretary'], m.role), u.full_name COLLATE "vi-x-icu", m.valid_from, m.id`,
		councilID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.CouncilMember
	for rows.Next() {
		var m domain.CouncilMember
		if err := rows.Scan(&m.ID, &m.CouncilID, &m.UserID, &m.UserName, &m.Role, &m.Position, &m.From, &m.To, &m.EndReason); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// AddCouncilMember puts a user on a council. A user already a member over
// any of the same days is refused (ECONFLICT), as is a disabled account.
func (db *DB) AddCouncilMember(ctx context.Context, councilID int64, in domain.MemberInput) (_ int64, err error) {
	defer wrap(&err, "AddCouncilMember")
	if err := in.Validate(); err != nil {
		return 0, err
	}
	var id int64
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT 1 FROM councils WHERE id = $1 FOR UPDATE`, councilID); err != nil {
			return err
		}
		var disabled bool
		err := tx.QueryRow(ctx, `SELECT disabled_at IS NOT NULL FROM users WHERE id = $1`, in.UserID).Scan(&disabled)
		if errors.Is(err, pgx.ErrNoRows) || disabled {
			return &domain.ValidationError{Fields: domain.FieldErrors{"user": "field.invalid"}}
		}
		if err != nil {
			return err
		}
		var overlap bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM council_members WHERE council_id = $1 AND user_id = $2
			AND daterange(valid_from, valid_to, '[]') && daterange($3::date, $4::date, '[]'))`,
			councilID, in.UserID, in.From, in.To).Scan(&overlap); err != nil {
			return err
		}
		if overlap {
			return domain.Errorf(domain.ECONFLICT, "councils.member.overlap")
		}
		err = tx.QueryRow(ctx, `INSERT INTO council_members (council_id, user_id, role, position, valid_from, valid_to, added_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
			councilID, in.UserID, in.Role, in.Position, in.From, in.To, actorID(ctx)).Scan(&id)
		if err != nil {
			return err
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditCouncilMemberAdd, ObjectType: "council", ObjectID: strconv.FormatInt(councilID, 10),
			Details: map[string]any{"member_id": id, "user_id": in.UserID, "role": string(in.Role), "valid_from": in.From.Format(time.DateOnly)}})
	})
	return id, err
}

// EndCouncilMember ends a membership on end.To (its last day) for a
// reason. A membership already ended is refused (ECONFLICT), as is a last
// day before its first.
func (db *DB) EndCouncilMember(ctx context.Context, councilID, memberID int64, end domain.MemberEnd) (err error) {
	defer wrap(&err, "EndCouncilMember")
	if err := end.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx pgx.Tx) error {
		var from time.Time
		var to *time.Time
		err := tx.QueryRow(ctx, `SELECT valid_from, valid_to FROM council_members WHERE id = $1 AND council_id = $2 FOR UPDATE`,
			memberID, councilID).Scan(&from, &to)
		if err != nil {
			return notFound(err, "councils.member.not_found")
		}
		if to != nil {
			return domain.Errorf(domain.ECONFLICT, "councils.member.already_ended", to.Format("02/01/2006"))
		}
		if end.To.Before(from) {
			return &domain.ValidationError{Fields: domain.FieldErrors{"valid_to": "councils.member.to_before_from"}}
		}
		if _, err := tx.Exec(ctx, `UPDATE council_members SET valid_to = $2, end_reason = $3, ended_by = $4 WHERE id = $1`,
			memberID, end.To, end.Reason, actorID(ctx)); err != nil {
			return err
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditCouncilMemberEnd, ObjectType: "council", ObjectID: strconv.FormatInt(councilID, 10),
			Details: map[string]any{"member_id": memberID, "valid_to": end.To.Format(time.DateOnly), "reason": end.Reason}})
	})
}

// VoteRuleInfo is a vote rule with its award form's name.
type VoteRuleInfo struct {
	domain.VoteRule
	FormName string
}

// VoteRules returns every vote rule, by award form then first day.
func (db *DB) VoteRules(ctx context.Context) (_ []VoteRuleInfo, err error) {
	defer wrap(&err, "VoteRules")
	rows, err := db.Pool.Query(ctx, `
		SELECT r.id, r.award_form_id, r.basis, (r.share * 100)::bigint, (r.quorum * 100)::bigint, r.citation, r.in_force_from, r.in_force_to, f.name
		FROM vote_rules r JOIN award_forms f ON f.id = r.award_form_id
		ORDER BY f.sort, f.id, r.in_force_from NULLS FIRST, r.id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []VoteRuleInfo
	for rows.Next() {
		var r VoteRuleInfo
		if err := rows.Scan(&r.ID, &r.AwardFormID, &r.Basis, &r.Share, &r.Quorum, &r.Citation, &r.InForceFrom, &r.InForceTo, &r.FormName); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// AddVoteRule records a vote rule. Two rules of one award form may not be
// in force on the same day: one overlapping is refused (ECONFLICT) until
// staff end it (EndVoteRule).
func (db *DB) AddVoteRule(ctx context.Context, in domain.VoteRuleInput) (_ int64, err error) {
	defer wrap(&err, "AddVoteRule")
	if err := in.Validate(); err != nil {
		return 0, err
	}
	var id int64
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		var form string
		err := tx.QueryRow(ctx, `SELECT name FROM award_forms WHERE id = $1 FOR UPDATE`, in.AwardFormID).Scan(&form)
		if errors.Is(err, pgx.ErrNoRows) {
			return &domain.ValidationError{Fields: domain.FieldErrors{"award_form": "field.invalid"}}
		}
		if err != nil {
			return err
		}
		var clash int64
		err = tx.QueryRow(ctx, `SELECT id FROM vote_rules WHERE award_form_id = $1
			AND daterange(in_force_from, in_force_to, '[]') && daterange($2::date, $3::date, '[]') LIMIT 1`,
			in.AwardFormID, in.From, in.To).Scan(&clash)
		if err == nil {
			return domain.Errorf(domain.ECONFLICT, "voterule.overlap", form)
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		err = tx.QueryRow(ctx, `INSERT INTO vote_rules (award_form_id, basis, share, quorum, citation, in_force_from, in_force_to, created_by)
			VALUES ($1, $2, $3::numeric / 100, $4::numeric / 100, $5, $6, $7, $8) RETURNING id`,
			in.AwardFormID, in.Basis, int64(in.Share), int64(in.Quorum), in.Citation, in.From, in.To, actorID(ctx)).Scan(&id)
		if err != nil {
			return err
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditVoteRuleAdd, ObjectType: "vote_rule", ObjectID: strconv.FormatInt(id, 10),
			Details: map[string]any{"award_form_id": in.AwardFormID, "basis": string(in.Basis), "share": in.Share.String(), "quorum": in.Quorum.String()}})
	})
	return id, err
}

// EndVoteRule ends a rule still in force on last (its last day), so that
// another may follow it.
func (db *DB) EndVoteRule(ctx context.Context, ruleID int64, last time.Time) (err error) {
	defer wrap(&err, "EndVoteRule")
	return db.inTx(ctx, func(tx pgx.Tx) error {
		var from, to *time.Time
		err := tx.QueryRow(ctx, `SELECT in_force_from, in_force_to FROM vote_rules WHERE id = $1 FOR UPDATE`, ruleID).Scan(&from, &to)
		if err != nil {
			return notFound(err, "voterule.not_found")
		}
		if to != nil {
			return domain.Errorf(domain.ECONFLICT, "voterule.already_ended", to.Format("02/01/2006"))
		}
		if from != nil && last.Before(*from) {
			return &domain.ValidationError{Fields: domain.FieldErrors{"in_force_to": "voterule.to_before_from"}}
		}
		if _, err := tx.Exec(ctx, `UPDATE vote_rules SET in_force_to = $2 WHERE id = $1`, ruleID, last); err != nil {
			return err
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditVoteRuleEnd, ObjectType: "vote_rule", ObjectID: strconv.FormatInt(ruleID, 10),
			Details: map[string]any{"in_force_to": last.Format(time.DateOnly)}})
	})
}

// CouncilIssuerPlace is the place its documents are dated at (the
// issuer's), empty when the council has no issuer.
func (db *DB) CouncilIssuerPlace(ctx context.Context, councilID int64) (_ string, err error) {
	defer wrap(&err, "CouncilIssuerPlace")
	var place string
	err = db.Pool.QueryRow(ctx, `SELECT coalesce(i.place, '') FROM councils k LEFT JOIN issuers i ON i.id = k.issuer_id WHERE k.id = $1`,
		councilID).Scan(&place)
	return place, notFound(err, "councils.not_found")
}
