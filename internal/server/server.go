// Package server is the HTTP side of Thi Đua: chi routes, middleware and one
// file per resource. Handlers stay thin: they parse, call the domain and the
// database, and render a view model.
package server

import (
	"context"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/alexedwards/scs/v2"

	"thidua/internal/config"
	"thidua/internal/postgres"
	"thidua/internal/storage"
)

// Server holds the dependencies of the handlers.
type Server struct {
	cfg       *config.Config
	db        *postgres.DB
	log       *slog.Logger
	sessions  *scs.SessionManager
	store     storage.Store
	sessStore *postgres.SessionStore
	cop       *http.CrossOriginProtection
	handler   http.Handler
	// sleep waits out a sign-in delay (see domain.LoginCounts); nil is a
	// real timer. Tests replace it so that they never sleep.
	sleep func(context.Context, time.Duration) error
	// draining is set when the instance is about to stop: /readyz answers
	// 503 so that the load balancer sends no new requests.
	draining atomic.Bool
	// publicPages keeps campaigns' public pages for visitors, campaignLists
	// the staff list of campaigns below the layout (kept_pages.go).
	publicPages   keptPages[publicPageKey]
	campaignLists keptPages[string]
}

// Drain marks the instance as stopping: from now on /readyz answers 503
// ("draining"), while every request still gets its answer.
func (s *Server) Drain() { s.draining.Store(true) }

// New builds the server and its routes.
func New(cfg *config.Config, db *postgres.DB, store storage.Store, log *slog.Logger) *Server {
	s := &Server{cfg: cfg, db: db, store: store, log: log}
	// An upload's row checks, under its content's lock, that the store
	// still holds the content (postgres.DB.FileStored).
	db.FileStored = func(ctx context.Context, sum string) (bool, error) { return storage.Has(ctx, store, sum) }
	// A signed-in GET does not write: the stored idle deadline is pushed
	// forward at most once a minute (see postgres.SessionStore), or once a
	// quarter of the idle timeout when that is shorter, so that a short
	// timeout never expires an active session between two writes.
	s.sessStore = postgres.NewSessionStore(db, min(time.Minute, cfg.SessionIdleTimeout/4), 10*time.Minute, log)
	s.sessStore.UserOf = sessionUserID
	sm := scs.New()
	sm.Store = s.sessStore
	sm.Codec = stableCodec{}
	sm.IdleTimeout = cfg.SessionIdleTimeout
	sm.Lifetime = cfg.SessionLifetime
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Path = "/"
	sm.Cookie.Persist = false
	if cfg.SessionSecure {
		// __Host- binds the cookie to this host, over HTTPS, for every path.
		sm.Cookie.Name = "__Host-thidua_session"
		sm.Cookie.Secure = true
	} else {
		sm.Cookie.Name = "thidua_session"
	}
	sm.ErrorFunc = func(w http.ResponseWriter, r *http.Request, err error) { s.fail(w, r, err) }
	s.sessions = sm

	s.cop = http.NewCrossOriginProtection()
	if cfg.BaseURL != nil {
		_ = s.cop.AddTrustedOrigin(cfg.BaseURL.Scheme + "://" + cfg.BaseURL.Host)
	}
	// RFC 8058's one-click unsubscribe comes from mail clients, with no
	// Origin; the signed token in the path is what authorises it.
	s.cop.AddInsecureBypassPattern("POST /unsubscribe/{token}")
	s.cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.log.Warn("security: cross-origin request refused", "request_id", requestID(r.Context()),
			"method", r.Method, "path", r.URL.Path, "origin", r.Header.Get("Origin"), "sec_fetch_site", r.Header.Get("Sec-Fetch-Site"))
		s.renderError(w, r, http.StatusForbidden, "error.cross_origin")
	}))
	s.handler = s.routes()
	return s
}

// ServeHTTP serves the portal.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Close stops the session store's cleanup.
func (s *Server) Close() {
	s.sessStore.Stop()
}
