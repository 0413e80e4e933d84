package server

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"thidua/internal/domain"
	"thidua/internal/i18n"
	"thidua/internal/paths"
	"thidua/internal/postgres"
	"thidua/web"
)

// The eligibility rules and quotas of a campaign's award plans, on its
// awards page: each with its citation and the days it is in force.

// rulesEditable reports whether the campaign's rules and quotas may change:
// while it is a draft or running (the store refuses a plan whose shortlist
// is on notice).
func rulesEditable(c *domain.Campaign) bool {
	return c.Status == domain.StatusDraft || c.Status == domain.StatusAnnounced
}

// ruleLine words a rule: what it asks, its citation, its days in force.
func ruleLine(ctx context.Context, r domain.Rule, formNames map[int64]string, removeHref string) web.RuleLine {
	l := web.RuleLine{Kind: string(r.Kind), Text: i18n.T(ctx, "rule.kind."+string(r.Kind)), Citation: r.Citation, RemoveHref: removeHref}
	switch r.Kind {
	case domain.RuleMinBand:
		l.Text = i18n.T(ctx, "rule.desc.min_band", i18n.T(ctx, "band."+r.MinBand))
	case domain.RulePrerequisite:
		var form string
		if r.PrerequisiteFormID != nil {
			form = formNames[*r.PrerequisiteFormID]
		}
		l.Text = i18n.T(ctx, "rule.desc.prerequisite", form, r.PrerequisiteYears)
	}
	var span []string
	if r.InForceFrom != nil {
		span = append(span, i18n.T(ctx, "rule.in_force.from", i18n.Day(*r.InForceFrom)))
	}
	if r.InForceTo != nil {
		span = append(span, i18n.T(ctx, "rule.in_force.to", i18n.Day(*r.InForceTo)))
	}
	if len(span) == 0 {
		span = append(span, i18n.T(ctx, "rule.in_force.always"))
	}
	l.InForce = i18n.T(ctx, "rule.in_force", strings.Join(span, " "))
	return l
}

// awardRulesView lists the plans' rules and quotas and fills the options
// of the forms that change them.
func (s *Server) awardRulesView(ctx context.Context, c *domain.Campaign, plans []postgres.AwardPlan, phases []domain.Phase,
	forms []postgres.AwardForm, rf web.RuleForm) (web.AwardRulesView, error) {
	return s.awardRulesViewWith(ctx, c, plans, phases, forms, rf, web.QuotaForm{})
}

func (s *Server) awardRulesViewWith(ctx context.Context, c *domain.Campaign, plans []postgres.AwardPlan, phases []domain.Phase,
	forms []postgres.AwardForm, rf web.RuleForm, qf web.QuotaForm) (web.AwardRulesView, error) {
	v := web.AwardRulesView{Editable: rulesEditable(c), Rule: rf, Quota: qf}
	rules, err := s.db.CampaignRules(ctx, c.ID)
	if err != nil {
		return v, err
	}
	quotas, err := s.db.CampaignQuotas(ctx, c.ID)
	if err != nil {
		return v, err
	}
	formNames := map[int64]string{}
	for _, f := range forms {
		formNames[f.ID] = f.Name
		id := strconv.FormatInt(f.ID, 10)
		v.FormOptions = append(v.FormOptions, web.Option{Value: id, Label: f.Name, Selected: id == rf.PrerequisiteForm})
	}
	phaseNames := map[int64]string{}
	v.PhaseOptions = append(v.PhaseOptions, web.Option{Value: "", Label: i18n.T(ctx, "rule.quota.every_phase")})
	for _, p := range phases {
		phaseNames[p.ID] = p.Name
		id := strconv.FormatInt(p.ID, 10)
		v.PhaseOptions = append(v.PhaseOptions, web.Option{Value: id, Label: p.Name, Selected: id == qf.PhaseID})
	}
	for _, t := range []domain.AwardTarget{domain.TargetCollective, domain.TargetIndividual} {
		v.TargetOptions = append(v.TargetOptions, web.Option{Value: string(t), Label: i18n.T(ctx, "shortlist.group."+string(t)), Selected: string(t) == qf.Target})
	}
	for _, k := range domain.RuleKinds {
		v.KindOptions = append(v.KindOptions, web.Option{Value: string(k), Label: i18n.T(ctx, "rule.kind."+string(k)), Selected: string(k) == rf.Kind})
	}
	for _, b := range domain.BandNames {
		v.BandOptions = append(v.BandOptions, web.Option{Value: b, Label: i18n.T(ctx, "band."+b), Selected: b == rf.MinBand})
	}
	for _, p := range plans {
		id := strconv.FormatInt(p.ID, 10)
		v.PlanOptions = append(v.PlanOptions, web.Option{Value: id, Label: p.FormName, Selected: id == rf.PlanID || id == qf.PlanID})
		pv := web.PlanRulesView{ID: p.ID, Form: p.FormName}
		for _, r := range rules {
			if r.PlanID != p.ID {
				continue
			}
			remove := ""
			if v.Editable {
				remove = paths.AwardRuleRemove(c.ID, r.ID)
			}
			pv.Rules = append(pv.Rules, ruleLine(ctx, r, formNames, remove))
		}
		for _, q := range quotas {
			if q.PlanID != p.ID {
				continue
			}
			phase := i18n.T(ctx, "rule.quota.every_phase")
			if q.PhaseID != nil {
				phase = phaseNames[*q.PhaseID]
			}
			count := i18n.T(ctx, "rule.quota.open")
			if q.Count != nil {
				count = strconv.Itoa(*q.Count)
			}
			pv.Quotas = append(pv.Quotas, web.RuleLine{Kind: "quota", Citation: q.Citation,
				Text: i18n.T(ctx, "rule.quota.line", phase, i18n.T(ctx, "shortlist.group."+string(q.Target)), count)})
		}
		v.Plans = append(v.Plans, pv)
	}
	return v, nil
}

