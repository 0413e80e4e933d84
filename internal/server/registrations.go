package server

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"thidua/internal/domain"
	"thidua/internal/i18n"
	"thidua/internal/paths"
	"thidua/internal/postgres"
	"thidua/web"
)

// registrations is the unit's registration page for a focal point, and the
// list of registrations for staff.
func (s *Server) registrations(w http.ResponseWriter, r *http.Request) error {
	c := campaignOf(r)
	u := userFrom(r.Context())
	if domain.CanManageCampaign(u, accessOf(r)) {
		return s.renderRegistrationList(w, r, http.StatusOK, c, web.Problems{})
	}
	return s.renderRegistration(w, r, http.StatusOK, c, nil, web.Problems{})
}

// registrationFields are the controls of the registration form, top to
// bottom.
var registrationFields = []string{"pledge", "targets", "people"}

// renderRegistration shows a focal point their unit's registration; typed
// holds what was sent when it could not be saved.
func (s *Server) renderRegistration(w http.ResponseWriter, r *http.Request, status int, c *domain.Campaign, typed *postgres.RegistrationInput, problems web.Problems) error {
	ctx := r.Context()
	u := userFrom(ctx)
	if u.UnitID == nil {
		return domain.Errorf(domain.EFORBIDDEN, "error.forbidden")
	}
	v := web.RegistrationView{CampaignID: c.ID, Campaign: c.Title, Plan: c.PlanNumber, UnitName: u.UnitName, Problems: problems}
	reg, err := s.db.RegistrationOf(ctx, c.ID, *u.UnitID)
	if err != nil && domain.ErrorCode(err) != domain.ENOTFOUND {
		return err
	}
	chosen := map[int64]bool{}
	if reg != nil {
		v.ID, v.Status, v.Pledge, v.Version = reg.ID, string(reg.Status), reg.Pledge, reg.Version
		if reg.Status == domain.RegRejected {
			v.Reason = reg.Reason
		}
		for _, t := range reg.Targets {
			v.Targets = append(v.Targets, web.TargetRow{Label: t.Label, Value: t.Value})
		}
		for _, p := range reg.People {
			chosen[p] = true
		}
	}
	v.StatusKey = regStatusKey(domain.RegistrationStatus(v.Status))
	if typed != nil {
		v.Pledge, v.Targets, chosen = typed.Pledge, nil, map[int64]bool{}
		for _, t := range typed.Targets {
			v.Targets = append(v.Targets, web.TargetRow{Label: t.Label, Value: t.Value})
		}
		for _, p := range typed.People {
			chosen[p] = true
		}
	}
	for len(v.Targets) < 5 {
		v.Targets = append(v.Targets, web.TargetRow{})
	}
	people, err := s.db.SearchPeople(ctx, postgres.PeopleFilter{UnitID: u.UnitID, Day: s.today(), Limit: 500})
	if err != nil {
		return err
	}
	for _, p := range people.People {
		v.People = append(v.People, web.PersonChoice{ID: p.ID, Name: p.FullName, Position: p.Position, Chosen: chosen[p.ID]})
	}
	v.Editable = c.Status == domain.StatusAnnounced && (reg == nil || reg.Status != domain.RegApproved)
	if c.Status != domain.StatusAnnounced {
		v.Closed = i18n.T(ctx, "registration.campaign_closed")
	}
	if reg != nil && reg.Status == domain.RegApproved {
		phases, err := s.db.Phases(ctx, c.ID)
		if err != nil {
			return err
		}
		forms, err := s.db.AssessmentsOf(ctx, c.ID, *u.UnitID)
		if err != nil {
			return err
		}
		for _, p := range phases {
			pa := web.PhaseAssessment{PhaseID: p.ID, Name: p.Name, Window: windowLabel(r, p.AssessmentFrom, p.AssessmentTo, nil),
				CanStart: c.Status == domain.StatusAnnounced}
			if p.AssessmentFrom != nil && s.today().Before(*p.AssessmentFrom) {
				// Not yet open: say when it opens, offer nothing to start.
				pa.CanStart, pa.Opens = false, i18n.T(ctx, "assessment.opens_on", i18n.Day(*p.AssessmentFrom))
			}
			for _, f := range forms {
				if f.PhaseID == p.ID {
					pa.FormHref = paths.Assessment(c.ID, f.ID)
					pa.StatusKey = "assessment.status." + string(f.Status)
				}
			}
			v.Phases = append(v.Phases, pa)
		}
	}
	s.render(w, r, status, web.Registration(s.chrome(r, c.Title), v))
	return nil
}

