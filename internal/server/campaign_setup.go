package server

import (
	"net/http"

	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/go-chi/chi/v5"

	"thidua/internal/domain"
	"thidua/internal/i18n"
	"thidua/internal/paths"
	"thidua/internal/postgres"
	"thidua/web"
)

// phasesPage lists a campaign's phases with the form that adds one.
func (s *Server) phasesPage(w http.ResponseWriter, r *http.Request) error {
	c := campaignOf(r)
	return s.renderPhases(w, r, http.StatusOK, c, web.PhaseForm{ReviewKind: "interim", Start: isoDay(c.PeriodStart), End: isoDay(c.PeriodEnd),
		ReplyDays: strconv.Itoa(domain.DefaultReplyDays), ReminderDays: reminderDaysText(domain.DefaultReminderDays)})
}

// phaseFields are the controls of the phase form, top to bottom.
var phaseFields = []string{"name", "start", "end", "registration_deadline", "assessment_from", "assessment_to",
	"appraisal_from", "appraisal_to", "reply_from", "reply_to", "reply_days", "reminder_days", "nomination_to", "review_kind", "review_date"}

// renderPhases shows the phases and the phase form, with what was typed and
// its problems after a refused submission.
func (s *Server) renderPhases(w http.ResponseWriter, r *http.Request, status int, c *domain.Campaign, f web.PhaseForm) error {
	phases, err := s.db.Phases(r.Context(), c.ID)
	if err != nil {
		return err
	}
	// The setup cards show the campaign's awards too, as they are: never
	// "none" for a campaign that has some.
	plans, err := s.db.AwardPlans(r.Context(), c.ID)
	if err != nil {
		return err
	}
	v := web.PhasesView{CampaignID: c.ID, Title: c.Title, Phases: phaseViews(r.Context(), phases), Awards: awardViews(r.Context(), plans, false), Form: f,
		Editable: c.Status == domain.StatusDraft, Action: paths.Phases(c.ID)}
	if f.ID != 0 {
		v.Action = paths.Phase(c.ID, f.ID)
	}
	if v.Editable {
		for i := range v.Phases {
			v.Phases[i].EditHref = paths.Phase(c.ID, phases[i].ID) + paths.Fragment("edit")
		}
	}
	s.render(w, r, status, web.Phases(s.chrome(r, i18n.T(r.Context(), "campaigns.phases")), v))
	return nil
}

// phaseParam finds {phaseID} among the campaign's phases.
func (s *Server) phaseParam(r *http.Request, c *domain.Campaign) (*domain.Phase, error) {
	id, _ := strconv.ParseInt(chi.URLParam(r, "phaseID"), 10, 64)
	phases, err := s.db.Phases(r.Context(), c.ID)
	if err != nil {
		return nil, err
	}
	for i := range phases {
		if phases[i].ID == id {
			return &phases[i], nil
		}
	}
	return nil, domain.Errorf(domain.ENOTFOUND, "phase.not_found")
}

// editPhase shows a phase in the form.
func (s *Server) editPhase(w http.ResponseWriter, r *http.Request) error {
	c := campaignOf(r)
	p, err := s.phaseParam(r, c)
	if err != nil {
		return err
	}
	return s.renderPhases(w, r, http.StatusOK, c, web.PhaseForm{ID: p.ID, Version: p.Version, Name: p.Name, Start: isoDay(p.Start), End: isoDay(p.End),
		Registration: dayOrEmpty(p.RegistrationDeadline), AssessmentFrom: dayOrEmpty(p.AssessmentFrom), AssessmentTo: dayOrEmpty(p.AssessmentTo),
		AppraisalFrom: dayOrEmpty(p.AppraisalFrom), AppraisalTo: dayOrEmpty(p.AppraisalTo), ReplyFrom: dayOrEmpty(p.ReplyFrom),
		ReplyTo: dayOrEmpty(p.ReplyTo), ReviewKind: string(p.ReviewKind), Review: dayOrEmpty(p.ReviewDate), ReplyDays: strconv.Itoa(p.ReplyDays),
		ReminderDays: reminderDaysText(p.ReminderDays), NominationTo: dayOrEmpty(p.NominationTo)})
}

// reminderDaysText writes a phase's reminder days as the form shows them:
// "7, 3, 1".
func reminderDaysText(days []int) string {
	out := make([]string, len(days))
	for i, d := range days {
		out[i] = strconv.Itoa(d)
	}
	return strings.Join(out, ", ")
}

