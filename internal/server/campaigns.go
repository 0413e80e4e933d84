package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"

	"thidua/internal/domain"
	"thidua/internal/i18n"
	"thidua/internal/paths"
	"thidua/internal/postgres"
	"thidua/web"
)

// listCampaigns is the staff list with filters and progress.
func (s *Server) listCampaigns(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := r.URL.Query()
	f := postgres.CampaignFilter{Status: domain.CampaignStatus(q.Get("status")), Issuer: strings.TrimSpace(q.Get("issuer"))}
	switch f.Status {
	case "", domain.StatusDraft, domain.StatusAnnounced, domain.StatusClosed, domain.StatusCancelled:
	default:
		return domain.Errorf(domain.EINVALID, "field.invalid")
	}
	if y := q.Get("year"); y != "" {
		year, err := strconv.Atoi(y)
		if err != nil || year < 1945 || year > 2100 {
			return domain.Errorf(domain.EINVALID, "field.invalid")
		}
		f.Year = year
	}
	if domain.RuneLen(f.Issuer) > 200 {
		return domain.Errorf(domain.EINVALID, "field.too_long")
	}
	day := s.today()
	view := func() (templ.Component, error) {
		rows, err := s.db.ListCampaigns(ctx, f, day)
		if err != nil {
			return nil, err
		}
		v := web.CampaignsView{Status: string(f.Status), Issuer: f.Issuer}
		if f.Year != 0 {
			v.Year = strconv.Itoa(f.Year)
		}
		for _, st := range []domain.CampaignStatus{domain.StatusDraft, domain.StatusAnnounced, domain.StatusClosed, domain.StatusCancelled} {
			v.Statuses = append(v.Statuses, web.Option{Value: string(st), Label: i18n.T(ctx, statusKey(st)), Selected: st == f.Status})
		}
		for _, c := range rows {
			progress := i18n.T(ctx, "campaigns.progress", c.Phases, c.Awards, c.Criteria)
			if c.CurrentSeq > 0 {
				progress = i18n.T(ctx, "campaigns.progress.phase", c.CurrentSeq, c.Phases) + " · " + progress
			}
			v.Rows = append(v.Rows, web.CampaignRowView{ID: c.ID, PlanNumber: c.PlanNumber, Title: c.Title, Issuer: c.IssuerName,
				Period: period(c.PeriodStart, c.PeriodEnd), IssueDate: i18n.Day(c.IssueDate), StatusKey: statusKey(c.Status),
				Status: string(c.Status), KindKey: "campaign.kind." + string(c.Kind), Progress: progress})
		}
		return web.CampaignList(v), nil
	}
	var list templ.Component
	var err error
	if f == (postgres.CampaignFilter{}) {
		// The whole list, the page staff open most: kept as rendered while
		// no campaign has changed (kept_pages.go). A filtered one is read.
		rev, rerr := s.db.CampaignsRevision(ctx)
		if rerr != nil {
			return rerr
		}
		list, err = s.campaignLists.part(ctx, i18n.Locale(ctx), rev, day, view)
	} else {
		list, err = view()
	}
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, web.Campaigns(s.chrome(r, i18n.T(ctx, "campaigns.title")), list))
	return nil
}

// campaignForm fills the form view from a campaign.
func (s *Server) campaignForm(ctx context.Context, c *domain.Campaign) web.CampaignForm {
	f := web.CampaignForm{ID: c.ID, Version: c.Version, PlanNumber: c.PlanNumber, Title: c.Title, IssuerName: c.IssuerName,
		SignerName: c.SignerName, SignerPosition: c.SignerPosition, Kind: string(c.Kind), Purposes: c.Purposes, Content: c.Content,
		TargetNote: c.TargetNote, BandExcellent: c.Bands.Excellent.String(), BandGood: c.Bands.Good.String(),
		BandFair: c.Bands.Fair.String(), BandAverage: c.Bands.Average.String(),
		Announced: c.Status == domain.StatusAnnounced, Action: paths.Campaigns(), NoticeDays: strconv.Itoa(c.NoticeDays)}
	if c.NoticeDays == 0 {
		f.NoticeDays = strconv.Itoa(domain.DefaultNoticeDays)
	}
	if c.ID != 0 {
		f.Action = paths.CampaignEdit(c.ID)
	}
	if !c.IssueDate.IsZero() {
		f.IssueDate = isoDay(c.IssueDate)
	}
	if !c.PeriodStart.IsZero() {
		f.PeriodStart, f.PeriodEnd = isoDay(c.PeriodStart), isoDay(c.PeriodEnd)
	}
	if c.IssuerUnitID != nil {
		if u, err := s.db.UnitByID(ctx, *c.IssuerUnitID); err == nil {
			f.IssuerCode = u.Code
		}
	}
	if c.ScopeUnitID != nil {
		if u, err := s.db.UnitByID(ctx, *c.ScopeUnitID); err == nil {
			f.ScopeCode = u.Code
		}
	}
	has := func(list []string, v string) bool {
		for _, x := range list {
			if x == v {
				return true
			}
		}
		return false
	}
	for _, k := range domain.UnitKinds {
		f.TargetKinds = append(f.TargetKinds, web.Option{Value: string(k), Label: i18n.T(ctx, kindKey(k)), Selected: has(c.TargetKinds, string(k))})
	}
	for _, k := range domain.Categories {
		f.TargetCategories = append(f.TargetCategories, web.Option{Value: string(k), Label: i18n.T(ctx, categoryKey(k)), Selected: has(c.TargetCategories, string(k))})
	}
	return f
}

