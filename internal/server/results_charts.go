package server

import (
	"context"
	"fmt"
	"sort"
	"strconv"

	"thidua/internal/chart"
	"thidua/internal/domain"
	"thidua/internal/i18n"
	"thidua/internal/postgres"
	"thidua/web"
)

// The charts of a group's results, each with the table of its numbers.
// Built from plain data (totals, thresholds, counts), so any page holding
// those numbers can show them.

// maxDiffUnits is how many units the difference chart shows: those whose
// appraised total differs most from their own.
const maxDiffUnits = 20

// progressOrder is the order of a form's statuses on the progress chart.
var progressOrder = []domain.AssessmentStatus{domain.AssessDraft, domain.AssessSubmitted, domain.AssessReturned,
	domain.AssessReceived, domain.AssessAppraised, domain.AssessLocked}

// appraisalDone reports whether a form's appraisal is complete, so its
// appraised and final totals are its own and not partial.
func appraisalDone(st domain.AssessmentStatus) bool {
	return st == domain.AssessAppraised || st == domain.AssessLocked
}

// groupCharts builds the four charts of a group: the distribution of final
// totals, the average per area, the difference between appraised and self
// totals per unit, and the appraisal progress.
func groupCharts(ctx context.Context, bands domain.Bands, forms []postgres.GroupForm, areas []postgres.AreaAverage) []web.ChartView {
	var totals []int64
	var done []postgres.GroupForm
	for _, f := range forms {
		if appraisalDone(f.Status) {
			totals = append(totals, int64(f.FinalConverted))
			done = append(done, f)
		}
	}
	return []web.ChartView{
		distributionChart(ctx, "chart-dist", bands, totals, i18n.T(ctx, "results.chart.dist.note")),
		areaChart(ctx, areas),
		diffChart(ctx, done),
		progressChart(ctx, forms),
	}
}

// bandScale is a campaign's bands as the histogram draws them, lowest first.
func bandScale(ctx context.Context, b domain.Bands) []chart.Band {
	return []chart.Band{
		{From: 0, Name: i18n.T(ctx, "band.weak")},
		{From: int64(b.Average), Name: i18n.T(ctx, "band.average")},
		{From: int64(b.Fair), Name: i18n.T(ctx, "band.fair")},
		{From: int64(b.Good), Name: i18n.T(ctx, "band.good")},
		{From: int64(b.Excellent), Name: i18n.T(ctx, "band.excellent")},
	}
}

// distributionChart is the histogram of totals (final converted totals, in
// hundredths) in intervals of 5 points, with the band thresholds marked.
func distributionChart(ctx context.Context, id string, b domain.Bands, totals []int64, note string) web.ChartView {
	scale := bandScale(ctx, b)
	h := chart.Histogram{ID: id, Values: totals, Min: 0, Max: 10000, Step: 500, Bands: scale,
		Title:  i18n.T(ctx, "results.chart.dist"),
		XLabel: i18n.T(ctx, "results.chart.dist.x"), YLabel: i18n.T(ctx, "results.chart.dist.y")}
	counts := h.BandCounts()
	summary := ""
	for i := len(scale) - 1; i >= 0; i-- {
		if summary != "" {
			summary += "; "
		}
		summary += scale[i].Name + ": " + strconv.Itoa(counts[i])
	}
	h.Desc = i18n.T(ctx, "results.chart.dist.desc", len(totals), summary)
	v := web.ChartView{ID: id, Title: h.Title, Note: note,
		Table: web.ChartTable{Caption: h.Title, Head: []string{i18n.T(ctx, "results.chart.dist.range"), i18n.T(ctx, "results.chart.band"), i18n.T(ctx, "results.chart.dist.y")}}}
	if len(totals) == 0 {
		v.Empty = i18n.T(ctx, "results.chart.empty")
		return v
	}
	v.SVG = h.SVG()
	bins := h.Bins()
	for i := len(bins) - 1; i >= 0; i-- {
		bin := bins[i]
		if bin.Count == 0 {
			continue
		}
		rng := i18n.T(ctx, "results.chart.dist.bin", chart.Hundredths(bin.From), chart.Hundredths(bin.To))
		if i == len(bins)-1 {
			rng = i18n.T(ctx, "results.chart.dist.bin_last", chart.Hundredths(bin.From), chart.Hundredths(bin.To))
		}
		v.Table.Rows = append(v.Table.Rows, []string{rng, scale[bin.Band].Name, strconv.Itoa(bin.Count)})
	}
	for i := len(scale) - 1; i >= 0; i-- {
		v.Table.Foot = append(v.Table.Foot, []string{i18n.T(ctx, "results.chart.band_total"), scale[i].Name, strconv.Itoa(counts[i])})
	}
	return v
}

// percent writes hundredths of a percent: "85,5 %".
func percent(v int64) string { return chart.Hundredths(v) + " %" }

