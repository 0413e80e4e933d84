package server

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"thidua/internal/domain"
	"thidua/internal/i18n"
	"thidua/internal/paths"
	"thidua/internal/postgres"
	"thidua/web"
)

// assessments is the staff dashboard of a campaign's forms, or the focal
// point's own list.
func (s *Server) assessments(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c := campaignOf(r)
	u := userFrom(ctx)
	staff := domain.CanManageCampaign(u, accessOf(r))
	var unit int64
	if !staff {
		if u.UnitID == nil {
			return domain.Errorf(domain.EFORBIDDEN, "error.forbidden")
		}
		unit = *u.UnitID
	}
	d, err := s.db.Dashboard(ctx, c, unit, staff) // every approved unit and phase, started or not
	if err != nil {
		return err
	}
	q := r.URL.Query()
	statusFilter, phaseFilter := q.Get("status"), q.Get("phase")
	v := web.AssessmentsView{CampaignID: c.ID, Campaign: c.Title, Staff: staff, Filter: statusFilter}
	var reminded map[[2]int64]string
	if staff {
		reminded = remindedTexts(ctx, d.Reminders, postgres.DeadlineAssessment)
	}
	// Every form is counted; one page of the listed ones is shown (a
	// province's 1,000 units in one page cost 18 ms of rendering a request).
	counts := map[string]int{}
	page := pageParam(r)
	first, listed := (page-1)*dashboardPageSize, 0
	day := s.today()
	for _, a := range d.Forms {
		state := a.Standing(day)
		counts[state]++
		late := a.Late(day)
		if late {
			counts["late"]++
		}
		if statusFilter == "late" && !late || statusFilter != "" && statusFilter != "late" && state != statusFilter {
			continue
		}
		if phaseFilter != "" && strconv.FormatInt(a.PhaseID, 10) != phaseFilter {
			continue
		}
		listed++
		if listed <= first || listed > first+dashboardPageSize {
			continue // counted, but on another page
		}
		row := web.DashboardRow{Href: paths.Assessment(c.ID, a.ID),
			Unit: a.UnitName, Phase: a.PhaseName, Status: state, StatusKey: "assessment.status." + state,
			Converted: a.Converted.String(), Progress: strconv.Itoa(a.Scored), Late: late, Reminded: reminded[[2]int64{a.PhaseID, a.UnitID}]}
		if a.ID == 0 { // not started: nothing to open yet
			row.Href, row.Converted, row.Progress = "", "", ""
		}
		if a.SubmittedAt != nil {
			row.Submitted = i18n.DateTime(*a.SubmittedAt)
		}
		if a.Status == domain.AssessSubmitted && domain.CanReceive(u, accessOf(r)) {
			row.ReceiveURL = paths.AssessmentAction(c.ID, a.ID, "receive")
		}
		v.Rows = append(v.Rows, row)
	}
	if first >= listed && page > 1 { // past the last page: show the last one
		return redirectToPage(w, r, (listed+dashboardPageSize-1)/dashboardPageSize)
	}
	v.Pager = pager(r, page, listed, dashboardPageSize)
	if staff {
		v.Counts = []web.Stat{
			{LabelKey: "assessment.count.registered", Value: strconv.Itoa(d.Registered)},
			{LabelKey: "assessment.count.not_started", Value: strconv.Itoa(counts["none"])},
			{LabelKey: "assessment.count.not_open", Value: strconv.Itoa(counts["not_open"])},
			{LabelKey: "assessment.count.draft", Value: strconv.Itoa(counts["draft"])},
			{LabelKey: "assessment.count.submitted", Value: strconv.Itoa(counts["submitted"])},
			{LabelKey: "assessment.count.returned", Value: strconv.Itoa(counts["returned"])},
			{LabelKey: "assessment.count.late", Value: strconv.Itoa(counts["late"])},
		}
		for _, st := range []string{"none", "not_open", "draft", "submitted", "returned", "received", "appraised", "locked"} {
			v.Statuses = append(v.Statuses, web.Option{Value: st, Label: i18n.T(ctx, "assessment.status."+st), Selected: st == statusFilter})
		}
		v.Statuses = append(v.Statuses, web.Option{Value: "late", Label: i18n.T(ctx, "assessment.late"), Selected: statusFilter == "late"})
		for _, p := range d.Phases {
			id := strconv.FormatInt(p.ID, 10)
			v.Phases = append(v.Phases, web.Option{Value: id, Label: p.Name, Selected: id == phaseFilter})
		}
	}
	s.render(w, r, http.StatusOK, web.Assessments(s.chrome(r, i18n.T(ctx, "assessment.list")), v))
	return nil
}

// dashboardPageSize is how many forms the dashboard lists a page.
const dashboardPageSize = 100

// redirectToPage sends a list's reader to page n (at least 1) of the same
// list, its filters kept.
func redirectToPage(w http.ResponseWriter, r *http.Request, n int) error {
	q := r.URL.Query()
	q.Set("page", strconv.Itoa(max(n, 1)))
	http.Redirect(w, r, r.URL.Path+"?"+q.Encode(), http.StatusSeeOther)
	return nil
}

// remindedTexts says, per phase and unit of a campaign, which reminders of
// a deadline went when: "Đã nhắc: 7 ngày (25/11), 3 ngày (29/11)".
func remindedTexts(ctx context.Context, reminders []postgres.Reminder, deadline string) map[[2]int64]string {
	items := map[[2]int64][]string{}
	var keys [][2]int64
	for _, x := range reminders {
		if x.Deadline != deadline {
			continue
		}
		k := [2]int64{x.PhaseID, x.UnitID}
		if items[k] == nil {
			keys = append(keys, k)
		}
		items[k] = append(items[k], i18n.T(ctx, "reminder.item", x.DaysBefore, x.SentAt.In(i18n.Zone).Format("02/01")))
	}
	out := make(map[[2]int64]string, len(keys))
	for _, k := range keys {
		out[k] = i18n.T(ctx, "reminder.sent", strings.Join(items[k], ", "))
	}
	return out
}
