package server

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"thidua/internal/domain"
	"thidua/internal/i18n"
	"thidua/internal/mail"
	"thidua/web"
)

// The unsubscribe link of every mail (mail.Token): anyone who holds it, signed
// in or not, stops that user's mails of that kind. The page says what will
// stop and asks for a click; the POST, which is also RFC 8058's one-click
// request that mail clients send without an Origin header, does it. The
// token is the credential: the route is exempt from the cross-origin check
// (server.New), and a tampered token, or one made for someone else or
// another kind, changes nothing (404).

// unsubscribeTarget reads the route's token: its user (active) and kind.
func (s *Server) unsubscribeTarget(r *http.Request) (*domain.User, domain.NotificationKind, error) {
	ctx := r.Context()
	// The key is made at start (serve); until then no token is valid, and
	// a GET writes nothing.
	key, err := s.db.ExistingSecret(ctx, mail.UnsubscribeSecret)
	if err != nil {
		return nil, "", err
	}
	userID, kind, ok := mail.ParseToken(key, chi.URLParam(r, "token"))
	if key == nil || !ok {
		return nil, "", domain.Errorf(domain.ENOTFOUND, "unsubscribe.invalid")
	}
	u, err := s.db.UserByID(ctx, userID)
	if err != nil || u.Disabled() {
		return nil, "", domain.Errorf(domain.ENOTFOUND, "unsubscribe.invalid")
	}
	return u, kind, nil
}

func (s *Server) unsubscribeView(r *http.Request, u *domain.User, kind domain.NotificationKind) web.UnsubscribeView {
	return web.UnsubscribeView{Action: r.URL.Path, Email: u.Email, Kind: i18n.T(r.Context(), "notify.kind."+string(kind))}
}

// unsubscribePage shows what the link stops and the button that does it.
func (s *Server) unsubscribePage(w http.ResponseWriter, r *http.Request) error {
	u, kind, err := s.unsubscribeTarget(r)
	if err != nil {
		return err
	}
	prefs, err := s.db.NotificationPrefs(r.Context(), u.ID)
	if err != nil {
		return err
	}
	v := s.unsubscribeView(r, u, kind)
	v.Done = !prefs[kind]
	s.render(w, r, http.StatusOK, web.Unsubscribe(s.chrome(r, i18n.T(r.Context(), "unsubscribe.title")), v))
	return nil
}

// unsubscribe stops the user's mails of the kind (again: no harm).
func (s *Server) unsubscribe(w http.ResponseWriter, r *http.Request) error {
	u, kind, err := s.unsubscribeTarget(r)
	if err != nil {
		return err
	}
	if err := s.db.SetNotificationPref(r.Context(), u.ID, kind, false); err != nil {
		return err
	}
	s.log.Info("notification mails stopped by an unsubscribe link", "request_id", requestID(r.Context()), "user_id", u.ID, "kind", string(kind))
	v := s.unsubscribeView(r, u, kind)
	v.Done, v.JustDone = true, true
	s.render(w, r, http.StatusOK, web.Unsubscribe(s.chrome(r, i18n.T(r.Context(), "unsubscribe.title")), v))
	return nil
}