// saveRegistration saves or sends a focal point's registration (its
// route's policy is domain.CanRegister).
func (s *Server) saveRegistration(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c := campaignOf(r)
	u := userFrom(ctx)
	in := postgres.RegistrationInput{Pledge: r.PostFormValue("pledge"), Submit: r.PostFormValue("action") == "submit"}
	in.Version, _ = strconv.Atoi(r.PostFormValue("version"))
	labels, values := r.PostForm["target_label"], r.PostForm["target_value"]
	if len(labels) > 50 {
		return domain.Errorf(domain.EINVALID, "field.invalid")
	}
	for i := range labels {
		t := postgres.Target{Label: labels[i]}
		if i < len(values) {
			t.Value = values[i]
		}
		in.Targets = append(in.Targets, t)
	}
	for _, raw := range r.PostForm["people"] {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || id <= 0 {
			return domain.Errorf(domain.EINVALID, "field.invalid")
		}
		in.People = append(in.People, id)
	}
	if _, err := s.db.SaveRegistration(ctx, c.ID, *u.UnitID, in); err != nil {
		return refuse(ctx, err, registrationFields, func(status int, p web.Problems) error {
			return s.renderRegistration(w, r, status, c, &in, p)
		})
	}
	if in.Submit {
		s.flash(ctx, "registration.flash.sent")
	} else {
		s.flash(ctx, "registration.flash.saved")
	}
	http.Redirect(w, r, paths.Registrations(c.ID), http.StatusSeeOther)
	return nil
}

// withdrawRegistration lets a focal point withdraw their unit's registration.
func (s *Server) withdrawRegistration(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c := campaignOf(r)
	id, _ := strconv.ParseInt(chi.URLParam(r, "registrationID"), 10, 64)
	reg, err := s.db.RegistrationByID(ctx, id)
	if err != nil {
		return err
	}
	if reg.CampaignID != c.ID || !domain.CanEditRegistration(userFrom(ctx), reg.UnitID) {
		return domain.Errorf(domain.ENOTFOUND, "registration.not_found")
	}
	if err := s.db.WithdrawRegistration(ctx, id); err != nil {
		return err
	}
	s.flash(ctx, "registration.flash.withdrawn")
	http.Redirect(w, r, paths.Registrations(c.ID), http.StatusSeeOther)
	return nil
}

// renderRegistrationList shows the staff list of a campaign's
// registrations, with the problems of a refused decision.
func (s *Server) renderRegistrationList(w http.ResponseWriter, r *http.Request, status int, c *domain.Campaign, problems web.Problems) error {
	ctx := r.Context()
	filter := domain.RegistrationStatus(r.URL.Query().Get("status"))
	all, err := s.db.ListRegistrations(ctx, c.ID, "")
	if err != nil {
		return err
	}
	v := web.RegistrationsView{CampaignID: c.ID, Campaign: c.Title, Problems: problems, Filter: string(filter)}
	if problems.Any() {
		v.Reason = r.PostFormValue("reason")
	}
	counts := map[domain.RegistrationStatus]int{}
	for _, reg := range all {
		counts[reg.Status]++
		if filter != "" && reg.Status != filter {
			continue
		}
		var targets []string
		for _, t := range reg.Targets {
			targets = append(targets, t.Label+": "+t.Value)
		}
		row := web.RegistrationRow{ID: reg.ID, Version: reg.Version, UnitName: reg.UnitName, Status: string(reg.Status), StatusKey: regStatusKey(reg.Status),
			Pledge: reg.Pledge, Targets: strings.Join(targets, "; "), Reason: reg.Reason, People: reg.PeopleCount}
		if reg.SubmittedAt != nil {
			row.Submitted = i18n.DateTime(*reg.SubmittedAt)
		}
		v.Rows = append(v.Rows, row)
	}
	for _, st := range []domain.RegistrationStatus{domain.RegPending, domain.RegApproved, domain.RegRejected} {
		v.Counts = append(v.Counts, web.Stat{LabelKey: "registration.count." + string(st), Value: strconv.Itoa(counts[st])})
	}
	for _, st := range []domain.RegistrationStatus{domain.RegDraft, domain.RegPending, domain.RegApproved, domain.RegRejected, domain.RegWithdrawn} {
		v.Statuses = append(v.Statuses, web.Option{Value: string(st), Label: i18n.T(ctx, regStatusKey(st)), Selected: st == filter})
	}
	s.render(w, r, status, web.Registrations(s.chrome(r, i18n.T(ctx, "registration.list")), v))
	return nil
}

