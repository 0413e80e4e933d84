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

// A campaign's results per phase and participant group: the charts, the
// rows staff propose, and the leader's approval that publishes them.

// canDecideResults is the route's check of who may approve or return
// results: a leader. That the proposer never decides their own proposal is
// checked against the proposal itself (domain.CanApproveResults on the
// page, PhaseResult.Approve and Return in the transaction).
func canDecideResults(u *domain.User, acc *domain.CampaignAccess) bool {
	return domain.CanApproveResults(u, acc, nil)
}

// groupParams reads the phase and set of a results route or query.
func groupParams(phase, set string) (int64, int64, bool) {
	p, err1 := strconv.ParseInt(phase, 10, 64)
	st, err2 := strconv.ParseInt(set, 10, 64)
	return p, st, err1 == nil && err2 == nil && p > 0 && st > 0
}

// resultsForm is what a refused action shows again: the problems, and the
// reason a leader typed.
type resultsForm struct {
	status   int
	problems web.Problems
	reason   string
}

// results shows a campaign's result groups and one group in detail.
func (s *Server) results(w http.ResponseWriter, r *http.Request) error {
	c := campaignOf(r)
	q := r.URL.Query()
	var phaseID, setID int64
	if q.Get("phase") != "" || q.Get("set") != "" {
		var ok bool
		if phaseID, setID, ok = groupParams(q.Get("phase"), q.Get("set")); !ok {
			return domain.Errorf(domain.ENOTFOUND, "results.not_found")
		}
	}
	return s.renderResults(w, r, c, phaseID, setID, resultsForm{status: http.StatusOK})
}

// renderResults draws the results page with the group phaseID, setID open
// (the first group when 0) and the form state f.
func (s *Server) renderResults(w http.ResponseWriter, r *http.Request, c *domain.Campaign, phaseID, setID int64, f resultsForm) error {
	ctx := r.Context()
	u := userFrom(ctx)
	groups, err := s.db.ResultGroups(ctx, c.ID)
	if err != nil {
		return err
	}
	v := web.ResultsView{CampaignID: c.ID, CampaignTitle: c.Title, Staff: domain.HasRole(u, domain.RoleStaff)}
	var current *postgres.ResultGroup
	for i := range groups {
		g := &groups[i]
		if (phaseID == 0 && current == nil) || (g.PhaseID == phaseID && g.SetID == setID) {
			current = g
		}
	}
	if phaseID != 0 && (current == nil || current.PhaseID != phaseID) {
		return domain.Errorf(domain.ENOTFOUND, "results.not_found")
	}
	for i := range groups {
		g := &groups[i]
		v.Groups = append(v.Groups, web.ResultGroupLink{Label: g.PhaseName + " · " + g.SetName, Href: paths.ResultsGroup(c.ID, g.PhaseID, g.SetID),
			Current: g == current, Status: resultStatusName(g.Result.Status), StatusKey: resultStatusKey(g.Result.Status)})
	}
	if current != nil {
		gv, err := s.resultGroupView(r, c, current, f)
		if err != nil {
			return err
		}
		v.Group = gv
	}
	if c.Status.Public() {
		v.PublicHref = paths.PublicResults(c.ID)
	}
	s.render(w, r, f.status, web.ResultsPage(s.chrome(r, i18n.T(ctx, "results.title")+" – "+c.Title), v))
	return nil
}

// resultStatusName is the CSS name of a result status; "none" when no
// proposal was made.
func resultStatusName(st domain.ResultStatus) string {
	if st == domain.ResultNone {
		return "none"
	}
	return string(st)
}

func resultStatusKey(st domain.ResultStatus) string { return "results.status." + resultStatusName(st) }

