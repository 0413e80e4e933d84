package document

import (
	"errors"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/go-pdf/fpdf"
)

// The fixed words of the documents. They belong to the official Vietnamese
// form of each document (Nghị định 30/2020/NĐ-CP and the council's
// minutes), not to the portal's interface, so they are not translated.
const (
	nationalTitle = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
	motto         = "Độc lập - Tự do - Hạnh phúc"
	decisionKind  = "QUYẾT ĐỊNH"
	decides       = "QUYẾT ĐỊNH:"
	recipientsTag = "Nơi nhận:"
	signedMark    = "(Đã ký)"
	draftBlank    = "\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0"
)

// Page set-up of Nghị định 30/2020/NĐ-CP, Phụ lục I: A4 portrait, top and
// bottom 20 mm, left 30 mm, right 15 mm; body 14 pt; first lines indented
// 1.27 cm; 6 pt between paragraphs.
const (
	marginTop    = 20.0
	marginBottom = 20.0
	marginLeft   = 30.0
	marginRight  = 15.0
	bodySize     = 14.0
	indent       = 12.7
	paraAfter    = 6 * ptMM
	headLeftW    = 68.0 // the issuer's column; the national title takes the rest
)

// article finds the "Điều 1." that opens an article, printed bold.
var article = regexp.MustCompile(`^\s*(Điều\s+\d+[a-zđ]?\.)\s*`)

// upper is strings.ToUpper: the issuer, titles and signer are capitals
// whatever the caller wrote.
func upper(s string) string { return strings.ToUpper(s) }

// WriteDecision writes d as a PDF to w in the layout of Nghị định
// 30/2020/NĐ-CP: the two-column header (issuer and number, national title
// with the underlined motto and the italic place and date), "QUYẾT ĐỊNH"
// and the title, the authority, the italic grounds and proposal, the
// articles, the recipients and the signature, then the appendix list on a
// new page with its table header repeated on every page. Pages are
// numbered from the second.
func WriteDecision(w io.Writer, d Decision) error {
	wr, err := newWriter("P", marginLeft, marginTop, marginRight, marginBottom)
	if err != nil {
		return err
	}
	num := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(d.Number), "Số:"))
	if d.Draft {
		num = ""
	}
	wr.pdf.SetTitle(strings.Join(strings.Fields(decisionKind+" "+num+" "+d.Title), " "), true)
	wr.onPage = func() {
		wr.pageNumber()
		if d.Draft {
			wr.draftMark()
		}
	}
	wr.newPage()

	// The header: issuer and number on the left, national title, motto,
	// place and date on the right.
	number := "Số: " + num
	if num == "" {
		number = "Số: " + draftBlank + "/QĐ"
		if d.IssuerCode != "" {
			number += "-" + d.IssuerCode
		}
	}
	wr.twoColumnHeader(d.ParentName, d.IssuerName, number, d.PlaceDate)

	// "QUYẾT ĐỊNH", the title with its rule, the authority.
	wr.y += 6
	wr.paragraph(para{size: bodySize, align: "C"}, span{decisionKind, "B"})
	if strings.TrimSpace(d.Title) != "" {
		x := wr.left + wr.contentW()*0.1
		wr.centredRule(x, wr.contentW()*0.8, bodySize, span{d.Title, "B"})
	}
	wr.y += 5
	if strings.TrimSpace(d.Authority) != "" {
		wr.paragraph(para{size: bodySize, align: "C", after: 4}, span{upper(d.Authority), "B"})
	}

	body := para{size: bodySize, align: "J", indent: indent, after: paraAfter}
	for _, g := range d.Grounds {
		if strings.TrimSpace(g) != "" {
			wr.paragraph(body, span{g, "I"})
		}
	}
	if strings.TrimSpace(d.Proposal) != "" {
		wr.paragraph(body, span{d.Proposal, "I"})
	}
	wr.y += 2
	wr.ensure(lineH(bodySize) * 3)
	wr.paragraph(para{size: bodySize, align: "C", after: 4}, span{decides, "B"})
	var articles [][]span
	for _, a := range d.Articles {
		if strings.TrimSpace(a) == "" {
			continue
		}
		if m := article.FindStringSubmatchIndex(a); m != nil {
			articles = append(articles, []span{{a[m[2]:m[3]], "B"}, {a[m[1]:], ""}})
			continue
		}
		articles = append(articles, []span{{a, ""}})
	}
	for i, a := range articles {
		// The last article goes to the next page with the signature
		// rather than leave the signature alone on a page.
		if i == len(articles)-1 {
			h := wr.height(body, a...)
			if wr.y+h <= wr.limit() && wr.y+h+wr.signatureHeight(d) > wr.limit() && h < (wr.limit()-wr.top)/3 {
				wr.newPage()
			}
		}
		wr.paragraph(body, a...)
	}

	wr.decisionSignature(d)

	if d.Appendix != nil && len(d.Appendix.Sections) > 0 {
		wr.newPage()
		wr.appendix(*d.Appendix)
	}
	return wr.finish(w)
}

