package server

import (
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"
)

// routeMethods are the methods the router may answer, in the order the
// Allow header lists them.
var routeMethods = []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete}

// methodNotAllowed answers 405 with the Allow header RFC 9110 asks for: the
// methods the path does take (HEAD wherever GET is, see middleware.GetHead).
func (s *Server) methodNotAllowed(w http.ResponseWriter, r *http.Request) {
	if allow := allowedMethods(r); allow != "" {
		w.Header().Set("Allow", allow)
	}
	s.renderError(w, r, http.StatusMethodNotAllowed, "error.method")
}

func allowedMethods(r *http.Request) string {
	rctx := chi.RouteContext(r.Context())
	if rctx == nil || rctx.Routes == nil {
		return ""
	}
	p := r.URL.RawPath
	if p == "" {
		p = r.URL.Path
	}
	var allow []string
	get := false
	for _, m := range routeMethods {
		ok := rctx.Routes.Match(chi.NewRouteContext(), m, p)
		switch m {
		case http.MethodGet:
			get = ok
		case http.MethodHead:
			ok = ok || get
		}
		if ok {
			allow = append(allow, m)
		}
	}
	return strings.Join(allow, ", ")
}
