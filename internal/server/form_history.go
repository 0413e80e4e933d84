package server

import (
	"context"
	"net/http"

	"thidua/internal/domain"
	"thidua/internal/i18n"
	"thidua/internal/paths"
	"thidua/internal/postgres"
	"thidua/web"
)

// formHistoryShown is how many of a form's latest changes its pages (the
// self-assessment form, the appraisal form) show; the rest are on the
// form's history page. A save writes one entry per criterion changed, so a
// form saved a few dozen times has hundreds: read, rendered and sent with
// every opening of the form, on the deadline day over a commune's line.
const formHistoryShown = 30

// historyPageSize is how many entries a page of the whole history lists.
const historyPageSize = 100

// replyHistory is how far back the reply page reads a form's history, for
// the changes of each adjusted criterion.
const replyHistory = 500

// historyBox is the history end shown on a form page, linking to all.
func historyBox(ctx context.Context, recs *postgres.FormRecords, all string) web.HistoryBox {
	h := web.HistoryBox{Total: recs.HistoryTotal, AllHref: all}
	for _, r := range recs.History {
		h.Lines = append(h.Lines, historyLine(ctx, r))
	}
	return h
}

// assessmentHistory is a form's whole history for those who see it on the
// self-assessment form: staff and the unit's focal point.
func (s *Server) assessmentHistory(w http.ResponseWriter, r *http.Request) error {
	c := campaignOf(r)
	a, err := s.assessmentParam(r)
	if err != nil {
		return err
	}
	u := userFrom(r.Context())
	if !domain.CanReceive(u, accessOf(r)) && !domain.CanEditAssessment(u, a.UnitID) {
		return domain.Errorf(domain.ENOTFOUND, "assessment.not_found")
	}
	return s.renderFormHistory(w, r, c, a, paths.Assessment(c.ID, a.ID), "assessment.back_to_form")
}

// appraisalHistory is the same history for the form's appraisers.
func (s *Server) appraisalHistory(w http.ResponseWriter, r *http.Request) error {
	c, a, _, err := s.appraisalParam(r)
	if err != nil {
		return err
	}
	return s.renderFormHistory(w, r, c, a, paths.AppraisalForm(c.ID, a.ID), "appraisal.back_to_form")
}

func (s *Server) renderFormHistory(w http.ResponseWriter, r *http.Request, c *domain.Campaign, a *domain.Assessment, back, backKey string) error {
	ctx := r.Context()
	page := pageParam(r)
	records, total, err := s.db.AssessmentHistory(ctx, a.ID, (page-1)*historyPageSize, historyPageSize)
	if err != nil {
		return err
	}
	if len(records) == 0 && page > 1 {
		return redirectToPage(w, r, (total+historyPageSize-1)/historyPageSize)
	}
	v := web.FormHistoryView{Unit: a.UnitName, Campaign: c.Title, Phase: a.PhaseName, BackHref: back, BackKey: backKey,
		Total: total, Pager: pager(r, page, total, historyPageSize)}
	for _, h := range records {
		v.Lines = append(v.Lines, historyLine(ctx, h))
	}
	s.render(w, r, http.StatusOK, web.FormHistory(s.chrome(r, i18n.T(ctx, "history_page.title", a.UnitName)), v))
	return nil
}
