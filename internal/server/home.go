package server

import (
	"net/http"
	"strconv"

	"thidua/internal/domain"
	"thidua/internal/i18n"
	"thidua/web"
)

// publicHome is the front page every visitor sees.
func (s *Server) publicHome(w http.ResponseWriter, r *http.Request) error {
	campaigns, err := s.publicCampaigns(r)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, web.PublicHome(s.chrome(r, i18n.T(r.Context(), "home.title")), campaigns))
	return nil
}

// roleTasks lists what each role does here. Pages not built yet carry no
// link and say "coming".
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
		{TitleKey: "task.appraisal", TextKey: "task.appraisal.text"},
		{TitleKey: "task.account", TextKey: "task.account.text", Href: "/account"},
	},
	domain.RoleFocalPoint: {
		{TitleKey: "task.my_unit", TextKey: "task.my_unit.text", Href: "/people"},
		{TitleKey: "task.register", TextKey: "task.register.text", Href: "#my-campaigns"},
		{TitleKey: "task.assess", TextKey: "task.assess.text", Href: "#my-campaigns"},
		{TitleKey: "task.nominate", TextKey: "task.nominate.text"},
		{TitleKey: "task.account", TextKey: "task.account.text", Href: "/account"},
	},
	domain.RoleLeader: {
		{TitleKey: "task.shortlists", TextKey: "task.shortlists.text"},
		{TitleKey: "task.vote", TextKey: "task.vote.text"},
		{TitleKey: "task.decisions", TextKey: "task.decisions.text"},
		{TitleKey: "task.account", TextKey: "task.account.text", Href: "/account"},
	},
}

// dashboard is the signed-in home: what this role does in the portal.
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
	if u.Role == domain.RoleFocalPoint && u.UnitID != nil {
		campaigns, statuses, err := s.db.CampaignsForUnit(ctx, *u.UnitID)
		if err != nil {
			return err
		}
		for i, c := range campaigns {
			v.Campaigns = append(v.Campaigns, web.MyCampaign{ID: c.ID, Title: c.Title, Plan: c.PlanNumber, Period: period(c.PeriodStart, c.PeriodEnd),
				StatusKey: regStatusKey(statuses[i]), Href: "/campaigns/" + strconv.FormatInt(c.ID, 10) + "/registrations"})
		}
	}
	s.render(w, r, http.StatusOK, web.Dashboard(s.chrome(r, i18n.T(ctx, "dashboard.title")), v))
	return nil
}
