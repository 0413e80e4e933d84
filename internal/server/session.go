package server

import (
	"bytes"
	"context"
	"encoding/gob"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/alexedwards/scs/v2"

	"thidua/internal/domain"
	"thidua/internal/i18n"
	"thidua/internal/postgres"
)

// Session keys.
const (
	sessUserID = "user_id"
	sessEpoch  = "epoch"
	sessFlash  = "flash"
	sessSecret = "secret" // a generated password, shown once
)

type userKey struct{}

// sessionKey marks a context in which the scs session was loaded (set by
// loadUser); error pages rendered further out (a panic, bad input, a session
// store that could not be read) have none.
type sessionKey struct{}

func hasSession(ctx context.Context) bool {
	ok, _ := ctx.Value(sessionKey{}).(bool)
	return ok
}

func userFrom(ctx context.Context) *domain.User {
	u, _ := ctx.Value(userKey{}).(*domain.User)
	return u
}

// skipsSession lists paths served without a session: probes and static files
// must not touch the session table.
func skipsSession(path string) bool {
	return path == "/healthz" || path == "/readyz" || strings.HasPrefix(path, "/static/")
}

// loadSession loads and saves the scs session around the request. The
// store remembers what it loaded in the request's context, so that an
// unchanged session is not written back (see postgres.SessionStore).
func (s *Server) loadSession(next http.Handler) http.Handler {
	withSession := s.sessions.LoadAndSave(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if skipsSession(r.URL.Path) {
			next.ServeHTTP(w, r)
			return
		}
		withSession.ServeHTTP(w, r.WithContext(postgres.WithSessionSlot(r.Context())))
	})
}

// stableCodec encodes a session the same way each time its data is the
// same (scs's gob codec follows Go's random map order), so the store can
// tell an unchanged session by its bytes. Sessions written by the gob
// codec before are still read.
type stableCodec struct{}

var stableMagic = []byte("thidua-session-1\n")

type stableSession struct {
	Deadline time.Time
	Keys     []string
	Values   []any
}

func (stableCodec) Encode(deadline time.Time, values map[string]any) ([]byte, error) {
	st := stableSession{Deadline: deadline, Keys: make([]string, 0, len(values))}
	for k := range values {
		st.Keys = append(st.Keys, k)
	}
	slices.Sort(st.Keys)
	st.Values = make([]any, len(st.Keys))
	for i, k := range st.Keys {
		st.Values[i] = values[k]
	}
	var b bytes.Buffer
	b.Write(stableMagic)
	if err := gob.NewEncoder(&b).Encode(&st); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// sessionUserID reads the signed-in user's ID from stored session data, for
// the store's user_id column.
func sessionUserID(b []byte) int64 {
	_, values, err := stableCodec{}.Decode(b)
	if err != nil {
		return 0
	}
	id, _ := values[sessUserID].(int64)
	return id
}

func (stableCodec) Decode(b []byte) (time.Time, map[string]any, error) {
	rest, ok := bytes.CutPrefix(b, stableMagic)
	if !ok {
		return scs.GobCodec{}.Decode(b)
	}
	var st stableSession
	if err := gob.NewDecoder(bytes.NewReader(rest)).Decode(&st); err != nil {
		return time.Time{}, nil, err
	}
	values := make(map[string]any, len(st.Keys))
	for i, k := range st.Keys {
		if i < len(st.Values) {
			values[k] = st.Values[i]
		}
	}
	return st.Deadline, values, nil
}

// loadUser puts the signed-in user, the locale and the actor in the request
// context. A session whose user was disabled, or whose epoch is behind the
// user's (signed out everywhere, password or role changed), is destroyed:
// that is how the server ends sessions it cannot find by user.
func (s *Server) loadUser(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if skipsSession(r.URL.Path) {
			next.ServeHTTP(w, r)
			return
		}
		ctx := r.Context()
		var user *domain.User
		if id := s.sessions.GetInt64(ctx, sessUserID); id != 0 {
			// The store read the user with the session (one round trip).
			u, err := postgres.SessionUser(ctx), error(nil)
			if u == nil || u.ID != id {
				u, err = s.db.UserByID(ctx, id)
			}
			switch {
			case err == nil && !u.Disabled() && u.SessionEpoch == s.sessions.GetInt(ctx, sessEpoch):
				user = u
			case err == nil || domain.ErrorCode(err) == domain.ENOTFOUND:
				if err := s.sessions.Destroy(ctx); err != nil {
					s.fail(w, r, err)
					return
				}
			default:
				s.fail(w, r, err)
				return
			}
		}
		locale := s.localeFor(r, user)
		info := infoFrom(ctx)
		actor := domain.Actor{RequestID: info.id, ClientAddr: s.clientAddr(r).String()}
		if user != nil {
			ctx = context.WithValue(ctx, userKey{}, user)
			actor.UserID = user.ID
			info.userID = user.ID
		}
		ctx = context.WithValue(ctx, sessionKey{}, true)
		ctx = i18n.WithLocale(ctx, locale)
		ctx = domain.WithActor(ctx, actor)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// localeFor picks the language: the user's setting, else the visitor's
// cookie, else Vietnamese. The browser's Accept-Language is not followed:
// many officials' computers run an English system, and the portal speaks
// Vietnamese unless someone chooses English in the footer.
func (s *Server) localeFor(r *http.Request, u *domain.User) string {
	if u != nil {
		return u.Locale
	}
	if c, err := r.Cookie(localeCookie); err == nil && (c.Value == i18n.Vietnamese || c.Value == i18n.English) {
		return c.Value
	}
	return i18n.Vietnamese
}

// requireUser sends anonymous visitors to the login page, keeping where
// they wanted to go.
func (s *Server) requireUser(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if userFrom(r.Context()) == nil {
			target := "/login"
			if r.Method == http.MethodGet {
				target += "?next=" + url.QueryEscape(r.URL.RequestURI())
			}
			http.Redirect(w, r, target, http.StatusSeeOther)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// requireRole refuses users without one of the roles (admins pass staff
// checks, see domain.HasRole).
func (s *Server) requireRole(roles ...domain.Role) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !domain.HasRole(userFrom(r.Context()), roles...) {
				s.fail(w, r, domain.Errorf(domain.EFORBIDDEN, "error.forbidden"))
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// clientAddr is the address of the client: the connection's peer, or, when
// that peer is a configured trusted proxy, the nearest untrusted address in
// X-Forwarded-For. Headers from anyone else are ignored: they are spoofable.
func (s *Server) clientAddr(r *http.Request) netip.Addr {
	peer, err := netip.ParseAddrPort(r.RemoteAddr)
	var addr netip.Addr
	if err == nil {
		addr = peer.Addr().Unmap()
	} else if a, err := netip.ParseAddr(r.RemoteAddr); err == nil {
		addr = a.Unmap()
	} else {
		return netip.IPv4Unspecified()
	}
	if !s.trusted(addr) {
		return addr
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		hop, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			return addr
		}
		addr = hop.Unmap()
		if !s.trusted(addr) {
			return addr
		}
	}
	return addr
}

func (s *Server) trusted(a netip.Addr) bool {
	for _, p := range s.cfg.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// flash stores a one-time notice for the next page.
func (s *Server) flash(ctx context.Context, key string) { s.sessions.Put(ctx, sessFlash, key) }

// localPath returns next when it is a path on this site, else fallback:
// never an open redirect.
func localPath(next, fallback string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return fallback
	}
	if u, err := url.Parse(next); err != nil || u.IsAbs() || u.Host != "" {
		return fallback
	}
	return next
}
