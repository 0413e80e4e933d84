package chart

import (
	"encoding/xml"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// node is a parsed SVG element.
type node struct {
	XMLName  xml.Name
	Attrs    []xml.Attr `xml:",any,attr"`
	Text     string     `xml:",chardata"`
	Children []node     `xml:",any"`
}

func (n node) attr(name string) string {
	for _, a := range n.Attrs {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func (n node) float(t *testing.T, name string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(n.attr(name), 64)
	if err != nil {
		t.Fatalf("<%s %s=%q>: %v", n.XMLName.Local, name, n.attr(name), err)
	}
	return f
}

// find returns every element below n (n included) for which match is true.
func (n node) find(match func(node) bool) []node {
	var out []node
	if match(n) {
		out = append(out, n)
	}
	for _, c := range n.Children {
		out = append(out, c.find(match)...)
	}
	return out
}

func withClass(class string) func(node) bool {
	return func(n node) bool { return strings.Contains(" "+n.attr("class")+" ", " "+class+" ") }
}

func named(name string) func(node) bool {
	return func(n node) bool { return n.XMLName.Local == name }
}

// parse checks that svg is well-formed XML and returns its root.
func parse(t *testing.T, svg SVG) node {
	t.Helper()
	var root node
	if err := xml.Unmarshal([]byte(svg), &root); err != nil {
		t.Fatalf("not well-formed XML: %v\n%s", err, svg)
	}
	if root.XMLName.Local != "svg" || root.attr("role") != "img" {
		t.Fatalf("root is <%s role=%q>, want <svg role=img>", root.XMLName.Local, root.attr("role"))
	}
	// The accessible name and description point at the title and desc.
	ids := strings.Fields(root.attr("aria-labelledby"))
	if len(ids) != 2 || root.Children[0].XMLName.Local != "title" || root.Children[0].attr("id") != ids[0] ||
		root.Children[1].XMLName.Local != "desc" || root.Children[1].attr("id") != ids[1] {
		t.Fatalf("aria-labelledby %q does not name the first title and desc", root.attr("aria-labelledby"))
	}
	if root.attr("viewBox") == "" {
		t.Error("no viewBox: the chart would not scale down")
	}
	return root
}

func bands() []Band {
	return []Band{{0, "Yếu"}, {5000, "Trung bình"}, {6500, "Khá"}, {8000, "Tốt"}, {9000, "Xuất sắc"}}
}

func TestHistogramBinsAndBandCounts(t *testing.T) {
	h := Histogram{Values: []int64{0, 4999, 5000, 7250, 7499, 8000, 9999, 10000, -5, 10500}, Min: 0, Max: 10000, Step: 2500, Bands: bands()}
	got := h.Bins()
	want := []Bin{{0, 2500, 2, 0}, {2500, 5000, 1, 0}, {5000, 7500, 3, 1}, {7500, 10000, 4, 2}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("bins mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int{3, 1, 2, 1, 3}, h.BandCounts()); diff != "" {
		t.Errorf("band counts mismatch (-want +got):\n%s", diff)
	}
}

func TestHistogramSVG(t *testing.T) {
	h := Histogram{
		ID: "dist", Title: "Phân bố <tổng điểm>", Desc: `Điểm "A" & B`,
		Values: []int64{9100, 9200, 9300, 9400, 8100, 8200, 7000, 4000},
		Min:    0, Max: 10000, Step: 500, Bands: bands(), XLabel: "Điểm", YLabel: "Số đơn vị",
	}
	root := parse(t, h.SVG())
	if root.Children[0].Text != "Phân bố <tổng điểm>" || root.Children[1].Text != `Điểm "A" & B` {
		t.Errorf("title %q, desc %q: not kept as text", root.Children[0].Text, root.Children[1].Text)
	}
	// Bars: one per non-empty interval, heights proportional to counts,
	// the base on one line.
	rects := root.find(func(n node) bool { return n.XMLName.Local == "rect" && n.attr("data-count") != "" })
	counts := map[string]int{}
	var unit, base float64
	for _, r := range rects {
		c, _ := strconv.Atoi(r.attr("data-count"))
		hgt := r.float(t, "height")
		if unit == 0 {
			unit, base = hgt/float64(c), r.float(t, "y")+hgt
		}
		if math.Abs(hgt-unit*float64(c)) > 0.02 {
			t.Errorf("bar of %d is %.2f high, want %.2f", c, hgt, unit*float64(c))
		}
		if math.Abs(r.float(t, "y")+hgt-base) > 0.02 {
			t.Errorf("bar of %d does not stand on the axis", c)
		}
		counts[r.attr("x")] = c
	}
	if len(rects) != 4 {
		t.Fatalf("%d bars, want 4 (intervals from 40, 70, 80 and 90)", len(rects))
	}
	// The interval [90; 95) holds four units and is the tallest: full height.
	if math.Abs(unit*4-histPlot) > 0.02 {
		t.Errorf("tallest bar %.2f, want the plot's height %d", unit*4, histPlot)
	}
	// Thresholds: four dashed lines at the x of 50, 65, 80, 90.
	thresholds := root.find(withClass("threshold"))
	var gotX []string
	for _, th := range thresholds {
		line := th.find(named("line"))[0]
		if line.attr("x1") != line.attr("x2") || line.attr("stroke-dasharray") == "" {
			t.Errorf("threshold %s is not a dashed vertical line", th.attr("data-value"))
		}
		gotX = append(gotX, th.attr("data-value")+"@"+line.attr("x1"))
	}
	plot := float64(histWidth - histLeft - histRight)
	var wantX []string
	for _, v := range []int64{5000, 6500, 8000, 9000} {
		wantX = append(wantX, Hundredths(v)+"@"+num(histLeft+float64(v)/10000*plot))
	}
	if diff := cmp.Diff(wantX, gotX); diff != "" {
		t.Errorf("thresholds mismatch (-want +got):\n%s", diff)
	}
	// Each threshold says its value in text, not only by position.
	for _, th := range thresholds {
		if txt := th.find(named("text")); len(txt) != 1 || txt[0].Text != "≥ "+th.attr("data-value") {
			t.Errorf("threshold %s has label %v", th.attr("data-value"), txt)
		}
	}
	// The bar in [90; 95) starts at the x of 90 (plus the 1-unit gap).
	if c := counts[num(histLeft+0.9*plot+1)]; c != 4 {
		t.Errorf("bar at 90 counts %d, want 4 (bars: %v)", c, counts)
	}
	// The legend names every band with its range, best first, and bars of
	// one band share its texture.
	legend := root.find(withClass("chart-legend"))[0].find(named("text"))
	var names []string
	for _, l := range legend {
		names = append(names, l.Text)
	}
	want := []string{"Xuất sắc (≥ 90)", "Tốt (≥ 80)", "Khá (≥ 65)", "Trung bình (≥ 50)", "Yếu (< 50)"}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("legend mismatch (-want +got):\n%s", diff)
	}
	legendFill := root.find(withClass("chart-legend"))[0].find(named("rect"))[0].attr("fill")
	for _, r := range rects {
		x := r.float(t, "x")
		if x >= histLeft+0.9*plot && r.attr("fill") != legendFill {
			t.Errorf("an excellent bar is filled %s, the legend says %s", r.attr("fill"), legendFill)
		}
		if x < histLeft+0.9*plot && r.attr("fill") == legendFill {
			t.Errorf("a bar below 90 has the excellent texture")
		}
	}
	// Every fill is a texture defined in the chart itself.
	defined := map[string]bool{}
	for _, p := range root.find(named("pattern")) {
		defined["url(#"+p.attr("id")+")"] = true
	}
	for _, r := range append(rects, root.find(withClass("chart-legend"))[0].find(named("rect"))...) {
		if !defined[r.attr("fill")] {
			t.Errorf("fill %s is not a pattern of the chart", r.attr("fill"))
		}
	}
}

func TestHistogramEmpty(t *testing.T) {
	h := Histogram{ID: "e", Title: "t", Desc: "d", Min: 0, Max: 10000, Step: 500, Bands: bands()}
	root := parse(t, h.SVG())
	if n := len(root.find(func(n node) bool { return n.attr("data-count") != "" })); n != 0 {
		t.Errorf("%d bars for no values", n)
	}
}

func TestBarsSVG(t *testing.T) {
	neg := 3
	b := Bars{
		ID: "diff", Title: "Chênh lệch", Desc: "d",
		Items: []BarItem{
			{Label: `UBND xã <b>"Mỹ Thọ"</b> & Co`, Values: []int64{-500}},
			{Label: "Sở Tư pháp", Values: []int64{250}},
			{Label: "Sở Y tế", Values: []int64{0}},
			{Label: strings.Repeat("Dài ", 40), Values: []int64{-1000}},
		},
		Format: Signed, NegativeTexture: &neg,
	}
	svg := b.SVG()
	if strings.Contains(string(svg), "<b>") {
		t.Fatal("a label's markup reached the SVG unescaped")
	}
	root := parse(t, svg)
	groups := root.find(withClass("bar-group"))
	if len(groups) != 4 {
		t.Fatalf("%d groups, want 4", len(groups))
	}
	if got := groups[0].find(named("title"))[0].Text; got != `UBND xã <b>"Mỹ Thọ"</b> & Co` {
		t.Errorf("label read back as %q", got)
	}
	if got := groups[3].find(withClass("bar-label"))[0].Text; len([]rune(got)) != labelChars || !strings.HasSuffix(got, "…") {
		t.Errorf("long label drawn as %q, want it cut to %d characters", got, labelChars)
	}
	zero := root.find(withClass("zero"))
	if len(zero) != 1 {
		t.Fatal("no zero line for negative values")
	}
	z := zero[0].float(t, "x1")
	widths := map[int64]float64{}
	for _, g := range groups {
		r := g.find(named("rect"))[0]
		v, _ := strconv.ParseInt(r.attr("data-value"), 10, 64)
		x, wd := r.float(t, "x"), r.float(t, "width")
		widths[v] = wd
		switch {
		case v < 0 && math.Abs(x+wd-z) > 0.02:
			t.Errorf("bar of %d does not end at zero", v)
		case v > 0 && math.Abs(x-z) > 0.02:
			t.Errorf("bar of %d does not start at zero", v)
		}
		if v < 0 && r.attr("fill") != patternFill("diff", neg) || v > 0 && r.attr("fill") != patternFill("diff", 0) {
			t.Errorf("bar of %d filled %s", v, r.attr("fill"))
		}
		if txt := g.find(named("text")); txt[len(txt)-1].Text != Signed(v) {
			t.Errorf("bar of %d labelled %q", v, txt[len(txt)-1].Text)
		}
	}
	// Widths proportional to the values: -10 is twice -5 and four times +2,5.
	if math.Abs(widths[-1000]-2*widths[-500]) > 0.02 || math.Abs(widths[-1000]-4*widths[250]) > 0.02 || widths[0] != 0 {
		t.Errorf("widths %v not proportional", widths)
	}
}

func TestBarsTwoSeriesLegendAndMax(t *testing.T) {
	b := Bars{ID: "areas", Title: "t", Desc: "d", Series: []string{"Tự chấm", "Thẩm định"}, Max: 2000,
		Items: []BarItem{{Label: "Lĩnh vực 1", Values: []int64{1500, 1000}}}}
	root := parse(t, b.SVG())
	if n := len(root.find(withClass("chart-legend"))[0].find(named("text"))); n != 2 {
		t.Errorf("legend has %d names, want 2", n)
	}
	rects := root.find(withClass("bar-group"))[0].find(named("rect"))
	full := float64(barsWidth - barsLeft - barsValues)
	if math.Abs(rects[0].float(t, "width")-0.75*full) > 0.02 || math.Abs(rects[1].float(t, "width")-0.5*full) > 0.02 {
		t.Errorf("widths %s, %s against a maximum of 20", rects[0].attr("width"), rects[1].attr("width"))
	}
	if rects[0].attr("fill") == rects[1].attr("fill") {
		t.Error("two series share a texture")
	}
	if root.find(withClass("zero")) != nil {
		t.Error("a zero line without negative values")
	}
}

func TestFormatting(t *testing.T) {
	for v, want := range map[int64]string{1250: "12,5", 1000: "10", 25: "0,25", -300: "-3", 0: "0"} {
		if got := Hundredths(v); got != want {
			t.Errorf("Hundredths(%d) = %q, want %q", v, got, want)
		}
	}
	if Signed(250) != "+2,5" || Signed(-250) != "-2,5" || Signed(0) != "0" {
		t.Error("Signed")
	}
	if safeID(`a"b c<1>`) != "abc1" || safeID("") != "chart" {
		t.Error("safeID")
	}
}
