package postgres

import (
	"context"
	"errors"
	"strconv"

	"github.com/jackc/pgx/v5"

	"thidua/internal/domain"
)

const memberColumns = `m.id, m.campaign_id, m.phase_id, m.user_id, m.role, m.added_by, m.added_at`

func scanMember(row pgx.Row) (domain.Membership, error) {
	var m domain.Membership
	err := row.Scan(&m.ID, &m.CampaignID, &m.PhaseID, &m.UserID, &m.Role, &m.AddedBy, &m.AddedAt)
	return m, err
}

// CampaignAccess loads a campaign and userID's current memberships of it in
// one round trip: what every campaign route's loader needs. userID 0 (an
// anonymous visitor) has none. A missing campaign is ENOTFOUND.
func (db *DB) CampaignAccess(ctx context.Context, campaignID, userID int64) (_ *domain.CampaignAccess, err error) {
	return db.CampaignAccessWithForm(ctx, campaignID, userID, 0)
}

// CampaignAccessWithForm is CampaignAccess with, when formID is not 0 and
// the user is signed in, the form of that id if it is one of the
// campaign's (CampaignAccess.Form), in the same round trip: the routes
// under /campaigns/{campaignID}/…/{assessmentID} need all three before
// anything else.
func (db *DB) CampaignAccessWithForm(ctx context.Context, campaignID, userID, formID int64) (_ *domain.CampaignAccess, err error) {
	defer wrap(&err, "CampaignAccess")
	if userID == 0 {
		// A visitor: the campaign and the revision of its public pages
		// (migration 000028), by which the server knows whether the page
		// it holds is current.
		acc := &domain.CampaignAccess{}
		acc.Campaign, err = scanCampaign(db.Pool.QueryRow(ctx, `SELECT `+campaignColumns+`, coalesce(r.revision, 0)
			FROM campaigns c LEFT JOIN public_revisions r ON r.campaign_id = c.id WHERE c.id = $1`, campaignID), &acc.PublicRevision)
		if err != nil {
			return nil, err
		}
		return acc, nil
	}
	var b pgx.Batch
	b.Queue(`SELECT `+campaignColumns+` FROM campaigns c WHERE c.id = $1`, campaignID)
	b.Queue(`SELECT `+memberColumns+` FROM campaign_members m
		WHERE m.campaign_id = $1 AND m.user_id = $2 AND m.removed_at IS NULL ORDER BY m.id`, campaignID, userID)
	if formID != 0 {
		b.Queue(`SELECT `+assessmentColumns+assessmentFrom+` WHERE a.id = $1 AND a.campaign_id = $2`, formID, campaignID)
	}
	br := db.Pool.SendBatch(ctx, &b)
	defer br.Close()
	c, err := scanCampaign(br.QueryRow())
	if err != nil {
		return nil, err
	}
	acc := &domain.CampaignAccess{Campaign: c}
	rows, err := br.Query()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		m, err := scanMember(rows)
		if err != nil {
			return nil, err
		}
		acc.Memberships = append(acc.Memberships, m)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if formID != 0 {
		acc.Form, err = scanAssessment(br.QueryRow())
		if domain.ErrorCode(err) == domain.ENOTFOUND {
			acc.Form, err = nil, nil
		}
		if err != nil {
			return nil, err
		}
	}
	return acc, br.Close()
}

// Member is a row of a campaign's team as staff see it.
type Member struct {
	domain.Membership
	FullName  string
	Email     string
	UserRole  domain.Role
	UnitName  string
	PhaseName string // "" for every phase
}

