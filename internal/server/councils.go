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

// The councils (issue 12, part "vote"): the list with the form that sets
// one up and the vote rules' editor; a council's page with its members
// over dates and its sessions. Staff manage; leaders read; a member of a
// council, whatever their role, reads their own council.

// canSeeCouncils reports whether u may open the councils page: staff,
// leaders, and anyone who is or was a member of a council.
func (s *Server) canSeeCouncils(ctx context.Context, u *domain.User) (bool, error) {
	if domain.CanSeeCouncil(u, false) {
		return true, nil
	}
	if u == nil {
		return false, nil
	}
	list, err := s.db.Councils(ctx, u.ID, false, s.today())
	return len(list) > 0, err
}

// councilGate lets through to a council's routes those who may see the
// council (domain.CanSeeCouncil): anyone else gets 403, whether or not the
// council exists.
func (s *Server) councilGate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		u := userFrom(ctx)
		member := false
		if !domain.CanSeeCouncil(u, false) && u != nil {
			if id, err := strconv.ParseInt(chi.URLParam(r, "councilID"), 10, 64); err == nil && id > 0 {
				ok, err := s.db.IsCouncilMember(ctx, id, u.ID)
				if err != nil {
					s.fail(w, r, err)
					return
				}
				member = ok
			}
		}
		if !domain.CanSeeCouncil(u, member) {
			s.fail(w, r, domain.Errorf(domain.EFORBIDDEN, "error.forbidden"))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// councilOf loads the route's council (404 when missing).
func (s *Server) councilOf(r *http.Request) (*postgres.CouncilInfo, error) {
	id, err := pathID(r, "councilID", "councils.not_found")
	if err != nil {
		return nil, err
	}
	return s.db.CouncilByID(r.Context(), id, s.today())
}

// optionalID reads an optional record number from a form: nil when empty.
func optionalID(v string) (*int64, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil, true
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 {
		return nil, false
	}
	return &n, true
}

// councilDay reads an optional date field: nil when empty, false when
// it is not a date.
func councilDay(v string) (*time.Time, bool) {
	if strings.TrimSpace(v) == "" {
		return nil, true
	}
	d, ok := domain.ParseDate(v)
	if !ok {
		return nil, false
	}
	return &d, true
}

func choiceOptions(list []postgres.Choice) []web.Option {
	out := make([]web.Option, len(list))
	for i, c := range list {
		out[i] = web.Option{Value: strconv.FormatInt(c.ID, 10), Label: c.Name}
	}
	return out
}

// ruleDays writes a rule's days in force ("…" for an open end).
func ruleDay(t *time.Time) string {
	if t == nil {
		return "…"
	}
	return i18n.Day(*t)
}

// councilsView builds the councils page.
func (s *Server) councilsView(r *http.Request) (web.CouncilsView, error) {
	ctx := r.Context()
	u := userFrom(ctx)
	v := web.CouncilsView{CanManage: domain.CanManageCouncils(u), Key: newIdempotencyKey()}
	list, err := s.db.Councils(ctx, u.ID, domain.CanSeeCouncil(u, false), s.today())
	if err != nil {
		return v, err
	}
	for _, k := range list {
		campaign := i18n.T(ctx, "councils.standing")
		if k.CampaignID != nil {
			campaign = k.CampaignTitle
		}
		v.Councils = append(v.Councils, web.CouncilRow{Href: paths.Council(k.ID), Name: k.Name, Campaign: campaign, Issuer: k.IssuerName,
			Members: k.Members, Sessions: k.Sessions})
	}
	rules, err := s.db.VoteRules(ctx)
	if err != nil {
		return v, err
	}
	for _, rl := range rules {
		v.Rules = append(v.Rules, web.VoteRuleRow{ID: rl.ID, Form: rl.FormName, Basis: i18n.T(ctx, "voterule.basis.of."+string(rl.Basis)),
			Share: rl.Share.String(), Quorum: rl.Quorum.String(), Citation: rl.Citation, From: ruleDay(rl.InForceFrom), To: ruleDay(rl.InForceTo),
			Open: rl.InForceTo == nil, EndAction: paths.VoteRuleEnd(rl.ID)})
	}
	if v.CanManage {
		campaigns, err := s.db.CouncilCampaignChoices(ctx)
		if err != nil {
			return v, err
		}
		v.Campaigns = choiceOptions(campaigns)
		issuers, err := s.db.CouncilIssuerChoices(ctx)
		if err != nil {
			return v, err
		}
		v.Issuers = choiceOptions(issuers)
		forms, err := s.db.AwardForms(ctx)
		if err != nil {
			return v, err
		}
		for _, f := range forms {
			v.Forms = append(v.Forms, web.Option{Value: strconv.FormatInt(f.ID, 10), Label: f.Name})
		}
		v.Rule.Basis = "total"
	}
	return v, nil
}

func (s *Server) renderCouncils(w http.ResponseWriter, r *http.Request, status int, adjust func(*web.CouncilsView)) error {
	v, err := s.councilsView(r)
	if err != nil {
		return err
	}
	if adjust != nil {
		adjust(&v)
	}
	s.render(w, r, status, web.Councils(s.chrome(r, i18n.T(r.Context(), "councils.title")), v))
	return nil
}

// councilsPage lists the councils the user may see.
func (s *Server) councilsPage(w http.ResponseWriter, r *http.Request) error {
	ok, err := s.canSeeCouncils(r.Context(), userFrom(r.Context()))
	if err != nil {
		return err
	}
	if !ok {
		return domain.Errorf(domain.EFORBIDDEN, "error.forbidden")
	}
	return s.renderCouncils(w, r, http.StatusOK, nil)
}

// createCouncil sets up a council (staff).
func (s *Server) createCouncil(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	in := domain.CouncilInput{Name: r.PostFormValue("name")}
	var p web.Problems
	var ok bool
	if in.CampaignID, ok = optionalID(r.PostFormValue("campaign")); !ok {
		fieldProblem(ctx, &p, "campaign", "field.invalid")
	}
	if in.IssuerID, ok = optionalID(r.PostFormValue("issuer")); !ok {
		fieldProblem(ctx, &p, "issuer", "field.invalid")
	}
	show := func(status int, p web.Problems) error {
		return s.renderCouncils(w, r, status, func(v *web.CouncilsView) {
			v.Problems, v.Name, v.Campaign, v.Issuer = p, r.PostFormValue("name"), r.PostFormValue("campaign"), r.PostFormValue("issuer")
			v.Key = r.PostFormValue("form_key")
		})
	}
	if p.Any() {
		return show(http.StatusUnprocessableEntity, p)
	}
	key := r.PostFormValue("form_key")
	if len(key) < 16 || len(key) > 64 {
		key = ""
	}
	id, err := s.db.CreateCouncil(ctx, in, key)
	if err != nil {
		return refuse(ctx, err, []string{"name", "campaign", "issuer"}, show)
	}
	s.flash(ctx, "councils.flash.created")
	http.Redirect(w, r, paths.Council(id), http.StatusSeeOther)
	return nil
}

// addVoteRule records a vote rule (staff).
func (s *Server) addVoteRule(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	typed := web.VoteRuleForm{Form: r.PostFormValue("award_form"), Basis: r.PostFormValue("basis"), Share: r.PostFormValue("share"),
		Quorum: r.PostFormValue("quorum"), Citation: r.PostFormValue("citation"), From: r.PostFormValue("in_force_from"), To: r.PostFormValue("in_force_to")}
	in := domain.VoteRuleInput{Basis: domain.VoteBasis(typed.Basis), Citation: typed.Citation}
	var p web.Problems
	form, ok := optionalID(typed.Form)
	if !ok {
		fieldProblem(ctx, &p, "award_form", "field.invalid")
	} else if form != nil {
		in.AwardFormID = *form
	}
	if in.Share, ok = domain.ParsePercent(typed.Share); !ok {
		fieldProblem(ctx, &p, "share", "voterule.share.invalid")
	}
	if in.Quorum, ok = domain.ParsePercent(typed.Quorum); !ok {
		fieldProblem(ctx, &p, "quorum", "voterule.quorum.invalid")
	}
	if in.From, ok = councilDay(typed.From); !ok {
		fieldProblem(ctx, &p, "in_force_from", "date.out_of_range")
	}
	if in.To, ok = councilDay(typed.To); !ok {
		fieldProblem(ctx, &p, "in_force_to", "date.out_of_range")
	}
	fields := []string{"award_form", "basis", "share", "quorum", "citation", "in_force_from", "in_force_to"}
	show := func(status int, p web.Problems) error {
		return s.renderCouncils(w, r, status, func(v *web.CouncilsView) { v.RuleProblems, v.Rule = p, typed })
	}
	if p.Any() {
		p.Order(fields...)
		return show(http.StatusUnprocessableEntity, p)
	}
	if _, err := s.db.AddVoteRule(ctx, in); err != nil {
		return refuse(ctx, err, fields, show)
	}
	s.flash(ctx, "voterule.flash.added")
	http.Redirect(w, r, paths.Councils()+paths.Fragment("rules"), http.StatusSeeOther)
	return nil
}

// endVoteRule ends a rule on its last day (staff).
func (s *Server) endVoteRule(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := pathID(r, "ruleID", "voterule.not_found")
	if err != nil {
		return err
	}
	typed := r.PostFormValue("in_force_to")
	field := "in_force_to-" + strconv.FormatInt(id, 10)
	show := func(status int, p web.Problems) error {
		p.Rename("in_force_to", field)
		return s.renderCouncils(w, r, status, func(v *web.CouncilsView) {
			v.RuleProblems = p
			for i := range v.Rules {
				if v.Rules[i].ID == id {
					v.Rules[i].EndTo, v.Rules[i].EndProblem = typed, p.Of(field)
				}
			}
		})
	}
	last, ok := domain.ParseDate(typed)
	if !ok {
		var p web.Problems
		fieldProblem(ctx, &p, "in_force_to", "date.out_of_range")
		return show(http.StatusUnprocessableEntity, p)
	}
	if err := s.db.EndVoteRule(ctx, id, last); err != nil {
		return refuse(ctx, err, []string{"in_force_to"}, show)
	}
	s.flash(ctx, "voterule.flash.ended")
	http.Redirect(w, r, paths.Councils()+paths.Fragment("rules"), http.StatusSeeOther)
	return nil
}

// councilView builds a council's page.
func (s *Server) councilView(r *http.Request, k *postgres.CouncilInfo) (web.CouncilView, error) {
	ctx := r.Context()
	u := userFrom(ctx)
	today := s.today()
	v := web.CouncilView{ID: k.ID, Name: k.Name, Campaign: i18n.T(ctx, "councils.standing"), Issuer: k.IssuerName, CanManage: domain.CanManageCouncils(u)}
	if k.CampaignID != nil {
		v.Campaign = k.CampaignTitle
	}
	members, err := s.db.CouncilMembers(ctx, k.ID)
	if err != nil {
		return v, err
	}
	for _, m := range members {
		row := web.MemberRow{ID: m.ID, Name: m.UserName, RoleKey: "council.role." + string(m.Role), Position: m.Position, From: i18n.Day(m.From),
			To: ruleDay(m.To), Reason: m.EndReason, Current: m.To == nil || !m.To.Before(today), EndAction: paths.CouncilMemberEnd(k.ID, m.ID)}
		if m.To != nil {
			row.Current = false
		}
		v.Members = append(v.Members, row)
	}
	sessions, err := s.db.CouncilSessions(ctx, k.ID)
	if err != nil {
		return v, err
	}
	for _, ss := range sessions {
		v.Sessions = append(v.Sessions, web.SessionRow{Href: paths.Session(k.ID, ss.ID), HeldOn: i18n.Day(ss.HeldOn), Place: ss.Place,
			Campaign: ss.CampaignTitle, StatusKey: string(ss.Status), Nominees: ss.Nominees, Voted: ss.Voted})
	}
	if v.CanManage {
		users, err := s.db.CouncilUserChoices(ctx)
		if err != nil {
			return v, err
		}
		v.Users = choiceOptions(users)
		for _, role := range domain.CouncilRoles {
			v.Roles = append(v.Roles, web.Option{Value: string(role), Label: i18n.T(ctx, "council.role."+string(role))})
		}
		v.Member = web.MemberForm{Role: string(domain.CouncilOrdinary), From: isoDay(today)}
		if k.CampaignID != nil {
			v.Campaigns = []web.Option{{Value: strconv.FormatInt(*k.CampaignID, 10), Label: k.CampaignTitle}}
			v.Session.Campaign = strconv.FormatInt(*k.CampaignID, 10)
		} else {
			campaigns, err := s.db.CouncilCampaignChoices(ctx)
			if err != nil {
				return v, err
			}
			v.Campaigns = choiceOptions(campaigns)
		}
		v.Session.Key = newIdempotencyKey()
		v.Session.HeldOn = isoDay(today)
		v.Session.StartsAt = "08:00"
	}
	return v, nil
}

func (s *Server) renderCouncil(w http.ResponseWriter, r *http.Request, status int, k *postgres.CouncilInfo, adjust func(*web.CouncilView)) error {
	v, err := s.councilView(r, k)
	if err != nil {
		return err
	}
	if adjust != nil {
		adjust(&v)
	}
	s.render(w, r, status, web.Council(s.chrome(r, k.Name), v))
	return nil
}

// councilPage shows a council.
func (s *Server) councilPage(w http.ResponseWriter, r *http.Request) error {
	k, err := s.councilOf(r)
	if err != nil {
		return err
	}
	return s.renderCouncil(w, r, http.StatusOK, k, nil)
}

// addCouncilMember puts a user on the council (staff).
func (s *Server) addCouncilMember(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	k, err := s.councilOf(r)
	if err != nil {
		return err
	}
	typed := web.MemberForm{User: r.PostFormValue("user"), Role: r.PostFormValue("role"), Position: r.PostFormValue("position"),
		From: r.PostFormValue("valid_from"), To: r.PostFormValue("valid_to")}
	in := domain.MemberInput{Role: domain.CouncilRole(typed.Role), Position: typed.Position}
	var p web.Problems
	if id, ok := optionalID(typed.User); !ok {
		fieldProblem(ctx, &p, "user", "field.invalid")
	} else if id != nil {
		in.UserID = *id
	}
	if strings.TrimSpace(typed.From) != "" {
		d, ok := domain.ParseDate(typed.From)
		if !ok {
			fieldProblem(ctx, &p, "valid_from", "date.out_of_range")
		}
		in.From = d
	}
	var ok bool
	if in.To, ok = councilDay(typed.To); !ok {
		fieldProblem(ctx, &p, "valid_to", "date.out_of_range")
	}
	fields := []string{"user", "role", "position", "valid_from", "valid_to"}
	show := func(status int, p web.Problems) error {
		return s.renderCouncil(w, r, status, k, func(v *web.CouncilView) { v.MemberProblems, v.Member = p, typed })
	}
	if p.Any() {
		p.Order(fields...)
		return show(http.StatusUnprocessableEntity, p)
	}
	if _, err := s.db.AddCouncilMember(ctx, k.ID, in); err != nil {
		return refuse(ctx, err, fields, show)
	}
	s.flash(ctx, "councils.flash.member_added")
	http.Redirect(w, r, paths.Council(k.ID)+paths.Fragment("members"), http.StatusSeeOther)
	return nil
}

// endCouncilMember ends a membership with a reason (staff).
func (s *Server) endCouncilMember(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	k, err := s.councilOf(r)
	if err != nil {
		return err
	}
	memberID, err := pathID(r, "memberID", "councils.member.not_found")
	if err != nil {
		return err
	}
	typedTo, typedReason := r.PostFormValue("valid_to"), r.PostFormValue("reason")
	end := domain.MemberEnd{Reason: typedReason}
	show := func(status int, p web.Problems) error {
		p.Rename("valid_to", memberFieldID("valid_to", memberID))
		p.Rename("reason", memberFieldID("reason", memberID))
		return s.renderCouncil(w, r, status, k, func(v *web.CouncilView) {
			for i := range v.Members {
				if m := &v.Members[i]; m.ID == memberID {
					m.EndProblems, m.EndTo, m.EndReason = p, typedTo, typedReason
				}
			}
		})
	}
	var p web.Problems
	if strings.TrimSpace(typedTo) != "" {
		d, ok := domain.ParseDate(typedTo)
		if !ok {
			fieldProblem(ctx, &p, "valid_to", "date.out_of_range")
		}
		end.To = d
	}
	if p.Any() {
		return show(http.StatusUnprocessableEntity, p)
	}
	if err := s.db.EndCouncilMember(ctx, k.ID, memberID, end); err != nil {
		return refuse(ctx, err, []string{"valid_to", "reason"}, show)
	}
	s.flash(ctx, "councils.flash.member_ended")
	http.Redirect(w, r, paths.Council(k.ID)+paths.Fragment("members"), http.StatusSeeOther)
	return nil
}

func memberFieldID(field string, id int64) string { return field + "-" + strconv.FormatInt(id, 10) }

// createSession sets up a session of the council (staff).
func (s *Server) createSession(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	k, err := s.councilOf(r)
	if err != nil {
		return err
	}
	typed := web.SessionForm{Campaign: r.PostFormValue("campaign"), HeldOn: r.PostFormValue("held_on"), StartsAt: r.PostFormValue("starts_at"),
		Place: r.PostFormValue("place"), Key: r.PostFormValue("form_key")}
	in := domain.SessionInput{StartsAt: typed.StartsAt, Place: typed.Place}
	var p web.Problems
	if id, ok := optionalID(typed.Campaign); !ok {
		fieldProblem(ctx, &p, "campaign", "field.invalid")
	} else if id != nil {
		in.CampaignID = *id
	}
	if strings.TrimSpace(typed.HeldOn) != "" {
		d, ok := domain.ParseDate(typed.HeldOn)
		if !ok {
			fieldProblem(ctx, &p, "held_on", "date.out_of_range")
		}
		in.HeldOn = d
	}
	fields := []string{"campaign", "held_on", "starts_at", "place"}
	show := func(status int, p web.Problems) error {
		return s.renderCouncil(w, r, status, k, func(v *web.CouncilView) { v.SessionProblems, v.Session = p, typed })
	}
	if p.Any() {
		p.Order(fields...)
		return show(http.StatusUnprocessableEntity, p)
	}
	key := typed.Key
	if len(key) < 16 || len(key) > 64 {
		key = ""
	}
	id, err := s.db.CreateSession(ctx, k.ID, in, key)
	if err != nil {
		return refuse(ctx, err, fields, show)
	}
	s.flash(ctx, "csession.flash.created")
	http.Redirect(w, r, paths.Session(k.ID, id), http.StatusSeeOther)
	return nil
}
