package server

import (
	"context"
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

// teamPhase reads the phase of the team page from ?phase= (or the form's
// phase_id): one of the campaign's phases, the first one by default.
func (s *Server) teamPhase(r *http.Request, value string) (*domain.Phase, []domain.Phase, error) {
	phases, err := s.db.Phases(r.Context(), campaignOf(r).ID)
	if err != nil {
		return nil, nil, err
	}
	if len(phases) == 0 {
		return nil, nil, nil
	}
	if value == "" {
		return &phases[0], phases, nil
	}
	id, err := strconv.ParseInt(value, 10, 64)
	if err != nil {
		return nil, nil, domain.Errorf(domain.ENOTFOUND, "phase.not_found")
	}
	for i := range phases {
		if phases[i].ID == id {
			return &phases[i], phases, nil
		}
	}
	return nil, nil, domain.Errorf(domain.ENOTFOUND, "phase.not_found")
}

// teamState is what re-showing the team page needs besides the stored data.
type teamState struct {
	problems web.Problems
	result   *postgres.AssignResult
	member   web.TeamMemberForm
	assign   web.AssignForm
}

// appraisalTeam is the staff page of a campaign's appraisal team for one
// phase: its members, the participants with their appraisers, and the
// forms that add members and assign them.
func (s *Server) appraisalTeam(w http.ResponseWriter, r *http.Request) error {
	phase, phases, err := s.teamPhase(r, r.URL.Query().Get("phase"))
	if err != nil {
		return err
	}
	return s.renderTeam(w, r, http.StatusOK, phase, phases, teamState{})
}

func (s *Server) renderTeam(w http.ResponseWriter, r *http.Request, status int, phase *domain.Phase, phases []domain.Phase, st teamState) error {
	ctx := r.Context()
	c := campaignOf(r)
	v := web.TeamView{CampaignID: c.ID, Campaign: c.Title, Action: paths.AppraisalTeam(c.ID), Member: st.member, Assign: st.assign, Problems: st.problems}
	if phase == nil {
		s.render(w, r, status, web.AppraisalTeam(s.chrome(r, i18n.T(ctx, "team.title")), v))
		return nil
	}
	v.PhaseID, v.PhaseName, v.PhaseDates = phase.ID, phase.Name, period(phase.Start, phase.End)
	for _, p := range phases {
		v.Phases = append(v.Phases, web.Option{Value: strconv.FormatInt(p.ID, 10), Label: p.Name, Selected: p.ID == phase.ID})
	}
	members, err := s.db.Members(ctx, c.ID, domain.MemberAppraiser)
	if err != nil {
		return err
	}
	for _, m := range members {
		row := web.TeamMemberRow{ID: m.ID, Name: m.FullName, Email: m.Email, Role: i18n.T(ctx, "role."+string(m.UserRole)), Unit: m.UnitName,
			Phase: m.PhaseName}
		if m.PhaseID == nil {
			row.Phase = i18n.T(ctx, "team.all_phases")
		}
		v.Members = append(v.Members, row)
		if m.Covers(phase.ID) {
			v.Appraisers = append(v.Appraisers, web.Option{Value: strconv.FormatInt(m.UserID, 10), Label: m.FullName + " — " + unitOrRole(ctx, m),
				Selected: st.assign.AppraiserID == strconv.FormatInt(m.UserID, 10)})
		}
	}
	users, err := s.db.ListUsers(ctx)
	if err != nil {
		return err
	}
	for _, u := range users {
		if u.Disabled() {
			continue
		}
		label := u.FullName + " (" + i18n.T(ctx, "role."+string(u.Role))
		if u.UnitName != "" {
			label += ", " + u.UnitName
		}
		id := strconv.FormatInt(u.ID, 10)
		v.Users = append(v.Users, web.Option{Value: id, Label: label + ")", Selected: st.member.UserID == id})
	}
	parts, err := s.db.Participants(ctx, c.ID, phase.ID)
	if err != nil {
		return err
	}
	for _, p := range parts {
		row := web.ParticipantRow{AssessmentID: p.AssessmentID, Unit: p.UnitName, Set: p.SetName, Status: i18n.T(ctx, "assessment.status."+string(p.Status))}
		for _, a := range p.Appraisers {
			if a.RecusedAt == nil {
				row.Appraisers = append(row.Appraisers, a.FullName)
			} else {
				row.Recused = append(row.Recused, i18n.T(ctx, "team.recused_line", a.FullName, i18n.DateTime(*a.RecusedAt), a.RecusalReason))
			}
		}
		v.Participants = append(v.Participants, row)
		id := strconv.FormatInt(p.AssessmentID, 10)
		v.ParticipantOptions = append(v.ParticipantOptions, web.Option{Value: id, Label: p.UnitName + " — " + p.SetName, Selected: st.assign.AssessmentID == id})
	}
	units, err := s.subtreeOptions(ctx, phase, parts, st.assign.UnitID)
	if err != nil {
		return err
	}
	v.Units = units
	if res := st.result; res != nil {
		rv := &web.AssignResultView{Assigned: len(res.Assigned), Already: len(res.Already)}
		for _, f := range res.Refused {
			rv.Refused = append(rv.Refused, web.RefusedRow{Unit: f.UnitName, Reason: refusalText(ctx, f)})
		}
		v.Result = rv
	}
	s.render(w, r, status, web.AppraisalTeam(s.chrome(r, i18n.T(ctx, "team.title")), v))
	return nil
}

func unitOrRole(ctx context.Context, m postgres.Member) string {
	if m.UnitName != "" {
		return m.UnitName
	}
	return i18n.T(ctx, "role."+string(m.UserRole))
}

// subtreeOptions lists the units a batch assignment may start from: every
// participant's unit and its ancestors in the tree as of the phase's last
// day, in tree order, indented by depth.
func (s *Server) subtreeOptions(ctx context.Context, phase *domain.Phase, parts []postgres.Participant, selected string) ([]web.Option, error) {
	if len(parts) == 0 {
		return nil, nil
	}
	units, err := s.db.UnitsOn(ctx, phase.End)
	if err != nil {
		return nil, err
	}
	byID := map[int64]postgres.Unit{}
	for _, u := range units {
		byID[u.ID] = u
	}
	keep := map[int64]bool{}
	for _, p := range parts {
		for id, seen := p.UnitID, 0; id != 0 && !keep[id] && seen < 64; seen++ {
			keep[id] = true
			u, ok := byID[id]
			if !ok || u.ParentID == nil {
				break
			}
			id = *u.ParentID
		}
	}
	children := map[int64][]postgres.Unit{} // 0: roots
	for _, u := range units {
		if !keep[u.ID] {
			continue
		}
		parent := int64(0)
		if u.ParentID != nil && keep[*u.ParentID] {
			parent = *u.ParentID
		}
		children[parent] = append(children[parent], u)
	}
	var out []web.Option
	var walk func(parent int64, depth int)
	walk = func(parent int64, depth int) {
		list := children[parent]
		for _, u := range list {
			id := strconv.FormatInt(u.ID, 10)
			out = append(out, web.Option{Value: id, Label: strings.Repeat("  ", depth) + u.Name, Selected: selected == id})
			if depth < 64 {
				walk(u.ID, depth+1)
			}
		}
	}
	walk(0, 0)
	return out, nil
}

// refusalText says in the user's language why a participant was left out.
func refusalText(ctx context.Context, f postgres.Refusal) string {
	if f.Conflict == nil {
		return i18n.T(ctx, f.Reason)
	}
	return conflictText(ctx, *f.Conflict)
}

// conflictText explains a conflict of interest: how the appraiser's unit
// was tied to the participant, on which day, and through which merger.
func conflictText(ctx context.Context, c domain.Conflict) string {
	var text string
	switch {
	case c.Kind == domain.ConflictSelf && c.Lineage:
		return i18n.T(ctx, "team.conflict.self_lineage", c.AppraiserUnitName, c.ParticipantName)
	case c.Kind == domain.ConflictSelf:
		return i18n.T(ctx, "team.conflict.self", c.ParticipantName)
	case c.Kind == domain.ConflictAncestor:
		text = i18n.T(ctx, "team.conflict.ancestor", i18n.Day(c.Day), c.UnitName, c.ParticipantName)
	default:
		text = i18n.T(ctx, "team.conflict.descendant", i18n.Day(c.Day), c.UnitName, c.ParticipantName)
	}
	if c.Lineage {
		text += " " + i18n.T(ctx, "team.conflict.via", c.AppraiserUnitName, c.UnitName)
	}
	return text
}

// addTeamMember puts a user on the campaign's appraisal team for one phase
// or all.
func (s *Server) addTeamMember(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c := campaignOf(r)
	f := web.TeamMemberForm{UserID: r.PostFormValue("user_id"), Phase: r.PostFormValue("phase_scope")}
	phase, phases, err := s.teamPhase(r, r.PostFormValue("phase_id"))
	if err != nil {
		return err
	}
	show := func(status int, p web.Problems) error {
		return s.renderTeam(w, r, status, phase, phases, teamState{problems: p, member: f})
	}
	if phase == nil {
		return domain.Errorf(domain.ENOTFOUND, "phase.not_found")
	}
	var p web.Problems
	user, err := strconv.ParseInt(f.UserID, 10, 64)
	if err != nil {
		fieldProblem(ctx, &p, "user_id", "member.user.invalid")
		return show(http.StatusUnprocessableEntity, p)
	}
	scope := &phase.ID
	if f.Phase == "all" {
		scope = nil
	}
	if _, err := s.db.AddMember(ctx, c.ID, scope, user, domain.MemberAppraiser); err != nil {
		return refuse(ctx, err, []string{"user_id", "phase_id"}, show)
	}
	s.flash(ctx, "team.flash.added")
	http.Redirect(w, r, teamPath(c.ID, phase), http.StatusSeeOther)
	return nil
}

// removeTeamMember takes a member off the team.
func (s *Server) removeTeamMember(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c := campaignOf(r)
	id, err := strconv.ParseInt(chi.URLParam(r, "memberID"), 10, 64)
	if err != nil {
		return domain.Errorf(domain.ENOTFOUND, "member.not_found")
	}
	phase, _, err := s.teamPhase(r, r.PostFormValue("phase_id"))
	if err != nil {
		return err
	}
	if err := s.db.RemoveMember(ctx, c.ID, id); err != nil {
		return err
	}
	s.flash(ctx, "team.flash.removed")
	http.Redirect(w, r, teamPath(c.ID, phase), http.StatusSeeOther)
	return nil
}

func teamPath(campaignID int64, phase *domain.Phase) string {
	if phase != nil {
		return paths.AppraisalTeamPhase(campaignID, phase.ID)
	}
	return paths.AppraisalTeam(campaignID)
}

// assignAppraiser assigns a team member to one participant, or to every
// participant of a part of the unit tree. Participants in conflict of
// interest are refused and listed with the reason; the others are
// assigned. The page shows the outcome (assigning again changes nothing).
func (s *Server) assignAppraiser(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c := campaignOf(r)
	f := web.AssignForm{AppraiserID: r.PostFormValue("appraiser_id"), AssessmentID: strings.TrimSpace(r.PostFormValue("assessment_id")),
		UnitID: strings.TrimSpace(r.PostFormValue("unit_id"))}
	phase, phases, err := s.teamPhase(r, r.PostFormValue("phase_id"))
	if err != nil {
		return err
	}
	if phase == nil {
		return domain.Errorf(domain.ENOTFOUND, "phase.not_found")
	}
	fields := []string{"appraiser_id", "assessment_id", "unit_id"}
	show := func(status int, p web.Problems) error {
		return s.renderTeam(w, r, status, phase, phases, teamState{problems: p, assign: f})
	}
	var p web.Problems
	appraiser, err := strconv.ParseInt(f.AppraiserID, 10, 64)
	if err != nil {
		fieldProblem(ctx, &p, "appraiser_id", "team.appraiser.required")
	}
	var one, unit int64
	switch {
	case (f.AssessmentID == "") == (f.UnitID == ""):
		fieldProblem(ctx, &p, "assessment_id", "team.target.one")
	case f.AssessmentID != "":
		if one, err = strconv.ParseInt(f.AssessmentID, 10, 64); err != nil {
			fieldProblem(ctx, &p, "assessment_id", "field.invalid")
		}
	default:
		if unit, err = strconv.ParseInt(f.UnitID, 10, 64); err != nil {
			fieldProblem(ctx, &p, "unit_id", "field.invalid")
		}
	}
	if p.Any() {
		p.Order(fields...)
		return show(http.StatusUnprocessableEntity, p)
	}
	var res postgres.AssignResult
	if one != 0 {
		res, err = s.db.Assign(ctx, c.ID, phase.ID, appraiser, []int64{one})
	} else {
		res, err = s.db.AssignSubtree(ctx, c.ID, phase.ID, appraiser, unit)
	}
	if err != nil {
		return refuse(ctx, err, fields, show)
	}
	status := http.StatusOK
	if len(res.Assigned)+len(res.Already) == 0 {
		status = http.StatusUnprocessableEntity // everything asked for was refused
	}
	return s.renderTeam(w, r, status, phase, phases, teamState{result: &res, assign: f})
}

// assignedForm loads {assessmentID} for its appraiser: a form of this
// campaign assigned to the signed-in user, that they may still appraise
// (domain.CanAppraise). Any other form is the 404 of a missing one.
func (s *Server) assignedForm(r *http.Request) (*postgres.AssignedForm, error) {
	ctx := r.Context()
	c := campaignOf(r)
	u := userFrom(ctx)
	id, err := strconv.ParseInt(chi.URLParam(r, "assessmentID"), 10, 64)
	if err != nil || id <= 0 {
		return nil, domain.Errorf(domain.ENOTFOUND, "assessment.not_found")
	}
	asg, err := s.db.AssignmentOf(ctx, c.ID, id, u.ID)
	if err != nil {
		return nil, err
	}
	if !domain.CanAppraise(u, accessOf(r), asg) {
		return nil, domain.Errorf(domain.ENOTFOUND, "appraisal.assignment.not_found")
	}
	forms, err := s.db.AssignedAssessments(ctx, c.ID, u.ID)
	if err != nil {
		return nil, err
	}
	for i := range forms {
		if forms[i].AssessmentID == id {
			return &forms[i], nil
		}
	}
	return nil, domain.Errorf(domain.ENOTFOUND, "appraisal.assignment.not_found")
}

// recusePage shows the recusal form of one assigned participant.
func (s *Server) recusePage(w http.ResponseWriter, r *http.Request) error {
	f, err := s.assignedForm(r)
	if err != nil {
		return err
	}
	return s.renderRecuse(w, r, http.StatusOK, f, "", web.Problems{})
}

func (s *Server) renderRecuse(w http.ResponseWriter, r *http.Request, status int, f *postgres.AssignedForm, reason string, problems web.Problems) error {
	ctx := r.Context()
	c := campaignOf(r)
	v := web.RecuseView{CampaignID: c.ID, Campaign: c.Title, Unit: f.UnitName, Phase: f.PhaseName, Set: f.SetName, Reason: reason, Problems: problems,
		Action: paths.Recuse(c.ID, f.AssessmentID)}
	s.render(w, r, status, web.Recuse(s.chrome(r, i18n.T(ctx, "recuse.title")), v))
	return nil
}

// recuse records the signed-in appraiser's withdrawal from one participant
// with its reason.
func (s *Server) recuse(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c := campaignOf(r)
	f, err := s.assignedForm(r)
	if err != nil {
		return err
	}
	reason := r.PostFormValue("reason")
	if err := s.db.Recuse(ctx, c.ID, f.AssessmentID, userFrom(ctx).ID, reason); err != nil {
		return refuse(ctx, err, []string{"reason"}, func(status int, p web.Problems) error {
			return s.renderRecuse(w, r, status, f, reason, p)
		})
	}
	s.flash(ctx, "recuse.flash.done")
	http.Redirect(w, r, paths.Appraisal(c.ID), http.StatusSeeOther)
	return nil
}
