package server

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"thidua/internal/domain"
	"thidua/internal/i18n"
	"thidua/internal/paths"
	"thidua/internal/postgres"
	"thidua/web"
)

// rankingScope is what a ranking is of: a campaign, one of its phases and
// one of its participant groups (criteria sets for collectives).
type rankingScope struct {
	campaign *domain.Campaign
	phases   []domain.Phase
	sets     []postgres.CriteriaSet
	phase    *domain.Phase
	set      *postgres.CriteriaSet
}

// rankingScopeOf loads the campaign and the phase and set chosen by the
// query (?phase=, ?set=; the first of each when not given). A phase or set
// of another campaign is not found.
func (s *Server) rankingScopeOf(r *http.Request) (*rankingScope, error) {
	ctx := r.Context()
	c := campaignOf(r) // loaded, and the reader allowed (domain.CanReadRanking), by the campaign routes
	sc := &rankingScope{campaign: c}
	var err error
	if sc.phases, err = s.db.Phases(ctx, c.ID); err != nil {
		return nil, err
	}
	sets, err := s.db.CriteriaSets(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	for _, set := range sets {
		if !set.Individual {
			sc.sets = append(sc.sets, set)
		}
	}
	q := r.URL.Query()
	if len(sc.phases) == 0 {
		return nil, domain.Errorf(domain.ENOTFOUND, "ranking.no_phase")
	}
	if len(sc.sets) == 0 {
		return nil, domain.Errorf(domain.ENOTFOUND, "ranking.no_group")
	}
	sc.phase, sc.set = &sc.phases[0], &sc.sets[0]
	if v := q.Get("phase"); v != "" {
		sc.phase = nil
		for i := range sc.phases {
			if strconv.FormatInt(sc.phases[i].ID, 10) == v {
				sc.phase = &sc.phases[i]
			}
		}
		if sc.phase == nil {
			return nil, domain.Errorf(domain.ENOTFOUND, "phase.not_found")
		}
	}
	if v := q.Get("set"); v != "" {
		sc.set = nil
		for i := range sc.sets {
			if strconv.FormatInt(sc.sets[i].ID, 10) == v {
				sc.set = &sc.sets[i]
			}
		}
		if sc.set == nil {
			return nil, domain.Errorf(domain.ENOTFOUND, "criteria.set.not_found")
		}
	}
	return sc, nil
}

// signedPoints writes a difference with its sign: "+1,25", "-4,5", "0".
func signedPoints(p domain.Points) string {
	if p > 0 {
		return "+" + p.String()
	}
	return p.String()
}

// statusLabels translates the form statuses once per page.
func statusLabels(r *http.Request) map[domain.AssessmentStatus]string {
	out := map[domain.AssessmentStatus]string{}
	for _, st := range []domain.AssessmentStatus{domain.AssessDraft, domain.AssessSubmitted, domain.AssessReturned, domain.AssessReceived,
		domain.AssessAppraised, domain.AssessLocked} {
		out[st] = i18n.T(r.Context(), "ranking.status."+string(st))
	}
	return out
}

// bandLabels translates the band names once per page.
func bandLabels(r *http.Request) map[string]string {
	out := map[string]string{}
	for _, b := range domain.BandNames {
		out[b] = i18n.T(r.Context(), "band."+b)
	}
	return out
}

// ranking is a campaign's ranking for a phase and participant group: staff,
// admins and leaders read it.
func (s *Server) ranking(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	sc, err := s.rankingScopeOf(r)
	if err != nil {
		return err
	}
	c := sc.campaign
	_, areas, leafArea, err := s.db.RankingAreas(ctx, sc.set.ID)
	if err != nil {
		return err
	}
	v := web.RankingView{CampaignID: c.ID, Campaign: c.Title, Back: paths.Campaign(c.ID), Phase: sc.phase.Name, Set: sc.set.Name,
		Bands: bandsText(ctx, c.Bands), ExportCSV: paths.RankingOf(c.ID, sc.phase.ID, sc.set.ID, ".csv"), ExportXLSX: paths.RankingOf(c.ID, sc.phase.ID, sc.set.ID, ".xlsx"),
		Results: paths.ResultsGroup(c.ID, sc.phase.ID, sc.set.ID)}
	if !domain.HasRole(userFrom(ctx), domain.RoleStaff) {
		v.Back = "/home" // leaders have no staff campaign page
	}
	for _, p := range sc.phases {
		v.Phases = append(v.Phases, web.Option{Value: strconv.FormatInt(p.ID, 10), Label: p.Name, Selected: p.ID == sc.phase.ID})
	}
	for _, set := range sc.sets {
		v.Sets = append(v.Sets, web.Option{Value: strconv.FormatInt(set.ID, 10), Label: set.Name, Selected: set.ID == sc.set.ID})
	}
	for _, a := range areas {
		v.Areas = append(v.Areas, i18n.T(ctx, "ranking.col.area", a.Code))
		v.AreaTitles = append(v.AreaTitles, a.Title)
	}
	statuses, bands := statusLabels(r), bandLabels(r)
	na := i18n.T(ctx, "ranking.na")
	lastTied := 0
	err = s.db.Ranking(ctx, c.ID, sc.phase.ID, sc.set.ID, len(areas), leafArea, func(x *postgres.RankingRow) error {
		band := c.Bands.Classify(x.Final)
		diff := domain.Difference(x.Self, x.Appraised)
		row := web.RankingRowView{Rank: strconv.Itoa(x.Rank), Tied: x.Tied, Href: paths.RankingForm(c.ID, x.AssessmentID),
			Unit: x.UnitName, Code: x.UnitCode, Self: x.Self.String(), Appraised: x.Appraised.String(), Final: x.Final.String(),
			Difference: signedPoints(diff), Lowered: diff < 0, Band: band, BandLabel: bands[band],
			SelfValue: int64(x.Self), AppraisedValue: int64(x.Appraised), FinalValue: int64(x.Final)}
		if x.Status != domain.AssessLocked {
			row.StatusKey, row.Status = string(x.Status), statuses[x.Status]
		}
		row.Areas = make([]string, len(x.Areas))
		for i, p := range x.Areas {
			if p == nil {
				row.Areas[i] = na
			} else {
				row.Areas[i] = p.String()
			}
		}
		if x.Tied && x.Rank != lastTied {
			v.Ties++
			lastTied = x.Rank
		}
		v.Rows = append(v.Rows, row)
		return nil
	})
	if err != nil {
		return err
	}
	pending, err := s.db.RankingPending(ctx, c.ID, sc.phase.ID, sc.set.ID)
	if err != nil {
		return err
	}
	for _, x := range pending {
		v.Pending = append(v.Pending, web.RankingPendingView{Href: paths.RankingForm(c.ID, x.AssessmentID),
			Unit: x.UnitName, Status: string(x.Status), Label: statuses[x.Status], Self: x.Self.String()})
	}
	s.render(w, r, http.StatusOK, web.Ranking(s.chrome(r, i18n.T(ctx, "ranking.title")+" · "+c.Title), v))
	return nil
}

// rankingDetail is "why this total": every criterion of one form of the
// campaign with its self, appraised and final value, the appraisal's
// comment and the reply with its decision.
func (s *Server) rankingDetail(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	sc, err := s.rankingScopeOf(r)
	if err != nil {
		return err
	}
	c := sc.campaign
	id, err := strconv.ParseInt(chi.URLParam(r, "assessmentID"), 10, 64)
	if err != nil || id <= 0 {
		return domain.Errorf(domain.ENOTFOUND, "assessment.not_found")
	}
	f, err := s.db.RankedFormByID(ctx, c.ID, id)
	if err != nil {
		return err
	}
	nodes, err := s.db.Criteria(ctx, f.SetID)
	if err != nil {
		return err
	}
	back := paths.RankingOf(c.ID, f.PhaseID, f.SetID, "")
	v := web.RankingDetailView{Back: back, Unit: f.UnitName, Subtitle: f.PhaseName + " · " + f.SetName,
		Status: i18n.T(ctx, "ranking.status."+string(f.Status)), StatusKey: string(f.Status)}
	ranked := f.Status.Ranked()
	if ranked {
		rank, tied, err := s.db.RankOf(ctx, f)
		if err != nil {
			return err
		}
		v.Rank = strconv.Itoa(rank)
		if tied {
			v.Rank += " (" + i18n.T(ctx, "ranking.tie") + ")"
		}
		v.Band = i18n.T(ctx, "band."+c.Bands.Classify(f.Final))
	}
	v.Totals = []web.Stat{{LabelKey: "ranking.total.self", Value: f.Self.String()}}
	if ranked || f.Status == domain.AssessReceived {
		v.Totals = append(v.Totals, web.Stat{LabelKey: "ranking.total.appraised", Value: f.Appraised.String()},
			web.Stat{LabelKey: "ranking.total.final", Value: f.Final.String()},
			web.Stat{LabelKey: "ranking.total.final_points", Value: f.FinalPoints.String() + " / " + f.FinalMax.String()})
	}
	values := make(map[int64]domain.ScoreValues, len(f.Values))
	for id, x := range f.Values {
		values[id] = domain.ScoreValues{Self: x.Self, Appraised: x.Appraised, Final: x.Final}
	}
	if ranked {
		if _, _, final := domain.Explain(nodes, values); final.Converted != f.Final {
			v.Mismatch = i18n.T(ctx, "ranking.why.mismatch", f.Final.String(), final.Converted.String())
		}
	}
	na, none := i18n.T(ctx, "ranking.na"), i18n.T(ctx, "ranking.not_given")
	value := func(e domain.Entry) string {
		switch {
		case e.NA:
			return na
		case e.Points == nil:
			return none
		}
		return e.Points.String()
	}
	leaves := map[int64]bool{}
	for _, l := range domain.Leaves(nodes) {
		leaves[l.ID] = true
	}
	depth := map[int64]int{}
	for _, n := range nodes { // tree order: a parent comes before its children
		if n.ParentID != nil {
			depth[n.ID] = depth[*n.ParentID] + 1
		}
		row := web.RankingDetailRowView{Code: n.Code, Title: n.Title, Depth: depth[n.ID], Heading: !leaves[n.ID]}
		if leaves[n.ID] {
			x := f.Values[n.ID]
			row.Max, row.Self, row.Appraised, row.Final = n.Max.String(), value(x.Self), value(x.Appraised), value(x.Final)
			row.Changed = row.Final != row.Self && (x.Final.Points != nil || x.Final.NA)
			row.Comment, row.Source, row.Reply, row.Reason = x.AppraisalComment, x.AppraisalSource, x.Reply, x.ReplyReason
			if x.ReplyDecision != "" {
				row.Decision = i18n.T(ctx, "ranking.decision."+x.ReplyDecision)
			}
		}
		v.Rows = append(v.Rows, row)
	}
	s.render(w, r, http.StatusOK, web.RankingDetail(s.chrome(r, i18n.T(ctx, "ranking.why", f.UnitName)), v))
	return nil
}