// campaignFields are the controls of the campaign form, top to bottom.
var campaignFields = []string{"plan_number", "issue_date", "title", "issuer_name", "issuer_code", "signer_name", "signer_position",
	"kind", "purposes", "content", "target_kinds", "target_categories", "target_note", "scope_code", "period_start", "period_end", "notice_days", "bands"}

// campaignProblems puts a campaign's problems beside the controls the user
// fills in: the domain checks the units the codes name.
func campaignProblems(p *web.Problems) {
	p.Rename("issuer_unit_id", "issuer_code")
	p.Rename("scope_unit_id", "scope_code")
	p.Order(campaignFields...)
}

// parseCampaign reads the campaign form into c, collecting problems.
func (s *Server) parseCampaign(r *http.Request, c *domain.Campaign) web.Problems {
	ctx := r.Context()
	var errs web.Problems
	c.PlanNumber, c.Title, c.IssuerName = r.PostFormValue("plan_number"), r.PostFormValue("title"), r.PostFormValue("issuer_name")
	c.SignerName, c.SignerPosition = r.PostFormValue("signer_name"), r.PostFormValue("signer_position")
	c.Purposes, c.Content, c.TargetNote = r.PostFormValue("purposes"), r.PostFormValue("content"), r.PostFormValue("target_note")
	announced := c.Status == domain.StatusAnnounced
	date := func(field string, into *time.Time) {
		if d, ok := domain.ParseDate(r.PostFormValue(field)); ok {
			*into = d
		} else if !announced || (field == "issue_date") {
			fieldProblem(ctx, &errs, field, "date.out_of_range")
		}
	}
	date("issue_date", &c.IssueDate)
	if !announced {
		// Disabled fields are not sent: an announced campaign keeps its rules.
		c.Kind = domain.CampaignKind(r.PostFormValue("kind"))
		c.TargetKinds, c.TargetCategories = r.PostForm["target_kinds"], r.PostForm["target_categories"]
		date("period_start", &c.PeriodStart)
		date("period_end", &c.PeriodEnd)
	} else {
		if d, ok := domain.ParseDate(r.PostFormValue("period_start")); ok {
			c.PeriodStart = d
		}
		if d, ok := domain.ParseDate(r.PostFormValue("period_end")); ok {
			c.PeriodEnd = d
		}
	}
	bands := []*domain.Points{&c.Bands.Excellent, &c.Bands.Good, &c.Bands.Fair, &c.Bands.Average}
	for i, name := range []string{"band_excellent", "band_good", "band_fair", "band_average"} {
		p, ok := domain.ParsePoints(r.PostFormValue(name))
		if !ok {
			fieldProblem(ctx, &errs, "bands", "campaign.bands.invalid")
			continue
		}
		*bands[i] = p
	}
	unit := func(field string) *int64 {
		code := strings.TrimSpace(r.PostFormValue(field))
		if code == "" {
			return nil
		}
		u, err := s.db.UnitByCode(ctx, code, s.today())
		if err != nil {
			fieldProblem(ctx, &errs, field, "unit.not_found")
			return nil
		}
		return &u.ID
	}
	c.IssuerUnitID = unit("issuer_code")
	c.ScopeUnitID = unit("scope_code")
	if raw := strings.TrimSpace(r.PostFormValue("notice_days")); raw == "" {
		c.NoticeDays = domain.DefaultNoticeDays
	} else if n, err := strconv.Atoi(raw); err != nil || n < 1 || n > domain.MaxNoticeDays {
		fieldProblem(ctx, &errs, "notice_days", "campaign.notice_days.invalid")
	} else {
		c.NoticeDays = n
	}
	campaignProblems(&errs)
	return errs
}

