package document

import (
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/go-pdf/fpdf"
)

// ptMM is one typographic point in millimetres, the writers' unit.
const ptMM = 25.4 / 72

// leading is the line height as a multiple of the font size: Nghị định
// 30/2020/NĐ-CP allows single to 1.5 lines; 1.25 leaves room for the
// stacked diacritics of Vietnamese capitals (Ầ, Ể, Ỗ).
const leading = 1.25

// nbsp keeps a run of blanks that wrapping must not squeeze (the draft's
// empty number "Số:        /QĐ-UBND").
const nbsp = '\u00a0'

// span is a run of text in one style ("", "B", "I", "BI"; "U" underlines).
type span struct{ text, style string }

// word is a wrapped unit with its measured width.
type word struct {
	text, style string
	w           float64
}

// line is one wrapped line; the last line of a paragraph is not justified.
type line struct {
	words []word
	last  bool
}

// writer lays text out on an fpdf document in millimetres, keeping its own
// vertical position and breaking pages itself (fpdf's automatic breaks are
// off), so that every line, table row and block is placed where it fits.
type writer struct {
	pdf                      *fpdf.Fpdf
	has                      []bool
	left, top, right, bottom float64
	pageW, pageH             float64
	y                        float64
	onPage                   func() // draws the running header of a new page
}

func newWriter(orientation string, left, top, right, bottom float64) (*writer, error) {
	files, has, err := loadFonts()
	if err != nil {
		return nil, err
	}
	pdf := fpdf.New(orientation, "mm", "A4", "")
	for _, f := range faces {
		pdf.AddUTF8FontFromBytes(family, f.style, files[f.style])
	}
	pdf.SetMargins(left, top, right)
	pdf.SetAutoPageBreak(false, bottom)
	pdf.SetCellMargin(0)
	pdf.SetCatalogSort(true) // fonts in a fixed order: the same input gives the same bytes
	pdf.SetLang("vi-VN")
	pdf.SetCreator("Thi Đua", true)
	pdf.SetDrawColor(0, 0, 0)
	pdf.SetTextColor(0, 0, 0)
	w, h := pdf.GetPageSize()
	return &writer{pdf: pdf, has: has, left: left, top: top, right: right, bottom: bottom, pageW: w, pageH: h}, nil
}

// finish writes the document to out, or returns the first layout error.
func (w *writer) finish(out io.Writer) error {
	if err := w.pdf.Error(); err != nil {
		return err
	}
	return w.pdf.Output(out)
}

func (w *writer) contentW() float64 { return w.pageW - w.left - w.right }
func (w *writer) limit() float64    { return w.pageH - w.bottom }

// newPage starts a page and draws its running header.
func (w *writer) newPage() {
	w.pdf.AddPage()
	w.y = w.top
	if w.onPage != nil {
		w.onPage()
	}
}

// ensure starts a new page unless h more millimetres fit on this one.
func (w *writer) ensure(h float64) {
	if w.y+h > w.limit()+1e-6 {
		w.newPage()
	}
}

func (w *writer) font(style string, size float64) { w.pdf.SetFont(family, style, size) }

func lineH(size float64) float64 { return size * ptMM * leading }

func (w *writer) measure(s, style string, size float64) float64 {
	w.font(style, size)
	return w.pdf.GetStringWidth(s)
}

// wrap breaks spans into lines of at most width millimetres, the first
// line indent millimetres shorter. Words break only at spaces; a word
// longer than a whole line is cut between letters so that nothing runs
// past the edge.
func (w *writer) wrap(spans []span, size, width, indent float64) []line {
	space := w.measure(" ", "", size)
	var lines []line
	var cur []word
	curW := 0.0
	avail := width - indent
	flush := func() {
		lines = append(lines, line{words: cur})
		cur, curW, avail = nil, 0, width
	}
	for _, sp := range spans {
		for _, field := range strings.FieldsFunc(clean(sp.text, w.has), func(r rune) bool { return r == ' ' || r == '\n' }) {
			ww := w.measure(field, sp.style, size)
			need := ww
			if len(cur) > 0 {
				need += space
			}
			if curW+need <= avail+1e-6 {
				cur = append(cur, word{field, sp.style, ww})
				curW += need
				continue
			}
			if len(cur) > 0 {
				flush()
			}
			for ww > avail+1e-6 {
				head, rest := w.cut(field, sp.style, size, avail)
				cur = append(cur, word{head, sp.style, w.measure(head, sp.style, size)})
				flush()
				field = rest
				ww = w.measure(field, sp.style, size)
			}
			if field != "" {
				cur = append(cur, word{field, sp.style, ww})
				curW = ww
			}
		}
	}
	if len(cur) > 0 {
		flush()
	}
	if len(lines) > 0 {
		lines[len(lines)-1].last = true
	}
	return lines
}