// Members lists a campaign's current team in one role, by phase then name.
func (db *DB) Members(ctx context.Context, campaignID int64, role domain.MemberRole) (_ []Member, err error) {
	defer wrap(&err, "Members")
	rows, err := db.Pool.Query(ctx, `
		SELECT `+memberColumns+`, u.full_name, u.email, u.role, coalesce(un.name, ''), coalesce(p.name, '')
		FROM campaign_members m
		JOIN users u ON u.id = m.user_id
		LEFT JOIN units un ON un.id = u.unit_id
		LEFT JOIN phases p ON p.id = m.phase_id
		WHERE m.campaign_id = $1 AND m.role = $2 AND m.removed_at IS NULL
		ORDER BY p.seq NULLS FIRST, u.full_name, m.id`, campaignID, role)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Member
	for rows.Next() {
		var m Member
		if err := rows.Scan(&m.ID, &m.CampaignID, &m.PhaseID, &m.UserID, &m.Role, &m.AddedBy, &m.AddedAt,
			&m.FullName, &m.Email, &m.UserRole, &m.UnitName, &m.PhaseName); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// AddMember puts a user on a campaign's team in a role, for one phase of
// the campaign or (phaseID nil) for all. The user must exist and be active.
// Adding someone already there changes nothing and returns their row.
func (db *DB) AddMember(ctx context.Context, campaignID int64, phaseID *int64, userID int64, role domain.MemberRole) (_ int64, err error) {
	defer wrap(&err, "AddMember")
	if role != domain.MemberAppraiser && role != domain.MemberCouncil {
		return 0, &domain.ValidationError{Fields: domain.FieldErrors{"role": "field.invalid"}}
	}
	var id int64
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		var status domain.CampaignStatus
		if err := tx.QueryRow(ctx, `SELECT status FROM campaigns WHERE id = $1 FOR UPDATE`, campaignID).Scan(&status); err != nil {
			return notFound(err, "campaign.not_found")
		}
		if status == domain.StatusCancelled {
			return domain.Errorf(domain.ECONFLICT, "campaign.not_editable")
		}
		if phaseID != nil {
			var ok bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM phases WHERE id = $1 AND campaign_id = $2)`, *phaseID, campaignID).Scan(&ok); err != nil {
				return err
			}
			if !ok {
				return &domain.ValidationError{Fields: domain.FieldErrors{"phase_id": "phase.not_found"}}
			}
		}
		var disabled bool
		err := tx.QueryRow(ctx, `SELECT disabled_at IS NOT NULL FROM users WHERE id = $1`, userID).Scan(&disabled)
		if errors.Is(err, pgx.ErrNoRows) || disabled {
			return &domain.ValidationError{Fields: domain.FieldErrors{"user_id": "member.user.invalid"}}
		}
		if err != nil {
			return err
		}
		err = tx.QueryRow(ctx, `SELECT id FROM campaign_members
			WHERE campaign_id = $1 AND COALESCE(phase_id, 0) = COALESCE($2::bigint, 0) AND user_id = $3 AND role = $4 AND removed_at IS NULL`,
			campaignID, phaseID, userID, role).Scan(&id)
		if err == nil {
			return nil
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		err = tx.QueryRow(ctx, `INSERT INTO campaign_members (campaign_id, phase_id, user_id, role, added_by)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`, campaignID, phaseID, userID, role, actingUser(ctx)).Scan(&id)
		if err != nil {
			return err
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditMemberAdd, ObjectType: "campaign", ObjectID: strconv.FormatInt(campaignID, 10),
			Details: map[string]any{"member_id": id, "user_id": userID, "role": string(role), "phase_id": phaseID}})
	})
	return id, err
}

// RemoveMember takes a member off a campaign's team (the row stays, with
// who removed it and when). Their assignments no longer let them appraise.
func (db *DB) RemoveMember(ctx context.Context, campaignID, memberID int64) (err error) {
	defer wrap(&err, "RemoveMember")
	return db.inTx(ctx, func(tx pgx.Tx) error {
		var userID int64
		var role string
		err := tx.QueryRow(ctx, `UPDATE campaign_members SET removed_at = now(), removed_by = $3
			WHERE id = $1 AND campaign_id = $2 AND removed_at IS NULL RETURNING user_id, role`,
			memberID, campaignID, actingUser(ctx)).Scan(&userID, &role)
		if err != nil {
			return notFound(err, "member.not_found")
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditMemberRemove, ObjectType: "campaign", ObjectID: strconv.FormatInt(campaignID, 10),
			Details: map[string]any{"member_id": memberID, "user_id": userID, "role": role}})
	})
}

// actingUser is the signed-in user of ctx as a nullable column value.
func actingUser(ctx context.Context) *int64 {
	if id := domain.ActorFrom(ctx).UserID; id != 0 {
		return &id
	}
	return nil
}