// twoColumnHeader draws the header of Nghị định 30 (ô 1 to 4): on the left
// the governing body (upright capitals) and the issuer (bold capitals)
// with a short rule, on the right the national title (bold capitals) and
// the motto (bold, underlined its whole length); then, on one line, the
// number on the left and the italic place and date on the right.
func (w *writer) twoColumnHeader(parent, issuer, number, placeDate string) {
	xL, wL := w.left, headLeftW
	xR, wR := w.left+headLeftW, w.contentW()-headLeftW
	start := w.y
	if strings.TrimSpace(parent) != "" {
		w.paragraph(para{x: xL, width: wL, size: 13, align: "C"}, span{upper(parent), ""})
	}
	w.centredRule(xL, wL, 13, span{upper(issuer), "B"})
	leftEnd := w.y
	w.y = start
	w.paragraph(para{x: xR, width: wR, size: 12.5, align: "C"}, span{nationalTitle, "B"})
	w.paragraph(para{x: xR, width: wR, size: 13, align: "C"}, span{motto, "BU"})
	w.y = math.Max(leftEnd, w.y) + 3
	start = w.y
	if number != "" {
		w.paragraph(para{x: xL, width: wL, size: 13, align: "C"}, span{number, ""})
	}
	leftEnd = w.y
	w.y = start
	if strings.TrimSpace(placeDate) != "" {
		w.paragraph(para{x: xR, width: wR, size: 13, align: "C"}, span{placeDate, "I"})
	}
	w.y = math.Max(leftEnd, w.y)
}

// signatureGap is the space above the signature block.
const signatureGap = 4.0

// signatureHeight is the height of the signature block with the space
// above it.
func (w *writer) signatureHeight(d Decision) float64 {
	return w.signatureBlock(d, false) + signatureGap
}

// decisionSignature draws "Nơi nhận" (bold italic 12 pt, the list in 11
// pt) on the left and the signer on the right, moving both to a new page
// together when they do not fit.
func (w *writer) decisionSignature(d Decision) {
	w.y += signatureGap
	if w.y+w.signatureHeight(d)-signatureGap > w.limit() {
		w.newPage()
	}
	w.signatureBlock(d, true)
}

// signatureBlock draws the block at the current position, or only
// measures it: its height is that of the taller column.
func (w *writer) signatureBlock(d Decision, draw bool) float64 {
	const leftW = 75.0
	const space = 26.0 // room for the signature and the seal
	xL := w.left
	xR, wR := w.left+leftW, w.contentW()-leftW
	start := w.y
	put := func(p para, sp span) float64 {
		if draw {
			w.paragraph(p, sp)
		}
		return w.height(p, sp)
	}

	left := put(para{x: xL, width: leftW, size: 12, align: "L"}, span{recipientsTag, "BI"})
	for _, r := range d.Recipients {
		if strings.TrimSpace(r) != "" {
			left += put(para{x: xL, width: leftW, size: 11, align: "L"}, span{r, ""})
		}
	}

	leftEnd := w.y
	w.y = start
	p := para{x: xR, width: wR, size: bodySize, align: "C"}
	right := 0.0
	for _, s := range []string{d.SignerAuthority, d.SignerTitle} {
		if strings.TrimSpace(s) != "" {
			right += put(p, span{upper(s), "B"})
		}
	}
	top := w.y
	if draw && d.Signed && !d.Draft {
		w.y = top + space/2 - lineH(bodySize)/2
		w.paragraph(p, span{signedMark, "I"})
	}
	w.y = top + space
	right += space + put(p, span{d.SignerName, "B"})

	if draw {
		w.y = math.Max(leftEnd, w.y)
	} else {
		w.y = start
	}
	return math.Max(left, right)
}

