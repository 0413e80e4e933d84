package server

import (
	"context"
	"net/http"
	"strconv"

	"thidua/internal/domain"
	"thidua/internal/i18n"
	"thidua/internal/paths"
	"thidua/internal/postgres"
	"thidua/web"
)

// measureValuesShown bounds the values the measures page lists at once.
const measureValuesShown = 500

// measuresPage lists the external measures (with their scale and
// publisher) and the current values of one measure or period.
func (s *Server) measuresPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	measures, err := s.db.Measures(ctx)
	if err != nil {
		return err
	}
	periods, err := s.db.MeasurePeriods(ctx)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	var measureID int64
	if raw := q.Get("measure"); raw != "" {
		if measureID, err = strconv.ParseInt(raw, 10, 64); err != nil || measureID < 0 {
			return domain.Errorf(domain.EINVALID, "field.invalid")
		}
	}
	period := 0
	if raw := q.Get("period"); raw != "" {
		if period, err = strconv.Atoi(raw); err != nil || !domain.ValidMeasurePeriod(period) {
			return domain.Errorf(domain.EINVALID, "field.invalid")
		}
	}
	byID := map[int64]*domain.Measure{}
	v := web.MeasuresView{}
	v.MeasureOptions = append(v.MeasureOptions, web.Option{Value: "", Label: i18n.T(ctx, "measures.all")})
	for i := range measures {
		m := &measures[i]
		byID[m.ID] = m
		v.Measures = append(v.Measures, web.MeasureRow{Code: m.Code, Name: m.Name, Scale: i18n.T(ctx, "measures.scale."+string(m.Scale)),
			Range: m.FormatValue(m.Min) + " – " + m.FormatValue(m.Max), Publisher: m.Publisher})
		v.MeasureOptions = append(v.MeasureOptions, web.Option{Value: strconv.FormatInt(m.ID, 10), Label: m.ShortName, Selected: m.ID == measureID})
	}
	if measureID != 0 && byID[measureID] == nil {
		return domain.Errorf(domain.ENOTFOUND, "measures.not_found")
	}
	v.PeriodOptions = append(v.PeriodOptions, web.Option{Value: "", Label: i18n.T(ctx, "measures.all_periods")})
	for _, p := range periods {
		v.PeriodOptions = append(v.PeriodOptions, web.Option{Value: strconv.Itoa(p), Label: strconv.Itoa(p), Selected: p == period})
	}
	values, err := s.db.MeasureValues(ctx, measureID, period, measureValuesShown+1)
	if err != nil {
		return err
	}
	if len(values) > measureValuesShown {
		values, v.More = values[:measureValuesShown], true
	}
	for _, x := range values {
		m := byID[x.MeasureID]
		row := web.MeasureValueRow{Measure: m.ShortName, Unit: x.UnitName, UnitCode: x.UnitCode, Period: strconv.Itoa(x.Period),
			Value: m.FormatValue(x.Value), Source: x.Source, Published: i18n.Day(x.PublishedOn), ImportedBy: x.ImportedBy,
			ImportedAt: i18n.DateTime(x.ImportedAt)}
		if x.Replaced > 0 {
			row.History = i18n.T(ctx, "measures.replaced", x.Replaced)
		}
		v.Values = append(v.Values, row)
	}
	s.render(w, r, http.StatusOK, web.Measures(s.chrome(r, i18n.T(ctx, "measures.title")), v))
	return nil
}

// measureOptions are the choices of the criterion form's index select.
func measureOptions(measures []domain.Measure) []web.Option {
	opts := make([]web.Option, 0, len(measures))
	for _, m := range measures {
		opts = append(opts, web.Option{Value: strconv.FormatInt(m.ID, 10), Label: m.ShortName + " — " + m.Name})
	}
	return opts
}

// measureLink says which index a criterion takes its appraised value from:
// "(điểm thẩm định lấy từ PAR INDEX 2025)"; "" when it takes none.
func measureLink(ctx context.Context, measures []domain.Measure, n domain.Criterion) string {
	if n.MeasureID == 0 {
		return ""
	}
	for _, m := range measures {
		if m.ID == n.MeasureID {
			return i18n.T(ctx, "criteria.measure.linked", m.ShortName, n.MeasurePeriod)
		}
	}
	return ""
}

// campaignMeasures shows the criteria of a campaign linked to an external
// index and, per phase, the action that fills their appraised values.
func (s *Server) campaignMeasures(w http.ResponseWriter, r *http.Request) error {
	return s.renderCampaignMeasures(w, r, campaignOf(r), nil, nil)
}

// applyMeasures fills the appraised values of a phase's forms being
// appraised from the external indices, and shows what it did: the values
// filled with their source, the units without a value (never given zero),
// the criteria appraised by hand (kept) and the forms left alone.
func (s *Server) applyMeasures(w http.ResponseWriter, r *http.Request) error {
	c := campaignOf(r)
	p, err := s.phaseParam(r, c)
	if err != nil {
		return err
	}
	rep, err := s.db.ApplyMeasures(r.Context(), c.ID, p.ID)
	if err != nil {
		return err
	}
	return s.renderCampaignMeasures(w, r, c, p, rep)
}

func (s *Server) renderCampaignMeasures(w http.ResponseWriter, r *http.Request, c *domain.Campaign, phase *domain.Phase, rep *postgres.MeasureApplyReport) error {
	ctx := r.Context()
	linked, err := s.db.LinkedCriteria(ctx, c.ID)
	if err != nil {
		return err
	}
	phases, err := s.db.Phases(ctx, c.ID)
	if err != nil {
		return err
	}
	v := web.CampaignMeasuresView{CampaignID: c.ID, Title: c.Title}
	for _, l := range linked {
		v.Linked = append(v.Linked, web.LinkedCriterionRow{Set: l.SetName, Code: l.Criterion.Code, Title: l.Criterion.Title,
			Measure: l.Measure.ShortName + " " + strconv.Itoa(l.Criterion.MeasurePeriod), Method: describeMethod(ctx, l.Criterion)})
	}
	for _, p := range phases {
		v.Phases = append(v.Phases, web.MeasurePhase{ID: p.ID, Name: p.Name})
	}
	if rep != nil {
		out := &web.MeasureApplyView{Phase: phase.Name, Forms: rep.Forms, Unchanged: rep.Unchanged}
		form := func(id int64) string { return paths.Assessment(c.ID, id) }
		for _, f := range rep.Filled {
			out.Filled = append(out.Filled, web.MeasureApplyRow{Href: form(f.AssessmentID), Unit: f.UnitName, Code: f.Code,
				Detail: i18n.T(ctx, "measures.apply.filled_detail", f.Value, f.Points.String()), Source: f.Source})
		}
		for _, g := range rep.Missing {
			out.Missing = append(out.Missing, web.MeasureApplyRow{Href: form(g.AssessmentID), Unit: g.UnitName, Code: g.Code, Detail: g.Measure})
		}
		for _, g := range rep.ByHand {
			out.ByHand = append(out.ByHand, web.MeasureApplyRow{Href: form(g.AssessmentID), Unit: g.UnitName, Code: g.Code, Detail: g.Measure})
		}
		for _, sk := range rep.Skipped {
			out.Skipped = append(out.Skipped, web.MeasureApplyRow{Href: form(sk.AssessmentID), Unit: sk.UnitName,
				Detail: i18n.T(ctx, "measures.apply.skip."+string(sk.Status))})
		}
		v.Report = out
	}
	s.render(w, r, http.StatusOK, web.CampaignMeasures(s.chrome(r, i18n.T(ctx, "measures.campaign.title")), v))
	return nil
}
