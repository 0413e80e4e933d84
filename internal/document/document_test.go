package document

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

// Set DOCUMENT_RENDER_DIR to keep the sample PDFs and their page renders
// (PNG) for looking at; otherwise they go to the test's temporary folder.

var individuals = []string{
	"Nguyễn Văn An", "Trần Thị Bích Ngọc", "Lê Hoàng Phúc", "Phạm Thị Thu Hường", "Huỳnh Văn Dũng",
	"Võ Thị Ánh Tuyết", "Đặng Quốc Khánh", "Bùi Thị Mỹ Duyên", "Đỗ Minh Trí", "Hồ Thị Kiều Oanh",
	"Ngô Thanh Sơn", "Dương Thị Ngọc Hân", "Lý Văn Lực", "Châu Thị Cẩm Nhung", "Tôn Nữ Diễm Hương",
	"Trương Công Định", "Quách Thị Yến", "Lâm Văn Ửng", "Mai Thị Xuân Đào", "Tạ Quang Vĩnh",
	"Phan Thị Hồng Nhung Phương Thảo Huỳnh Ngọc Bảo Châu Nguyễn Lê", "Khổng Minh Triết", "Âu Dương Kiệt",
	"Ông Thị Ửng Hồng", "Nguyễn Ngọc Ẩn", "Thái Thị Ỷ Lan", "Kiều Văn Ỳ", "Ứng Thị Ỡm",
}

var collectives = []string{
	"Trường Trung học phổ thông chuyên Nguyễn Quang Diêu, thành phố Cao Lãnh",
	"Ủy ban nhân dân xã Mỹ Hiệp, huyện Cao Lãnh",
	"Phòng Giáo dục và Đào tạo huyện Tháp Mười",
	"Trạm Y tế phường Hòa Thuận",
	"Hội Liên hiệp Phụ nữ huyện Lấp Vò",
	"Ban Chỉ huy Quân sự huyện Hồng Ngự",
	"Công an xã Tân Hộ Cơ, huyện Tân Hồng",
	"Hợp tác xã Nông nghiệp Dịch vụ Tân Bình, huyện Châu Thành",
	"Đoàn Thanh niên Cộng sản Hồ Chí Minh Trường Đại học Đồng Tháp",
	"Ủy ban Mặt trận Tổ quốc Việt Nam thị trấn Mỹ Thọ",
	"Tập thể Ấp Ông Hổ Ửng Đỏ Ỷ Lại Ẩn Hiện, xã Ỵ Ọ, huyện Ỏ Ẻ",
	"Chi cục Quản lý thị trường",
}