// areaChart shows, per area, the average share of its maximum reached, as
// self-assessed and after appraisal.
func areaChart(ctx context.Context, areas []postgres.AreaAverage) web.ChartView {
	self, final := i18n.T(ctx, "results.chart.self"), i18n.T(ctx, "results.chart.final")
	b := chart.Bars{ID: "chart-areas", Title: i18n.T(ctx, "results.chart.areas"), Series: []string{self, final}, Max: 10000, Format: percent}
	v := web.ChartView{ID: b.ID, Title: b.Title, Note: i18n.T(ctx, "results.chart.areas.note"),
		Table: web.ChartTable{Caption: b.Title, Head: []string{i18n.T(ctx, "results.chart.area"), self, final}}}
	for _, a := range areas {
		label := a.Code + ". " + a.Title
		b.Items = append(b.Items, chart.BarItem{Label: label, Values: []int64{int64(a.Self), int64(a.Final)}})
		v.Table.Rows = append(v.Table.Rows, []string{label, percent(int64(a.Self)), percent(int64(a.Final))})
	}
	if len(areas) == 0 {
		v.Empty = i18n.T(ctx, "results.chart.empty")
		return v
	}
	b.Desc = i18n.T(ctx, "results.chart.areas.desc", len(areas))
	v.SVG = b.SVG()
	return v
}

// diffChart shows the units whose appraised total differs most from their
// self-assessed one, the largest cut first.
func diffChart(ctx context.Context, forms []postgres.GroupForm) web.ChartView {
	type diff struct {
		name       string
		self, appr domain.Points
	}
	var ds []diff
	for _, f := range forms {
		ds = append(ds, diff{f.UnitName, f.SelfConverted, f.AppraisedConverted})
	}
	abs := func(p domain.Points) domain.Points { return max(p, -p) }
	sort.SliceStable(ds, func(i, j int) bool { return abs(ds[i].appr-ds[i].self) > abs(ds[j].appr-ds[j].self) })
	shown := ds[:min(len(ds), maxDiffUnits)]
	sort.SliceStable(shown, func(i, j int) bool { return shown[i].appr-shown[i].self < shown[j].appr-shown[j].self })
	negative := 3
	b := chart.Bars{ID: "chart-diff", Title: i18n.T(ctx, "results.chart.diff"), Format: chart.Signed, NegativeTexture: &negative}
	note := i18n.T(ctx, "results.chart.diff.note")
	if len(ds) > maxDiffUnits {
		note = i18n.T(ctx, "results.chart.diff.note_top", maxDiffUnits, len(ds))
	}
	v := web.ChartView{ID: b.ID, Title: b.Title, Note: note,
		Table: web.ChartTable{Caption: b.Title, Head: []string{i18n.T(ctx, "results.unit"), i18n.T(ctx, "results.self"), i18n.T(ctx, "results.appraised"), i18n.T(ctx, "results.diff")}}}
	lower := 0
	for _, d := range shown {
		delta := int64(d.appr - d.self)
		if delta < 0 {
			lower++
		}
		b.Items = append(b.Items, chart.BarItem{Label: d.name, Values: []int64{delta}})
		v.Table.Rows = append(v.Table.Rows, []string{d.name, d.self.String(), d.appr.String(), chart.Signed(delta)})
	}
	if len(shown) == 0 {
		v.Empty = i18n.T(ctx, "results.chart.empty")
		return v
	}
	b.Desc = i18n.T(ctx, "results.chart.diff.desc", len(shown), lower)
	v.SVG = b.SVG()
	return v
}

// progressChart counts the group's forms by status.
func progressChart(ctx context.Context, forms []postgres.GroupForm) web.ChartView {
	counts := map[domain.AssessmentStatus]int64{}
	for _, f := range forms {
		counts[f.Status]++
	}
	b := chart.Bars{ID: "chart-progress", Title: i18n.T(ctx, "results.chart.progress"), Format: chart.Count, Max: int64(len(forms))}
	v := web.ChartView{ID: b.ID, Title: b.Title, Note: i18n.T(ctx, "results.chart.progress.note"),
		Table: web.ChartTable{Caption: b.Title, Head: []string{i18n.T(ctx, "results.chart.status"), i18n.T(ctx, "results.chart.forms")}}}
	var parts string
	for _, st := range progressOrder {
		label := i18n.T(ctx, "results.form_status."+string(st))
		b.Items = append(b.Items, chart.BarItem{Label: label, Values: []int64{counts[st]}})
		v.Table.Rows = append(v.Table.Rows, []string{label, strconv.FormatInt(counts[st], 10)})
		parts += fmt.Sprintf("; %s: %d", label, counts[st])
	}
	v.Table.Foot = [][]string{{i18n.T(ctx, "results.chart.forms_total"), strconv.Itoa(len(forms))}}
	if len(forms) == 0 {
		v.Empty = i18n.T(ctx, "results.chart.empty")
		return v
	}
	b.Desc = i18n.T(ctx, "results.chart.progress.desc", len(forms)) + parts
	v.SVG = b.SVG()
	return v
}
