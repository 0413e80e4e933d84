package server

import (
	"context"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"thidua/internal/domain"
	"thidua/internal/i18n"
	"thidua/internal/paths"
	"thidua/internal/postgres"
	"thidua/web"
)

// The shortlist of an award plan in a phase: staff propose it from the
// approved results and the received nominations under the plan's rules and
// quotas, then add or remove candidates with a reason (an override reason
// to keep one who fails a rule); leaders read it with every rule's outcome.

// shortlistForm is what a refused action shows again.
type shortlistForm struct {
	status           int
	problems         web.Problems
	entryID          int64
	action           string
	reason, override string
	returnReason     string
}

// shortlistParams reads the phase and plan of a shortlist route or query.
func shortlistParams(phase, plan string) (int64, int64, bool) {
	p, err1 := strconv.ParseInt(phase, 10, 64)
	pl, err2 := strconv.ParseInt(plan, 10, 64)
	return p, pl, err1 == nil && err2 == nil && p > 0 && pl > 0
}

// shortlist shows a campaign's shortlist of one phase and plan (the first
// phase and plan when none is asked for).
func (s *Server) shortlist(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	var phaseID, planID int64
	if q.Get("phase") != "" || q.Get("plan") != "" {
		var ok bool
		if phaseID, planID, ok = shortlistParams(q.Get("phase"), q.Get("plan")); !ok {
			return domain.Errorf(domain.ENOTFOUND, "shortlist.not_found")
		}
	}
	return s.renderShortlist(w, r, phaseID, planID, shortlistForm{status: http.StatusOK})
}

// renderShortlist draws the page open at phaseID and planID with the form
// state f.
func (s *Server) renderShortlist(w http.ResponseWriter, r *http.Request, phaseID, planID int64, f shortlistForm) error {
	ctx := r.Context()
	c := campaignOf(r)
	u := userFrom(ctx)
	phases, err := s.db.Phases(ctx, c.ID)
	if err != nil {
		return err
	}
	plans, err := s.db.AwardPlans(ctx, c.ID)
	if err != nil {
		return err
	}
	v := web.ShortlistView{CampaignID: c.ID, CampaignTitle: c.Title, BackHref: paths.Campaign(c.ID), BackLabel: c.Title}
	if !domain.HasRole(u, domain.RoleStaff) {
		v.BackHref, v.BackLabel = "/home", i18n.T(ctx, "nav.home")
	}
	if domain.CanEditShortlist(u, accessOf(r)) {
		// The public notice of a shortlist (paths.Notices once merged).
		v.NoticesHref = paths.Notices(c.ID)
	}
	var phase *domain.Phase
	var plan *postgres.AwardPlan
	for i := range phases {
		for j := range plans {
			ph, pl := &phases[i], &plans[j]
			current := (phaseID == 0 && phase == nil) || (ph.ID == phaseID && pl.ID == planID)
			if current {
				phase, plan = ph, pl
			}
			v.Picks = append(v.Picks, web.ShortlistPick{Label: ph.Name + " · " + pl.FormName, Href: paths.ShortlistOf(c.ID, ph.ID, pl.ID), Current: current})
		}
	}
	if phaseID != 0 && (phase == nil || phase.ID != phaseID || plan.ID != planID) {
		return domain.Errorf(domain.ENOTFOUND, "shortlist.not_found")
	}
	// Each pick's state, read once per pick: a campaign has a few phases
	// and plans.
	for i := range v.Picks {
		ph, pl := phases[i/len(plans)], plans[i%len(plans)]
		st, err := s.db.ShortlistStatus(ctx, c.ID, ph.ID, pl.ID)
		if err != nil {
			return err
		}
		v.Picks[i].Status, v.Picks[i].StatusKey = st, "shortlist.status."+st
	}
	if phase != nil {
		pv, err := s.shortlistPlanView(r, c, phase, plan, f)
		if err != nil {
			return err
		}
		v.Current = pv
	}
	s.render(w, r, f.status, web.ShortlistPage(s.chrome(r, i18n.T(ctx, "shortlist.title")+" – "+c.Title), v))
	return nil
}

