package server

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/gob"
	"errors"
	"math"
	"net/http"
	"net/netip"
	"net/url"
	"path"
	"regexp"
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
	sessSecret = "secret" // a generated password, shown once
)

type userKey struct{}

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
// tell an unchanged session by its bytes. Sessions of the portal's own
// value types (strings, integers, booleans, floats, times) take a compact
// binary form, read and written without gob's per-call type compilation;
// any other value falls back to a gob form with sorted keys. Sessions
// written by scs's gob codec before are still read.
type stableCodec struct{}

var (
	compactMagic = []byte("thidua-session-2\n")
	stableMagic  = []byte("thidua-session-1\n")
)

type stableSession struct {
	Deadline time.Time
	Keys     []string
	Values   []any
}

func sortedKeys(values map[string]any) []string {
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func (stableCodec) Encode(deadline time.Time, values map[string]any) ([]byte, error) {
	keys := sortedKeys(values)
	if b, ok := encodeCompact(deadline, keys, values); ok {
		return b, nil
	}
	st := stableSession{Deadline: deadline, Keys: keys, Values: make([]any, len(keys))}
	for i, k := range keys {
		st.Values[i] = values[k]
	}
	var b bytes.Buffer
	b.Write(stableMagic)
	if err := gob.NewEncoder(&b).Encode(&st); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// encodeCompact writes the magic, the deadline (Unix seconds and
// nanoseconds), the number of keys, then each key with a type tag and its
// value; ok is false when a value is of another type.
func encodeCompact(deadline time.Time, keys []string, values map[string]any) ([]byte, bool) {
	b := make([]byte, 0, 64+16*len(keys))
	b = append(b, compactMagic...)
	b = binary.AppendVarint(b, deadline.Unix())
	b = binary.AppendUvarint(b, uint64(deadline.Nanosecond()))
	b = binary.AppendUvarint(b, uint64(len(keys)))
	str := func(s string) { b = binary.AppendUvarint(b, uint64(len(s))); b = append(b, s...) }
	for _, k := range keys {
		str(k)
		switch v := values[k].(type) {
		case string:
			b = append(b, 's')
			str(v)
		case int:
			b = append(b, 'i')
			b = binary.AppendVarint(b, int64(v))
		case int64:
			b = append(b, 'I')
			b = binary.AppendVarint(b, v)
		case bool:
			b = append(b, 'b')
			if v {
				b = append(b, 1)
			} else {
				b = append(b, 0)
			}
		case float64:
			b = append(b, 'f')
			b = binary.BigEndian.AppendUint64(b, math.Float64bits(v))
		case time.Time:
			tb, err := v.MarshalBinary()
			if err != nil {
				return nil, false
			}
			b = append(b, 't')
			str(string(tb))
		default:
			return nil, false
		}
	}
	return b, true
}

var errBadSession = errors.New("session data: malformed")

func decodeCompact(b []byte) (time.Time, map[string]any, error) {
	uv := func() uint64 {
		v, n := binary.Uvarint(b)
		if n <= 0 {
			b = nil
			return 0
		}
		b = b[n:]
		return v
	}
	str := func() (string, bool) {
		n := uv()
		if b == nil || uint64(len(b)) < n {
			return "", false
		}
		s := string(b[:n])
		b = b[n:]
		return s, true
	}
	sec, n := binary.Varint(b)
	if n <= 0 {
		return time.Time{}, nil, errBadSession
	}
	b = b[n:]
	nsec := uv()
	count := uv()
	if b == nil || count > uint64(len(b)) {
		return time.Time{}, nil, errBadSession
	}
	values := make(map[string]any, count)
	for range count {
		k, ok := str()
		if !ok || len(b) == 0 {
			return time.Time{}, nil, errBadSession
		}
		tag := b[0]
		b = b[1:]
		switch tag {
		case 's':
			v, ok := str()
			if !ok {
				return time.Time{}, nil, errBadSession
			}
			values[k] = v
		case 'i', 'I':
			v, n := binary.Varint(b)
			if n <= 0 {
				return time.Time{}, nil, errBadSession
			}
			b = b[n:]
			if tag == 'i' {
				values[k] = int(v)
			} else {
				values[k] = v
			}
		case 'b':
			if len(b) < 1 {
				return time.Time{}, nil, errBadSession
			}
			values[k] = b[0] == 1
			b = b[1:]
		case 'f':
			if len(b) < 8 {
				return time.Time{}, nil, errBadSession
			}
			values[k] = math.Float64frombits(binary.BigEndian.Uint64(b))
			b = b[8:]
		case 't':
			s, ok := str()
			var t time.Time
			if !ok || t.UnmarshalBinary([]byte(s)) != nil {
				return time.Time{}, nil, errBadSession
			}
			values[k] = t
		default:
			return time.Time{}, nil, errBadSession
		}
	}
	if b == nil {
		return time.Time{}, nil, errBadSession
	}
	return time.Unix(sec, int64(nsec)).UTC(), values, nil
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
	if rest, ok := bytes.CutPrefix(b, compactMagic); ok {
		return decodeCompact(rest)
	}
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
// flash leaves a one-time notice, a message key of the catalogue, for the
// next page the browser opens (the page a POST redirects to). It travels in
// a short-lived cookie, not in the session: a save that sets a notice and
// the page that shows it then write nothing to the database (in the
// session, each did: a synchronous write per save and one per notice
// shown). The cookie is HttpOnly and, over HTTPS, a __Host- cookie that
// only this host can set; what it carries is checked against the
// catalogue's keys before it is shown (takeFlash).
func (s *Server) flash(ctx context.Context, key string) {
	if info := infoFrom(ctx); info != nil && info.header != nil {
		info.header.Add("Set-Cookie", s.flashCookie(key, 120).String())
	}
}

// hasFlash reports whether a notice is waiting for the page r asks for.
func (s *Server) hasFlash(r *http.Request) bool {
	_, err := r.Cookie(s.flashCookie("", 0).Name)
	return err == nil
}

// takeFlash returns the notice the previous response left, once: the
// cookie is cleared with this response. A value that is not a message key
// of the catalogue is dropped.
func (s *Server) takeFlash(r *http.Request) string {
	c, err := r.Cookie(s.flashCookie("", 0).Name)
	if err != nil || c.Value == "" {
		return ""
	}
	if info := infoFrom(r.Context()); info != nil && info.header != nil {
		info.header.Add("Set-Cookie", s.flashCookie("", -1).String())
	}
	if !flashKey.MatchString(c.Value) || !i18n.Has(c.Value) {
		return ""
	}
	return c.Value
}

// flashKey is the shape of a message key.
var flashKey = regexp.MustCompile(`^[a-z0-9_]+(\.[a-z0-9_]+)+$`)

// flashCookie is the notice's cookie holding value for maxAge seconds
// (negative: delete it).
func (s *Server) flashCookie(value string, maxAge int) *http.Cookie {
	c := &http.Cookie{Name: "thidua_flash", Value: value, Path: "/", MaxAge: maxAge, HttpOnly: true, SameSite: http.SameSiteLaxMode}
	if s.cfg.SessionSecure {
		c.Name, c.Secure = "__Host-thidua_flash", true
	}
	return c
}

// localPath returns next, cleaned, when it is a path on this site, else
// fallback: never an open redirect. The check is made on the cleaned form,
// the one http.Redirect sends ("/./\\x" would become "/\\x", which browsers
// read as "//x"), and a backslash anywhere, raw or escaped, is refused.
func localPath(next, fallback string) string {
	if next == "" || next[0] != '/' || strings.ContainsRune(next, '\\') {
		return fallback
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return fallback
	}
	clean := path.Clean(u.Path)
	if !strings.HasPrefix(clean, "/") || strings.HasPrefix(clean, "//") || !domain.ValidText(clean) ||
		strings.ContainsAny(clean, "\\\t\r\n") {
		return fallback
	}
	out := (&url.URL{Path: clean, RawQuery: u.RawQuery}).String()
	if out == "" || out[0] != '/' || strings.HasPrefix(out, "//") || strings.ContainsRune(out, '\\') {
		return fallback
	}
	return out
}
