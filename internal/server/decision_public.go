package server

import (
	"net/http"

	"thidua/internal/domain"
	"thidua/internal/i18n"
	"thidua/internal/paths"
	"thidua/internal/postgres"
	"thidua/web"
)

// Publication: a signed decision as anyone reads it, with its PDF; a
// revoked one stays published and says by which decision it was revoked.
// A draft is not found, exactly as a missing decision.

// publishedDecisionOf loads a decision anyone may read.
func (s *Server) publishedDecisionOf(r *http.Request) (*postgres.DecisionInfo, error) {
	d, err := s.decisionOf(r)
	if err != nil {
		return nil, err
	}
	if d.Status == domain.DecisionDraft {
		return nil, domain.Errorf(domain.ENOTFOUND, "decision.not_found")
	}
	return d, nil
}

// publicDecision shows a published decision.
func (s *Server) publicDecision(w http.ResponseWriter, r *http.Request) error {
	d, err := s.publishedDecisionOf(r)
	if err != nil {
		return err
	}
	v, _, err := s.decisionText(r, d, true)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, web.PublicDecision(s.chrome(r, v.Heading), web.PublicDecisionView{Decision: v, PDFHref: paths.PublicDecisionPDF(d.ID)}))
	return nil
}

// publicDecisionPDF sends a published decision's PDF.
func (s *Server) publicDecisionPDF(w http.ResponseWriter, r *http.Request) error {
	d, err := s.publishedDecisionOf(r)
	if err != nil {
		return err
	}
	return s.sendDecisionPDF(w, r, d)
}

// decisionLinks are the latest published decisions for the public home.
func (s *Server) decisionLinks(r *http.Request) ([]web.DecisionLink, error) {
	list, err := s.db.PublishedDecisions(r.Context(), 20)
	if err != nil {
		return nil, err
	}
	var out []web.DecisionLink
	for _, d := range list {
		out = append(out, web.DecisionLink{Href: paths.PublicDecision(d.ID), Number: d.Number, Date: i18n.Day(*d.Date), Title: d.Title,
			Issuer: d.Issuer.Name, Revoked: d.Status == domain.DecisionRevoked})
	}
	return out, nil
}
