package chart

import "sort"

// Band is a classification band as the histogram shows it: the zone from
// its From value (inclusive) up to the next band's.
type Band struct {
	From int64
	Name string
}

// Histogram is the distribution of totals: how many units scored in each
// interval of Step, with the band thresholds drawn as marked lines.
type Histogram struct {
	// ID prefixes the ids of the chart's parts; unique on its page.
	ID string
	// Title and Desc are what a screen reader says; Desc should summarise.
	Title, Desc string
	// Values are the totals, in hundredths.
	Values []int64
	// Min, Max and Step are the axis range and interval width, in
	// hundredths (0, 10000, 500 for a 100-point scale in steps of 5).
	Min, Max, Step int64
	// Bands, lowest first; the second and later ones' From are the
	// thresholds drawn. Bars take their band's texture.
	Bands []Band
	// XLabel and YLabel name the axes.
	XLabel, YLabel string
}

// Bin is one interval of the histogram: From ≤ total < To (the last one
// includes Max).
type Bin struct {
	From, To int64
	Count    int
	// Band is the index in Bands of the band the interval starts in.
	Band int
}

// Bins counts the values per interval.
func (h Histogram) Bins() []Bin {
	if h.Step <= 0 || h.Max <= h.Min {
		return nil
	}
	n := int((h.Max - h.Min + h.Step - 1) / h.Step)
	bins := make([]Bin, n)
	for i := range bins {
		from := h.Min + int64(i)*h.Step
		bins[i] = Bin{From: from, To: min(from+h.Step, h.Max), Band: h.bandOf(from)}
	}
	for _, v := range h.Values {
		i := int((v - h.Min) / h.Step)
		switch {
		case v < h.Min:
			i = 0
		case i >= n:
			i = n - 1
		}
		bins[i].Count++
	}
	return bins
}

// bandOf returns the index of the band v falls in.
func (h Histogram) bandOf(v int64) int {
	b := 0
	for i, band := range h.Bands {
		if v >= band.From {
			b = i
		}
	}
	return b
}

// BandCounts returns how many values fall in each band, in the order of
// Bands.
func (h Histogram) BandCounts() []int {
	counts := make([]int, len(h.Bands))
	if len(h.Bands) == 0 {
		return counts
	}
	for _, v := range h.Values {
		counts[h.bandOf(v)]++
	}
	return counts
}

// Histogram geometry, in viewBox units.
const (
	histWidth   = 400
	histLeft    = 44
	histRight   = 14
	histTop     = 56
	histPlot    = 200
	histAxis    = 44
	legendRow   = 22
	legendCols  = 2
	legendWidth = (histWidth - histLeft - histRight) / legendCols
)

// x returns the horizontal position of value v.
func (h Histogram) x(v int64) float64 {
	span := float64(h.Max - h.Min)
	return histLeft + float64(v-h.Min)/span*float64(histWidth-histLeft-histRight)
}