// renderAwardsRefused shows the awards page again after a refused rule or
// quota form, with what was typed.
func (s *Server) renderAwardsRefused(w http.ResponseWriter, r *http.Request, status int, rf web.RuleForm, qf web.QuotaForm) error {
	ctx := r.Context()
	c := campaignOf(r)
	plans, err := s.db.AwardPlans(ctx, c.ID)
	if err != nil {
		return err
	}
	forms, err := s.db.AwardForms(ctx)
	if err != nil {
		return err
	}
	phases, err := s.db.Phases(ctx, c.ID)
	if err != nil {
		return err
	}
	v := web.AwardsView{CampaignID: c.ID, Title: c.Title, Plans: awardViews(ctx, plans, false), Phases: phaseViews(ctx, phases),
		Editable: c.Status == domain.StatusDraft}
	for _, af := range forms {
		v.Catalogue = append(v.Catalogue, web.Option{Value: strconv.FormatInt(af.ID, 10), Label: af.Name + " — " + i18n.T(ctx, "award.target."+af.Target)})
	}
	if v.Rules, err = s.awardRulesViewWith(ctx, c, plans, phases, forms, rf, qf); err != nil {
		return err
	}
	s.render(w, r, status, web.Awards(s.chrome(r, i18n.T(ctx, "campaigns.awards")), v))
	return nil
}

// optionalDay reads a date field: nil when empty, a problem when not a day.
func optionalDay(ctx context.Context, p *web.Problems, field, v string) *time.Time {
	if v = strings.TrimSpace(v); v == "" {
		return nil
	}
	d, err := time.Parse(time.DateOnly, v)
	if err != nil {
		fieldProblem(ctx, p, field, "field.invalid")
		return nil
	}
	return &d
}

// ruleFields are the controls of the rule form, top to bottom.
var ruleFields = []string{"rule_plan_id", "kind", "min_band", "prerequisite_form_id", "prerequisite_years", "citation", "in_force_from", "in_force_to"}

