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

const peoplePageSize = 50

// listPeople lists people. Staff see everyone; a focal point sees only the
// people of their own unit, whatever unit the URL names; others may not.
func (s *Server) listPeople(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := userFrom(ctx)
	day, err := s.dayParam(r)
	if err != nil {
		return err
	}
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if domain.RuneLen(q) > 200 {
		return domain.Errorf(domain.EINVALID, "field.too_long")
	}
	f := postgres.PeopleFilter{Query: q, Day: day, Limit: peoplePageSize}
	if raw := r.URL.Query().Get("unit"); raw != "" {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || id <= 0 {
			return domain.Errorf(domain.ENOTFOUND, "unit.not_found")
		}
		f.UnitID = &id
	}
	switch {
	case domain.HasRole(u, domain.RoleStaff):
	case u.Role == domain.RoleFocalPoint && u.UnitID != nil:
		if f.UnitID != nil && *f.UnitID != *u.UnitID {
			return domain.Errorf(domain.EFORBIDDEN, "error.forbidden")
		}
		f.UnitID = u.UnitID
	default:
		return domain.Errorf(domain.EFORBIDDEN, "error.forbidden")
	}
	page := pageParam(r)
	f.Offset = (page - 1) * peoplePageSize
	res, err := s.db.SearchPeople(ctx, f)
	if err != nil {
		return err
	}
	v := web.PeopleView{Query: q, At: isoDay(day), AtLabel: i18n.Day(day), Total: res.Total, CanEdit: domain.CanEditRegistry(u),
		OwnUnit: u.Role == domain.RoleFocalPoint, Pager: pager(r, page, res.Total, peoplePageSize)}
	if f.UnitID != nil {
		v.UnitID = strconv.FormatInt(*f.UnitID, 10)
		if unit, err := s.db.UnitOn(ctx, *f.UnitID, day); err == nil {
			v.UnitName = unit.Name
		} else if unit, err := s.db.UnitByID(ctx, *f.UnitID); err == nil {
			v.UnitName = unit.Name
		} else {
			return err
		}
	}
	for _, p := range res.People {
		row := web.PersonRow{ID: p.ID, Name: p.FullName, Code: p.Code, Position: p.Position, CategoryKey: categoryKey(p.Category), UnitName: p.UnitName}
		if p.UnitID != nil {
			row.UnitHref = paths.UnitAt(*p.UnitID, isoDay(day))
		}
		v.Rows = append(v.Rows, row)
	}
	s.render(w, r, http.StatusOK, web.People(s.chrome(r, i18n.T(ctx, "people.title")), v))
	return nil
}

// personParam loads {personID} if the user may see the person: staff, or
// the focal point of the unit the person belongs to today. Anyone else gets
// the same 404 as for a missing person, so IDs reveal nothing.
func (s *Server) personParam(r *http.Request) (*domain.Person, error) {
	ctx := r.Context()
	if u := userFrom(ctx); !domain.HasRole(u, domain.RoleStaff, domain.RoleFocalPoint) {
		return nil, domain.Errorf(domain.EFORBIDDEN, "error.forbidden")
	}
	id, err := strconv.ParseInt(chi.URLParam(r, "personID"), 10, 64)
	if err != nil || id <= 0 {
		return nil, domain.Errorf(domain.ENOTFOUND, "person.not_found")
	}
	p, err := s.db.PersonOn(ctx, id, s.today())
	if err != nil {
		return nil, err
	}
	u := userFrom(ctx)
	if domain.HasRole(u, domain.RoleStaff) || (p.UnitID != nil && domain.CanSeePeopleOf(u, *p.UnitID)) {
		return p, nil
	}
	s.log.Warn("security: person hidden from user", "request_id", requestID(ctx), "user_id", u.ID, "person_id", id)
	return nil, domain.Errorf(domain.ENOTFOUND, "person.not_found")
}

// showPerson shows a person and their units over time.
func (s *Server) showPerson(w http.ResponseWriter, r *http.Request) error {
	p, err := s.personParam(r)
	if err != nil {
		return err
	}
	return s.renderPerson(w, r, http.StatusOK, p, web.PersonView{MoveDate: isoDay(s.today())})
}

func (s *Server) renderPerson(w http.ResponseWriter, r *http.Request, status int, p *domain.Person, v web.PersonView) error {
	ctx := r.Context()
	v.ID, v.Name, v.Code, v.GenderKey, v.Position, v.CategoryKey = p.ID, p.FullName, p.Code, genderKey(p.Gender), p.Position, categoryKey(p.Category)
	if p.BirthYear != nil {
		v.BirthYear = strconv.Itoa(*p.BirthYear)
	}
	v.CanEdit = domain.CanEditRegistry(userFrom(ctx))
	ms, err := s.db.Memberships(ctx, p.ID)
	if err != nil {
		return err
	}
	for _, m := range ms {
		item := web.MembershipItem{UnitName: m.UnitName, UnitHref: paths.UnitAt(m.UnitID, isoDay(m.ValidFrom)), From: i18n.Day(m.ValidFrom)}
		if m.ValidTo != nil {
			item.To = i18n.Day(*m.ValidTo)
		}
		v.Memberships = append(v.Memberships, item)
	}
	if err := s.historyOf(ctx, domain.Subject{PersonID: p.ID}, p.UnitID, v.Flags.Form, v.Flags.Lift, &v.Flags, &v.AwardCount); err != nil {
		return err
	}
	s.render(w, r, status, web.Person(s.chrome(r, p.FullName), v))
	return nil
}