// renderCampaignForm shows the campaign form again with what was typed (the
// dates and unit codes as typed, even when they could not be read) and its
// problems.
func (s *Server) renderCampaignForm(w http.ResponseWriter, r *http.Request, status int, titleKey string, c *domain.Campaign, key string, p web.Problems) error {
	ctx := r.Context()
	f := s.campaignForm(ctx, c)
	f.Problems, f.IdempotencyKey = p, key
	f.IssueDate, f.IssuerCode = r.PostFormValue("issue_date"), r.PostFormValue("issuer_code")
	if raw := r.PostFormValue("notice_days"); raw != "" {
		f.NoticeDays = raw
	}
	if c.Status != domain.StatusAnnounced {
		f.PeriodStart, f.PeriodEnd, f.ScopeCode = r.PostFormValue("period_start"), r.PostFormValue("period_end"), r.PostFormValue("scope_code")
	}
	s.render(w, r, status, web.CampaignEdit(s.chrome(r, i18n.T(ctx, titleKey)), f))
	return nil
}

// newCampaign shows an empty campaign form.
func (s *Server) newCampaign(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c := &domain.Campaign{Kind: domain.KindRegular, Bands: domain.DefaultBands, IssueDate: s.today()}
	f := s.campaignForm(ctx, c)
	f.IdempotencyKey = newIdempotencyKey()
	s.render(w, r, http.StatusOK, web.CampaignEdit(s.chrome(r, i18n.T(ctx, "campaigns.new")), f))
	return nil
}

// createCampaign records a draft campaign; a repeated submission finds the first.
func (s *Server) createCampaign(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c := &domain.Campaign{Status: domain.StatusDraft}
	errs := s.parseCampaign(r, c)
	key := r.PostFormValue("idempotency_key")
	if n := len(key); n < 16 || n > 64 {
		key = newIdempotencyKey()
	}
	if errs.Any() {
		return s.renderCampaignForm(w, r, http.StatusUnprocessableEntity, "campaigns.new", c, key, errs)
	}
	id, err := s.db.CreateCampaign(ctx, c, key)
	if err != nil {
		return refuse(ctx, err, nil, func(status int, p web.Problems) error {
			campaignProblems(&p)
			return s.renderCampaignForm(w, r, status, "campaigns.new", c, key, p)
		})
	}
	s.flash(ctx, "campaigns.flash.created")
	http.Redirect(w, r, paths.Campaign(id), http.StatusSeeOther)
	return nil
}

// editCampaign shows the edit form.
func (s *Server) editCampaign(w http.ResponseWriter, r *http.Request) error {
	c := campaignOf(r)
	if c.Status == domain.StatusClosed || c.Status == domain.StatusCancelled {
		return domain.Errorf(domain.ECONFLICT, "campaign.not_editable")
	}
	s.render(w, r, http.StatusOK, web.CampaignEdit(s.chrome(r, i18n.T(r.Context(), "campaigns.edit")), s.campaignForm(r.Context(), c)))
	return nil
}

// updateCampaign saves the edit form; a stale form gets a 409 page that
// keeps what was typed.
func (s *Server) updateCampaign(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c := campaignOf(r)
	edited := *c
	errs := s.parseCampaign(r, &edited)
	edited.Version, _ = strconv.Atoi(r.PostFormValue("version"))
	if errs.Any() {
		return s.renderCampaignForm(w, r, http.StatusUnprocessableEntity, "campaigns.edit", &edited, "", errs)
	}
	if err := s.db.UpdateCampaign(ctx, &edited); err != nil {
		if domain.ErrorCode(err) == domain.ECONFLICT {
			// The form now carries the current version: saving again is a
			// deliberate choice.
			edited.Version = c.Version
		}
		return refuse(ctx, err, nil, func(status int, p web.Problems) error {
			campaignProblems(&p)
			return s.renderCampaignForm(w, r, status, "campaigns.edit", &edited, "", p)
		})
	}
	s.flash(ctx, "users.flash.saved")
	http.Redirect(w, r, paths.Campaign(c.ID), http.StatusSeeOther)
	return nil
}