// appendix draws the list of awardees: title, subtitle, a short rule and
// the table (STT, name, position and unit, form, amount), a section
// heading row ("I. Cá nhân") before each section's rows.
func (w *writer) appendix(a Appendix) {
	if strings.TrimSpace(a.Title) != "" {
		w.paragraph(para{size: bodySize, align: "C"}, span{upper(a.Title), "B"})
	}
	if strings.TrimSpace(a.Subtitle) != "" {
		w.centredRule(w.left, w.contentW(), 13, span{a.Subtitle, "I"})
	}
	w.y += 5
	t := table{size: 12, pad: 1.5, cols: []column{
		{"STT", 12, "C"},
		{"Họ và tên / Tên tập thể", 50, "L"},
		{"Chức vụ – đơn vị", 45, "L"},
		{"Hình thức", 32, "L"},
		{"Số tiền (đồng)", 26, "R"},
	}}
	var rows []row
	for _, s := range a.Sections {
		if strings.TrimSpace(s.Heading) != "" {
			rows = append(rows, row{cells: []cell{{text: s.Heading, style: "B", align: "L", span: 5}}, keep: len(s.Rows) > 0})
		}
		for _, r := range s.Rows {
			no := ""
			if r.No > 0 {
				no = strconv.Itoa(r.No)
			}
			rows = append(rows, row{cells: []cell{{text: no}, {text: r.Name}, {text: r.Position}, {text: r.Form}, {text: r.Amount}}})
		}
	}
	w.drawTable(t, rows)
}

// WriteMinutes writes m as a PDF to w: the header (council and national
// title), "BIÊN BẢN" and the subject, the opening paragraphs, who the
// council was, one table row per nominee with its counts (and the share
// line with its denominator under it), the closing paragraphs and the
// signatures of the secretary (left) and the chair (right).
func WriteMinutes(w io.Writer, m Minutes) error {
	wr, err := newWriter("P", marginLeft, marginTop, marginRight, marginBottom)
	if err != nil {
		return err
	}
	title := m.Title
	if strings.TrimSpace(title) == "" {
		title = "BIÊN BẢN"
	}
	wr.pdf.SetTitle(strings.TrimSpace(title+" "+m.Subject), true)
	wr.onPage = wr.pageNumber
	wr.newPage()

	wr.twoColumnHeader(m.ParentName, m.CouncilName, "", m.PlaceDate)
	wr.y += 6
	wr.paragraph(para{size: bodySize, align: "C"}, span{upper(title), "B"})
	if strings.TrimSpace(m.Subject) != "" {
		x := wr.left + wr.contentW()*0.1
		wr.centredRule(x, wr.contentW()*0.8, bodySize, span{m.Subject, "B"})
	}
	wr.y += 5

	body := para{size: bodySize, align: "J", indent: indent, after: paraAfter}
	for _, p := range m.Opening {
		if strings.TrimSpace(p) != "" {
			wr.paragraph(body, span{p, ""})
		}
	}

	mm := m.Members
	wr.paragraph(body, span{"Thành phần:", "B"}, span{
		"tổng số thành viên Hội đồng có quyền biểu quyết: " + strconv.Itoa(mm.Total) +
			"; có mặt: " + strconv.Itoa(mm.Present) +
			"; vắng mặt có phiếu bằng văn bản: " + strconv.Itoa(mm.Written) +
			"; vắng mặt không có phiếu: " + strconv.Itoa(mm.Absent) + ".", ""})
	for _, l := range mm.Lines {
		if strings.TrimSpace(l) != "" {
			wr.paragraph(para{size: bodySize, align: "J", indent: indent, after: 1}, span{l, ""})
		}
	}
	wr.y += paraAfter

	if len(m.Nominees) > 0 {
		wr.ensure(lineH(bodySize) + 30)
		wr.paragraph(para{size: bodySize, align: "J", indent: indent, after: paraAfter}, span{"Kết quả bỏ phiếu kín:", "B"})
		t := table{size: 11, pad: 1.2, cols: []column{
			{"STT", 11, "C"},
			{"Họ và tên / Tên tập thể", 36, "L"},
			{"Hình thức", 27, "L"},
			{"Phiếu phát ra", 14, "C"},
			{"Phiếu thu về", 14, "C"},
			{"Phiếu hợp lệ", 14, "C"},
			{"Đồng ý", 13, "C"},
			{"Không đồng ý", 14, "C"},
			{"Kết quả", 22, "C"},
		}}
		var rows []row
		for _, n := range m.Nominees {
			rows = append(rows,
				row{keep: true, cells: []cell{
					{text: strconv.Itoa(n.No)}, {text: n.Name}, {text: n.Form},
					{text: strconv.Itoa(n.Issued)}, {text: strconv.Itoa(n.Returned)}, {text: strconv.Itoa(n.Valid)},
					{text: strconv.Itoa(n.For)}, {text: strconv.Itoa(n.Against)}, {text: n.Outcome, style: "B"},
				}},
				row{cells: []cell{{text: ""}, {text: "Tỷ lệ: " + n.Share, style: "I", align: "L", span: 8}}})
		}
		wr.drawTable(t, rows)
		wr.y += 4
	}

	for _, p := range m.Closing {
		if strings.TrimSpace(p) != "" {
			wr.paragraph(body, span{p, ""})
		}
	}

	// Signatures: the secretary on the left, the chair on the right.
	half := wr.contentW() / 2
	p := para{width: half, size: bodySize, align: "C"}
	need := lineH(bodySize)*2 + 28 + wr.height(p, span{m.Chair, "B"})
	wr.y += 6
	if wr.y+need > wr.limit() {
		wr.newPage()
	}
	start := wr.y
	for i, s := range []struct{ role, name string }{{"THƯ KÝ", m.Secretary}, {"CHỦ TỊCH HỘI ĐỒNG", m.Chair}} {
		wr.y = start
		p.x = wr.left + float64(i)*half
		wr.paragraph(p, span{s.role, "B"})
		wr.y += 26
		wr.paragraph(p, span{s.name, "B"})
	}
	return wr.finish(w)
}