// personMoveFields are the controls of the form that moves a person.
var personMoveFields = []string{"unit_code", "from"}

// personFields are the controls of the form that adds a person, top to
// bottom.
var personFields = []string{"full_name", "code", "gender", "birth_year", "position", "category", "unit_code", "from"}

// movePerson moves a person to another unit from a date.
func (s *Server) movePerson(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p, err := s.personParam(r)
	if err != nil {
		return err
	}
	v := web.PersonView{MoveUnit: strings.TrimSpace(r.PostFormValue("unit_code")), MoveDate: r.PostFormValue("from")}
	day, ok := domain.ParseDate(v.MoveDate)
	if !ok {
		fieldProblem(ctx, &v.Problems, "from", "date.out_of_range")
	} else if unit, err := s.db.UnitByCode(ctx, v.MoveUnit, day); err != nil {
		fieldProblem(ctx, &v.Problems, "unit_code", "person.unit.not_in_force")
	} else if err := s.db.MovePerson(ctx, p.ID, unit.ID, day); err != nil {
		return refuse(ctx, err, personMoveFields, func(status int, pr web.Problems) error {
			pr.Rename("unit_id", "unit_code")
			pr.Order(personMoveFields...)
			v.Problems = pr
			return s.renderPerson(w, r, status, p, v)
		})
	}
	if v.Problems.Any() {
		return s.renderPerson(w, r, http.StatusUnprocessableEntity, p, v)
	}
	s.flash(ctx, "people.flash.moved")
	http.Redirect(w, r, paths.Person(p.ID), http.StatusSeeOther)
	return nil
}

func categoryOptions(r *http.Request, selected string) []web.Option {
	var opts []web.Option
	for _, c := range domain.Categories {
		opts = append(opts, web.Option{Value: string(c), Label: i18n.T(r.Context(), categoryKey(c)), Selected: string(c) == selected})
	}
	return opts
}

// newPersonForm shows the form that adds a person.
func (s *Server) newPersonForm(w http.ResponseWriter, r *http.Request) error {
	v := web.PersonFormView{From: isoDay(s.today()), Category: string(domain.CategoryCongChuc), UnitCode: r.URL.Query().Get("unit")}
	v.Categories = categoryOptions(r, v.Category)
	s.render(w, r, http.StatusOK, web.PersonNew(s.chrome(r, i18n.T(r.Context(), "people.new")), v))
	return nil
}

// createPerson adds a person to a unit.
func (s *Server) createPerson(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	v := web.PersonFormView{Code: r.PostFormValue("code"), FullName: r.PostFormValue("full_name"), Gender: r.PostFormValue("gender"),
		BirthYear: strings.TrimSpace(r.PostFormValue("birth_year")), Position: r.PostFormValue("position"), Category: r.PostFormValue("category"),
		UnitCode: strings.TrimSpace(r.PostFormValue("unit_code")), From: r.PostFormValue("from")}
	in := domain.PersonInput{Code: v.Code, FullName: v.FullName, Gender: v.Gender, Position: v.Position, Category: domain.Category(v.Category)}
	if v.BirthYear != "" {
		y, err := strconv.Atoi(v.BirthYear)
		if err != nil {
			fieldProblem(ctx, &v.Problems, "birth_year", "person.birth_year.invalid")
		}
		in.BirthYear = &y
	}
	day, ok := domain.ParseDate(v.From)
	if !ok {
		fieldProblem(ctx, &v.Problems, "from", "date.out_of_range")
	}
	in.From = day
	if ok {
		if unit, err := s.db.UnitByCode(ctx, v.UnitCode, day); err == nil {
			in.UnitID = unit.ID
		} else {
			fieldProblem(ctx, &v.Problems, "unit_code", "person.unit.not_in_force")
		}
	}
	show := func(status int, p web.Problems) error {
		p.Rename("unit_id", "unit_code")
		p.Order(personFields...)
		v.Problems, v.Categories = p, categoryOptions(r, v.Category)
		s.render(w, r, status, web.PersonNew(s.chrome(r, i18n.T(ctx, "people.new")), v))
		return nil
	}
	if v.Problems.Any() {
		return show(http.StatusUnprocessableEntity, v.Problems)
	}
	id, err := s.db.CreatePerson(ctx, in)
	if err != nil {
		return refuse(ctx, err, nil, show)
	}
	s.flash(ctx, "people.flash.created")
	http.Redirect(w, r, paths.Person(id), http.StatusSeeOther)
	return nil
}
