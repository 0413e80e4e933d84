package server

import (
	"net/http"

	"thidua/internal/domain"
	"thidua/internal/i18n"
	"thidua/internal/paths"
	"thidua/web"
)

// notificationPrefsPage lets a signed-in user choose, kind by kind, which
// notifications also come by e-mail (the inbox always has them).
func (s *Server) notificationPrefsPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	prefs, err := s.db.NotificationPrefs(ctx, userFrom(ctx).ID)
	if err != nil {
		return err
	}
	v := web.NotificationPrefsView{}
	for _, k := range domain.NotificationKinds {
		v.Kinds = append(v.Kinds, web.Option{Value: string(k), Label: i18n.T(ctx, "notify.kind."+string(k)), Selected: prefs[k]})
	}
	s.render(w, r, http.StatusOK, web.NotificationPrefs(s.chrome(r, i18n.T(ctx, "prefs.title")), v))
	return nil
}

// saveNotificationPrefs stores the choices for the kinds the form showed
// (listed in "shown"): a kind ticked gets e-mail, a kind shown and not
// ticked does not, and a kind the form did not show (a stale page) keeps
// its setting. Sending the same form twice changes nothing more.
func (s *Server) saveNotificationPrefs(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := r.ParseForm(); err != nil {
		return err
	}
	ticked := map[domain.NotificationKind]bool{}
	for _, k := range r.PostForm["email"] {
		if !domain.NotificationKind(k).Valid() {
			return domain.Errorf(domain.EINVALID, "prefs.kind_unknown")
		}
		ticked[domain.NotificationKind(k)] = true
	}
	shown := r.PostForm["shown"]
	if len(shown) == 0 || len(shown) > len(domain.NotificationKinds) {
		return domain.Errorf(domain.EINVALID, "prefs.kind_unknown")
	}
	for _, k := range shown {
		if !domain.NotificationKind(k).Valid() {
			return domain.Errorf(domain.EINVALID, "prefs.kind_unknown")
		}
	}
	u := userFrom(ctx)
	prefs := make(map[domain.NotificationKind]bool, len(shown))
	for _, k := range shown {
		prefs[domain.NotificationKind(k)] = ticked[domain.NotificationKind(k)]
	}
	if err := s.db.SetNotificationPrefs(ctx, u.ID, prefs); err != nil {
		return err
	}
	s.flash(ctx, "prefs.saved")
	http.Redirect(w, r, paths.NotificationPrefs(), http.StatusSeeOther)
	return nil
}
