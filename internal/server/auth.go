package server

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"thidua/internal/domain"
	"thidua/internal/i18n"
	"thidua/internal/password"
	"thidua/web"
)

const localeCookie = "thidua_lang"

// loginForm shows the sign-in page; signed-in users go to their home.
func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) error {
	if userFrom(r.Context()) != nil {
		http.Redirect(w, r, "/home", http.StatusSeeOther)
		return nil
	}
	next := localPath(r.URL.Query().Get("next"), "")
	v := web.LoginView{Next: next}
	if next != "" {
		fieldProblem(r.Context(), &v.Problems, "form", "login.required")
	}
	s.renderLogin(w, r, http.StatusOK, v)
	return nil
}

func (s *Server) renderLogin(w http.ResponseWriter, r *http.Request, status int, v web.LoginView) {
	s.render(w, r, status, web.Login(s.chrome(r, i18n.T(r.Context(), "login.title")), v))
}

// login checks the throttle, then the password. Unknown addresses cost the
// same time as wrong passwords, and get the same message.
func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	email := domain.NormalizeEmail(r.PostFormValue("email"))
	pw := domain.NormalizePassword(r.PostFormValue("password"))
	next := localPath(r.PostFormValue("next"), "/home")
	view := web.LoginView{Email: email, Next: r.PostFormValue("next")}
	client := s.clientAddr(r)
	addr := domain.ThrottleAddr(client)

	// The attempt is recorded as a failure before it is judged, so parallel
	// guesses see each other; a good password clears it below. A throttled
	// address, or this account from this address, is refused; the account
	// as such is only slowed down (domain.LoginCounts.Verdict), so that
	// nobody can lock its owner out.
	counts, attempt, err := s.db.RecordLoginAttempt(ctx, email, addr, domain.LoginWindow)
	if err != nil {
		return err
	}
	verdict := counts.Verdict()
	if verdict.Refuse != "" {
		// A refused attempt checks no password, so it is not a failure: kept,
		// it would slide the lock forward for as long as anyone sends, and an
		// office behind one address would stay locked out.
		if err := s.db.ForgetLoginAttempt(ctx, attempt); err != nil {
			return err
		}
		s.log.Warn("security: login throttled", "request_id", requestID(ctx), "account", email, "client", client.String(),
			"limit", verdict.Refuse, "pair_failures", counts.Pair, "address_failures", counts.Address,
			"address_accounts", counts.AddressAccounts, "account_failures", counts.Account)
		if err := s.db.Audit(ctx, domain.AuditLoginThrottled, "account", email, map[string]any{"limit": verdict.Refuse,
			"pair_failures": counts.Pair, "address_failures": counts.Address, "address_accounts": counts.AddressAccounts}); err != nil {
			return err
		}
		w.Header().Set("Retry-After", strconv.Itoa(int(verdict.RetryAfter/time.Second)))
		fieldProblem(ctx, &view.Problems, "form", "login.throttled")
		s.renderLogin(w, r, http.StatusTooManyRequests, view)
		return nil
	}
	if verdict.Delay > 0 {
		s.log.Warn("security: login delayed", "request_id", requestID(ctx), "account", email, "client", client.String(),
			"delay", verdict.Delay.String(), "account_failures", counts.Account)
		if err := s.pause(ctx, verdict.Delay); err != nil {
			return err
		}
	}

	u, err := s.db.UserByEmail(ctx, email)
	if err != nil && domain.ErrorCode(err) != domain.ENOTFOUND {
		return err
	}
	ok := false
	if u != nil && len(pw) <= 4*domain.PasswordMax {
		ok, err = password.Verify(pw, u.PasswordHash)
		if err != nil {
			return err
		}
	} else {
		password.VerifyDummy(pw)
	}
	if !ok || u.Disabled() {
		reason := "bad_credentials"
		if ok {
			reason = "disabled"
		}
		s.log.Warn("security: login failed", "request_id", requestID(ctx), "account", email, "client", client.String(), "reason", reason)
		if err := s.db.Audit(ctx, domain.AuditLoginFailure, "account", email, map[string]any{"reason": reason}); err != nil {
			return err
		}
		fieldProblem(ctx, &view.Problems, "form", "login.failed")
		s.renderLogin(w, r, http.StatusUnprocessableEntity, view)
		return nil
	}

	// A new token at every change of privilege defeats session fixation.
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	s.sessions.Put(ctx, sessUserID, u.ID)
	s.sessions.Put(ctx, sessEpoch, u.SessionEpoch)
	if err := s.db.ClearLoginFailures(ctx, email, addr); err != nil {
		return err
	}
	actorCtx := domain.WithActor(ctx, domain.Actor{UserID: u.ID, RequestID: requestID(ctx), ClientAddr: client.String()})
	if err := s.db.Audit(actorCtx, domain.AuditLogin, "user", strconv.FormatInt(u.ID, 10), nil); err != nil {
		return err
	}
	s.log.Info("security: login", "request_id", requestID(ctx), "user_id", u.ID, "client", client.String())
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// pause waits d, or until the request is abandoned. It holds no database
// connection: the slowed sign-in costs the server a goroutine only.
func (s *Server) pause(ctx context.Context, d time.Duration) error {
	if s.sleep != nil {
		return s.sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// logout ends the session on the server: its token is deleted from the
// store, so a replayed cookie finds nothing.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if u := userFrom(ctx); u != nil {
		if err := s.db.Audit(ctx, domain.AuditLogout, "user", strconv.FormatInt(u.ID, 10), nil); err != nil {
			return err
		}
	}
	if err := s.sessions.Destroy(ctx); err != nil {
		return err
	}
	s.flash(ctx, "logout.done")
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}

// setLocale changes the language: stored on the account when signed in,
// else in a cookie.
func (s *Server) setLocale(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	locale := r.PostFormValue("locale")
	if locale != i18n.Vietnamese && locale != i18n.English {
		return domain.Errorf(domain.EINVALID, "field.invalid")
	}
	if u := userFrom(ctx); u != nil {
		if err := s.db.SetLocale(ctx, u.ID, locale); err != nil {
			return err
		}
	} else {
		http.SetCookie(w, &http.Cookie{Name: localeCookie, Value: locale, Path: "/", MaxAge: 365 * 24 * 3600,
			HttpOnly: true, Secure: s.cfg.SessionSecure, SameSite: http.SameSiteLaxMode})
	}
	http.Redirect(w, r, localPath(r.PostFormValue("next"), "/"), http.StatusSeeOther)
	return nil
}
