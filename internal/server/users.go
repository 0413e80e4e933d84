package server

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"thidua/internal/domain"
	"thidua/internal/i18n"
	"thidua/internal/password"
	"thidua/internal/paths"
	"thidua/internal/postgres"
	"thidua/web"
)

// userForm is the parsed user form: only the fields an administrator may set.
type userForm struct {
	email, fullName, role, unitID, password string
	version                                 int
}

func parseUserForm(r *http.Request) userForm {
	f := userForm{
		email:    r.PostFormValue("email"),
		fullName: r.PostFormValue("full_name"),
		role:     r.PostFormValue("role"),
		unitID:   r.PostFormValue("unit_id"),
		password: r.PostFormValue("password"),
	}
	f.version, _ = strconv.Atoi(r.PostFormValue("version"))
	return f
}

// userFields are the controls of the user form, top to bottom.
var userFields = []string{"email", "full_name", "role", "unit_id", "password"}

// toNewUser validates the form into a domain.NewUser.
func (f userForm) toNewUser(ctx context.Context) (domain.NewUser, web.Problems) {
	n := domain.NewUser{Email: f.email, FullName: f.fullName, Role: domain.Role(f.role)}
	var p web.Problems
	if f.unitID != "" {
		id, err := strconv.ParseInt(f.unitID, 10, 64)
		if err != nil || id <= 0 {
			fieldProblem(ctx, &p, "unit_id", "user.unit.invalid")
		} else {
			n.UnitID = &id
		}
	}
	n.Normalize()
	var ve *domain.ValidationError
	if errors.As(n.Validate(), &ve) {
		addProblems(ctx, &p, ve)
	}
	p.Order(userFields...)
	return n, p
}

// formView fills the shown form from what was typed and its problems.
func (s *Server) formView(r *http.Request, f userForm, p web.Problems) (web.UserForm, error) {
	ctx := r.Context()
	units, err := s.db.UnitsOn(ctx, domain.DateOf(s.db.Now()))
	if err != nil {
		return web.UserForm{}, err
	}
	v := web.UserForm{Email: f.email, FullName: f.fullName, Version: f.version, Problems: p}
	for _, role := range domain.Roles {
		v.Roles = append(v.Roles, web.Option{Value: string(role), Label: i18n.T(ctx, "role."+string(role)), Selected: string(role) == f.role})
	}
	for _, u := range units {
		id := strconv.FormatInt(u.ID, 10)
		v.Units = append(v.Units, web.Option{Value: id, Label: u.Name, Selected: id == f.unitID})
	}
	return v, nil
}

func userRows(users []*domain.User) []web.UserRow {
	rows := make([]web.UserRow, 0, len(users))
	for _, u := range users {
		rows = append(rows, web.UserRow{ID: u.ID, Name: u.FullName, Email: u.Email, RoleKey: "role." + string(u.Role),
			UnitName: u.UnitName, Disabled: u.Disabled(), Created: i18n.Date(u.CreatedAt)})
	}
	return rows
}

// listUsers shows every user and an empty creation form.
func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) error {
	return s.renderUsers(w, r, http.StatusOK, userForm{role: string(domain.RoleFocalPoint)}, web.Problems{}, newIdempotencyKey())
}

// renderUsers shows the list and the creation form, with what was typed and
// its problems after a refused submission.
func (s *Server) renderUsers(w http.ResponseWriter, r *http.Request, status int, f userForm, p web.Problems, key string) error {
	users, err := s.db.ListUsers(r.Context())
	if err != nil {
		return err
	}
	form, err := s.formView(r, f, p)
	if err != nil {
		return err
	}
	form.IdempotencyKey = key
	s.render(w, r, status, web.Users(s.chrome(r, i18n.T(r.Context(), "users.title")), web.UsersView{Users: userRows(users), Form: form}))
	return nil
}