// SVG draws the histogram.
func (h Histogram) SVG() SVG {
	id := safeID(h.ID)
	bins := h.Bins()
	legendRows := (len(h.Bands) + legendCols - 1) / legendCols
	height := float64(histTop + histPlot + histAxis + legendRows*legendRow + 6)
	var w svgWriter
	w.head(id, histWidth, height, h.Title, h.Desc)
	maxCount := 0
	for _, b := range bins {
		maxCount = max(maxCount, b.Count)
	}
	base := float64(histTop + histPlot)
	// The y axis: zero, the middle and the largest count.
	w.open("g", "class", "chart-axis", "fill", "#1d2329", "stroke", "none")
	for _, c := range yTicks(maxCount) {
		y := base - float64(c)/float64(max(maxCount, 1))*histPlot
		w.empty("line", "x1", num(histLeft), "x2", num(histWidth-histRight), "y1", num(y), "y2", num(y), "stroke", "#d9dee3")
		w.element("text", Count(int64(c)), "x", num(histLeft-6), "y", num(y+4), "text-anchor", "end")
	}
	// The y axis's name runs up its side, clear of the threshold labels.
	mid := float64(histTop + histPlot/2)
	w.element("text", h.YLabel, "x", "14", "y", num(mid), "text-anchor", "middle", "transform", "rotate(-90 14 "+num(mid)+")")
	w.close("g")
	// The bars, each with its count above it and its interval in a tooltip.
	w.open("g", "class", "chart-bars")
	for _, b := range bins {
		if len(bins) == 0 || b.Count == 0 {
			continue
		}
		x0, x1 := h.x(b.From), h.x(b.To)
		bh := float64(b.Count) / float64(maxCount) * histPlot
		w.open("g", "class", "bar")
		w.element("title", "["+Hundredths(b.From)+"; "+Hundredths(b.To)+"): "+Count(int64(b.Count)))
		w.empty("rect", "x", num(x0+1), "y", num(base-bh), "width", num(x1-x0-2), "height", num(bh),
			"fill", patternFill(id, len(h.Bands)-1-b.Band), "stroke", "#1d2329", "stroke-width", "0.8",
			"data-count", Count(int64(b.Count)))
		w.element("text", Count(int64(b.Count)), "x", num((x0+x1)/2), "y", num(base-bh-4), "text-anchor", "middle", "font-size", "12")
		w.close("g")
	}
	w.close("g")
	// The x axis with a tick every 10 points or every two intervals.
	w.open("g", "class", "chart-axis")
	w.empty("line", "x1", num(histLeft), "x2", num(histWidth-histRight), "y1", num(base), "y2", num(base), "stroke", "#1d2329")
	tick := h.Step * 2
	if tick <= 0 {
		tick = 1
	}
	for v := h.Min; v <= h.Max; v += tick {
		x := h.x(v)
		w.empty("line", "x1", num(x), "x2", num(x), "y1", num(base), "y2", num(base+4), "stroke", "#1d2329")
		w.element("text", Hundredths(v), "x", num(x), "y", num(base+17), "text-anchor", "middle", "font-size", "12")
	}
	w.element("text", h.XLabel, "x", num((histLeft+histWidth-histRight)/2), "y", num(base+36), "text-anchor", "middle")
	w.close("g")
	// The thresholds: a dashed line from the axis to the top, labelled with
	// its value; labels alternate between two rows so close ones stay apart.
	thresholds := h.thresholds()
	w.open("g", "class", "chart-thresholds")
	for i, t := range thresholds {
		x := h.x(t.From)
		// Two rows above the bars (whose counts stand just under them),
		// alternating, so close thresholds do not overlap.
		labelY := float64(histTop - 22)
		if i%2 == 1 {
			labelY -= 14
		}
		w.open("g", "class", "threshold", "data-value", Hundredths(t.From))
		w.element("title", t.Name+" ≥ "+Hundredths(t.From))
		w.empty("line", "x1", num(x), "x2", num(x), "y1", num(labelY+3), "y2", num(base), "stroke", "#1d2329",
			"stroke-width", "1.5", "stroke-dasharray", "5 3")
		w.element("text", "≥ "+Hundredths(t.From), "x", num(x), "y", num(labelY), "text-anchor", "middle", "font-size", "12", "font-weight", "bold")
		w.close("g")
	}
	w.close("g")
	// The legend: each band's texture, name and range.
	w.open("g", "class", "chart-legend")
	top := base + float64(histAxis)
	for i := range h.Bands {
		band := h.Bands[len(h.Bands)-1-i] // best first
		col, row := i%legendCols, i/legendCols
		x := float64(histLeft + col*legendWidth)
		y := top + float64(row*legendRow)
		w.empty("rect", "x", num(x), "y", num(y), "width", "16", "height", "14", "fill", patternFill(id, i), "stroke", "#1d2329", "stroke-width", "0.8")
		w.element("text", band.Name+" "+h.rangeText(len(h.Bands)-1-i), "x", num(x+22), "y", num(y+12))
	}
	w.close("g")
	w.close("svg")
	return SVG(w.b.String())
}

// thresholds returns the bands after the lowest, in ascending order.
func (h Histogram) thresholds() []Band {
	if len(h.Bands) < 2 {
		return nil
	}
	t := append([]Band(nil), h.Bands[1:]...)
	sort.Slice(t, func(i, j int) bool { return t[i].From < t[j].From })
	return t
}

// rangeText is the range of band i: "(≥ 90)", "(< 50)" for the lowest.
func (h Histogram) rangeText(i int) string {
	if i == 0 && len(h.Bands) > 1 {
		return "(< " + Hundredths(h.Bands[1].From) + ")"
	}
	return "(≥ " + Hundredths(h.Bands[i].From) + ")"
}

// yTicks returns the counts marked on the y axis.
func yTicks(maxCount int) []int {
	switch {
	case maxCount <= 0:
		return []int{0}
	case maxCount == 1:
		return []int{0, 1}
	case maxCount%2 == 0:
		return []int{0, maxCount / 2, maxCount}
	}
	return []int{0, maxCount}
}
