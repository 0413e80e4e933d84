// Package chart draws the portal's charts as inline SVG on the server: no
// JavaScript, no library. Every chart is an image with a title and a
// description a screen reader reads (role="img"), its bars carry textures as
// well as colours and their values as text, so it reads in greyscale, and it
// scales down to a phone's width (a viewBox with the width as a maximum). The
// page shows a table of the same numbers beside each chart.
//
// Values are integers in hundredths (12,5 points is 1250), the unit the
// domain keeps points in, so nothing is rounded twice.
package chart

import (
	"encoding/xml"
	"fmt"
	"strings"
)

// SVG is a drawn chart: markup in which every text and attribute value has
// been escaped by this package, so a page may embed it as it is.
type SVG string

// svgWriter builds an SVG document; every text and attribute value goes
// through XML escaping.
type svgWriter struct {
	b strings.Builder
}

// esc returns s escaped for XML text and attribute values.
func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// open writes a start tag with attributes given as name, value pairs.
func (w *svgWriter) open(name string, attrs ...string) {
	w.tag(name, false, attrs)
}

// empty writes a self-closing element.
func (w *svgWriter) empty(name string, attrs ...string) {
	w.tag(name, true, attrs)
}

func (w *svgWriter) tag(name string, selfClose bool, attrs []string) {
	w.b.WriteByte('<')
	w.b.WriteString(name)
	for i := 0; i+1 < len(attrs); i += 2 {
		w.b.WriteByte(' ')
		w.b.WriteString(attrs[i])
		w.b.WriteString(`="`)
		w.b.WriteString(esc(attrs[i+1]))
		w.b.WriteByte('"')
	}
	if selfClose {
		w.b.WriteString("/>")
		return
	}
	w.b.WriteByte('>')
}

// close writes an end tag.
func (w *svgWriter) close(name string) {
	w.b.WriteString("</")
	w.b.WriteString(name)
	w.b.WriteByte('>')
}

// text writes escaped character data.
func (w *svgWriter) text(s string) {
	w.b.WriteString(esc(s))
}

// element writes <name attrs>text</name>.
func (w *svgWriter) element(name, text string, attrs ...string) {
	w.open(name, attrs...)
	w.text(text)
	w.close(name)
}

// num formats a coordinate with at most two decimals.
func num(f float64) string {
	s := fmt.Sprintf("%.2f", f)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" {
		return "0"
	}
	return s
}

// safeID keeps the letters, digits and dashes of id, so it can prefix the
// ids of a chart's parts (several charts share one page).
func safeID(id string) string {
	var b strings.Builder
	for _, r := range id {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return "chart"
	}
	return b.String()
}

// head writes the root element, its title and description, and the texture
// patterns every chart may use.
func (w *svgWriter) head(id string, width, height float64, title, desc string) {
	w.open("svg", "xmlns", "http://www.w3.org/2000/svg", "class", "chart-svg",
		"viewBox", "0 0 "+num(width)+" "+num(height), "width", num(width), "height", num(height),
		"role", "img", "aria-labelledby", id+"-title "+id+"-desc", "font-size", "14", "font-family", "inherit")
	w.element("title", title, "id", id+"-title")
	w.element("desc", desc, "id", id+"-desc")
	w.open("defs")
	for i, p := range textures {
		w.open("pattern", "id", patternID(id, i), "patternUnits", "userSpaceOnUse", "width", "6", "height", "6")
		w.empty("rect", "width", "6", "height", "6", "fill", p.fill)
		if p.marks != "" {
			if strings.HasPrefix(p.marks, "dot") {
				w.empty("circle", "cx", "3", "cy", "3", "r", "1.4", "fill", "#ffffff")
			} else {
				w.empty("path", "d", p.marks, "stroke", "#ffffff", "stroke-width", "1.5")
			}
		}
		w.close("pattern")
	}
	w.close("defs")
}

// texture is a fill: a colour and white marks over it, so two fills differ
// in greyscale too.
type texture struct {
	fill, marks string
}

// textures are the fills, in the order charts take them: a band's index,
// a series' index.
var textures = []texture{
	{fill: "#1e6b34", marks: "M-1,1 l2,-2 M0,6 l6,-6 M5,7 l2,-2"}, // diagonal lines
	{fill: "#0b5cad", marks: "dot"},                               // dots
	{fill: "#7a5a00", marks: "M0,3 h6"},                           // horizontal lines
	{fill: "#b35a00", marks: "M0,0 l6,6 M6,0 l-6,6"},              // cross-hatch
	{fill: "#a3101f", marks: ""},                                  // solid
	{fill: "#4b5560", marks: "M3,0 v6"},                           // vertical lines
}

// patternID is the id of texture i in the chart id.
func patternID(id string, i int) string {
	return fmt.Sprintf("%s-t%d", id, i%len(textures))
}

// patternFill is the fill attribute value that paints texture i.
func patternFill(id string, i int) string {
	return "url(#" + patternID(id, i) + ")"
}

// Hundredths formats a value in hundredths the Vietnamese way: "12,5",
// "10", "0,25", "-3".
func Hundredths(v int64) string {
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	whole, frac := v/100, v%100
	switch {
	case frac == 0:
		return fmt.Sprintf("%s%d", sign, whole)
	case frac%10 == 0:
		return fmt.Sprintf("%s%d,%d", sign, whole, frac/10)
	}
	return fmt.Sprintf("%s%d,%02d", sign, whole, frac)
}

// Signed formats a difference in hundredths with its sign: "+2,5", "-3",
// "0".
func Signed(v int64) string {
	if v > 0 {
		return "+" + Hundredths(v)
	}
	return Hundredths(v)
}

// Count formats a plain count.
func Count(v int64) string { return fmt.Sprintf("%d", v) }

// shorten cuts a label to at most n characters, with an ellipsis.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