// campaignView gathers everything a campaign page shows, staff or public.
func (s *Server) campaignView(ctx context.Context, c *domain.Campaign, d *postgres.CampaignDetails, public bool) (web.CampaignView, error) {
	v := web.CampaignView{ID: c.ID, PlanNumber: c.PlanNumber, Title: c.Title, Issuer: c.IssuerName, IssueDate: i18n.Day(c.IssueDate),
		KindKey: "campaign.kind." + string(c.Kind), StatusKey: statusKey(c.Status), Status: string(c.Status),
		Period: period(c.PeriodStart, c.PeriodEnd), TargetNote: c.TargetNote, MaxMB: s.cfg.MaxUploadBytes >> 20}
	if c.SignerName != "" {
		v.Signer = strings.TrimSpace(c.SignerPosition + " " + c.SignerName)
	}
	v.Purposes, v.Content = splitParagraphs(c.Purposes), splitParagraphs(c.Content)
	for _, k := range c.TargetKinds {
		v.Targets = append(v.Targets, i18n.T(ctx, kindKey(domain.UnitKind(k))))
	}
	for _, k := range c.TargetCategories {
		v.Categories = append(v.Categories, i18n.T(ctx, categoryKey(domain.Category(k))))
	}
	if c.ScopeUnitID != nil {
		if u, err := s.db.UnitByID(ctx, *c.ScopeUnitID); err == nil {
			v.Scope = u.Name
		}
	}
	b := c.Bands
	v.Bands = []string{
		i18n.T(ctx, "band.line", i18n.T(ctx, "band.excellent"), b.Excellent.String()),
		i18n.T(ctx, "band.line", i18n.T(ctx, "band.good"), b.Good.String()),
		i18n.T(ctx, "band.line", i18n.T(ctx, "band.fair"), b.Fair.String()),
		i18n.T(ctx, "band.line", i18n.T(ctx, "band.average"), b.Average.String()),
		i18n.T(ctx, "band.weak.line", b.Average.String()),
	}
	v.Phases = phaseViews(ctx, d.Phases)
	v.Awards = awardViews(ctx, d.Plans, public)
	for _, set := range d.Sets {
		nodes := d.Criteria[set.ID]
		sum := web.CriteriaSetSummary{ID: set.ID, Name: set.Name, Nodes: len(nodes), Total: domain.TreeTotal(nodes).String(),
			Frozen: set.Frozen, Targets: targetsLabel(ctx, set)}
		for _, n := range nodes {
			if n.ParentID == nil {
				sum.Areas = append(sum.Areas, fmt.Sprintf("%s. %s (%s %s)", n.Code, n.Title, n.Max.String(), i18n.T(ctx, "criteria.points")))
			}
		}
		v.Sets = append(v.Sets, sum)
	}
	for _, a := range d.Attachments {
		href := paths.CampaignAttachment(c.ID, a.Key)
		if public {
			href = paths.PublicCampaignAttachment(c.ID, a.Key)
		}
		v.Attachments = append(v.Attachments, web.AttachmentView{Href: href, Name: a.FileName, Size: humanSize(a.Size)})
	}
	if c.Status.Public() {
		v.PublicHref = paths.PublicCampaign(c.ID)
	}
	return v, nil
}

