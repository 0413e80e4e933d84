package postgres

import (
	"context"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"thidua/internal/domain"
)

// The eligibility rules and quotas of a campaign's award plans: data with
// their legal citation and the days they are in force. Staff edit them
// while the campaign is a draft or running, as long as no shortlist of the
// plan has gone to public notice (a list posted stands on the rules it was
// drawn under).

const ruleColumns = `r.id, r.plan_id, r.kind, coalesce(r.min_band, ''), r.prerequisite_form_id, coalesce(r.prerequisite_years, 0),
	r.citation, r.in_force_from, r.in_force_to, r.sort`

func scanRule(row pgx.CollectableRow) (domain.Rule, error) {
	var r domain.Rule
	err := row.Scan(&r.ID, &r.PlanID, &r.Kind, &r.MinBand, &r.PrerequisiteFormID, &r.PrerequisiteYears, &r.Citation,
		&r.InForceFrom, &r.InForceTo, &r.Sort)
	return r, err
}

// CampaignRules returns the rules of every award plan of a campaign, by
// plan then in their order.
func (db *DB) CampaignRules(ctx context.Context, campaignID int64) (_ []domain.Rule, err error) {
	defer wrap(&err, "CampaignRules")
	rows, err := db.Pool.Query(ctx, `SELECT `+ruleColumns+` FROM award_rules r JOIN award_plans p ON p.id = r.plan_id
		WHERE p.campaign_id = $1 ORDER BY r.plan_id, r.sort, r.id`, campaignID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, scanRule)
}

func planRules(ctx context.Context, q querier, planID int64) ([]domain.Rule, error) {
	rows, err := q.Query(ctx, `SELECT `+ruleColumns+` FROM award_rules r WHERE r.plan_id = $1 ORDER BY r.sort, r.id`, planID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, scanRule)
}

// CampaignQuotas returns the quotas of every award plan of a campaign.
func (db *DB) CampaignQuotas(ctx context.Context, campaignID int64) (_ []domain.Quota, err error) {
	defer wrap(&err, "CampaignQuotas")
	rows, err := db.Pool.Query(ctx, `SELECT q.id, q.plan_id, q.phase_id, q.target, q.quota, q.citation
		FROM award_quotas q JOIN award_plans p ON p.id = q.plan_id LEFT JOIN phases ph ON ph.id = q.phase_id
		WHERE p.campaign_id = $1 ORDER BY q.plan_id, ph.seq NULLS FIRST, q.target`, campaignID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (domain.Quota, error) {
		var x domain.Quota
		err := row.Scan(&x.ID, &x.PlanID, &x.PhaseID, &x.Target, &x.Count, &x.Citation)
		return x, err
	})
}

// QuotaFor picks the quota of a group in a phase: the phase's own, else the
// one for every phase; ok is false when the plan sets none (the number is
// open, as is a quota row whose Count is nil).
func QuotaFor(quotas []domain.Quota, planID, phaseID int64, target domain.AwardTarget) (q domain.Quota, ok bool) {
	for _, x := range quotas {
		if x.PlanID != planID || x.Target != target {
			continue
		}
		if x.PhaseID != nil && *x.PhaseID == phaseID {
			return x, true
		}
		if x.PhaseID == nil && !ok {
			q, ok = x, true
		}
	}
	return q, ok
}