// decideRegistrations approves or rejects the chosen registrations.
func (s *Server) decideRegistrations(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c := campaignOf(r)
	var chosen []postgres.RegistrationChoice
	for _, raw := range r.PostForm["ids"] {
		idText, versionText, _ := strings.Cut(raw, ":")
		id, err1 := strconv.ParseInt(idText, 10, 64)
		version, err2 := strconv.Atoi(versionText)
		if err1 != nil || err2 != nil {
			return domain.Errorf(domain.EINVALID, "field.invalid")
		}
		chosen = append(chosen, postgres.RegistrationChoice{ID: id, Version: version})
	}
	n, err := s.db.DecideRegistrations(ctx, c.ID, chosen, r.PostFormValue("decision") == "approve", r.PostFormValue("reason"))
	if err != nil {
		return refuse(ctx, err, []string{"reason"}, func(status int, p web.Problems) error {
			return s.renderRegistrationList(w, r, status, c, p)
		})
	}
	if n < len(chosen) {
		// Some changed or were decided by someone else since the page was
		// drawn: say so on the fresh list rather than decide them unseen.
		var p web.Problems
		fieldProblem(ctx, &p, "form", "registration.decide.skipped", n, len(chosen)-n)
		return s.renderRegistrationList(w, r, http.StatusConflict, c, p)
	}
	s.flash(ctx, "registration.flash.decided")
	http.Redirect(w, r, paths.Registrations(c.ID), http.StatusSeeOther)
	return nil
}

// registerAllPage lists the units "register all" would register and
// approve, with the button that confirms it: nothing happens in one click.
func (s *Server) registerAllPage(w http.ResponseWriter, r *http.Request) error {
	c := campaignOf(r)
	return s.renderRegisterAll(w, r, http.StatusOK, c, web.Problems{})
}

// renderRegisterAll shows the units "register all" would register, with
// the problems of a refused confirmation.
func (s *Server) renderRegisterAll(w http.ResponseWriter, r *http.Request, status int, c *domain.Campaign, problems web.Problems) error {
	ctx := r.Context()
	units, err := s.db.UnitsToRegister(ctx, c.ID)
	if err != nil {
		return err
	}
	v := web.RegisterAllView{CampaignID: c.ID, Campaign: c.Title, Open: c.Status == domain.StatusAnnounced, Problems: problems}
	if !v.Open {
		// The closed campaign is the reason, whatever else was refused.
		v.Problems = web.Problems{}
		fieldProblem(ctx, &v.Problems, "form", "registration.campaign_closed")
	}
	for _, u := range units {
		v.Units = append(v.Units, web.UnitToRegister{ID: u.ID, Name: u.Name, Code: u.Code, Kind: i18n.T(ctx, "unit.kind."+u.Kind)})
	}
	s.render(w, r, status, web.RegisterAll(s.chrome(r, i18n.T(ctx, "registration.all.title")), v))
	return nil
}

// registerAll registers and approves the units staff confirmed on the
// register-all page. A post without the confirmation (an old form, a
// forged click) registers nothing and shows the page to confirm on.
func (s *Server) registerAll(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c := campaignOf(r)
	page := paths.RegisterAll(c.ID)
	if r.PostFormValue("confirm") != "yes" {
		http.Redirect(w, r, page, http.StatusSeeOther)
		return nil
	}
	var chosen []int64
	for _, raw := range r.PostForm["unit"] {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || id <= 0 {
			return domain.Errorf(domain.EINVALID, "field.invalid")
		}
		chosen = append(chosen, id)
	}
	n, err := s.db.RegisterAll(ctx, c.ID, chosen)
	if err != nil {
		return refuse(ctx, err, nil, func(status int, p web.Problems) error {
			p.Rename("units", "") // the list itself: no control to point at
			return s.renderRegisterAll(w, r, status, c, p)
		})
	}
	if n < len(chosen) {
		// Some were registered meanwhile (by their unit or another click) or
		// left the scope: say so on the fresh list.
		var p web.Problems
		fieldProblem(ctx, &p, "form", "registration.all.skipped", n, len(chosen)-n)
		return s.renderRegistrationList(w, r, http.StatusConflict, c, p)
	}
	s.flash(ctx, "registration.flash.registered_all")
	http.Redirect(w, r, paths.Registrations(c.ID), http.StatusSeeOther)
	return nil
}