func sampleDecision(draft bool) Decision {
	var persons, units []AppendixRow
	for i, n := range individuals {
		persons = append(persons, AppendixRow{No: i + 1, Name: n,
			Position: fmt.Sprintf("Giáo viên Trường Tiểu học Mỹ Thọ %d, huyện Cao Lãnh", i+1),
			Form:     "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh", Amount: "1.170.000"})
	}
	persons[5].Position = "Phó Trưởng phòng Tổ chức cán bộ kiêm Chánh Văn phòng Đảng ủy, Sở Giáo dục và Đào tạo tỉnh Đồng Tháp"
	persons[6].Position = "Chuyên_viên_phòng_Kế_hoạch_Tài_chính_không_có_khoảng_trắng_nào"
	for i, n := range collectives {
		units = append(units, AppendixRow{No: i + 1, Name: n, Form: "Cờ thi đua của Ủy ban nhân dân tỉnh", Amount: "2.340.000"})
	}
	d := Decision{
		ParentName: "",
		IssuerName: "Ủy ban nhân dân tỉnh Đồng Tháp",
		Number:     "05/QĐ-UBND",
		IssuerCode: "UBND",
		PlaceDate:  "Đồng Tháp, ngày 05 tháng 12 năm 2026",
		Title:      "Về việc khen thưởng các tập thể, cá nhân đã có thành tích xuất sắc trong phong trào thi đua “Đồng Tháp chung sức xây dựng nông thôn mới” năm 2026",
		Authority:  "Chủ tịch Ủy ban nhân dân tỉnh Đồng Tháp",
		Grounds: []string{
			"Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 02 năm 2025;",
			"Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
			"Căn cứ Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ quy định chi tiết thi hành một số điều của Luật Thi đua, khen thưởng;",
			"Căn cứ Kế hoạch số 123/KH-UBND ngày 10 tháng 01 năm 2026 của Ủy ban nhân dân tỉnh về tổ chức phong trào thi đua.",
		},
		Proposal: "Xét đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số 456/TTr-SNV ngày 01 tháng 12 năm 2026.",
		Articles: []string{
			"Điều 1. Tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh cho 28 cá nhân và Cờ thi đua cho 12 tập thể đã có thành tích xuất sắc trong phong trào thi đua “Đồng Tháp chung sức xây dựng nông thôn mới” năm 2026 (có danh sách kèm theo).",
			"Điều 2. Mỗi cá nhân được tặng Bằng khen kèm theo tiền thưởng 1.170.000 đồng; mỗi tập thể được tặng Cờ thi đua kèm theo tiền thưởng 2.340.000 đồng, từ nguồn quỹ thi đua, khen thưởng của tỉnh.",
			"Điều 3. Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc Sở Nội vụ, Giám đốc Sở Tài chính, Thủ trưởng các cơ quan, đơn vị có liên quan và các tập thể, cá nhân có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này.\nQuyết định có hiệu lực kể từ ngày ký.",
		},
		Appendix: &Appendix{
			Title:    "Danh sách khen thưởng",
			Subtitle: "(Kèm theo Quyết định số 05/QĐ-UBND ngày 05/12/2026 của Chủ tịch Ủy ban nhân dân tỉnh Đồng Tháp)",
			Sections: []AppendixSection{{Heading: "I. Cá nhân", Rows: persons}, {Heading: "II. Tập thể", Rows: units}},
		},
		Recipients:      []string{"- Như Điều 3;", "- Ban Thi đua - Khen thưởng Trung ương;", "- Thường trực Tỉnh ủy, Thường trực HĐND tỉnh;", "- Chủ tịch, các Phó Chủ tịch UBND tỉnh;", "- Lưu: VT, SNV."},
		SignerAuthority: "KT. Chủ tịch",
		SignerTitle:     "Phó Chủ tịch",
		SignerName:      "Nguyễn Thị Thu Hương",
		Signed:          true,
	}
	if draft {
		d.Number, d.Draft = "", true // Signed stays true: a draft never prints "(Đã ký)"
		d.PlaceDate = "Đồng Tháp, ngày … tháng … năm …"
		d.Appendix.Subtitle = "(Kèm theo Quyết định số      /QĐ-UBND ngày … của Chủ tịch Ủy ban nhân dân tỉnh Đồng Tháp)"
	}
	return d
}

