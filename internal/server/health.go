package server

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"thidua/internal/storage"
)

// healthz answers while the process runs: liveness only.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("ok\n"))
}

// readyz answers 200 only when the database is reachable, its schema is at
// the binary's migration version and the evidence store takes files; else
// 503, so a load balancer holds traffic and monitoring sees it. The store is
// probed by writing and removing a one-byte file: "not_writable" (503) when
// that fails, "full" when its disk is full. A full store keeps the instance
// ready but marks it "degraded": every instance shares the one store, so
// holding traffic would take the whole portal down on the deadline day,
// while reading, scoring and submitting still work and only uploads get 507.
//
// An instance told to stop (Drain, on SIGTERM) answers 503 "draining" at
// once, without probing, while it still serves the requests that arrive
// until the load balancer has seen it.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	if s.draining.Load() {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusServiceUnavailable)
		_ = json.NewEncoder(w).Encode(map[string]any{"ready": false, "draining": true})
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	report := map[string]any{}
	ok := true
	st, err := s.db.MigrationStatus(ctx)
	if err != nil {
		ok = false
		report["database"] = "unreachable"
		s.log.Warn("readyz: database unreachable", "err", err)
	} else {
		report["database"] = "ok"
		report["migrations"] = map[string]any{"version": st.Version, "latest": st.Latest, "dirty": st.Dirty, "current": st.Current()}
		ok = st.Current()
	}
	report["evidence_store"] = "ok"
	if err := s.store.Writable(ctx); err != nil {
		if errors.Is(err, storage.ErrNoSpace) {
			report["evidence_store"] = "full"
			report["degraded"] = true
		} else {
			ok = false
			report["evidence_store"] = "not_writable"
		}
		s.log.Warn("readyz: evidence store cannot be written", "err", err)
	}
	status := http.StatusOK
	if !ok {
		status = http.StatusServiceUnavailable
	}
	report["ready"] = ok
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(report)
}