// cut splits a word too long for a line at the last letter that fits
// (at least one letter, so that wrapping always moves on).
func (w *writer) cut(s, style string, size, avail float64) (string, string) {
	runes := []rune(s)
	n := 1
	for n < len(runes) && w.measure(string(runes[:n+1]), style, size) <= avail+1e-6 {
		n++
	}
	return string(runes[:n]), string(runes[n:])
}

// widthOf is a wrapped line's width with plain spaces.
func (w *writer) widthOf(l line, size float64) float64 {
	if len(l.words) == 0 {
		return 0
	}
	total := w.measure(" ", "", size) * float64(len(l.words)-1)
	for _, wd := range l.words {
		total += wd.w
	}
	return total
}

func (w *writer) widest(lines []line, size float64) float64 {
	m := 0.0
	for _, l := range lines {
		m = math.Max(m, w.widthOf(l, size))
	}
	return m
}

// drawLine draws one line with its top at y inside [x, x+width): align
// "L", "C", "R" or "J" (justified, except a paragraph's last line).
func (w *writer) drawLine(l line, x, y, width, size float64, align string) {
	if len(l.words) == 0 {
		return
	}
	space := w.measure(" ", "", size)
	sum := 0.0
	for _, wd := range l.words {
		sum += wd.w
	}
	n := len(l.words)
	gap := space
	justify := align == "J" && !l.last && n > 1
	if justify {
		gap = (width - sum) / float64(n-1)
	}
	total := sum + gap*float64(n-1)
	switch align {
	case "C":
		x += (width - total) / 2
	case "R":
		x += width - total
	}
	baseline := y + lineH(size)/2 + 0.3*size*ptMM
	if justify {
		for _, wd := range l.words {
			w.font(wd.style, size)
			w.pdf.Text(x, baseline, wd.text)
			x += wd.w + gap
		}
		return
	}
	// Runs of one style go out as one string: one underline under the
	// motto, and text that extracts with its own spaces.
	for i := 0; i < n; {
		j := i + 1
		for j < n && l.words[j].style == l.words[i].style {
			j++
		}
		texts := make([]string, 0, j-i)
		runW := space * float64(j-i-1)
		for _, wd := range l.words[i:j] {
			texts = append(texts, wd.text)
			runW += wd.w
		}
		w.font(l.words[i].style, size)
		w.pdf.Text(x, baseline, strings.Join(texts, " "))
		x += runW + space
		i = j
	}
}

// para is how a paragraph is set.
type para struct {
	x, width float64 // 0 width: the text column from the left margin
	size     float64
	align    string
	indent   float64 // first line
	after    float64 // space below, mm
}

// paragraph sets spans at the current position, breaking pages between
// lines; an explicit line break ("\n") starts a new paragraph, indented
// like the first.
func (w *writer) paragraph(p para, spans ...span) {
	if p.width == 0 {
		p.x, p.width = w.left, w.contentW()
	}
	lh := lineH(p.size)
	for _, part := range splitLines(spans) {
		indent := 0.0
		if p.align == "L" || p.align == "J" {
			indent = p.indent
		}
		for k, l := range w.wrap(part, p.size, p.width, indent) {
			w.ensure(lh)
			x, width := p.x, p.width
			if k == 0 {
				x, width = x+indent, width-indent
			}
			w.drawLine(l, x, w.y, width, p.size, p.align)
			w.y += lh
		}
	}
	w.y += p.after
}

// splitLines cuts spans at explicit line breaks.
func splitLines(spans []span) [][]span {
	parts := [][]span{nil}
	for _, sp := range spans {
		for i, piece := range strings.Split(sp.text, "\n") {
			if i > 0 {
				parts = append(parts, nil)
			}
			if piece != "" {
				parts[len(parts)-1] = append(parts[len(parts)-1], span{piece, sp.style})
			}
		}
	}
	return parts
}

// height is how tall a paragraph would be, without drawing it.
func (w *writer) height(p para, spans ...span) float64 {
	if p.width == 0 {
		p.width = w.contentW()
	}
	n := 0
	for _, part := range splitLines(spans) {
		indent := 0.0
		if p.align == "L" || p.align == "J" {
			indent = p.indent
		}
		n += len(w.wrap(part, p.size, p.width, indent))
	}
	return float64(n)*lineH(p.size) + p.after
}

// rule draws a horizontal line of the given length centred on cx.
func (w *writer) rule(cx, y, length float64) {
	w.pdf.SetLineWidth(0.3)
	w.pdf.Line(cx-length/2, y, cx+length/2, y)
}

// centredRule sets spans centred in [x, x+width) and draws the short
// rule Nghị định 30 puts under an issuer's name or a title: a third to a
// half of the longest line (here 40 %), centred.
func (w *writer) centredRule(x, width, size float64, spans ...span) {
	lines := w.wrap(spans, size, width, 0)
	w.paragraph(para{x: x, width: width, size: size, align: "C"}, spans...)
	length := math.Max(0.4*w.widest(lines, size), 15)
	w.y += 1
	w.rule(x+width/2, w.y, length)
	w.y += 1
}