// createUser creates a user. A repeated submission of the same form (double
// click, reload) finds the user the first one created.
func (s *Server) createUser(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	f := parseUserForm(r)
	key := r.PostFormValue("idempotency_key")
	if n := len(key); n < 16 || n > 64 {
		key = newIdempotencyKey()
	}
	n, p := f.toNewUser(ctx)
	pw := domain.NormalizePassword(f.password)
	generated := pw == ""
	if generated {
		pw = password.Generate(16)
	} else {
		own := []string{n.Email, n.FullName}
		if n.UnitID != nil {
			if unit, err := s.db.UnitByID(ctx, *n.UnitID); err == nil {
				own = append(own, unit.Name, unit.ShortName)
			}
		}
		if msg := domain.ValidatePassword(pw, own...); msg != "" {
			fieldProblem(ctx, &p, "password", msg)
		}
	}
	if p.Any() {
		return s.renderUsers(w, r, http.StatusUnprocessableEntity, f, p, key)
	}
	hash, err := password.Hash(pw, password.Default)
	if err != nil {
		return err
	}
	u, created, err := s.db.CreateUser(ctx, n, hash, key)
	if err != nil {
		return refuse(ctx, err, userFields, func(status int, p web.Problems) error {
			return s.renderUsers(w, r, status, f, p, key)
		})
	}
	if created {
		s.flash(ctx, "users.flash.created")
		if generated {
			s.sessions.Put(ctx, sessSecret, secretFor(u.ID, pw))
		}
	}
	http.Redirect(w, r, paths.User(u.ID), http.StatusSeeOther)
	return nil
}

// secretFor ties a one-time password to the user it belongs to, so it is
// only ever shown on that user's page.
func secretFor(id int64, pw string) string { return strconv.FormatInt(id, 10) + ":" + pw }

func (s *Server) popSecret(r *http.Request, id int64) string {
	prefix := strconv.FormatInt(id, 10) + ":"
	v := s.sessions.GetString(r.Context(), sessSecret)
	if len(v) > len(prefix) && v[:len(prefix)] == prefix {
		s.sessions.Remove(r.Context(), sessSecret)
		return v[len(prefix):]
	}
	return ""
}

// userParam reads {userID} and loads the user.
func (s *Server) userParam(r *http.Request) (*domain.User, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, "userID"), 10, 64)
	if err != nil || id <= 0 {
		return nil, domain.Errorf(domain.ENOTFOUND, "user.not_found")
	}
	return s.db.UserByID(r.Context(), id)
}

// showUser shows one user with the edit form and account actions.
func (s *Server) showUser(w http.ResponseWriter, r *http.Request) error {
	u, err := s.userParam(r)
	if err != nil {
		return err
	}
	return s.renderUser(w, r, http.StatusOK, u, formFromUser(u), web.Problems{})
}

func formFromUser(u *domain.User) userForm {
	f := userForm{email: u.Email, fullName: u.FullName, role: string(u.Role), version: u.Version}
	if u.UnitID != nil {
		f.unitID = strconv.FormatInt(*u.UnitID, 10)
	}
	return f
}

// renderUser shows one user's page, its edit form with what was typed and
// its problems after a refused submission.
func (s *Server) renderUser(w http.ResponseWriter, r *http.Request, status int, u *domain.User, f userForm, p web.Problems) error {
	form, err := s.formView(r, f, p)
	if err != nil {
		return err
	}
	last, err := s.lastFocalPoint(r.Context(), u)
	if err != nil {
		return err
	}
	v := web.UserView{
		ID: u.ID, Name: u.FullName, Email: u.Email, RoleKey: "role." + string(u.Role), UnitName: u.UnitName,
		Disabled: u.Disabled(), Created: i18n.DateTime(u.CreatedAt), Form: form,
		NewPassword: s.popSecret(r, u.ID), IsSelf: userFrom(r.Context()).ID == u.ID,
		LastFocalPoint: last, ConfirmLast: last && status == http.StatusConflict,
	}
	s.render(w, r, status, web.User(s.chrome(r, u.FullName), v))
	return nil
}