func sampleMinutes() Minutes {
	m := Minutes{
		ParentName:  "Ủy ban nhân dân tỉnh Đồng Tháp",
		CouncilName: "Hội đồng Thi đua – Khen thưởng tỉnh Đồng Tháp",
		PlaceDate:   "Đồng Tháp, ngày 03 tháng 12 năm 2026",
		Title:       "Biên bản",
		Subject:     "Họp xét khen thưởng phong trào thi đua “Đồng Tháp chung sức xây dựng nông thôn mới” năm 2026",
		Opening: []string{
			"Thời gian: 08 giờ 00 phút, ngày 03 tháng 12 năm 2026.",
			"Địa điểm: Phòng họp số 1, Ủy ban nhân dân tỉnh Đồng Tháp, số 12 đường 30/4, phường 1, thành phố Cao Lãnh.",
			"Nội dung: xét, bỏ phiếu kín đề nghị khen thưởng các tập thể, cá nhân có thành tích xuất sắc trong phong trào thi đua.",
		},
		Members: MinutesMembers{Total: 9, Present: 7, Written: 1, Absent: 1, Lines: []string{
			"Ông Nguyễn Văn Hòa – Chủ tịch Hội đồng – có mặt",
			"Bà Trần Thị Ngọc Lan – Phó Chủ tịch Hội đồng – có mặt",
			"Ông Lê Quốc Việt – Ủy viên – có mặt",
			"Bà Phạm Thị Hồng Nhung – Ủy viên – vắng mặt, có phiếu bằng văn bản",
			"Ông Võ Minh Đức – Ủy viên – vắng mặt",
			"Bà Huỳnh Thị Kim Ngân – Thư ký Hội đồng – có mặt (không biểu quyết)",
		}},
		Closing:   []string{"Phiên họp kết thúc lúc 10 giờ 30 phút cùng ngày. Biên bản đã được đọc lại cho các thành viên dự họp cùng nghe và thống nhất."},
		Chair:     "Nguyễn Văn Hòa",
		Secretary: "Huỳnh Thị Kim Ngân",
	}
	for i, n := range append(append([]string{}, individuals[:6]...), collectives[:3]...) {
		votes := 9 - i%3
		outcome := "Đạt"
		share := fmt.Sprintf("%d/9 thành viên = %s %% ≥ 90 %% tổng số thành viên", votes, map[int]string{9: "100", 8: "88,9", 7: "77,8"}[votes])
		if votes < 9 {
			outcome = "Không đạt"
			share = strings.Replace(share, "≥", "<", 1)
		}
		m.Nominees = append(m.Nominees, MinutesNominee{No: i + 1, Name: n, Form: "Chiến sĩ thi đua cấp tỉnh",
			Issued: 8, Returned: 8, Valid: 8, For: votes - 1, Against: 9 - votes, Share: share, Outcome: outcome})
	}
	return m
}

func sampleCertificates() []Certificate {
	base := Certificate{
		IssuerName:      "Chủ tịch Ủy ban nhân dân tỉnh Đồng Tháp",
		FormName:        "Bằng khen",
		Achievement:     "Đã có thành tích xuất sắc trong phong trào thi đua “Đồng Tháp chung sức xây dựng nông thôn mới” năm 2026.",
		DecisionLine:    "Quyết định số 05/QĐ-UBND ngày 05/12/2026",
		RegisterLine:    "Số sổ vàng: 1234",
		PlaceDate:       "Đồng Tháp, ngày 05 tháng 12 năm 2026",
		SignerAuthority: "KT. Chủ tịch",
		SignerTitle:     "Phó Chủ tịch",
		SignerName:      "Nguyễn Thị Thu Hương",
	}
	a := base
	a.Awardee = "Bà Trần Thị Bích Ngọc"
	a.Position = "Giáo viên Trường Tiểu học Mỹ Thọ 1, huyện Cao Lãnh"
	b := base
	b.Awardee = collectives[0]
	b.Achievement = strings.Repeat("Đã có thành tích xuất sắc, tiêu biểu trong công tác dạy và học, giữ vững danh hiệu tập thể lao động xuất sắc nhiều năm liền, góp phần vào sự nghiệp giáo dục của tỉnh. ", 3)
	c := base
	c.FormName = "Giấy khen"
	c.Awardee = individuals[20]
	c.Position = "Phó Trưởng phòng Tổ chức cán bộ kiêm Chánh Văn phòng Đảng ủy, Sở Giáo dục và Đào tạo tỉnh Đồng Tháp"
	c.RegisterLine = ""
	return []Certificate{a, b, c}
}