// parseReminderDays reads the reminder days as typed: whole numbers
// separated by commas, semicolons or spaces; empty is no reminder. A word
// that is not a number is refused (ok false) beside the field.
func parseReminderDays(s string) (days []int, ok bool) {
	days = []int{}
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || unicode.IsSpace(r) }) {
		n, err := strconv.Atoi(w)
		if err != nil {
			return nil, false
		}
		days = append(days, n)
	}
	return days, true
}

// addPhase adds a phase to a draft campaign, or (with {phaseID}) changes one.
func (s *Server) addPhase(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c := campaignOf(r)
	var existing *domain.Phase
	if chi.URLParam(r, "phaseID") != "" {
		var err error
		if existing, err = s.phaseParam(r, c); err != nil {
			return err
		}
	}
	f := web.PhaseForm{Name: r.PostFormValue("name"), Start: r.PostFormValue("start"), End: r.PostFormValue("end"),
		Registration: r.PostFormValue("registration_deadline"), AssessmentFrom: r.PostFormValue("assessment_from"),
		AssessmentTo: r.PostFormValue("assessment_to"), AppraisalFrom: r.PostFormValue("appraisal_from"), AppraisalTo: r.PostFormValue("appraisal_to"),
		ReplyFrom: r.PostFormValue("reply_from"), ReplyTo: r.PostFormValue("reply_to"), ReviewKind: r.PostFormValue("review_kind"),
		Review: r.PostFormValue("review_date"), ReplyDays: strings.TrimSpace(r.PostFormValue("reply_days")),
		ReminderDays: strings.TrimSpace(r.PostFormValue("reminder_days")), NominationTo: r.PostFormValue("nomination_to")}
	required := func(field, v string) time.Time {
		d, ok := domain.ParseDate(v)
		if !ok {
			fieldProblem(ctx, &f.Problems, field, "date.out_of_range")
		}
		return d
	}
	optional := func(field, v string) *time.Time {
		if strings.TrimSpace(v) == "" {
			return nil
		}
		d, ok := domain.ParseDate(v)
		if !ok {
			fieldProblem(ctx, &f.Problems, field, "date.out_of_range")
			return nil
		}
		return &d
	}
	p := &domain.Phase{CampaignID: c.ID, Name: f.Name, Start: required("start", f.Start), End: required("end", f.End),
		RegistrationDeadline: optional("registration_deadline", f.Registration),
		AssessmentFrom:       optional("assessment_from", f.AssessmentFrom), AssessmentTo: optional("assessment_to", f.AssessmentTo),
		AppraisalFrom: optional("appraisal_from", f.AppraisalFrom), AppraisalTo: optional("appraisal_to", f.AppraisalTo),
		ReplyFrom: optional("reply_from", f.ReplyFrom), ReplyTo: optional("reply_to", f.ReplyTo),
		ReviewKind: domain.ReviewKind(f.ReviewKind), ReviewDate: optional("review_date", f.Review),
		NominationTo: optional("nomination_to", f.NominationTo)}
	if !r.PostForm.Has("nomination_to") && existing != nil {
		// A client that does not know the field keeps the phase's.
		p.NominationTo = existing.NominationTo
	}
	switch n, err := strconv.Atoi(f.ReplyDays); {
	case !r.PostForm.Has("reply_days"):
		// A client that does not know the field keeps what the phase has
		// (the default for a new one).
		if existing != nil {
			p.ReplyDays = existing.ReplyDays
		}
	case err == nil && n > 0:
		p.ReplyDays = n
	default:
		p.ReplyDays = -1 // refused by Validate beside the field
	}
	if !r.PostForm.Has("reminder_days") {
		// As for the reply days: kept (the default for a new phase).
		if existing != nil {
			p.ReminderDays = existing.ReminderDays
		}
	} else if days, ok := parseReminderDays(f.ReminderDays); ok {
		p.ReminderDays = days
	} else {
		p.ReminderDays = []int{0} // refused by Validate beside the field
	}
	if existing != nil {
		p.ID, f.ID = existing.ID, existing.ID
		p.Version, _ = strconv.Atoi(r.PostFormValue("version"))
		f.Version = p.Version
	}
	if f.Problems.Any() {
		f.Problems.Order(phaseFields...)
		return s.renderPhases(w, r, http.StatusUnprocessableEntity, c, f)
	}
	if _, err := s.db.SavePhase(ctx, p); err != nil {
		return refuse(ctx, err, phaseFields, func(status int, p web.Problems) error {
			if status == http.StatusConflict && existing != nil {
				// The form now carries the current version: saving again
				// is a deliberate choice.
				f.Version = existing.Version
			}
			f.Problems = p
			return s.renderPhases(w, r, status, c, f)
		})
	}
	if existing != nil {
		s.flash(ctx, "users.flash.saved")
	} else {
		s.flash(ctx, "phase.flash.added")
	}
	http.Redirect(w, r, paths.Phases(c.ID), http.StatusSeeOther)
	return nil
}