// shortlistPlanView builds the open shortlist: the rules in force on the
// phase's last day, the groups with their quotas and candidates, the steps.
func (s *Server) shortlistPlanView(r *http.Request, c *domain.Campaign, phase *domain.Phase, plan *postgres.AwardPlan, f shortlistForm) (*web.ShortlistPlanView, error) {
	ctx := r.Context()
	u := userFrom(ctx)
	list, entries, steps, err := s.db.ShortlistOf(ctx, c.ID, phase.ID, plan.ID)
	if err != nil {
		return nil, err
	}
	rules, err := s.db.CampaignRules(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	quotas, err := s.db.CampaignQuotas(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	forms, err := s.db.AwardForms(ctx)
	if err != nil {
		return nil, err
	}
	formNames := map[int64]string{}
	for _, af := range forms {
		formNames[af.ID] = af.Name
	}
	v := &web.ShortlistPlanView{Title: phase.Name + " · " + plan.FormName, Status: "none", StatusKey: "shortlist.status.none",
		RulesDay: i18n.Day(phase.End), ProposeAction: paths.ShortlistPropose(c.ID, phase.ID, plan.ID),
		Problems: f.problems, FormEntryID: f.entryID, FormAction: f.action, Reason: f.reason, OverrideReason: f.override}
	running := c.Status == domain.StatusAnnounced || c.Status == domain.StatusClosed
	if list != nil {
		v.Exists, v.Version, v.Status, v.StatusKey = true, list.Version, string(list.Status), "shortlist.status."+string(list.Status)
	}
	v.CanEdit = domain.CanEditShortlist(u, accessOf(r)) && running && (list == nil || list.Status == domain.ShortlistDraft)
	if list != nil && list.ReturnedAt != nil {
		v.Returned = i18n.T(ctx, "shortlist.returned", list.ReturnedBy, i18n.DateTime(*list.ReturnedAt), list.ReturnReason)
	}
	v.CanReturn = domain.CanReturnShortlist(u, accessOf(r)) && running && list != nil && list.Status == domain.ShortlistDraft && list.ReturnedAt == nil
	v.ReturnAction, v.ReturnReason = paths.ShortlistReturn(c.ID, phase.ID, plan.ID), f.returnReason
	var planRules []domain.Rule
	for _, rule := range rules {
		if rule.PlanID == plan.ID {
			planRules = append(planRules, rule)
		}
	}
	for _, rule := range domain.RulesInForce(planRules, phase.End) {
		v.Rules = append(v.Rules, ruleLine(ctx, rule, formNames, ""))
	}
	quotaOf := map[domain.AwardTarget]*int{}
	var targets []domain.AwardTarget
	switch plan.FormTarget {
	case "collective":
		targets = []domain.AwardTarget{domain.TargetCollective}
	case "individual":
		targets = []domain.AwardTarget{domain.TargetIndividual}
	default:
		targets = []domain.AwardTarget{domain.TargetCollective, domain.TargetIndividual}
	}
	for _, target := range targets {
		g := web.ShortlistGroupView{ID: "group-" + string(target), Title: i18n.T(ctx, "shortlist.group."+string(target)),
			Quota: i18n.T(ctx, "shortlist.group.open")}
		if q, ok := postgres.QuotaFor(quotas, plan.ID, phase.ID, target); ok && q.Count != nil {
			quotaOf[target] = q.Count
			g.Quota = i18n.T(ctx, "shortlist.group.quota", *q.Count)
		}
		counts := map[string]int{}
		n := 0
		for _, e := range entries {
			if e.Target != target {
				continue
			}
			ev := s.entryView(ctx, c, phase, plan, e, quotaOf[target], v.CanEdit)
			switch {
			case e.Status.Listed():
				n++
				ev.No = strconv.Itoa(n)
				counts["listed"]++
			case e.Status == domain.EntryTie:
				counts["tie"]++
			default:
				counts["out"]++
			}
			g.Entries = append(g.Entries, ev)
		}
		g.Count = i18n.T(ctx, "shortlist.group.count", counts["listed"], counts["tie"], counts["out"])
		v.Groups = append(v.Groups, g)
	}
	for _, st := range steps {
		reason := st.Reason
		if st.Action == "propose" {
			reason = ""
		}
		v.Steps = append(v.Steps, web.ShortlistStepView{Action: i18n.T(ctx, "shortlist.step."+st.Action), Entry: st.Entry, Reason: reason,
			Actor: st.Actor, At: i18n.DateTime(st.At)})
	}
	return v, nil
}

// entryView is one candidate as the page shows it.
func (s *Server) entryView(ctx context.Context, c *domain.Campaign, phase *domain.Phase, plan *postgres.AwardPlan, e postgres.ShortlistEntry,
	quota *int, canEdit bool) web.ShortlistEntryView {
	ev := web.ShortlistEntryView{ID: e.ID, Name: e.UnitName, Status: string(e.Status), StatusKey: "shortlist.entry." + string(e.Status),
		Fails: !domain.Passes(e.Outcomes)}
	if e.Target == domain.TargetIndividual {
		ev.Name = e.PersonName
		ev.Detail = e.UnitName
		if e.Position != "" {
			ev.Detail = e.Position + " · " + e.UnitName
		}
	}
	resultKey := "shortlist.result"
	if e.Target == domain.TargetIndividual {
		resultKey = "shortlist.result.unit"
	}
	if e.Band != "" && e.Rank != nil && e.Final != nil {
		ev.Result = i18n.T(ctx, resultKey, *e.Rank, domain.Points(*e.Final).String(), i18n.T(ctx, "band."+e.Band))
	} else {
		ev.Result = i18n.T(ctx, "shortlist.result.none")
	}
	for _, o := range e.Outcomes {
		ev.Outcomes = append(ev.Outcomes, web.OutcomeView{Pass: o.Pass, Text: i18n.Outcome(ctx, o), Citation: o.Citation})
	}
	switch e.Status {
	case domain.EntryTie:
		if quota != nil {
			ev.Why = i18n.T(ctx, "shortlist.why.tie", *quota)
		}
	case domain.EntryExcluded:
		switch o, fails := domain.FirstFailure(e.Outcomes); {
		case fails:
			ev.Why = i18n.Outcome(ctx, o)
		case e.Reason != "":
			ev.Why = i18n.T(ctx, "shortlist.why.gone")
		case quota != nil:
			ev.Why = i18n.T(ctx, "shortlist.why.over_quota", *quota)
		}
	}
	if e.Reason != "" && (e.Status == domain.EntryAdded || e.Status == domain.EntryRemoved) {
		ev.StaffReason = i18n.T(ctx, "shortlist.staff_reason", e.Reason)
	}
	if e.OverrideReason != "" {
		ev.Override = i18n.T(ctx, "shortlist.override", e.OverrideReason)
	}
	if e.Objections > 0 {
		ev.Objections = i18n.T(ctx, "shortlist.objections", e.Objections, e.Unanswered)
	}
	if canEdit {
		if !e.Status.Listed() {
			ev.AddAction = paths.ShortlistEntry(c.ID, phase.ID, plan.ID, e.ID, "add")
		}
		if e.Status != domain.EntryExcluded && e.Status != domain.EntryRemoved {
			ev.RemoveAction = paths.ShortlistEntry(c.ID, phase.ID, plan.ID, e.ID, "remove")
		}
	}
	return ev
}

// proposeShortlist proposes, or proposes again, a phase and plan's list.
func (s *Server) proposeShortlist(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c := campaignOf(r)
	phaseID, planID, ok := shortlistParams(chi.URLParam(r, "phaseID"), chi.URLParam(r, "planID"))
	if !ok {
		return domain.Errorf(domain.ENOTFOUND, "shortlist.not_found")
	}
	version, err := strconv.Atoi(r.PostFormValue("version"))
	if err != nil || version < 0 {
		return domain.Errorf(domain.EINVALID, "field.invalid")
	}
	if _, err := s.db.ProposeShortlist(ctx, c.ID, phaseID, planID, userFrom(ctx).ID, version, i18n.ProposalReason); err != nil {
		if domain.ErrorCode(err) == domain.ENOTFOUND {
			return err
		}
		return refuse(ctx, err, nil, func(status int, p web.Problems) error {
			return s.renderShortlist(w, r, phaseID, planID, shortlistForm{status: status, problems: p})
		})
	}
	s.flash(ctx, "shortlist.flash.proposed")
	http.Redirect(w, r, paths.ShortlistOf(c.ID, phaseID, planID), http.StatusSeeOther)
	return nil
}

// decideEntry adds ("add") or removes ("remove") one candidate with the
// reason staff give.
func (s *Server) decideEntry(action string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		ctx := r.Context()
		c := campaignOf(r)
		phaseID, planID, ok := shortlistParams(chi.URLParam(r, "phaseID"), chi.URLParam(r, "planID"))
		entryID, err := strconv.ParseInt(chi.URLParam(r, "entryID"), 10, 64)
		if !ok || err != nil || entryID <= 0 {
			return domain.Errorf(domain.ENOTFOUND, "shortlist.entry_not_found")
		}
		version, err := strconv.Atoi(r.PostFormValue("version"))
		if err != nil || version < 0 {
			return domain.Errorf(domain.EINVALID, "field.invalid")
		}
		d := postgres.EntryDecision{CampaignID: c.ID, PhaseID: phaseID, PlanID: planID, EntryID: entryID, Add: action == "add",
			Reason: r.PostFormValue("reason"), Override: r.PostFormValue("override_reason"), Version: version, By: userFrom(ctx).ID}
		if err := s.db.DecideEntry(ctx, d); err != nil {
			if domain.ErrorCode(err) == domain.ENOTFOUND {
				return err
			}
			id := strconv.FormatInt(entryID, 10)
			return refuse(ctx, err, []string{"reason", "override_reason"}, func(status int, p web.Problems) error {
				p.Rename("reason", action+"-reason-"+id)
				p.Rename("override_reason", "override-"+id)
				return s.renderShortlist(w, r, phaseID, planID, shortlistForm{status: status, problems: p, entryID: entryID, action: action,
					reason: d.Reason, override: d.Override})
			})
		}
		s.flash(ctx, "shortlist.flash."+map[string]string{"add": "added", "remove": "removed"}[action])
		http.Redirect(w, r, paths.ShortlistOf(c.ID, phaseID, planID)+"#entry-"+strconv.FormatInt(entryID, 10), http.StatusSeeOther)
		return nil
	}
}

// returnShortlist returns a draft shortlist to staff with a leader's
// reason: it cannot be posted until staff propose it again.
func (s *Server) returnShortlist(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c := campaignOf(r)
	phaseID, planID, ok := shortlistParams(chi.URLParam(r, "phaseID"), chi.URLParam(r, "planID"))
	if !ok {
		return domain.Errorf(domain.ENOTFOUND, "shortlist.not_found")
	}
	version, err := strconv.Atoi(r.PostFormValue("version"))
	if err != nil || version < 0 {
		return domain.Errorf(domain.EINVALID, "field.invalid")
	}
	reason := r.PostFormValue("return_reason")
	if err := s.db.ReturnShortlist(ctx, c.ID, phaseID, planID, userFrom(ctx).ID, version, reason); err != nil {
		if domain.ErrorCode(err) == domain.ENOTFOUND {
			return err
		}
		return refuse(ctx, err, nil, func(status int, p web.Problems) error {
			return s.renderShortlist(w, r, phaseID, planID, shortlistForm{status: status, problems: p, returnReason: reason})
		})
	}
	s.flash(ctx, "shortlist.flash.returned")
	http.Redirect(w, r, paths.ShortlistOf(c.ID, phaseID, planID), http.StatusSeeOther)
	return nil
}