// outDir is where the samples go.
func outDir(t testing.TB) string {
	if d := os.Getenv("DOCUMENT_RENDER_DIR"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.TempDir()
}

func writeFile(t *testing.T, name string, write func(io.Writer) error) string {
	t.Helper()
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) {
		t.Fatalf("%s: not a PDF: %q", name, buf.Bytes()[:min(20, buf.Len())])
	}
	path := filepath.Join(outDir(t), name)
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func tool(t *testing.T, name string, args ...string) string {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		if os.Getenv("THIDUA_NEED_POPPLER") != "" {
			t.Fatalf("%s (poppler-utils) is missing and THIDUA_NEED_POPPLER is set", name)
		}
		t.Skipf("%s not installed (poppler-utils)", name)
	}
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
	return string(out)
}

// pt is a length in millimetres as whole points, for pdftotext's crop.
func pt(mm float64) string { return strconv.Itoa(int(mm * 72 / 25.4)) }

var spaces = regexp.MustCompile(`\s+`)

// flat is text with its white space (line breaks included) made single
// spaces and composed (NFC), for finding wrapped phrases.
func flat(s string) string { return norm.NFC.String(spaces.ReplaceAllString(s, " ")) }

func pdfText(t *testing.T, path string, args ...string) string {
	t.Helper()
	return tool(t, "pdftotext", append(append([]string{"-enc", "UTF-8"}, args...), path, "-")...)
}

func mustContain(t *testing.T, what, text string, wants ...string) {
	t.Helper()
	for _, want := range wants {
		if !strings.Contains(text, flat(want)) {
			t.Errorf("%s: %q not found", what, want)
		}
	}
}

// info returns pdfinfo's page count and page size line.
func info(t *testing.T, path string) (pages int, size string) {
	t.Helper()
	out := tool(t, "pdfinfo", path)
	for _, l := range strings.Split(out, "\n") {
		k, v, ok := strings.Cut(l, ":")
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		switch k {
		case "Pages":
			pages, _ = strconv.Atoi(v)
		case "Page size":
			size = v
		}
	}
	return pages, size
}

// a4 reads pdfinfo's "595.28 x 841.89 pts (A4)": A4 (210 × 297 mm to
// a point), portrait or landscape.
func a4(size string, landscape bool) bool {
	var w, h float64
	if _, err := fmt.Sscanf(size, "%g x %g pts", &w, &h); err != nil {
		return false
	}
	if landscape {
		w, h = h, w
	}
	near := func(a, b float64) bool { return a > b-1 && a < b+1 }
	return near(w, 595.28) && near(h, 841.89)
}

// onlyEmbedded checks that pdffonts lists fonts and that every one is
// embedded.
func onlyEmbedded(t *testing.T, path string) {
	t.Helper()
	out := tool(t, "pdffonts", path)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) < 3 {
		t.Fatalf("pdffonts lists no fonts:\n%s", out)
	}
	// name type encoding emb sub uni object ID: emb is the 4th column from
	// the end of the fixed columns; read it by the header's offset.
	head := lines[0]
	at := strings.Index(head, "emb")
	if at < 0 {
		t.Fatalf("pdffonts header without emb:\n%s", out)
	}
	for _, l := range lines[2:] {
		if len(l) < at+3 || l[at:at+3] != "yes" {
			t.Errorf("font not embedded: %q", l)
		}
		if !strings.Contains(strings.ToLower(l), "liberationserif") {
			t.Errorf("font other than Liberation Serif: %q", l)
		}
	}
}

// render writes page 1 as PNG at 60 dpi (pdftoppm) next to the PDF.
func render(t *testing.T, path string) {
	t.Helper()
	prefix := strings.TrimSuffix(path, ".pdf")
	tool(t, "pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", path, prefix)
	matches, _ := filepath.Glob(prefix + "*.png")
	if len(matches) == 0 {
		t.Errorf("pdftoppm wrote no PNG for %s", path)
	}
}

var wordBox = regexp.MustCompile(`<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>`)
var pageBox = regexp.MustCompile(`<page width="([\d.]+)" height="([\d.]+)">`)

