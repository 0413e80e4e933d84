package server

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"thidua/internal/domain"
	"thidua/internal/i18n"
	"thidua/internal/paths"
	"thidua/internal/postgres"
	"thidua/web"
)

// publicHome is the front page every visitor sees: campaigns under way
// apart from those finished.
func (s *Server) publicHome(w http.ResponseWriter, r *http.Request) error {
	campaigns, err := s.publicCampaigns(r)
	if err != nil {
		return err
	}
	running, finished := splitFinished(campaigns)
	decisions, err := s.decisionLinks(r)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, web.PublicHome(s.chrome(r, i18n.T(r.Context(), "home.title")), running, finished, decisions))
	return nil
}

// splitFinished separates campaigns under way from finished ones (closed,
// or announced with their period over).
func splitFinished(items []web.PublicCampaignItem) (running, finished []web.PublicCampaignItem) {
	for _, it := range items {
		if it.Finished {
			finished = append(finished, it)
		} else {
			running = append(running, it)
		}
	}
	return running, finished
}

// roleTasks lists the pages each role works in, as shortcuts under its work
// queue. Only pages that exist are listed.
var roleTasks = map[domain.Role][]web.Task{
	domain.RoleAdmin: {
		{TitleKey: "task.users", TextKey: "task.users.text", Href: "/users"},
		{TitleKey: "task.audit", TextKey: "task.audit.text", Href: "/audit"},
		{TitleKey: "task.units", TextKey: "task.units.text", Href: "/units"},
		{TitleKey: "task.campaigns", TextKey: "task.campaigns.text", Href: "/campaigns"},
	},
	domain.RoleStaff: {
		{TitleKey: "task.campaigns", TextKey: "task.campaigns.text", Href: "/campaigns"},
		{TitleKey: "task.units", TextKey: "task.units.text", Href: "/units"},
		{TitleKey: "task.people", TextKey: "task.people.text", Href: "/people"},
		{TitleKey: "task.account", TextKey: "task.account.text", Href: "/account"},
	},
	domain.RoleFocalPoint: {
		{TitleKey: "task.register", TextKey: "task.register.text", Href: "#open-registrations"},
		{TitleKey: "task.assess", TextKey: "task.assess.text", Href: "#due-forms"},
		{TitleKey: "task.my_unit", TextKey: "task.my_unit.text", Href: "/people"},
		{TitleKey: "task.account", TextKey: "task.account.text", Href: "/account"},
	},
	domain.RoleLeader: {
		{TitleKey: "task.approve_results", TextKey: "task.approve_results.text", Href: "#waiting-results"},
		{TitleKey: "task.public", TextKey: "task.public.text", Href: "/"},
		{TitleKey: "task.units", TextKey: "task.units.text", Href: "/units"},
		{TitleKey: "task.account", TextKey: "task.account.text", Href: "/account"},
	},
}

// queueDays is how far ahead the staff home looks for deadlines.
const queueDays = 7

// dashboard is the signed-in home: the role's work queue, then shortcuts.
func (s *Server) dashboard(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := userFrom(ctx)
	v := web.DashboardView{
		Name:     u.FullName,
		RoleKey:  "role." + string(u.Role),
		IntroKey: "dashboard.intro." + string(u.Role),
		UnitName: u.UnitName,
		Tasks:    roleTasks[u.Role],
	}
	if u.Role == domain.RoleAdmin {
		st, err := s.db.CountUsersAndUnits(ctx)
		if err != nil {
			return err
		}
		v.Stats = []web.Stat{
			{LabelKey: "dashboard.users", Value: strconv.Itoa(st.ActiveUsers)},
			{LabelKey: "dashboard.units", Value: strconv.Itoa(st.Units)},
		}
	}
	var err error
	switch {
	case domain.HasRole(u, domain.RoleStaff):
		err = s.staffQueue(ctx, &v)
	case u.Role == domain.RoleFocalPoint && u.UnitID != nil:
		err = s.unitQueue(ctx, *u.UnitID, &v)
	case u.Role == domain.RoleLeader:
		err = s.leaderQueue(ctx, u, &v)
	}
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, web.Dashboard(s.chrome(r, i18n.T(ctx, "dashboard.title")), v))
	return nil
}