// lockPlanForRules locks the campaign of a plan and refuses an edit of its
// rules when the plan is not the campaign's, the campaign is closed or
// cancelled, or a shortlist of the plan has gone to public notice.
func lockPlanForRules(ctx context.Context, tx pgx.Tx, campaignID, planID int64) error {
	var status domain.CampaignStatus
	if err := tx.QueryRow(ctx, `SELECT c.status FROM award_plans p JOIN campaigns c ON c.id = p.campaign_id
		WHERE p.id = $2 AND c.id = $1 FOR UPDATE OF c`, campaignID, planID).Scan(&status); err != nil {
		return notFound(err, "award.plan_not_found")
	}
	if status != domain.StatusDraft && status != domain.StatusAnnounced {
		return domain.Errorf(domain.ECONFLICT, "campaign.rules_frozen")
	}
	var noticed bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM shortlists WHERE plan_id = $1 AND status <> 'draft')`, planID).Scan(&noticed); err != nil {
		return err
	}
	if noticed {
		return domain.Errorf(domain.ECONFLICT, "rule.frozen_noticed")
	}
	return nil
}

// ValidateRule checks a rule's fields before it is stored.
func ValidateRule(r *domain.Rule) error {
	r.Citation = domain.CleanText(r.Citation)
	f := domain.FieldErrors{}
	switch r.Kind {
	case domain.RuleMinBand:
		valid := false
		for _, b := range domain.BandNames {
			valid = valid || b == r.MinBand
		}
		if !valid {
			f.Add("min_band", "field.invalid")
		}
	case domain.RulePrerequisite:
		if r.PrerequisiteFormID == nil {
			f.Add("prerequisite_form_id", "field.required")
		}
		if r.PrerequisiteYears < 1 || r.PrerequisiteYears > 10 {
			f.Add("prerequisite_years", "rule.years_range")
		}
	case domain.RuleOneAward, domain.RuleNoPendingFlag, domain.RuleNotThematic:
	default:
		f.Add("kind", "field.invalid")
	}
	if r.Kind != domain.RuleMinBand {
		r.MinBand = ""
	}
	if r.Kind != domain.RulePrerequisite {
		r.PrerequisiteFormID, r.PrerequisiteYears = nil, 0
	}
	if domain.RuneLen(r.Citation) == 0 {
		f.Add("citation", "field.required")
	} else if domain.RuneLen(r.Citation) > 1000 {
		f.Add("citation", "field.too_long")
	}
	if r.InForceFrom != nil && r.InForceTo != nil && r.InForceTo.Before(*r.InForceFrom) {
		f.Add("in_force_to", "rule.in_force_order")
	}
	return f.Err()
}

// AddRule adds a rule to an award plan of the campaign, after the plan's
// other rules.
func (db *DB) AddRule(ctx context.Context, campaignID int64, r domain.Rule, by int64) (id int64, err error) {
	defer wrap(&err, "AddRule")
	if err := ValidateRule(&r); err != nil {
		return 0, err
	}
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		if err := lockPlanForRules(ctx, tx, campaignID, r.PlanID); err != nil {
			return err
		}
		if r.PrerequisiteFormID != nil {
			var ok bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM award_forms WHERE id = $1)`, *r.PrerequisiteFormID).Scan(&ok); err != nil {
				return err
			}
			if !ok {
				return &domain.ValidationError{Fields: domain.FieldErrors{"prerequisite_form_id": "field.invalid"}}
			}
		}
		var minBand *string
		if r.MinBand != "" {
			minBand = &r.MinBand
		}
		var years *int
		if r.PrerequisiteYears != 0 {
			years = &r.PrerequisiteYears
		}
		if err := tx.QueryRow(ctx, `INSERT INTO award_rules (plan_id, kind, min_band, prerequisite_form_id, prerequisite_years, citation,
				in_force_from, in_force_to, sort, created_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, (SELECT coalesce(max(sort), 0) + 10 FROM award_rules WHERE plan_id = $1), $9)
			RETURNING id`, r.PlanID, r.Kind, minBand, r.PrerequisiteFormID, years, r.Citation, r.InForceFrom, r.InForceTo, by).Scan(&id); err != nil {
			return err
		}
		details := map[string]any{"plan_id": r.PlanID, "kind": string(r.Kind), "citation": r.Citation}
		if r.MinBand != "" {
			details["min_band"] = r.MinBand
		}
		if r.InForceFrom != nil {
			details["in_force_from"] = r.InForceFrom.Format(time.DateOnly)
		}
		if r.InForceTo != nil {
			details["in_force_to"] = r.InForceTo.Format(time.DateOnly)
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditRuleAdd, ObjectType: "campaign", ObjectID: strconv.FormatInt(campaignID, 10), Details: details})
	})
	return id, err
}

