package postgres

import (
	"context"
	"strconv"

	"github.com/jackc/pgx/v5"

	"thidua/internal/domain"
)

// AwardForm is an entry of the award catalogue.
type AwardForm struct {
	ID         int64
	Code       string
	Name       string
	Target     string // collective, individual, both
	Authority  string
	LegalBasis string
}

// AwardForms returns the catalogue in its order.
func (db *DB) AwardForms(ctx context.Context) (_ []AwardForm, err error) {
	defer wrap(&err, "AwardForms")
	rows, err := db.Pool.Query(ctx, `SELECT id, code, name, target, authority, legal_basis FROM award_forms ORDER BY sort, id`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[AwardForm])
}

// AwardPlan is an award a campaign gives, with its quotas per phase.
type AwardPlan struct {
	ID                  int64
	CampaignID          int64
	AwardFormID         int64
	FormName            string
	FormTarget          string
	Authority           string
	CollectiveQuota     *int
	IndividualQuota     *int
	MinBand             string
	NoPendingDiscipline bool
	NotAlreadyAwarded   bool
	// Note is for Home Affairs staff only: never shown on public pages.
	Note       string
	LegalBasis string // the award form's
}

// AwardPlans returns a campaign's award plans in catalogue order.
func (db *DB) AwardPlans(ctx context.Context, campaignID int64) (_ []AwardPlan, err error) {
	defer wrap(&err, "AwardPlans")
	rows, err := db.Pool.Query(ctx, `
		SELECT p.id, p.campaign_id, p.award_form_id, f.name, f.target, f.authority, p.collective_quota, p.individual_quota,
		       p.min_band, p.no_pending_discipline, p.not_already_awarded, p.note, f.legal_basis
		FROM award_plans p JOIN award_forms f ON f.id = p.award_form_id
		WHERE p.campaign_id = $1 ORDER BY f.sort, p.id`, campaignID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[AwardPlan])
}

// SaveAwardPlan adds or replaces the plan of one award form in a draft
// campaign; quotas must fit who the form is for.
func (db *DB) SaveAwardPlan(ctx context.Context, p AwardPlan) (err error) {
	defer wrap(&err, "SaveAwardPlan")
	p.Note = domain.CleanText(p.Note)
	f := domain.FieldErrors{}
	valid := false
	for _, b := range domain.BandNames {
		valid = valid || b == p.MinBand
	}
	if !valid {
		f.Add("min_band", "field.invalid")
	}
	for _, q := range []*int{p.CollectiveQuota, p.IndividualQuota} {
		if q != nil && (*q < 0 || *q > 100000) {
			f.Add("collective_quota", "field.invalid")
		}
	}
	if domain.RuneLen(p.Note) > 1000 {
		f.Add("note", "field.too_long")
	}
	if err := f.Err(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx pgx.Tx) error {
		var status domain.CampaignStatus
		if err := tx.QueryRow(ctx, `SELECT status FROM campaigns WHERE id = $1 FOR UPDATE`, p.CampaignID).Scan(&status); err != nil {
			return notFound(err, "campaign.not_found")
		}
		if status != domain.StatusDraft {
			return domain.Errorf(domain.ECONFLICT, "campaign.rules_frozen")
		}
		var target string
		if err := tx.QueryRow(ctx, `SELECT target FROM award_forms WHERE id = $1`, p.AwardFormID).Scan(&target); err != nil {
			return &domain.ValidationError{Fields: domain.FieldErrors{"award_form_id": "field.invalid"}}
		}
		if (target == "individual" && p.CollectiveQuota != nil) || (target == "collective" && p.IndividualQuota != nil) {
			return &domain.ValidationError{Fields: domain.FieldErrors{"collective_quota": "award.quota.target"}}
		}
		_, err := tx.Exec(ctx, `
			INSERT INTO award_plans (campaign_id, award_form_id, collective_quota, individual_quota, min_band, no_pending_discipline, not_already_awarded, note)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
			ON CONFLICT (campaign_id, award_form_id) DO UPDATE SET collective_quota = EXCLUDED.collective_quota,
				individual_quota = EXCLUDED.individual_quota, min_band = EXCLUDED.min_band,
				no_pending_discipline = EXCLUDED.no_pending_discipline, not_already_awarded = EXCLUDED.not_already_awarded, note = EXCLUDED.note`,
			p.CampaignID, p.AwardFormID, p.CollectiveQuota, p.IndividualQuota, p.MinBand, p.NoPendingDiscipline, p.NotAlreadyAwarded, p.Note)
		if err != nil {
			return err
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditAwardPlanSave, ObjectType: "campaign", ObjectID: strconv.FormatInt(p.CampaignID, 10),
			Details: map[string]any{"award_form_id": p.AwardFormID, "collective_quota": p.CollectiveQuota, "individual_quota": p.IndividualQuota, "min_band": p.MinBand}})
	})
}
