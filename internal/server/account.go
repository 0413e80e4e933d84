package server

import (
	"net/http"

	"thidua/internal/domain"
	"thidua/internal/i18n"
	"thidua/internal/password"
	"thidua/web"
)

func accountView(u *domain.User) web.AccountView {
	return web.AccountView{Name: u.FullName, Email: u.Email, RoleKey: "role." + string(u.Role), UnitName: u.UnitName}
}

// account shows the signed-in user's own account.
func (s *Server) account(w http.ResponseWriter, r *http.Request) error {
	s.render(w, r, http.StatusOK, web.Account(s.chrome(r, i18n.T(r.Context(), "account.title")), accountView(userFrom(r.Context()))))
	return nil
}

// changePassword checks the current password and the policy, stores the new
// hash, ends the user's other sessions and keeps this one on a new token.
func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := userFrom(ctx)
	current := domain.NormalizePassword(r.PostFormValue("current"))
	next := domain.NormalizePassword(r.PostFormValue("new"))
	confirm := domain.NormalizePassword(r.PostFormValue("confirm"))
	v := accountView(u)
	if ok, err := password.Verify(current, u.PasswordHash); err != nil {
		return err
	} else if !ok {
		fieldProblem(ctx, &v.Problems, "current", "account.password.wrong")
	}
	if key := domain.ValidatePassword(next, u.Email, u.FullName, u.UnitName); key != "" {
		fieldProblem(ctx, &v.Problems, "new", key)
	} else if next != confirm {
		fieldProblem(ctx, &v.Problems, "confirm", "account.password.mismatch")
	}
	if v.Problems.Any() {
		s.render(w, r, http.StatusUnprocessableEntity, web.Account(s.chrome(r, i18n.T(ctx, "account.title")), v))
		return nil
	}
	hash, err := password.Hash(next, password.Default)
	if err != nil {
		return err
	}
	epoch, err := s.db.SetPassword(ctx, u.ID, hash, domain.AuditPasswordChange)
	if err != nil {
		return err
	}
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	s.sessions.Put(ctx, sessEpoch, epoch)
	s.flash(ctx, "account.password.done")
	http.Redirect(w, r, "/account", http.StatusSeeOther)
	return nil
}

// endOwnSessions signs the user out everywhere, this browser included.
func (s *Server) endOwnSessions(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if _, err := s.db.EndSessions(ctx, userFrom(ctx).ID); err != nil {
		return err
	}
	if err := s.sessions.Destroy(ctx); err != nil {
		return err
	}
	s.flash(ctx, "session.ended")
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}
