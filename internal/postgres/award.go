package postgres

import (
	"context"
	"slices"
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

// AwardPlan is an award a campaign gives. Its rules and quotas are rows of
// award_rules and award_quotas (rules.go); the fields below summarise them
// for the campaign's pages (the quotas for every phase, the first minimum
// band, whether the flag and one-award rules exist), and on a plan's
// creation seed its first rules.
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
	var out []AwardPlan
	err = db.run(ctx, awardPlansRead(campaignID, &out))
	return out, err
}

func awardPlansRead(campaignID int64, out *[]AwardPlan) read {
	return read{`
		SELECT p.id, p.campaign_id, p.award_form_id, f.name, f.target, f.authority,
		       (SELECT q.quota FROM award_quotas q WHERE q.plan_id = p.id AND q.phase_id IS NULL AND q.target = 'collective'),
		       (SELECT q.quota FROM award_quotas q WHERE q.plan_id = p.id AND q.phase_id IS NULL AND q.target = 'individual'),
		       coalesce((SELECT r.min_band FROM award_rules r WHERE r.plan_id = p.id AND r.kind = 'min_band' ORDER BY r.sort, r.id LIMIT 1), ''),
		       EXISTS (SELECT 1 FROM award_rules r WHERE r.plan_id = p.id AND r.kind = 'no_pending_flag'),
		       EXISTS (SELECT 1 FROM award_rules r WHERE r.plan_id = p.id AND r.kind = 'one_award'),
		       p.note, f.legal_basis
		FROM award_plans p JOIN award_forms f ON f.id = p.award_form_id
		WHERE p.campaign_id = $1 ORDER BY f.sort, p.id`, []any{campaignID}, collectInto(out, pgx.RowToStructByPos[AwardPlan])}
}

// SaveAwardPlan adds the plan of one award form to a draft campaign, or
// changes the note and the quotas for every phase of the plan it has. A
// new plan starts with the rules p names (MinBand, the two switches),
// cited to the campaign's plan or the law; staff edit them after.
func (db *DB) SaveAwardPlan(ctx context.Context, p AwardPlan) (err error) {
	defer wrap(&err, "SaveAwardPlan")
	p.Note = domain.CleanText(p.Note)
	f := domain.FieldErrors{}
	if p.MinBand != "" && !slices.Contains(domain.BandNames, p.MinBand) {
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
		var planNumber string
		if err := tx.QueryRow(ctx, `SELECT status, plan_number FROM campaigns WHERE id = $1 FOR UPDATE`, p.CampaignID).Scan(&status, &planNumber); err != nil {
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
		var planID int64
		var created bool
		if err := tx.QueryRow(ctx, `
			INSERT INTO award_plans (campaign_id, award_form_id, note) VALUES ($1, $2, $3)
			ON CONFLICT (campaign_id, award_form_id) DO UPDATE SET note = EXCLUDED.note
			RETURNING id, xmax = 0`, p.CampaignID, p.AwardFormID, p.Note).Scan(&planID, &created); err != nil {
			return err
		}
		plan := "Kế hoạch số " + planNumber
		// The quotas the plan's form gives hold for every phase; a phase's
		// own quota and the citations are set on the rules' form.
		for _, q := range []struct {
			target string
			count  *int
		}{{"collective", p.CollectiveQuota}, {"individual", p.IndividualQuota}} {
			if target != "both" && target != q.target {
				continue
			}
			if _, err := tx.Exec(ctx, `INSERT INTO award_quotas (plan_id, target, quota, citation) VALUES ($1, $2, $3, $4)
				ON CONFLICT (plan_id, phase_id, target) DO UPDATE SET quota = EXCLUDED.quota`, planID, q.target, q.count, plan); err != nil {
				return err
			}
		}
		if created {
			seed := []struct {
				on       bool
				kind     domain.RuleKind
				minBand  *string
				citation string
			}{
				{p.MinBand != "", domain.RuleMinBand, &p.MinBand, plan},
				{p.NoPendingDiscipline, domain.RuleNoPendingFlag, nil, "Nghị định 152/2025/NĐ-CP"},
				{p.NotAlreadyAwarded, domain.RuleOneAward, nil, "Luật Thi đua, khen thưởng 2022"},
			}
			sort := 0
			for _, r := range seed {
				if !r.on {
					continue
				}
				sort += 10
				if _, err := tx.Exec(ctx, `INSERT INTO award_rules (plan_id, kind, min_band, citation, sort) VALUES ($1, $2, $3, $4, $5)`,
					planID, r.kind, r.minBand, r.citation, sort); err != nil {
					return err
				}
			}
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditAwardPlanSave, ObjectType: "campaign", ObjectID: strconv.FormatInt(p.CampaignID, 10),
			Details: map[string]any{"award_form_id": p.AwardFormID, "collective_quota": p.CollectiveQuota, "individual_quota": p.IndividualQuota, "min_band": p.MinBand}})
	})
}
