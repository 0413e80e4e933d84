package server

import (
	"net/http"

	"thidua/internal/i18n"
	"thidua/web"
)

const auditPageSize = 100

// auditLog shows the audit log, newest first, a hundred lines a page.
func (s *Server) auditLog(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	before, err := queryID(r, "before")
	if err != nil {
		return err
	}
	recs, err := s.db.ListAudit(ctx, before, auditPageSize+1)
	if err != nil {
		return err
	}
	var v web.AuditView
	if len(recs) > auditPageSize {
		recs = recs[:auditPageSize]
		v.NextFrom = recs[len(recs)-1].ID
	}
	if v.Rows, err = s.describeAudit(ctx, recs); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, web.Audit(s.chrome(r, i18n.T(ctx, "audit.title")), v))
	return nil
}