// lastFocalPoint reports whether u is the only enabled focal point of a unit.
func (s *Server) lastFocalPoint(ctx context.Context, u *domain.User) (bool, error) {
	if u.Role != domain.RoleFocalPoint || u.UnitID == nil || u.Disabled() {
		return false, nil
	}
	n, err := s.db.ActiveFocalPoints(ctx, *u.UnitID)
	return n == 1, err
}

// updateUser saves name, role and unit. A form opened before someone else's
// save gets a conflict page that keeps what was typed.
func (s *Server) updateUser(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, err := s.userParam(r)
	if err != nil {
		return err
	}
	f := parseUserForm(r)
	f.email = u.Email
	n, p := f.toNewUser(ctx)
	if n.Role != u.Role && u.ID == userFrom(ctx).ID {
		fieldProblem(ctx, &p, "role", "users.self_role")
		p.Order(userFields...)
	}
	if p.Any() {
		return s.renderUser(w, r, http.StatusUnprocessableEntity, u, f, p)
	}
	err = s.db.UpdateUser(ctx, u.ID, postgres.UserUpdate{FullName: n.FullName, Role: n.Role, UnitID: n.UnitID, Version: f.version})
	if domain.ErrorCode(err) == domain.ECONFLICT {
		// Show the current record with the user's input kept; the form now
		// carries the current version, so saving again is a deliberate choice.
		f.version = u.Version
		var stale web.Problems
		fieldProblem(ctx, &stale, "full_name", "error.stale")
		return s.renderUser(w, r, http.StatusConflict, u, f, stale)
	}
	if err != nil {
		return refuse(ctx, err, userFields, func(status int, p web.Problems) error {
			return s.renderUser(w, r, status, u, f, p)
		})
	}
	s.flash(ctx, "users.flash.saved")
	http.Redirect(w, r, paths.User(u.ID), http.StatusSeeOther)
	return nil
}

// setUserDisabled disables or enables an account; disabling ends its
// sessions at once.
func (s *Server) setUserDisabled(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, err := s.userParam(r)
	if err != nil {
		return err
	}
	disabled, err := strconv.ParseBool(r.PostFormValue("disabled"))
	if err != nil {
		return domain.Errorf(domain.EINVALID, "field.invalid")
	}
	if disabled && u.ID == userFrom(ctx).ID {
		return domain.Errorf(domain.ECONFLICT, "users.self_disable")
	}
	if disabled && r.PostFormValue("confirm_last") != "yes" {
		last, err := s.lastFocalPoint(ctx, u)
		if err != nil {
			return err
		}
		if last {
			// Disabling leaves the unit with no one to submit: ask first.
			return s.renderUser(w, r, http.StatusConflict, u, formFromUser(u), web.Problems{})
		}
	}
	if err := s.db.SetUserDisabled(ctx, u.ID, disabled); err != nil {
		return err
	}
	if disabled {
		s.flash(ctx, "users.flash.disabled")
	} else {
		s.flash(ctx, "users.flash.enabled")
	}
	http.Redirect(w, r, paths.User(u.ID), http.StatusSeeOther)
	return nil
}

// resetPassword gives the user a new random password, shown once.
func (s *Server) resetPassword(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, err := s.userParam(r)
	if err != nil {
		return err
	}
	pw := password.Generate(16)
	hash, err := password.Hash(pw, password.Default)
	if err != nil {
		return err
	}
	if _, err := s.db.SetPassword(ctx, u.ID, hash, domain.AuditPasswordReset); err != nil {
		return err
	}
	s.sessions.Put(ctx, sessSecret, secretFor(u.ID, pw))
	s.flash(ctx, "users.flash.password")
	http.Redirect(w, r, paths.User(u.ID), http.StatusSeeOther)
	return nil
}

// endUserSessions signs a user out on every device.
func (s *Server) endUserSessions(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, err := s.userParam(r)
	if err != nil {
		return err
	}
	if _, err := s.db.EndSessions(ctx, u.ID); err != nil {
		return err
	}
	s.flash(ctx, "users.flash.sessions")
	http.Redirect(w, r, paths.User(u.ID), http.StatusSeeOther)
	return nil
}