// resultGroupView builds the open group: its state, what the user may do,
// its charts and the rows proposed.
func (s *Server) resultGroupView(r *http.Request, c *domain.Campaign, g *postgres.ResultGroup, f resultsForm) (*web.ResultGroupView, error) {
	ctx := r.Context()
	u := userFrom(ctx)
	res := &g.Result
	v := &web.ResultGroupView{
		Title: g.PhaseName + " · " + g.SetName, PhaseID: g.PhaseID, SetID: g.SetID, Version: res.Version,
		Status: resultStatusName(res.Status), StatusKey: resultStatusKey(res.Status),
		ProposedBy: g.ProposedByName, DecidedBy: g.DecidedByName,
		Problems: f.problems, Reason: f.reason, DecisionReason: res.Reason,
		ProposeAction: paths.ResultsAction(c.ID, g.PhaseID, g.SetID, "propose"),
		ApproveAction: paths.ResultsAction(c.ID, g.PhaseID, g.SetID, "approve"),
		ReturnAction:  paths.ResultsAction(c.ID, g.PhaseID, g.SetID, "return"),
	}
	if res.ProposedAt != nil {
		v.ProposedAt = i18n.DateTime(*res.ProposedAt)
	}
	if res.DecidedAt != nil {
		v.DecidedAt = i18n.DateTime(*res.DecidedAt)
	}
	if res.PublishedAt != nil {
		v.PublishedAt = i18n.DateTime(*res.PublishedAt)
	}
	notLocked := g.Forms[domain.AssessSubmitted] + g.Forms[domain.AssessReceived] + g.Forms[domain.AssessAppraised]
	running := c.Status == domain.StatusAnnounced || c.Status == domain.StatusClosed
	if domain.CanProposeResults(u, accessOf(r)) && running && (res.Status == domain.ResultNone || res.Status == domain.ResultReturned) {
		v.CanPropose = true
		switch {
		case notLocked > 0:
			v.ProposeHint = i18n.T(ctx, "results.propose.waiting", notLocked)
		case g.Forms[domain.AssessLocked] == 0:
			v.ProposeHint = i18n.T(ctx, "results.nothing_locked")
		}
	}
	if res.Status == domain.ResultProposed {
		if domain.CanApproveResults(u, accessOf(r), res.ProposedBy) {
			v.CanDecide = true
		} else if u.Role == domain.RoleLeader {
			v.OwnProposal = true
		}
	}
	rows, err := s.db.ProposedRows(ctx, g.PhaseID, g.SetID)
	if err != nil {
		return nil, err
	}
	v.Rows = resultRowViews(ctx, rows)
	steps, err := s.db.ResultSteps(ctx, g.PhaseID, g.SetID)
	if err != nil {
		return nil, err
	}
	for _, st := range steps {
		v.Steps = append(v.Steps, web.ResultStepView{ActionKey: "results.step." + string(st.Action), Actor: st.Actor, At: i18n.DateTime(st.At), Reason: st.Reason})
	}
	forms, areas, err := s.db.GroupChartData(ctx, g.PhaseID, g.SetID)
	if err != nil {
		return nil, err
	}
	v.Charts = groupCharts(ctx, c.Bands, forms, areas)
	return v, nil
}

// resultRowViews writes a group's rows for a table.
func resultRowViews(ctx context.Context, rows []domain.ResultRow) []web.ResultRowView {
	out := make([]web.ResultRowView, 0, len(rows))
	for _, x := range rows {
		out = append(out, web.ResultRowView{Rank: x.Rank, Unit: x.UnitName, Band: x.Band, BandLabel: i18n.T(ctx, "band."+x.Band),
			Self: x.SelfConverted.String(), Appraised: x.AppraisedConverted.String(), Final: x.FinalConverted.String(),
			Diff: signedPoints(x.AppraisedConverted - x.SelfConverted)})
	}
	return out
}

// resultsAction runs a propose, approve or return and goes back to the
// group; a refusal the user can act on shows the page again with why.
func (s *Server) resultsAction(action string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		ctx := r.Context()
		u := userFrom(ctx)
		c := campaignOf(r)
		phaseID, setID, ok := groupParams(chi.URLParam(r, "phaseID"), chi.URLParam(r, "setID"))
		if !ok {
			return domain.Errorf(domain.ENOTFOUND, "results.not_found")
		}
		version, err := strconv.Atoi(r.PostFormValue("version"))
		if err != nil || version < 0 {
			return domain.Errorf(domain.EINVALID, "field.invalid")
		}
		reason := r.PostFormValue("reason")
		now := s.db.Now()
		var flash string
		switch action {
		case "propose":
			err, flash = s.db.ProposeResults(ctx, c.ID, phaseID, setID, u.ID, version, now), "results.flash.proposed"
		case "approve":
			err, flash = s.db.DecideResults(ctx, c.ID, phaseID, setID, u.ID, true, "", version, now), "results.flash.approved"
		case "return":
			err, flash = s.db.DecideResults(ctx, c.ID, phaseID, setID, u.ID, false, reason, version, now), "results.flash.returned"
		}
		if err != nil {
			return refuse(ctx, err, []string{"reason"}, func(status int, p web.Problems) error {
				return s.renderResults(w, r, c, phaseID, setID, resultsForm{status: status, problems: p, reason: reason})
			})
		}
		s.flash(ctx, flash)
		http.Redirect(w, r, paths.ResultsGroup(c.ID, phaseID, setID), http.StatusSeeOther)
		return nil
	}
}