// awardsPage lists a campaign's award plans with the form that sets one.
func (s *Server) awardsPage(w http.ResponseWriter, r *http.Request) error {
	c := campaignOf(r)
	return s.renderAwards(w, r, http.StatusOK, c, web.AwardForm{}, web.RuleForm{Kind: string(domain.RuleMinBand), MinBand: "good"})
}

// awardFields are the controls of the award plan form, top to bottom.
var awardFields = []string{"award_form_id", "collective_quota", "individual_quota", "note"}

// renderAwards shows the award plans and the form that sets one, with what
// was typed and its problems after a refused submission.
func (s *Server) renderAwards(w http.ResponseWriter, r *http.Request, status int, c *domain.Campaign, f web.AwardForm, rf web.RuleForm) error {
	ctx := r.Context()
	plans, err := s.db.AwardPlans(ctx, c.ID)
	if err != nil {
		return err
	}
	forms, err := s.db.AwardForms(ctx)
	if err != nil {
		return err
	}
	// The setup cards show the campaign's phases too, as they are: never
	// "no phase" for a campaign that has some.
	phases, err := s.db.Phases(ctx, c.ID)
	if err != nil {
		return err
	}
	v := web.AwardsView{CampaignID: c.ID, Title: c.Title, Plans: awardViews(ctx, plans, false), Phases: phaseViews(ctx, phases), Form: f,
		Editable: c.Status == domain.StatusDraft}
	for _, af := range forms {
		id := strconv.FormatInt(af.ID, 10)
		v.Catalogue = append(v.Catalogue, web.Option{Value: id, Label: af.Name + " — " + i18n.T(ctx, "award.target."+af.Target), Selected: id == f.FormID})
	}
	if v.Rules, err = s.awardRulesView(ctx, c, plans, phases, forms, rf); err != nil {
		return err
	}
	s.render(w, r, status, web.Awards(s.chrome(r, i18n.T(ctx, "campaigns.awards")), v))
	return nil
}

// saveAwardPlan sets the plan of one award form.
func (s *Server) saveAwardPlan(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c := campaignOf(r)
	f := web.AwardForm{FormID: r.PostFormValue("award_form_id"), Collective: strings.TrimSpace(r.PostFormValue("collective_quota")),
		Individual: strings.TrimSpace(r.PostFormValue("individual_quota")), Note: r.PostFormValue("note")}
	// A new plan starts with the usual rules (Tốt or better, no pending
	// flag, one award), each then edited on the rules' form.
	plan := postgres.AwardPlan{CampaignID: c.ID, MinBand: "good", NoPendingDiscipline: true, NotAlreadyAwarded: true, Note: f.Note}
	var err error
	if plan.AwardFormID, err = strconv.ParseInt(f.FormID, 10, 64); err != nil {
		fieldProblem(ctx, &f.Problems, "award_form_id", "field.invalid")
	}
	quota := func(field, v string) *int {
		if v == "" {
			return nil
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			fieldProblem(ctx, &f.Problems, field, "field.invalid")
			return nil
		}
		return &n
	}
	plan.CollectiveQuota, plan.IndividualQuota = quota("collective_quota", f.Collective), quota("individual_quota", f.Individual)
	if f.Problems.Any() {
		f.Problems.Order(awardFields...)
		return s.renderAwards(w, r, http.StatusUnprocessableEntity, c, f, web.RuleForm{Kind: string(domain.RuleMinBand), MinBand: "good"})
	}
	if err := s.db.SaveAwardPlan(ctx, plan); err != nil {
		return refuse(ctx, err, awardFields, func(status int, p web.Problems) error {
			f.Problems = p
			return s.renderAwards(w, r, status, c, f, web.RuleForm{Kind: string(domain.RuleMinBand), MinBand: "good"})
		})
	}
	s.flash(ctx, "award.flash.saved")
	http.Redirect(w, r, paths.Awards(c.ID), http.StatusSeeOther)
	return nil
}
