package chart

// Bars is a horizontal bar chart: one group per item (an area, a unit, a
// status), one bar per series in each group, the item's name above its bars
// and each value as text at the right. Negative values draw left of a zero
// line (the difference between appraised and self totals).
type Bars struct {
	// ID prefixes the ids of the chart's parts; unique on its page.
	ID string
	// Title and Desc are what a screen reader says; Desc should summarise.
	Title, Desc string
	// Series names the bars of each group, for the legend; one series
	// needs no legend and may be left empty.
	Series []string
	// Items are the groups, in the order shown.
	Items []BarItem
	// Max is the value a full-width bar stands for; 0 takes the largest
	// value. Negative values extend the axis to the left as needed.
	Max int64
	// Format writes a value; Hundredths when nil.
	Format func(int64) string
	// NegativeTexture, when set, paints negative bars with a texture of
	// their own (index into the textures) so a fall reads apart from a rise.
	NegativeTexture *int
}

// BarItem is one group of bars.
type BarItem struct {
	Label  string
	Values []int64
}

// Bars geometry, in viewBox units.
const (
	barsWidth  = 360
	barsLeft   = 2
	barsValues = 62
	barsLabel  = 20
	barsBar    = 16
	barsGap    = 10
	barsLegend = 26
	labelChars = 44
)

// scale returns the smallest and largest value the axis spans.
func (b Bars) scale() (lo, hi int64) {
	hi = b.Max
	for _, it := range b.Items {
		for _, v := range it.Values {
			hi = max(hi, v)
			lo = min(lo, v)
		}
	}
	if hi == lo {
		hi = lo + 1
	}
	return lo, hi
}

// x returns the horizontal position of value v on an axis spanning lo..hi.
func barsX(v, lo, hi int64) float64 {
	plot := float64(barsWidth - barsLeft - barsValues)
	return barsLeft + float64(v-lo)/float64(hi-lo)*plot
}

// format writes v with the chart's formatter.
func (b Bars) format(v int64) string {
	if b.Format != nil {
		return b.Format(v)
	}
	return Hundredths(v)
}

// SVG draws the chart.
func (b Bars) SVG() SVG {
	id := safeID(b.ID)
	series := max(len(b.Series), 1)
	group := float64(barsLabel + series*barsBar + barsGap)
	legend := 0.0
	if len(b.Series) > 1 {
		legend = barsLegend
	}
	height := legend + group*float64(len(b.Items)) + 8
	lo, hi := b.scale()
	var w svgWriter
	w.head(id, barsWidth, height, b.Title, b.Desc)
	if len(b.Series) > 1 {
		w.open("g", "class", "chart-legend")
		x := float64(barsLeft)
		for i, name := range b.Series {
			w.empty("rect", "x", num(x), "y", "4", "width", "16", "height", "14", "fill", patternFill(id, i), "stroke", "#1d2329", "stroke-width", "0.8")
			w.element("text", name, "x", num(x+22), "y", "16")
			x += float64(barsWidth-barsLeft) / float64(len(b.Series))
		}
		w.close("g")
	}
	zero := barsX(0, lo, hi)
	w.open("g", "class", "chart-bars")
	for i, it := range b.Items {
		top := legend + group*float64(i)
		w.open("g", "class", "bar-group")
		w.element("title", it.Label)
		w.element("text", shorten(it.Label, labelChars), "x", num(barsLeft), "y", num(top+15), "class", "bar-label")
		for s, v := range it.Values {
			y := top + barsLabel + float64(s*barsBar)
			x0, x1 := zero, barsX(v, lo, hi)
			if x1 < x0 {
				x0, x1 = x1, x0
			}
			fill := patternFill(id, s)
			if v < 0 && b.NegativeTexture != nil {
				fill = patternFill(id, *b.NegativeTexture)
			}
			w.empty("rect", "x", num(x0), "y", num(y), "width", num(x1-x0), "height", num(barsBar-3),
				"fill", fill, "stroke", "#1d2329", "stroke-width", "0.8", "data-value", Count(v))
			w.element("text", b.format(v), "x", num(barsWidth-2), "y", num(y+barsBar-5), "text-anchor", "end", "font-size", "13")
		}
		w.close("g")
	}
	w.close("g")
	if lo < 0 {
		w.empty("line", "class", "zero", "x1", num(zero), "x2", num(zero), "y1", num(legend), "y2", num(height-4), "stroke", "#1d2329", "stroke-width", "1.5")
	}
	w.close("svg")
	return SVG(w.b.String())
}