// RemoveRule removes a rule of an award plan of the campaign. Shortlists
// drawn under it keep the outcomes they recorded.
func (db *DB) RemoveRule(ctx context.Context, campaignID, ruleID int64) (err error) {
	defer wrap(&err, "RemoveRule")
	return db.inTx(ctx, func(tx pgx.Tx) error {
		var planID int64
		var kind string
		if err := tx.QueryRow(ctx, `SELECT r.plan_id, r.kind FROM award_rules r JOIN award_plans p ON p.id = r.plan_id
			WHERE r.id = $1 AND p.campaign_id = $2`, ruleID, campaignID).Scan(&planID, &kind); err != nil {
			return notFound(err, "rule.not_found")
		}
		if err := lockPlanForRules(ctx, tx, campaignID, planID); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `DELETE FROM award_rules WHERE id = $1`, ruleID)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 { // removed by a concurrent request
			return domain.Errorf(domain.ENOTFOUND, "rule.not_found")
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditRuleRemove, ObjectType: "campaign", ObjectID: strconv.FormatInt(campaignID, 10),
			Details: map[string]any{"plan_id": planID, "kind": kind}})
	})
}

// SaveQuota sets the quota of one group of an award plan of the campaign,
// for one phase or (PhaseID nil) every phase; Count nil leaves the number
// open. The group must be one the award form is for.
func (db *DB) SaveQuota(ctx context.Context, campaignID int64, q domain.Quota) (err error) {
	defer wrap(&err, "SaveQuota")
	q.Citation = domain.CleanText(q.Citation)
	f := domain.FieldErrors{}
	if q.Target != domain.TargetCollective && q.Target != domain.TargetIndividual {
		f.Add("target", "field.invalid")
	}
	if q.Count != nil && (*q.Count < 0 || *q.Count > 100000) {
		f.Add("quota", "field.invalid")
	}
	if domain.RuneLen(q.Citation) == 0 {
		f.Add("quota_citation", "field.required")
	} else if domain.RuneLen(q.Citation) > 1000 {
		f.Add("quota_citation", "field.too_long")
	}
	if err := f.Err(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx pgx.Tx) error {
		if err := lockPlanForRules(ctx, tx, campaignID, q.PlanID); err != nil {
			return err
		}
		var formTarget string
		if err := tx.QueryRow(ctx, `SELECT f.target FROM award_plans p JOIN award_forms f ON f.id = p.award_form_id WHERE p.id = $1`,
			q.PlanID).Scan(&formTarget); err != nil {
			return err
		}
		if formTarget != "both" && formTarget != string(q.Target) {
			return &domain.ValidationError{Fields: domain.FieldErrors{"target": "award.quota.target"}}
		}
		if q.PhaseID != nil {
			var ok bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM phases WHERE id = $1 AND campaign_id = $2)`, *q.PhaseID, campaignID).Scan(&ok); err != nil {
				return err
			}
			if !ok {
				return &domain.ValidationError{Fields: domain.FieldErrors{"phase_id": "field.invalid"}}
			}
		}
		if _, err := tx.Exec(ctx, `INSERT INTO award_quotas (plan_id, phase_id, target, quota, citation) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (plan_id, phase_id, target) DO UPDATE SET quota = EXCLUDED.quota, citation = EXCLUDED.citation`,
			q.PlanID, q.PhaseID, q.Target, q.Count, q.Citation); err != nil {
			return err
		}
		return audit(ctx, tx, auditEntry{Action: domain.AuditQuotaSave, ObjectType: "campaign", ObjectID: strconv.FormatInt(campaignID, 10),
			Details: map[string]any{"plan_id": q.PlanID, "phase_id": q.PhaseID, "target": string(q.Target), "quota": q.Count, "citation": q.Citation}})
	})
}