// inside checks with pdftotext -bbox that every word of every page lies
// within the box [left, right] × [top, bottom] (millimetres from the
// page's edges): nothing runs past the margins.
func inside(t *testing.T, path string, left, top, right, bottom float64) {
	t.Helper()
	out := tool(t, "pdftotext", "-bbox", path, "-")
	const mm = 72 / 25.4
	const slack = 1.5 // points: the glyph boxes' side bearings
	pages := strings.Split(out, "<page ")
	words := 0
	for _, p := range pages[1:] {
		pb := pageBox.FindStringSubmatch("<page " + p)
		pw, _ := strconv.ParseFloat(pb[1], 64)
		ph, _ := strconv.ParseFloat(pb[2], 64)
		for _, m := range wordBox.FindAllStringSubmatch(p, -1) {
			words++
			x0, _ := strconv.ParseFloat(m[1], 64)
			y0, _ := strconv.ParseFloat(m[2], 64)
			x1, _ := strconv.ParseFloat(m[3], 64)
			y1, _ := strconv.ParseFloat(m[4], 64)
			if x0 < left*mm-slack || x1 > pw-right*mm+slack || y0 < top*mm-slack || y1 > ph-bottom*mm+slack {
				t.Errorf("%s: word %q at (%.1f,%.1f)-(%.1f,%.1f) pt outside the text area", filepath.Base(path), m[5], x0, y0, x1, y1)
			}
		}
	}
	if words == 0 {
		t.Errorf("%s: no words found", path)
	}
}

func TestWriteDecision(t *testing.T) {
	d := sampleDecision(false)
	path := writeFile(t, "decision.pdf", func(w io.Writer) error { return WriteDecision(w, d) })
	text := flat(pdfText(t, path))
	mustContain(t, "decision", text, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
		"QUYẾT ĐỊNH", "Số: 05/QĐ-UBND", "ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP", "Đồng Tháp, ngày 05 tháng 12 năm 2026",
		"CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP", "QUYẾT ĐỊNH:", "Nơi nhận:", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH",
		"(Đã ký)", "Nguyễn Thị Thu Hương", "DANH SÁCH KHEN THƯỞNG", "I. Cá nhân", "II. Tập thể", "Số tiền (đồng)",
		"Quyết định có hiệu lực kể từ ngày ký.", "- Lưu: VT, SNV.")
	for _, g := range d.Grounds {
		mustContain(t, "grounds", text, g)
	}
	if strings.Contains(text, "DỰ THẢO") {
		t.Error("a signed decision says DỰ THẢO")
	}

	// Every awardee, with its diacritics, in the appendix (a long name
	// wraps inside its cell: read the table in layout order, column by
	// column, by cropping pdftotext to the name column).
	names := flat(pdfText(t, path, "-x", pt(30+12), "-y", "0", "-W", pt(50), "-H", "842"))
	for _, n := range append(append([]string{}, individuals...), collectives...) {
		mustContain(t, "awardee", names, n)
	}

	pages, size := info(t, path)
	if !a4(size, false) {
		t.Errorf("page size %q, want A4 portrait", size)
	}
	if pages < 3 {
		t.Errorf("%d pages, want the decision and an appendix of at least two pages", pages)
	}
	// Page 1 unnumbered; from page 2 on the number is the page's first
	// line (centred in the top margin); the appendix pages repeat the
	// table header.
	first := strings.TrimSpace(pdfText(t, path, "-f", "1", "-l", "1"))
	if strings.HasPrefix(first, "1\n") || strings.HasPrefix(first, "1 ") {
		t.Errorf("page 1 is numbered: %q", first[:40])
	}
	appendixFrom := 0
	for p := 2; p <= pages; p++ {
		pt := strings.TrimSpace(pdfText(t, path, "-f", strconv.Itoa(p), "-l", strconv.Itoa(p)))
		if firstLine, _, _ := strings.Cut(pt, "\n"); strings.TrimSpace(firstLine) != strconv.Itoa(p) {
			t.Errorf("page %d starts with %q, want its number", p, firstLine)
		}
		if appendixFrom == 0 && strings.Contains(pt, "DANH SÁCH KHEN THƯỞNG") {
			appendixFrom = p
		}
		if appendixFrom > 0 && !strings.Contains(flat(pt), "Họ và tên / Tên tập thể") {
			t.Errorf("appendix page %d without the table header", p)
		}
	}
	if appendixFrom == 0 || pages-appendixFrom < 1 {
		t.Errorf("the appendix starts on page %d of %d, want a new page and at least two pages", appendixFrom, pages)
	}
	onlyEmbedded(t, path)
	// Text stays inside the margins (30/20/15/20 mm); the page number sits
	// in the top margin.
	inside(t, path, 30, 8, 15, 20)
	render(t, path)
}