// errNoCertificates is returned for an empty list: a PDF needs a page.
var errNoCertificates = errors.New("document: no certificates to write")

// WriteCertificates writes one A4 landscape page per certificate to w: a
// double border, the national title and the issuer at the top, the form
// name large, "Tặng" and the awardee, the position and the achievement,
// then the decision line at the bottom left and the place, date and
// signature at the bottom right. Long texts wrap; when they would not fit,
// the middle of the page is set smaller until it does.
func WriteCertificates(w io.Writer, cs []Certificate) error {
	if len(cs) == 0 {
		return errNoCertificates
	}
	wr, err := newWriter("L", 30, 24, 30, 24)
	if err != nil {
		return err
	}
	if len(cs) == 1 {
		wr.pdf.SetTitle(strings.TrimSpace(cs[0].FormName+" – "+cs[0].Awardee), true)
	} else {
		wr.pdf.SetTitle(strings.TrimSpace(cs[0].FormName), true)
	}
	for _, c := range cs {
		wr.newPage()
		wr.certificate(c)
	}
	return wr.finish(w)
}

// Certificate colours: the border and the form name in a deep red.
var certRed = [3]int{165, 28, 33}

func (w *writer) certificate(c Certificate) {
	w.border()
	cw := w.contentW()

	// Top: national title, motto, issuer.
	w.y = 22
	w.paragraph(para{size: 13, align: "C"}, span{nationalTitle, "B"})
	w.paragraph(para{size: 14, align: "C", after: 4}, span{motto, "BU"})
	if strings.TrimSpace(c.IssuerName) != "" {
		w.paragraph(para{size: 15, align: "C"}, span{upper(c.IssuerName), "B"})
	}
	topEnd := w.y + 3

	// Bottom: the signer block (right) anchored above the border, the
	// decision line (left) level with its last line.
	const rightW = 110.0
	xR := w.left + cw - rightW
	sign := func(draw bool) float64 {
		h := 0.0
		steps := []struct {
			text, style string
			size, gap   float64
		}{
			{c.PlaceDate, "I", 13, 1},
			{upper(c.SignerAuthority), "B", 13, 0},
			{upper(c.SignerTitle), "B", 13, 22},
			{c.SignerName, "B", 14, 0},
		}
		for _, s := range steps {
			if strings.TrimSpace(s.text) == "" {
				if s.gap > 0 {
					h += s.gap
					if draw {
						w.y += s.gap
					}
				}
				continue
			}
			p := para{x: xR, width: rightW, size: s.size, align: "C", after: s.gap}
			if draw {
				w.paragraph(p, span{s.text, s.style})
			} else {
				h += w.height(p, span{s.text, s.style})
			}
		}
		return h
	}
	bottomH := sign(false)
	bottomTop := w.pageH - 24 - bottomH
	w.y = bottomTop
	sign(true)
	var left []string
	for _, s := range []string{c.DecisionLine, c.RegisterLine} {
		if strings.TrimSpace(s) != "" {
			left = append(left, s)
		}
	}
	leftW := cw - rightW - 10
	leftP := para{x: w.left, width: leftW, size: 13, align: "L"}
	leftH := 0.0
	for _, s := range left {
		leftH += w.height(leftP, span{s, ""})
	}
	w.y = w.pageH - 24 - leftH
	for _, s := range left {
		w.paragraph(leftP, span{s, ""})
	}

	// Middle: set at the largest scale that fits between top and bottom.
	avail := bottomTop - topEnd - 4
	type piece struct {
		text, style string
		size, after float64
		red         bool
	}
	pieces := func(s float64) []piece {
		ps := []piece{{upper(c.FormName), "B", 38 * s, 4 * s, true}, {"Tặng", "I", 16 * s, 1 * s, false}}
		ps = append(ps, piece{c.Awardee, "B", 24 * s, 2 * s, false})
		if strings.TrimSpace(c.Position) != "" {
			ps = append(ps, piece{c.Position, "", 16 * s, 3 * s, false})
		}
		if strings.TrimSpace(c.Achievement) != "" {
			ps = append(ps, piece{c.Achievement, "I", 16 * s, 0, false})
		}
		return ps
	}
	midW := cw - 20
	measure := func(ps []piece) float64 {
		h := 0.0
		for _, p := range ps {
			h += w.height(para{width: midW, size: p.size, align: "C", after: p.after}, span{p.text, p.style})
		}
		return h
	}
	scale := 1.0
	ps := pieces(scale)
	h := measure(ps)
	for h > avail && scale > 0.1 {
		scale -= 0.05
		ps = pieces(scale)
		h = measure(ps)
	}
	w.y = topEnd + math.Max(0, (avail-h)/2)
	for _, p := range ps {
		if p.red {
			w.pdf.SetTextColor(certRed[0], certRed[1], certRed[2])
		}
		w.paragraph(para{x: w.left + 10, width: midW, size: p.size, align: "C", after: p.after}, span{p.text, p.style})
		if p.red {
			w.pdf.SetTextColor(0, 0, 0)
		}
	}
}