// submittedAssessments are a campaign's submissions waiting to be received.
func submittedAssessments(campaignID int64) string {
	return paths.AssessmentsFiltered(campaignID, url.Values{"status": {"submitted"}})
}

// lateAssessments are a campaign's forms past their deadline.
func lateAssessments(campaignID int64) string {
	return paths.AssessmentsFiltered(campaignID, url.Values{"status": {"late"}})
}

// countHref leads to one campaign's page when the work lies in a single
// campaign, else to the table of campaigns.
func countHref(rows []postgres.CampaignQueue, count func(postgres.CampaignQueue) int, page func(campaignID int64) string) string {
	var only int64
	for _, c := range rows {
		if count(c) > 0 {
			if only != 0 {
				return "#campaign-work"
			}
			only = c.ID
		}
	}
	if only == 0 {
		return ""
	}
	return page(only)
}

// staffQueue fills in staff's work: registrations to decide, submissions to
// receive, late units, and the coming deadlines.
func (s *Server) staffQueue(ctx context.Context, v *web.DashboardView) error {
	today := s.today()
	q, err := s.db.StaffQueue(ctx, today, queueDays)
	if err != nil {
		return err
	}
	pending, submitted, late := q.Totals()
	pendingOf := func(c postgres.CampaignQueue) int { return c.Pending }
	submittedOf := func(c postgres.CampaignQueue) int { return c.Submitted }
	lateOf := func(c postgres.CampaignQueue) int { return c.Late }
	v.StaffQueue, v.Days = true, queueDays
	v.Queue = []web.QueueCount{
		{Name: "pending", LabelKey: "work.pending", Count: pending, Href: countHref(q.Campaigns, pendingOf, paths.Registrations)},
		{Name: "submitted", LabelKey: "work.submitted", Count: submitted, Href: countHref(q.Campaigns, submittedOf, submittedAssessments)},
		{Name: "late", LabelKey: "work.late", Count: late, Href: countHref(q.Campaigns, lateOf, lateAssessments), Warn: true},
		{Name: "deadlines", LabelKey: "work.deadlines.count", Count: len(q.Deadlines), Href: "#deadlines"},
	}
	for _, c := range q.Campaigns {
		v.CampaignWork = append(v.CampaignWork, web.CampaignWorkRow{Title: c.Title, Plan: c.Plan, Href: paths.Campaign(c.ID),
			Pending:   web.QueueCell{Count: c.Pending, Href: paths.Registrations(c.ID)},
			Submitted: web.QueueCell{Count: c.Submitted, Href: submittedAssessments(c.ID)},
			Late:      web.QueueCell{Count: c.Late, Href: lateAssessments(c.ID)}})
	}
	for _, d := range q.Deadlines {
		row := web.DeadlineRow{Date: i18n.Day(d.Date), When: daysFrom(ctx, today, d.Date), Campaign: d.Campaign, Phase: d.Phase}
		if d.Kind == "registration" {
			row.KindKey, row.Href = "work.deadline.registration", paths.Registrations(d.CampaignID)
			row.Outstanding = i18n.T(ctx, "work.regs_left", d.Outstanding)
		} else {
			row.KindKey, row.Href = "work.deadline.assessment", paths.AssessmentsFiltered(d.CampaignID, url.Values{"phase": {strconv.FormatInt(d.PhaseID, 10)}})
			row.Outstanding = i18n.T(ctx, "work.units_left", d.Outstanding)
		}
		v.Deadlines = append(v.Deadlines, row)
	}
	return nil
}

// daysFrom says how far day is from today, in words.
func daysFrom(ctx context.Context, today, day time.Time) string {
	n := int(day.Sub(today).Hours() / 24)
	switch {
	case n == 0:
		return i18n.T(ctx, "work.when.today")
	case n > 0:
		return i18n.T(ctx, "work.when.left", n)
	}
	return i18n.T(ctx, "work.when.late", -n)
}