func TestWriteDecisionDraft(t *testing.T) {
	d := sampleDecision(true)
	path := writeFile(t, "decision-draft.pdf", func(w io.Writer) error { return WriteDecision(w, d) })
	text := flat(pdfText(t, path))
	mustContain(t, "draft", text, "DỰ THẢO", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "QUYẾT ĐỊNH", "/QĐ-UBND", "ngày … tháng … năm …")
	if regexp.MustCompile(`Số: *\d`).MatchString(text) {
		t.Errorf("a draft has a number: %q", text[:200])
	}
	if strings.Contains(text, "(Đã ký)") {
		t.Error("a draft says (Đã ký)")
	}
	// The number is left blank, wide enough to write it in by hand.
	bbox := tool(t, "pdftotext", "-bbox", "-f", "1", "-l", "1", path, "-")
	var so, code []string
	for _, m := range wordBox.FindAllStringSubmatch(bbox, -1) {
		switch strings.TrimLeft(m[5], "\u00a0 ") {
		case "Số:":
			so = m
		case "/QĐ-UBND":
			code = m
		}
	}
	if so == nil || code == nil {
		t.Fatalf("draft number words not found:\n%s", bbox)
	}
	soEnd, _ := strconv.ParseFloat(so[3], 64)
	codeStart, _ := strconv.ParseFloat(code[1], 64)
	if gap := (codeStart - soEnd) * 25.4 / 72; gap < 8 {
		t.Errorf("draft number blank is %.1f mm wide, want at least 8 mm", gap)
	}
	pages, _ := info(t, path)
	for p := 1; p <= pages; p++ {
		if !strings.Contains(pdfText(t, path, "-f", strconv.Itoa(p), "-l", strconv.Itoa(p)), "DỰ THẢO") {
			t.Errorf("draft page %d without DỰ THẢO", p)
		}
	}
	onlyEmbedded(t, path)
	render(t, path)
}

func TestWriteMinutes(t *testing.T) {
	m := sampleMinutes()
	path := writeFile(t, "minutes.pdf", func(w io.Writer) error { return WriteMinutes(w, m) })
	text := flat(pdfText(t, path))
	mustContain(t, "minutes", text, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG TỈNH ĐỒNG THÁP",
		"BIÊN BẢN", "Họp xét khen thưởng", "có mặt: 7", "vắng mặt có phiếu bằng văn bản: 1", "vắng mặt không có phiếu: 1", "THƯ KÝ", "CHỦ TỊCH HỘI ĐỒNG",
		"Nguyễn Văn Hòa", "Huỳnh Thị Kim Ngân", "Phiên họp kết thúc lúc 10 giờ 30 phút")
	for _, l := range m.Members.Lines {
		mustContain(t, "member", text, l)
	}
	for _, n := range m.Nominees {
		mustContain(t, "share", text, "Tỷ lệ: "+n.Share)
	}
	names := flat(pdfText(t, path, "-x", pt(30+11), "-y", "0", "-W", pt(36), "-H", "842"))
	for _, n := range m.Nominees {
		mustContain(t, "nominee", names, n.Name)
	}
	_, size := info(t, path)
	if !a4(size, false) {
		t.Errorf("page size %q, want A4 portrait", size)
	}
	onlyEmbedded(t, path)
	inside(t, path, 30, 8, 15, 20)
	render(t, path)
}