// addRule adds an eligibility rule to one of the campaign's award plans.
func (s *Server) addRule(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c := campaignOf(r)
	f := web.RuleForm{PlanID: r.PostFormValue("plan_id"), Kind: r.PostFormValue("kind"), MinBand: r.PostFormValue("min_band"),
		PrerequisiteForm: r.PostFormValue("prerequisite_form_id"), Years: strings.TrimSpace(r.PostFormValue("prerequisite_years")),
		Citation: r.PostFormValue("citation"), From: r.PostFormValue("in_force_from"), To: r.PostFormValue("in_force_to")}
	rule := domain.Rule{Kind: domain.RuleKind(f.Kind), MinBand: f.MinBand, Citation: f.Citation}
	var err error
	if rule.PlanID, err = strconv.ParseInt(f.PlanID, 10, 64); err != nil {
		fieldProblem(ctx, &f.Problems, "rule_plan_id", "field.invalid")
	}
	if f.PrerequisiteForm != "" {
		id, err := strconv.ParseInt(f.PrerequisiteForm, 10, 64)
		if err != nil {
			fieldProblem(ctx, &f.Problems, "prerequisite_form_id", "field.invalid")
		}
		rule.PrerequisiteFormID = &id
	}
	if f.Years != "" {
		if rule.PrerequisiteYears, err = strconv.Atoi(f.Years); err != nil {
			fieldProblem(ctx, &f.Problems, "prerequisite_years", "field.invalid")
		}
	}
	rule.InForceFrom = optionalDay(ctx, &f.Problems, "in_force_from", f.From)
	rule.InForceTo = optionalDay(ctx, &f.Problems, "in_force_to", f.To)
	if f.Problems.Any() {
		f.Problems.Order(ruleFields...)
		return s.renderAwardsRefused(w, r, http.StatusUnprocessableEntity, f, web.QuotaForm{})
	}
	if _, err := s.db.AddRule(ctx, c.ID, rule, userFrom(ctx).ID); err != nil {
		if domain.ErrorCode(err) == domain.ENOTFOUND {
			return err
		}
		return refuse(ctx, err, ruleFields, func(status int, p web.Problems) error {
			f.Problems = p
			return s.renderAwardsRefused(w, r, status, f, web.QuotaForm{})
		})
	}
	s.flash(ctx, "rule.flash.added")
	http.Redirect(w, r, paths.Awards(c.ID)+paths.Fragment("rules"), http.StatusSeeOther)
	return nil
}

// removeRule removes an eligibility rule of one of the campaign's plans.
func (s *Server) removeRule(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c := campaignOf(r)
	id, err := strconv.ParseInt(chi.URLParam(r, "ruleID"), 10, 64)
	if err != nil || id <= 0 {
		return domain.Errorf(domain.ENOTFOUND, "rule.not_found")
	}
	if err := s.db.RemoveRule(ctx, c.ID, id); err != nil {
		if domain.ErrorCode(err) == domain.ENOTFOUND {
			return err
		}
		return refuse(ctx, err, nil, func(status int, p web.Problems) error {
			return s.renderAwardsRefused(w, r, status, web.RuleForm{Problems: p}, web.QuotaForm{})
		})
	}
	s.flash(ctx, "rule.flash.removed")
	http.Redirect(w, r, paths.Awards(c.ID)+paths.Fragment("rules"), http.StatusSeeOther)
	return nil
}

// quotaFields are the controls of the quota form, top to bottom.
var quotaFields = []string{"quota_plan_id", "phase_id", "target", "quota", "quota_citation"}

// saveQuota sets the quota of one group of a plan, for a phase or all.
func (s *Server) saveQuota(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c := campaignOf(r)
	f := web.QuotaForm{PlanID: r.PostFormValue("plan_id"), PhaseID: r.PostFormValue("phase_id"), Target: r.PostFormValue("target"),
		Count: strings.TrimSpace(r.PostFormValue("quota")), Citation: r.PostFormValue("citation")}
	q := domain.Quota{Target: domain.AwardTarget(f.Target), Citation: f.Citation}
	var err error
	if q.PlanID, err = strconv.ParseInt(f.PlanID, 10, 64); err != nil {
		fieldProblem(ctx, &f.Problems, "quota_plan_id", "field.invalid")
	}
	if f.PhaseID != "" {
		id, err := strconv.ParseInt(f.PhaseID, 10, 64)
		if err != nil {
			fieldProblem(ctx, &f.Problems, "phase_id", "field.invalid")
		}
		q.PhaseID = &id
	}
	if f.Count != "" {
		n, err := strconv.Atoi(f.Count)
		if err != nil {
			fieldProblem(ctx, &f.Problems, "quota", "field.invalid")
		}
		q.Count = &n
	}
	if f.Problems.Any() {
		f.Problems.Order(quotaFields...)
		return s.renderAwardsRefused(w, r, http.StatusUnprocessableEntity, web.RuleForm{}, f)
	}
	if err := s.db.SaveQuota(ctx, c.ID, q); err != nil {
		if domain.ErrorCode(err) == domain.ENOTFOUND {
			return err
		}
		return refuse(ctx, err, quotaFields, func(status int, p web.Problems) error {
			p.Rename("plan_id", "quota_plan_id")
			f.Problems = p
			return s.renderAwardsRefused(w, r, status, web.RuleForm{}, f)
		})
	}
	s.flash(ctx, "rule.flash.quota")
	http.Redirect(w, r, paths.Awards(c.ID)+paths.Fragment("rules"), http.StatusSeeOther)
	return nil
}