// column of a table: title, width in mm, alignment of its cells.
type column struct {
	title string
	w     float64
	align string
}

// cell of a table row; span > 1 joins it with the columns to its right.
type cell struct {
	text, style, align string
	span               int
}

// row of a table; keep holds it on the same page as the next row.
type row struct {
	cells []cell
	keep  bool
}

type table struct {
	cols []column
	size float64
	pad  float64
}

// placed is a cell with its position and wrapped lines.
type placed struct {
	x, w  float64
	align string
	lines []line
}

func (w *writer) place(t table, r row) ([]placed, int) {
	var out []placed
	x := w.left
	col := 0
	most := 1
	for _, c := range r.cells {
		n := c.span
		if n < 1 {
			n = 1
		}
		width := 0.0
		for k := col; k < col+n && k < len(t.cols); k++ {
			width += t.cols[k].w
		}
		align := c.align
		if align == "" && col < len(t.cols) {
			align = t.cols[col].align
		}
		lines := w.wrap([]span{{c.text, c.style}}, t.size, width-2*t.pad, 0)
		most = max(most, len(lines))
		out = append(out, placed{x, width, align, lines})
		x += width
		col += n
	}
	return out, most
}

func (w *writer) rowH(t table, lines int) float64 {
	return float64(lines)*lineH(t.size) + 2*t.pad
}

// drawRow draws lines [from, to) of a placed row at the current position.
func (w *writer) drawRow(t table, cells []placed, from, to, most int) {
	h := w.rowH(t, to-from)
	lh := lineH(t.size)
	w.pdf.SetLineWidth(0.2)
	for _, c := range cells {
		w.pdf.Rect(c.x, w.y, c.w, h, "D")
		lines := c.lines
		if from >= len(lines) {
			continue
		}
		lines = lines[from:min(to, len(lines))]
		top := w.y + t.pad
		if from == 0 && to == most {
			top += float64(to-from-len(lines)) * lh / 2 // centred vertically
		}
		for _, l := range lines {
			l.last = true
			w.drawLine(l, c.x+t.pad, top, c.w-2*t.pad, t.size, c.align)
			top += lh
		}
	}
	w.y += h
}

func (w *writer) header(t table) row {
	r := row{}
	for _, c := range t.cols {
		r.cells = append(r.cells, cell{text: c.title, style: "B", align: "C"})
	}
	return r
}

// drawTable draws rows under the table's header, repeating the header on
// every page; a row (and the rows kept with it) moves whole to the next
// page when it does not fit, and a row taller than a page is split
// between its lines.
func (w *writer) drawTable(t table, rows []row) {
	head, headLines := w.place(t, w.header(t))
	headH := w.rowH(t, headLines)
	drawHead := func() { w.drawRow(t, head, 0, headLines, headLines) }

	type prepared struct {
		cells []placed
		most  int
	}
	prep := make([]prepared, len(rows))
	for i, r := range rows {
		c, m := w.place(t, r)
		prep[i] = prepared{c, m}
	}
	first := true
	for i := 0; i < len(rows); {
		j := i + 1
		for j < len(rows) && rows[j-1].keep {
			j++
		}
		groupH := 0.0
		for k := i; k < j; k++ {
			groupH += w.rowH(t, prep[k].most)
		}
		if first {
			w.ensure(headH + math.Min(groupH, w.rowH(t, prep[i].most)))
			drawHead()
			first = false
		}
		if w.y+groupH > w.limit() && groupH <= w.limit()-w.top-headH {
			w.newPage()
			drawHead()
		}
		for k := i; k < j; k++ {
			p := prep[k]
			from := 0
			for from < p.most {
				fit := int((w.limit() - w.y - 2*t.pad + 1e-6) / lineH(t.size))
				if fit >= p.most-from {
					w.drawRow(t, p.cells, from, p.most, p.most)
					break
				}
				if fit >= 1 {
					w.drawRow(t, p.cells, from, from+fit, p.most)
					from += fit
				}
				w.newPage()
				drawHead()
			}
		}
		i = j
	}
}

// pageNumber draws the page number centred in the top margin from page 2
// on (Nghị định 30: page 1 is not numbered).
func (w *writer) pageNumber() {
	n := w.pdf.PageNo()
	if n < 2 {
		return
	}
	w.font("", 13)
	s := strconv.Itoa(n)
	w.pdf.Text(w.left+(w.contentW()-w.pdf.GetStringWidth(s))/2, w.top-7, s)
}

// draftMark draws "DỰ THẢO" boxed at the top right of the page.
func (w *writer) draftMark() {
	const label = "DỰ THẢO"
	w.font("B", 13)
	tw := w.pdf.GetStringWidth(label)
	x := w.pageW - w.right - tw - 4
	w.pdf.SetLineWidth(0.3)
	w.pdf.Rect(x, w.top-14, tw+4, 8, "D")
	w.pdf.Text(x+2, w.top-8.3, label)
}