func splitParagraphs(s string) []string {
	var out []string
	for _, p := range strings.Split(s, "\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func phaseViews(ctx context.Context, phases []domain.Phase) []web.PhaseView {
	span := func(from, to *time.Time) string {
		switch {
		case from != nil && to != nil:
			return period(*from, *to)
		case to != nil:
			return i18n.T(ctx, "phase.until", i18n.Day(*to))
		}
		return "—"
	}
	var out []web.PhaseView
	for _, p := range phases {
		pv := web.PhaseView{Seq: p.Seq, Name: p.Name, Period: period(p.Start, p.End), Registration: span(nil, p.RegistrationDeadline),
			Assessment: span(p.AssessmentFrom, p.AssessmentTo), Appraisal: span(p.AppraisalFrom, p.AppraisalTo),
			Reply: span(p.ReplyFrom, p.ReplyTo), ReplyDays: p.ReplyDays, ReviewKey: "review." + string(p.ReviewKind)}
		pv.Reminders = i18n.T(ctx, "phase.reminder_days.none")
		if len(p.ReminderDays) > 0 {
			pv.Reminders = i18n.T(ctx, "phase.reminder_days.short", reminderDaysText(p.ReminderDays))
		}
		if p.ReviewDate != nil {
			pv.ReviewDate = i18n.Day(*p.ReviewDate)
		}
		if p.NominationTo != nil {
			pv.Nominations = i18n.T(ctx, "phase.nomination_to.short", i18n.Day(*p.NominationTo))
		}
		out = append(out, pv)
	}
	return out
}

// awardViews shows award plans. What is public: the award, who gives it and
// on what legal basis, whom it is for, the quotas, the minimum band and the
// eligibility rules; the internal note only when public is false.
func awardViews(ctx context.Context, plans []postgres.AwardPlan, public bool) []web.AwardPlanView {
	var out []web.AwardPlanView
	for _, p := range plans {
		quota := func(q *int, forWhom string) string {
			switch {
			case q != nil:
				return i18n.T(ctx, "award.per_phase", *q)
			case p.FormTarget == forWhom || p.FormTarget == "both":
				return i18n.T(ctx, "award.no_quota")
			}
			return "—"
		}
		av := web.AwardPlanView{Form: p.FormName, Authority: p.Authority, Collective: quota(p.CollectiveQuota, "collective"),
			Individual: quota(p.IndividualQuota, "individual"), MinBandKey: "band." + p.MinBand,
			TargetKey: "award.target." + p.FormTarget, LegalBasis: p.LegalBasis}
		if !public {
			av.Note = p.Note
		}
		if p.NoPendingDiscipline {
			av.Rules = append(av.Rules, i18n.T(ctx, "award.rule.discipline"))
		}
		if p.NotAlreadyAwarded {
			av.Rules = append(av.Rules, i18n.T(ctx, "award.rule.already"))
		}
		out = append(out, av)
	}
	return out
}

func targetsLabel(ctx context.Context, set postgres.CriteriaSet) string {
	var parts []string
	for _, k := range set.TargetKinds {
		parts = append(parts, i18n.T(ctx, kindKey(domain.UnitKind(k))))
	}
	if set.Individual {
		parts = append(parts, i18n.T(ctx, "criteria.set.individual"))
	}
	return strings.Join(parts, ", ")
}

// showCampaign is a campaign's staff overview.
func (s *Server) showCampaign(w http.ResponseWriter, r *http.Request) error {
	c := campaignOf(r)
	return s.renderCampaign(w, r, http.StatusOK, c, web.Problems{})
}

// renderCampaign shows a campaign's staff page, with the problems of a
// refused change of its state and the reason typed with it.
func (s *Server) renderCampaign(w http.ResponseWriter, r *http.Request, status int, c *domain.Campaign, problems web.Problems) error {
	ctx := r.Context()
	d, err := s.db.CampaignDetails(ctx, c.ID, false)
	if err != nil {
		return err
	}
	v, err := s.campaignView(ctx, c, d, false)
	if err != nil {
		return err
	}
	v.CanEdit = domain.CanManageCampaign(userFrom(ctx), accessOf(r)) && (c.Status == domain.StatusDraft || c.Status == domain.StatusAnnounced)
	v.Problems = problems
	if problems.Any() {
		v.Reason = r.PostFormValue("reason")
	}
	for _, to := range []domain.CampaignStatus{domain.StatusAnnounced, domain.StatusClosed, domain.StatusCancelled} {
		if domain.CanTransition(c.Status, to) {
			v.Actions = append(v.Actions, web.Option{Value: string(to), Label: i18n.T(ctx, "campaign.action."+string(to))})
		}
	}
	history, err := s.db.Transitions(ctx, c.ID)
	if err != nil {
		return err
	}
	for _, h := range history {
		v.History = append(v.History, web.TransitionView{FromKey: statusKey(h.From), ToKey: statusKey(h.To), Actor: h.ActorName,
			At: i18n.DateTime(h.At), Reason: h.Reason})
	}
	s.render(w, r, status, web.CampaignPage(s.chrome(r, c.Title), v))
	return nil
}

// transitionCampaign moves a campaign through its lifecycle.
func (s *Server) transitionCampaign(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c := campaignOf(r)
	to := domain.CampaignStatus(r.PostFormValue("to"))
	if err := s.db.Transition(ctx, c.ID, to, r.PostFormValue("reason")); err != nil {
		var de *domain.Error
		if errors.As(err, &de) && (de.Code == domain.ECONFLICT || de.Code == domain.EINVALID) {
			args := make([]any, len(de.Args))
			for i, a := range de.Args {
				if k, ok := a.(string); ok && i18n.Has(k) {
					a = i18n.T(ctx, k)
				}
				args[i] = a
			}
			var p web.Problems
			p.Form(i18n.T(ctx, de.Message, args...))
			return s.renderCampaign(w, r, http.StatusConflict, c, p)
		}
		return err
	}
	s.flash(ctx, "campaign.flash."+string(to))
	http.Redirect(w, r, paths.Campaign(c.ID), http.StatusSeeOther)
	return nil
}
