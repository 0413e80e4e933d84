package server

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/a-h/templ"
	"github.com/jackc/pgx/v5/pgconn"

	"thidua/internal/domain"
	"thidua/internal/i18n"
	"thidua/web"
)

// handlerFunc is a handler that returns its failure; handle renders it.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// handle adapts a handlerFunc: the one place errors become pages.
func (s *Server) handle(h handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.fail(w, r, err)
		}
	}
}

// statusOf maps a domain error code to an HTTP status.
var statusOf = map[string]int{
	domain.EINVALID:      http.StatusBadRequest,
	domain.EUNAUTHORIZED: http.StatusUnauthorized,
	domain.EFORBIDDEN:    http.StatusForbidden,
	domain.ENOTFOUND:     http.StatusNotFound,
	domain.ECONFLICT:     http.StatusConflict,
	domain.ETOOLARGE:     http.StatusRequestEntityTooLarge,
	domain.EUNSUPPORTED:  http.StatusUnsupportedMediaType,
	domain.ETOOMANY:      http.StatusTooManyRequests,
	domain.EINTERNAL:     http.StatusInternalServerError,
}

// fail renders err as an error page. Internal errors are logged with the
// request ID and shown only as "internal error"; an unreachable database is a
// 503 that tells the user to try again shortly.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	ctx := r.Context()
	var tooLarge *http.MaxBytesError
	var ve *domain.ValidationError
	var te domain.TreeErrors
	switch {
	case errors.As(err, &ve):
		// A form error that reached here (no form to show it beside): a
		// 422 page listing the problems, never a 500.
		var msgs []string
		for _, key := range ve.Fields {
			msgs = append(msgs, i18n.T(ctx, key))
		}
		sort.Strings(msgs)
		s.renderErrorArgs(w, r, http.StatusUnprocessableEntity, "error.invalid_form", strings.Join(msgs, " "))
		return
	case errors.As(err, &te):
		var msgs []string
		for _, p := range te {
			msgs = append(msgs, i18n.T(ctx, "criteria.node")+" "+p.Code+": "+i18n.T(ctx, p.Message, p.Args...))
		}
		s.renderErrorArgs(w, r, http.StatusUnprocessableEntity, "error.invalid_form", strings.Join(msgs, " · "))
		return
	case errors.As(err, &tooLarge):
		s.renderError(w, r, http.StatusRequestEntityTooLarge, "error.too_large")
		return
	case domain.ErrorCode(err) == domain.EUNAUTHORIZED:
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	case domain.ErrorCode(err) == domain.EINTERNAL:
		if databaseDown(err) {
			s.log.Error("database unavailable", "request_id", requestID(ctx), "path", r.URL.Path, "err", err)
			w.Header().Set("Retry-After", "5")
			s.renderError(w, r, http.StatusServiceUnavailable, "error.unavailable")
			return
		}
		if errors.Is(err, context.Canceled) {
			return // the client went away
		}
		s.log.Error("internal error", "request_id", requestID(ctx), "path", r.URL.Path, "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "error.internal")
		return
	case domain.ErrorCode(err) == domain.EFORBIDDEN:
		var userID int64
		if u := userFrom(ctx); u != nil {
			userID = u.ID
		}
		s.log.Warn("security: permission denied", "request_id", requestID(ctx), "user_id", userID,
			"method", r.Method, "path", r.URL.Path, "client", s.clientAddr(r).String())
	}
	key, args := domain.ErrorMessage(err)
	s.renderErrorArgs(w, r, statusOf[domain.ErrorCode(err)], key, args...)
}

// databaseDown reports whether err comes from a database that cannot be
// reached, as during a PostgreSQL restart.
func databaseDown(err error) bool {
	var connectErr *pgconn.ConnectError
	var netErr net.Error
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		// 57P01..57P03: admin shutdown, crash shutdown, cannot connect now.
		return pgErr.Code == "57P01" || pgErr.Code == "57P02" || pgErr.Code == "57P03"
	}
	return errors.As(err, &connectErr) || errors.As(err, &netErr) || pgconn.SafeToRetry(err)
}

// renderError renders the error page with a status and a catalogue key.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, status int, key string) {
	s.renderErrorArgs(w, r, status, key)
}

func (s *Server) renderErrorArgs(w http.ResponseWriter, r *http.Request, status int, key string, args ...any) {
	ctx := r.Context()
	if userFrom(ctx) == nil {
		// Errors raised before loadUser ran still speak the visitor's language.
		ctx = i18n.WithLocale(ctx, s.localeFor(r, nil))
		r = r.WithContext(ctx)
	}
	if status == 0 {
		status = http.StatusInternalServerError
	}
	c := s.chrome(r, i18n.T(ctx, "error.title."+strconv.Itoa(status)))
	s.render(w, r, status, web.ErrorPage(c, web.ErrorView{
		Status:    status,
		TitleKey:  "error.title." + strconv.Itoa(status),
		Message:   i18n.T(ctx, key, args...),
		RequestID: requestID(ctx),
	}))
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// render writes a component with a status. It renders into a buffer first,
// so a failure mid-page never sends half a page with a 200.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, c templ.Component) {
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer bufPool.Put(buf)
	if err := c.Render(r.Context(), buf); err != nil {
		s.log.Error("render", "request_id", requestID(r.Context()), "err", err)
		http.Error(w, "Internal error", http.StatusInternalServerError)
		return
	}
	writeHTML(w, status, buf.Bytes())
}
