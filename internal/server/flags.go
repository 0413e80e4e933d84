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
	"thidua/web"
)

// historyOf fills a unit's or a person's page with its pending flags (for
// those who may see them: staff, leaders, the unit's own focal point; unitID
// is the unit whose focal point may, nil for none) and the number of awards
// of its achievement history. form and lift are the flag forms as typed,
// after a refusal.
func (s *Server) historyOf(ctx context.Context, subj domain.Subject, unitID *int64, form web.FlagForm, lift web.FlagLiftForm,
	flags *web.FlagsView, awards *int) error {
	list, err := s.db.AchievementsOf(ctx, subj)
	if err != nil {
		return err
	}
	*awards = len(list)
	u := userFrom(ctx)
	seen := domain.HasRole(u, domain.RoleStaff, domain.RoleLeader)
	if unitID != nil {
		seen = domain.CanSeeFlags(u, *unitID)
	}
	if !seen {
		*flags = web.FlagsView{}
		return nil
	}
	records, err := s.db.FlagRecords(ctx, subj)
	if err != nil {
		return err
	}
	today := s.today()
	v := web.FlagsView{Show: true, CanSet: domain.CanSetFlags(u), Action: paths.SubjectFlags(subj.UnitID, subj.PersonID),
		Form: form, Lift: lift, LiftToday: isoDay(today)}
	if v.Form.Key == "" {
		v.Form.Key = newIdempotencyKey()
	}
	if v.Form.From == "" && !v.Form.Problems.Any() {
		v.Form.From = isoDay(today)
	}
	for _, k := range domain.FlagKinds {
		v.Kinds = append(v.Kinds, web.Option{Value: string(k), Label: i18n.T(ctx, "flag.kind."+string(k)), Selected: string(k) == v.Form.Kind})
	}
	for _, f := range records {
		row := web.FlagRow{ID: f.ID, KindKey: "flag.kind." + string(f.Kind), Reason: f.Reason, From: i18n.Day(f.From),
			SetBy: f.SetBy, SetAt: i18n.DateTime(f.SetAt), Pending: f.PendingOn(today) && !f.Lifted(), Lifted: f.Lifted(),
			LiftedBy: f.LiftedBy, LiftReason: f.LiftReason, LiftAction: paths.SubjectFlagLift(subj.UnitID, subj.PersonID, f.ID)}
		if f.To != nil {
			row.To = i18n.Day(*f.To)
		}
		if f.LiftedAt != nil {
			row.LiftedAt = i18n.DateTime(*f.LiftedAt)
		}
		v.Rows = append(v.Rows, row)
	}
	*flags = v
	return nil
}

// flagFields are the controls of the form that sets a flag, top to bottom.
var flagFields = []string{"kind", "reason", "from", "to"}

// flagLiftFields are the controls of a flag's lift form.
var flagLiftFields = []string{"lift_to", "lift_reason"}

// readFlagForm reads the form that sets a flag; problems of its dates are
// recorded on form.
func readFlagForm(ctx context.Context, r *http.Request, subj domain.Subject) (domain.FlagInput, web.FlagForm) {
	f := web.FlagForm{Key: r.PostFormValue("key"), Kind: r.PostFormValue("kind"), Reason: r.PostFormValue("reason"),
		From: strings.TrimSpace(r.PostFormValue("from")), To: strings.TrimSpace(r.PostFormValue("to"))}
	in := domain.FlagInput{Subject: subj, Kind: domain.FlagKind(f.Kind), Reason: f.Reason}
	if d, ok := domain.ParseDate(f.From); ok {
		in.From = d
	}
	if f.To != "" {
		if d, ok := domain.ParseDate(f.To); ok {
			in.To = &d
		} else {
			fieldProblem(ctx, &f.Problems, "to", "date.out_of_range")
		}
	}
	if len(f.Key) > 64 {
		f.Key = ""
	}
	return in, f
}

// setFlag records a pending flag on subj; show renders the subject's page
// again with the form as typed and its problems.
func (s *Server) setFlag(w http.ResponseWriter, r *http.Request, subj domain.Subject, show func(status int, f web.FlagForm) error) error {
	ctx := r.Context()
	in, f := readFlagForm(ctx, r, subj)
	if f.Key == "" {
		f.Key = newIdempotencyKey()
	}
	var err error
	if f.Problems.Any() {
		// The end date was unreadable: report it with the other fields.
		if verr := in.Validate(); verr != nil {
			p, _ := problemsOf(ctx, verr, flagFields...)
			for _, field := range flagFields {
				if text := p.Of(field); text != "" && f.Problems.Of(field) == "" {
					f.Problems.Field(field, text)
				}
			}
		}
		f.Problems.Order(flagFields...)
		f.Problems = flagProblems(f.Problems)
		return show(http.StatusUnprocessableEntity, f)
	}
	if _, err = s.db.SetFlag(ctx, f.Key, in); err != nil {
		return refuse(ctx, err, flagFields, func(status int, p web.Problems) error {
			f.Problems = flagProblems(p)
			return show(status, f)
		})
	}
	s.flash(ctx, "flag.flash.set")
	http.Redirect(w, r, subjectPage(subj)+paths.Fragment("flags"), http.StatusSeeOther)
	return nil
}