// border draws the certificate's decorative double frame: a heavy outer
// line, a thin inner one, and a diamond at each corner between them.
func (w *writer) border() {
	w.pdf.SetDrawColor(certRed[0], certRed[1], certRed[2])
	w.pdf.SetFillColor(certRed[0], certRed[1], certRed[2])
	const outer, inner = 10.0, 14.0
	w.pdf.SetLineWidth(1.4)
	w.pdf.Rect(outer, outer, w.pageW-2*outer, w.pageH-2*outer, "D")
	w.pdf.SetLineWidth(0.4)
	w.pdf.Rect(inner, inner, w.pageW-2*inner, w.pageH-2*inner, "D")
	w.pdf.SetLineWidth(0.25)
	w.pdf.Rect(inner+1.2, inner+1.2, w.pageW-2*inner-2.4, w.pageH-2*inner-2.4, "D")
	for _, x := range []float64{inner, w.pageW - inner} {
		for _, y := range []float64{inner, w.pageH - inner} {
			const r = 3.2
			w.pdf.Polygon([]fpdf.PointType{{X: x, Y: y - r}, {X: x + r, Y: y}, {X: x, Y: y + r}, {X: x - r, Y: y}}, "F")
		}
	}
	w.pdf.SetDrawColor(0, 0, 0)
}