func TestWriteCertificates(t *testing.T) {
	cs := sampleCertificates()
	path := writeFile(t, "certificates.pdf", func(w io.Writer) error { return WriteCertificates(w, cs) })
	pages, size := info(t, path)
	if pages != len(cs) {
		t.Errorf("%d pages, want one per certificate (%d)", pages, len(cs))
	}
	if !a4(size, true) {
		t.Errorf("page size %q, want A4 landscape", size)
	}
	for i, c := range cs {
		page := flat(pdfText(t, path, "-f", strconv.Itoa(i+1), "-l", strconv.Itoa(i+1)))
		mustContain(t, fmt.Sprintf("certificate %d", i+1), page, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", upper(c.IssuerName),
			upper(c.FormName), "Tặng", c.Awardee, c.Position, c.Achievement, c.DecisionLine, c.PlaceDate, c.SignerName)
	}
	onlyEmbedded(t, path)
	// Everything inside the inner frame (14 mm from the edges).
	inside(t, path, 15, 15, 15, 15)
	render(t, path)
}

func TestWriteCertificatesNone(t *testing.T) {
	if err := WriteCertificates(io.Discard, nil); err == nil {
		t.Error("no certificates: want an error, got a PDF without pages")
	}
}

// TestCleanText: decomposed Vietnamese is composed so the font's own
// glyphs print; characters the font lacks show as "?"; control
// characters go; tabs become spaces.
func TestCleanText(t *testing.T) {
	_, has, err := loadFonts()
	if err != nil {
		t.Fatal(err)
	}
	nfd := norm.NFD.String("Nguyễn Thị Ánh Tuyết, Đồng Tháp")
	if nfd == "Nguyễn Thị Ánh Tuyết, Đồng Tháp" {
		t.Fatal("test input is not decomposed")
	}
	for in, want := range map[string]string{
		nfd:                         "Nguyễn Thị Ánh Tuyết, Đồng Tháp",
		"Tổ\tdân phố\u200b 5\u0007": "Tổ dân phố 5",
		"Khen 🎉 thưởng 表彰":          "Khen ? thưởng ??",
		"a\r\nb":                    "a\nb",
		"số      /QĐ  và":           "số\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0/QĐ  và",
		"“Ngoặc” – gạch – … ≥ ≤ ₫": "“Ngoặc” – gạch – … ≥ ≤ ₫",
	} {
		if got := clean(in, has); got != want {
			t.Errorf("clean(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestLayoutNeverOverflows feeds the writers texts far longer than any
// real one (a name of a thousand letters, a word without spaces, sixty
// recipients, eighty nominees, an achievement of a page) and empty view
// models: every PDF is written, every word stays inside the margins (a
// table row taller than a page is split between its lines).
func TestLayoutNeverOverflows(t *testing.T) {
	long := strings.Repeat("Nguyễn Thị Hồng Nhung Phương Thảo ", 30)
	unbroken := strings.Repeat("Khôngcókhoảngtrắng", 20)

	d := sampleDecision(false)
	d.IssuerName = long[:200]
	d.Title = long
	d.Grounds = append(d.Grounds, long, unbroken)
	for i := range 60 {
		d.Recipients = append(d.Recipients, fmt.Sprintf("- Ủy ban nhân dân huyện số %d và các phòng, ban chuyên môn trực thuộc;", i+1))
	}
	rows := d.Appendix.Sections[0].Rows
	rows[0].Name = long + long + long
	rows[1].Position = unbroken
	rows[2].Amount = "1.000.000.000.000.000.000.000"
	path := writeFile(t, "stress-decision.pdf", func(w io.Writer) error { return WriteDecision(w, d) })
	inside(t, path, 30, 8, 15, 20)

	m := sampleMinutes()
	for i := range 80 {
		m.Nominees = append(m.Nominees, MinutesNominee{No: 10 + i, Name: long[:120], Form: unbroken, Issued: 120, Returned: 119, Valid: 118, For: 100, Against: 18, Share: long[:150], Outcome: "Không đạt"})
	}
	m.Members.Lines = append(m.Members.Lines, long, unbroken)
	path = writeFile(t, "stress-minutes.pdf", func(w io.Writer) error { return WriteMinutes(w, m) })
	inside(t, path, 30, 8, 15, 20)

	cs := sampleCertificates()
	cs[0].Awardee = long[:300]
	cs[0].Achievement = long + long + unbroken
	cs[1].IssuerName = long[:150]
	cs[1].Position = unbroken
	path = writeFile(t, "stress-certificates.pdf", func(w io.Writer) error { return WriteCertificates(w, cs) })
	inside(t, path, 15, 15, 15, 15)

	for name, write := range map[string]func(io.Writer) error{
		"empty-decision.pdf":    func(w io.Writer) error { return WriteDecision(w, Decision{}) },
		"empty-minutes.pdf":     func(w io.Writer) error { return WriteMinutes(w, Minutes{}) },
		"empty-certificate.pdf": func(w io.Writer) error { return WriteCertificates(w, []Certificate{{}}) },
	} {
		path := writeFile(t, name, write)
		if pages, _ := info(t, path); pages != 1 {
			t.Errorf("%s: %d pages, want 1", name, pages)
		}
	}
}

// TestWritersConcurrently: the writers share only the embedded font files
// (read-only) and the coverage table, so requests can print at the same
// time (run with -race) and each gets the same bytes as a lone call,
// apart from the creation and modification dates.
func TestWritersConcurrently(t *testing.T) {
	d := sampleDecision(false)
	var want bytes.Buffer
	if err := WriteDecision(&want, d); err != nil {
		t.Fatal(err)
	}
	stamp := regexp.MustCompile(`/(CreationDate|ModDate) \(D:[0-9]+\)`)
	errs := make(chan error, 6)
	for range 6 {
		go func() {
			var got bytes.Buffer
			if err := WriteDecision(&got, d); err != nil {
				errs <- err
				return
			}
			if err := WriteCertificates(io.Discard, sampleCertificates()); err != nil {
				errs <- err
				return
			}
			if !bytes.Equal(stamp.ReplaceAll(got.Bytes(), nil), stamp.ReplaceAll(want.Bytes(), nil)) {
				errs <- fmt.Errorf("concurrent decision differs from a lone one (%d vs %d bytes)", got.Len(), want.Len())
				return
			}
			errs <- nil
		}()
	}
	for range 6 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// TestFontCoversVietnamese: every Vietnamese letter, in both cases and
// with each of the five tone marks, and the signs the documents use print
// with the embedded font (none becomes "?").
func TestFontCoversVietnamese(t *testing.T) {
	_, has, err := loadFonts()
	if err != nil {
		t.Fatal(err)
	}
	var letters []string
	for _, base := range strings.Split("a ă â e ê i o ô ơ u ư y", " ") {
		for _, tone := range []string{"", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"} {
			l := norm.NFC.String(base + tone)
			letters = append(letters, l, strings.ToUpper(l))
		}
	}
	letters = append(letters, "đ", "Đ", "“", "”", "–", "—", "…", "≥", "≤", "→", "×", "₫", "№", "\u00a0")
	if len(letters) != 12*6*2+14 {
		t.Fatalf("%d letters", len(letters))
	}
	for _, l := range letters {
		if r := []rune(l); len(r) != 1 || !has[r[0]] {
			t.Errorf("%q (%U) is not drawn by the embedded font", l, r)
		}
	}
}

func BenchmarkWriteDecision(b *testing.B) {
	d := sampleDecision(false)
	for b.Loop() {
		if err := WriteDecision(io.Discard, d); err != nil {
			b.Fatal(err)
		}
	}
}
