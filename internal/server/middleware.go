package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-chi/chi/v5/middleware"

	"thidua/internal/domain"
)

type requestInfoKey struct{}

// requestInfo is filled in as the request goes down the middleware, and read
// by the access log on the way back up.
type requestInfo struct {
	id     string
	userID int64
	// header is the response's header, for what a handler adds to it
	// from its context (the one-time notice's cookie, session.go).
	header http.Header
}

func infoFrom(ctx context.Context) *requestInfo {
	if info, ok := ctx.Value(requestInfoKey{}).(*requestInfo); ok {
		return info
	}
	return &requestInfo{}
}

func requestID(ctx context.Context) string { return infoFrom(ctx).id }

// assignRequestID gives every request a random ID, echoed in X-Request-ID
// and printed on error pages, so a user's report finds its log line.
func (s *Server) assignRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b := make([]byte, 8)
		_, _ = rand.Read(b)
		id := hex.EncodeToString(b)
		w.Header().Set("X-Request-ID", id)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), requestInfoKey{}, &requestInfo{id: id, header: w.Header()})))
	})
}

// logRequests writes one structured line per request.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
		next.ServeHTTP(ww, r)
		status := ww.Status()
		if status == 0 {
			status = http.StatusOK
		}
		s.log.LogAttrs(r.Context(), levelFor(status), "request",
			slog.String("request_id", requestID(r.Context())),
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.Int("status", status),
			slog.Int("bytes", ww.BytesWritten()),
			slog.Duration("duration", time.Since(start)),
			slog.Int64("user_id", infoFrom(r.Context()).userID),
			slog.String("client", s.clientAddr(r).String()),
		)
	})
}

// recoverPanics turns a panic into the generic 500 page; the stack goes to
// the log with the request ID, never to the user.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic", "request_id", requestID(r.Context()), "panic", v, "stack", string(debug.Stack()))
				s.renderError(w, r, http.StatusInternalServerError, "error.internal")
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// contentSecurityPolicy allows no inline script and no framing.
const contentSecurityPolicy = "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"

// securityHeaders sets the security headers (docs/architecture.md) on every response. Pages
// are not stored by caches; static files override that.
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	https := s.cfg.BaseURL != nil && s.cfg.BaseURL.Scheme == "https"
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		h.Set("Cache-Control", "no-store")
		if https || r.TLS != nil {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}

// checkInput limits the body and refuses, with a Vietnamese 400 page, any
// request whose path, query or form carries NUL bytes or invalid UTF-8.
// URL-encoded forms are parsed here, once, so handlers read r.PostForm.
func (s *Server) checkInput(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !cleanText(r.URL.Path) {
			s.renderError(w, r, http.StatusBadRequest, "error.bad_text")
			return
		}
		query, err := url.ParseQuery(r.URL.RawQuery)
		if err != nil || !cleanValues(query) {
			s.renderError(w, r, http.StatusBadRequest, "error.bad_text")
			return
		}
		if r.Body != nil && r.Method != http.MethodGet && r.Method != http.MethodHead {
			ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
			if ct == "multipart/form-data" {
				// Uploads stream to disk under their own limit; other routes
				// take no multipart bodies at all.
				if !uploadPath(r.URL.Path) {
					s.renderError(w, r, http.StatusUnsupportedMediaType, "error.unsupported")
					return
				}
				next.ServeHTTP(w, r)
				return
			}
			if r.ContentLength > s.cfg.MaxBodyBytes {
				s.renderError(w, r, http.StatusRequestEntityTooLarge, "error.too_large")
				return
			}
			r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes)
			if ct == "application/x-www-form-urlencoded" {
				if err := r.ParseForm(); err != nil {
					var tooLarge *http.MaxBytesError
					if errors.As(err, &tooLarge) {
						s.renderError(w, r, http.StatusRequestEntityTooLarge, "error.too_large")
					} else {
						s.renderError(w, r, http.StatusBadRequest, "error.bad_text")
					}
					return
				}
				if !cleanValues(r.PostForm) {
					s.renderError(w, r, http.StatusBadRequest, "error.bad_text")
					return
				}
			}
		}
		next.ServeHTTP(w, r)
	})
}

// uploadPath reports whether a path takes file uploads.
func uploadPath(path string) bool {
	if path == "/units/import" || path == "/people/import" || path == "/measures/import" {
		return true
	}
	if path == "/awards/import" { // past awards (achievements.go)
		return true
	}
	return strings.HasPrefix(path, "/campaigns/") && (strings.HasSuffix(path, "/attachments") || strings.HasSuffix(path, "/import") ||
		strings.HasSuffix(path, "/evidence")) || nominationUploadPath(path)
}

func cleanText(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsRune(s, 0)
}

func cleanValues(v url.Values) bool {
	for k, vs := range v {
		if !domain.ValidText(k) {
			return false
		}
		for _, x := range vs {
			if !domain.ValidText(x) {
				return false
			}
		}
	}
	return true
}