// unitQueue fills in what a focal point's unit has to do and by when.
func (s *Server) unitQueue(ctx context.Context, unitID int64, v *web.DashboardView) error {
	today := s.today()
	q, err := s.db.UnitQueue(ctx, unitID, today)
	if err != nil {
		return err
	}
	v.UnitQueue = true
	due, returned := 0, 0
	var returnedHref string
	for _, f := range q.Forms {
		row := web.DueFormRow{Campaign: f.Campaign, Phase: f.Phase, Status: string(f.Status), StatusKey: "assessment.status." + string(f.Status)}
		form := paths.Assessment(f.CampaignID, f.AssessmentID)
		if f.Status == "" {
			row.Status, row.StatusKey = "none", "assessment.status.none"
		}
		end := f.Due()
		if end != nil {
			row.Due = i18n.Day(*end)
		}
		notYet := f.From != nil && today.Before(*f.From)
		closed := end != nil && today.After(*end)
		switch {
		case f.Status.Submitted():
			row.When, row.Href, row.ActionKey = i18n.T(ctx, "work.when.done"), paths.AssessmentAction(f.CampaignID, f.AssessmentID, "receipt"), "work.action.receipt"
			// Once appraised the unit's work is its reply, then its result.
			if f.Status == domain.AssessAppraised || f.Status == domain.AssessLocked {
				row.Href, row.ActionKey = paths.AssessmentAction(f.CampaignID, f.AssessmentID, "reply"), "work.action.result"
			}
			if f.Status == domain.AssessAppraised && f.ReplySent == nil && f.ReplyUntil != nil && !today.After(*f.ReplyUntil) {
				row.When, row.ActionKey = i18n.T(ctx, "work.when.reply_until", i18n.Day(*f.ReplyUntil)), "work.action.reply"
			}
		case notYet:
			row.When = i18n.T(ctx, "work.when.opens", i18n.Day(*f.From))
		case closed:
			row.When, row.Late = daysFrom(ctx, today, *end), true
			if f.AssessmentID != 0 {
				row.Href, row.ActionKey = form, "work.action.view"
			}
		default:
			due++
			if end != nil {
				row.When = daysFrom(ctx, today, *end)
			} else {
				row.When = i18n.T(ctx, "work.when.open")
			}
			switch f.Status {
			case "":
				row.Href, row.ActionKey = paths.Assessments(f.CampaignID), "work.action.start"
			case domain.AssessReturned:
				row.Href, row.ActionKey = form, "work.action.resubmit"
			default:
				row.Href, row.ActionKey = form, "work.action.continue"
			}
		}
		if f.Status == domain.AssessReturned {
			returned++
			returnedHref = form
		}
		v.DueForms = append(v.DueForms, row)
	}
	if returned > 1 {
		returnedHref = "#due-forms"
	}
	for _, r := range q.Registrations {
		row := web.OpenRegistrationRow{Title: r.Title, Plan: r.Plan, StatusKey: regStatusKey(r.Status), Href: paths.Registrations(r.CampaignID)}
		if r.Deadline != nil {
			row.Deadline = i18n.Day(*r.Deadline)
		}
		v.Registrations = append(v.Registrations, row)
	}
	regHref := "#open-registrations"
	if len(v.Registrations) == 1 {
		regHref = v.Registrations[0].Href
	}
	v.Queue = []web.QueueCount{
		{Name: "due", LabelKey: "work.due", Count: due, Href: "#due-forms"},
		{Name: "returned", LabelKey: "work.returned", Count: returned, Href: returnedHref, Warn: true},
		{Name: "registrations", LabelKey: "work.registrations.count", Count: len(v.Registrations), Href: regHref},
	}
	// Every campaign the unit takes part in, registered or not.
	campaigns, statuses, err := s.db.CampaignsForUnit(ctx, unitID)
	if err != nil {
		return err
	}
	for i, c := range campaigns {
		v.Campaigns = append(v.Campaigns, web.MyCampaign{ID: c.ID, Title: c.Title, Plan: c.PlanNumber, Period: period(c.PeriodStart, c.PeriodEnd),
			StatusKey: regStatusKey(statuses[i]), Href: paths.Registrations(c.ID)})
	}
	return nil
}
