package server

import (
	"fmt"
	"net/http"

	"thidua/internal/domain"
	"thidua/internal/i18n"
	"thidua/web"
)

// publicResults shows a campaign's published results to everyone: only the
// groups a leader approved; a campaign with none is not found, exactly as a
// missing one, so nothing unpublished shows through.
func (s *Server) publicResults(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c := campaignOf(r)
	groups, err := s.db.PublishedResults(ctx, c.ID)
	if err != nil {
		return err
	}
	if len(groups) == 0 {
		return domain.Errorf(domain.ENOTFOUND, "results.not_published")
	}
	v := web.PublicResultsView{CampaignID: c.ID, CampaignTitle: c.Title, PlanNumber: c.PlanNumber}
	for i, g := range groups {
		totals := make([]int64, len(g.Rows))
		for j, x := range g.Rows {
			totals[j] = int64(x.FinalConverted)
		}
		v.Groups = append(v.Groups, web.PublicResultGroup{
			Title: g.PhaseName + " · " + g.SetName, PublishedAt: i18n.DateTime(g.PublishedAt),
			Rows:  resultRowViews(ctx, g.Rows),
			Chart: distributionChart(ctx, fmt.Sprintf("chart-dist-%d", i+1), c.Bands, totals, i18n.T(ctx, "results.chart.dist.public_note")),
		})
	}
	s.render(w, r, http.StatusOK, web.PublicResults(s.chrome(r, i18n.T(ctx, "results.public.title")+" – "+c.Title), v))
	return nil
}