// leaderQueue fills in a leader's home: the proposals waiting for their
// decision, and the campaigns with their results.
func (s *Server) leaderQueue(ctx context.Context, u *domain.User, v *web.DashboardView) error {
	q, err := s.db.LeaderQueue(ctx, u.ID)
	if err != nil {
		return err
	}
	l := &web.LeaderHome{}
	for _, w := range q.Waiting {
		l.Waiting = append(l.Waiting, web.WaitingResultRow{Campaign: w.Campaign, Group: w.Phase + " · " + w.Set,
			Proposed: i18n.T(ctx, "leader.proposed_by", w.ProposedBy, i18n.DateTime(w.ProposedAt)), Units: w.Units,
			Href: paths.ResultsGroup(w.CampaignID, w.PhaseID, w.SetID) + "#approval"})
	}
	sessions, err := s.db.SessionsToVote(ctx, u.ID)
	if err != nil {
		return err
	}
	for _, w := range sessions {
		when := i18n.Day(w.HeldOn)
		if w.Place != "" {
			when += " · " + w.Place
		}
		l.Sessions = append(l.Sessions, web.WaitingSessionRow{Council: w.CouncilName, Campaign: w.CampaignTitle, When: when,
			Nominees: w.Nominees, Href: paths.Ballot(w.CouncilID, w.SessionID)})
	}
	decisions, err := s.db.DecisionsToSign(ctx, u.ID)
	if err != nil {
		return err
	}
	for _, d := range decisions {
		l.Decisions = append(l.Decisions, web.WaitingDecisionRow{Title: d.Title, Issuer: d.Issuer.Name,
			Drafted: i18n.T(ctx, "leader.proposed_by", d.DraftedByName, i18n.DateTime(d.DraftedAt)), Href: paths.Decision(d.ID)})
	}
	for _, w := range q.Shortlists {
		l.Shortlists = append(l.Shortlists, web.WaitingShortlistRow{Campaign: w.Campaign, List: w.Phase + " · " + w.Form, Listed: w.Listed,
			Updated: i18n.DateTime(w.UpdatedAt), Href: paths.ShortlistOf(w.CampaignID, w.PhaseID, w.PlanID) + paths.Fragment("proposal")})
	}
	for _, c := range q.Campaigns {
		row := web.LeaderCampaignRow{Title: c.Title, Plan: c.Plan, Status: c.Status, StatusKey: statusKey(domain.CampaignStatus(c.Status)),
			Progress:    i18n.T(ctx, "leader.groups", c.Published, c.Groups),
			PublicHref:  paths.PublicCampaign(c.ID),
			ResultsHref: paths.Results(c.ID), ShortlistHref: paths.Shortlist(c.ID)}
		if c.Published > 0 {
			row.PublishedHref = paths.PublicResults(c.ID)
		}
		l.Campaigns = append(l.Campaigns, row)
	}
	href := "#waiting-results"
	if len(l.Waiting) == 1 {
		href = l.Waiting[0].Href
	}
	lists := "#waiting-shortlists"
	if len(l.Shortlists) == 1 {
		lists = l.Shortlists[0].Href
	}
	votes := "#waiting-sessions"
	if len(l.Sessions) == 1 {
		votes = l.Sessions[0].Href
	}
	signs := "#waiting-decisions"
	if len(l.Decisions) == 1 {
		signs = l.Decisions[0].Href
	}
	v.Queue = []web.QueueCount{{Name: "waiting-decisions", LabelKey: "leader.decisions.count", Count: len(l.Decisions), Href: signs, Warn: true},
		{Name: "waiting-sessions", LabelKey: "leader.sessions.count", Count: len(l.Sessions), Href: votes, Warn: true},
		{Name: "waiting-results", LabelKey: "leader.waiting.count", Count: len(l.Waiting), Href: href, Warn: true},
		{Name: "waiting-shortlists", LabelKey: "leader.shortlists.count", Count: len(l.Shortlists), Href: lists, Warn: true}}
	v.Leader = l
	return nil
}