// liftFlag lifts one pending flag of subj; a flag of another subject is
// not found, one lifted already is a conflict (409).
func (s *Server) liftFlag(w http.ResponseWriter, r *http.Request, subj domain.Subject, show func(status int, l web.FlagLiftForm) error) error {
	ctx := r.Context()
	flagID, err := strconv.ParseInt(chi.URLParam(r, "flagID"), 10, 64)
	if err != nil || flagID <= 0 {
		return domain.Errorf(domain.ENOTFOUND, "flag.not_found")
	}
	l := web.FlagLiftForm{FlagID: flagID, To: strings.TrimSpace(r.PostFormValue("to")), Reason: r.PostFormValue("reason")}
	lift := domain.FlagLift{Reason: l.Reason}
	lift.To, _ = domain.ParseDate(l.To) // zero when unreadable: refused beside the field
	if err := s.db.LiftFlag(ctx, subj, flagID, lift); err != nil {
		return refuse(ctx, err, flagLiftFields, func(status int, p web.Problems) error {
			// The page has a lift form per flag: its controls' ids carry
			// the flag's, and so do their problems.
			prefix := "lift_" + strconv.FormatInt(flagID, 10)
			p.Rename("lift_to", prefix+"_to")
			p.Rename("lift_reason", prefix+"_reason")
			l.Problems = p
			return show(status, l)
		})
	}
	s.flash(ctx, "flag.flash.lifted")
	http.Redirect(w, r, subjectPage(subj)+paths.Fragment("flags"), http.StatusSeeOther)
	return nil
}

// setUnitFlag sets a pending flag on a unit.
func (s *Server) setUnitFlag(w http.ResponseWriter, r *http.Request) error {
	u, err := s.unitParam(r)
	if err != nil {
		return err
	}
	return s.setFlag(w, r, domain.Subject{UnitID: u.ID}, func(status int, f web.FlagForm) error {
		return s.renderUnit(w, r, status, u, s.today(), s.unitForms(web.UnitForms{Flag: f}))
	})
}

// liftUnitFlag lifts a pending flag of a unit.
func (s *Server) liftUnitFlag(w http.ResponseWriter, r *http.Request) error {
	u, err := s.unitParam(r)
	if err != nil {
		return err
	}
	return s.liftFlag(w, r, domain.Subject{UnitID: u.ID}, func(status int, l web.FlagLiftForm) error {
		return s.renderUnit(w, r, status, u, s.today(), s.unitForms(web.UnitForms{FlagLift: l}))
	})
}

// unitForms gives the unit page's other forms their defaults.
func (s *Server) unitForms(f web.UnitForms) web.UnitForms {
	f.ChangeDate, f.DissolveDate = isoDay(s.today()), isoDay(s.today())
	return f
}

// setPersonFlag sets a pending flag on a person.
func (s *Server) setPersonFlag(w http.ResponseWriter, r *http.Request) error {
	p, err := s.personParam(r)
	if err != nil {
		return err
	}
	return s.setFlag(w, r, domain.Subject{PersonID: p.ID}, func(status int, f web.FlagForm) error {
		return s.renderPerson(w, r, status, p, web.PersonView{MoveDate: isoDay(s.today()), Flags: web.FlagsView{Form: f}})
	})
}

// liftPersonFlag lifts a pending flag of a person.
func (s *Server) liftPersonFlag(w http.ResponseWriter, r *http.Request) error {
	p, err := s.personParam(r)
	if err != nil {
		return err
	}
	return s.liftFlag(w, r, domain.Subject{PersonID: p.ID}, func(status int, l web.FlagLiftForm) error {
		return s.renderPerson(w, r, status, p, web.PersonView{MoveDate: isoDay(s.today()), Flags: web.FlagsView{Lift: l}})
	})
}

// subjectPage is the page of a unit or a person.
func subjectPage(subj domain.Subject) string {
	if subj.PersonID != 0 {
		return paths.Person(subj.PersonID)
	}
	return paths.Unit(subj.UnitID)
}

// flagProblems keys the set form's problems by its controls' ids
// (flag_kind, flag_reason, …: the page has other forms), so the summary
// links each to its control.
func flagProblems(p web.Problems) web.Problems {
	for _, field := range flagFields {
		p.Rename(field, "flag_"+field)
	}
	return p
}
