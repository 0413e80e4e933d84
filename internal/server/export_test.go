package server

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"thidua/internal/domain"
)

// exportFixture is a registry with a town and people, and a campaign whose
// one form was filled (evidence on 1.1, 2.1 not applicable, half marks on
// some criteria, a share of target giving hundredths) and submitted.
type exportFixture struct {
	a     *app
	staff *client
	wk    work
	form  string
}

func newExportFixture(t *testing.T) exportFixture {
	t.Helper()
	a := newApp(t, map[string]string{"EVIDENCE_DIR": t.TempDir()})
	ctx := context.Background()
	merged, _, _ := registry(t, a)
	from := domain.Day(2010, 1, 1)
	province, _ := a.db.UnitByCode(ctx, "P99", from)
	if _, err := a.db.CreateUnit(ctx, domain.UnitInput{Name: "UBND thị trấn Thử", Code: "TT1", Kind: domain.KindTown, ParentID: &province.ID, ValidFrom: from}); err != nil {
		t.Fatal(err)
	}
	year := 1985
	if _, err := a.db.CreatePerson(ctx, domain.PersonInput{Code: "CB9", FullName: "Trần Thị Công Chức", Gender: "female", BirthYear: &year,
		Category: domain.CategoryCongChuc, UnitID: merged, From: domain.Day(2025, 7, 1)}); err != nil {
		t.Fatal(err)
	}
	wk := newWork(t, a)
	staff, _ := a.loggedIn(domain.RoleStaff)
	fp, _ := a.loggedIn(domain.RoleFocalPoint)
	wk.register(t, fp, staff)
	form := wk.start(t, fp)
	nodes, _ := a.db.Criteria(ctx, wk.set)
	var first int64
	for _, n := range domain.Leaves(nodes) {
		if n.Code == "1.1" {
			first = n.ID
		}
	}
	wantStatus(t, fp.upload(fmt.Sprintf("%s/criteria/%d/evidence", form, first), "ke-hoach.pdf", []byte("%PDF-1.4\n% Kế hoạch\n%%EOF\n")), http.StatusSeeOther)
	vals := fullMarks(t, fp, wk, form)
	for i, n := range domain.Leaves(nodes) {
		id := fmt.Sprint(n.ID)
		switch {
		case n.Code == "2.1":
			vals.Del("p_" + id)
			vals.Set("na_"+id, "1")
		case n.Method == domain.MethodPoints && i%3 == 0:
			vals.Set("p_"+id, (n.Max / 2 / n.Step * n.Step).String())
		case n.Method == domain.MethodTargetShare:
			vals.Set("m_"+id, "87,5")
		}
	}
	wantStatus(t, fp.post(form, vals), http.StatusSeeOther)
	wantStatus(t, fp.post(form+"/submit", formValues(htmlOf(t, fp.get(form)))), http.StatusSeeOther)
	return exportFixture{a: a, staff: staff, wk: wk, form: form}
}

func openXLSX(t *testing.T, resp *http.Response) *excelize.File {
	t.Helper()
	wantStatus(t, resp, http.StatusOK)
	f, err := excelize.OpenReader(strings.NewReader(bodyOf(resp)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f
}

// numFmt is the custom number format of a cell ("" without one).
func numFmt(t *testing.T, f *excelize.File, sheet, cell string) string {
	t.Helper()
	id, err := f.GetCellStyle(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(id)
	if err != nil || st.CustomNumFmt == nil {
		return ""
	}
	return *st.CustomNumFmt
}

// number reads a cell that must be stored as a number.
func number(t *testing.T, f *excelize.File, sheet, cell string) float64 {
	t.Helper()
	typ, _ := f.GetCellType(sheet, cell)
	raw, _ := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
	v, err := strconv.ParseFloat(raw, 64)
	if (typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset) || err != nil {
		t.Errorf("%s!%s is not a number: type %d, %q", sheet, cell, typ, raw)
	}
	return v
}

// checkHeader checks that row 1 of a sheet is bold and frozen and has the
// given names.
func checkHeader(t *testing.T, f *excelize.File, sheet string, names ...string) {
	t.Helper()
	panes, err := f.GetPanes(sheet)
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("%s: header row not frozen: %+v %v", sheet, panes, err)
	}
	for i, n := range names {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		if got, _ := f.GetCellValue(sheet, cell); got != n {
			t.Errorf("%s!%s = %q, want %q", sheet, cell, got, n)
		}
		id, _ := f.GetCellStyle(sheet, cell)
		if st, err := f.GetStyle(id); err != nil || st.Font == nil || !st.Font.Bold {
			t.Errorf("%s!%s: header not bold", sheet, cell)
		}
	}
}

// rowByFirst finds the row whose first cell is v.
func rowByFirst(t *testing.T, f *excelize.File, sheet, v string) int {
	t.Helper()
	rows, _ := f.GetRows(sheet)
	for i, r := range rows {
		if len(r) > 0 && r[0] == v {
			return i + 1
		}
	}
	t.Fatalf("%s: no row %q", sheet, v)
	return 0
}

// TestXLSXExportsAreTyped is issue 8 points 21 and 23: numbers are numbers
// (two decimals where points), dates are dates shown dd/mm/yyyy, the header
// row is bold and frozen, and kinds and categories are the Vietnamese words
// of the import templates, in every XLSX export and template.
func TestXLSXExportsAreTyped(t *testing.T) {
	t.Parallel()
	fx := newExportFixture(t)
	staff := fx.staff

	units := openXLSX(t, staff.get("/units/export.xlsx?at=2025-07-01"))
	sheet := units.GetSheetName(0)
	checkHeader(t, units, sheet, "ma", "ten", "ten_viet_tat", "loai", "ma_cap_tren", "hieu_luc_tu", "hieu_luc_den")
	row := rowByFirst(t, units, sheet, "TT1")
	if got, _ := units.GetCellValue(sheet, fmt.Sprintf("D%d", row)); got != "thị trấn" {
		t.Errorf("town kind written as %q", got)
	}
	if got, _ := units.GetCellValue(sheet, fmt.Sprintf("D%d", rowByFirst(t, units, sheet, "P99"))); got != "tỉnh" {
		t.Errorf("province kind written as %q", got)
	}
	if v := number(t, units, sheet, fmt.Sprintf("F%d", row)); v != 40179 { // 01/01/2010
		t.Errorf("hieu_luc_tu serial %v", v)
	}
	if got := numFmt(t, units, sheet, fmt.Sprintf("F%d", row)); got != "dd/mm/yyyy" {
		t.Errorf("date format %q", got)
	}
	if got, _ := units.GetCellValue(sheet, fmt.Sprintf("F%d", row)); got != "01/01/2010" {
		t.Errorf("date shown as %q", got)
	}

	people := openXLSX(t, staff.get("/people/export.xlsx?at=2025-07-01"))
	sheet = people.GetSheetName(0)
	checkHeader(t, people, sheet, "ma_can_bo", "ho_ten", "gioi_tinh", "nam_sinh", "chuc_vu", "phan_loai", "ma_don_vi", "tu_ngay")
	row = rowByFirst(t, people, sheet, "CB9")
	if v := number(t, people, sheet, fmt.Sprintf("D%d", row)); v != 1985 {
		t.Errorf("year of birth %v", v)
	}
	if got, _ := people.GetCellValue(sheet, fmt.Sprintf("F%d", row)); got != "công chức" {
		t.Errorf("category written as %q", got)
	}
	if got := numFmt(t, people, sheet, fmt.Sprintf("H%d", row)); got != "dd/mm/yyyy" {
		t.Errorf("tu_ngay format %q", got)
	}

	for _, kind := range []string{"units", "people"} {
		tpl := openXLSX(t, staff.get("/"+kind+"/template.xlsx"))
		sheet = tpl.GetSheetName(0)
		last := map[string]string{"units": "F2", "people": "H2"}[kind]
		if got := numFmt(t, tpl, sheet, last); got != "dd/mm/yyyy" {
			t.Errorf("%s template date format %q", kind, got)
		}
		number(t, tpl, sheet, last)
		panes, _ := tpl.GetPanes(sheet)
		if !panes.Freeze {
			t.Errorf("%s template header not frozen", kind)
		}
	}

	crit := openXLSX(t, staff.get(fmt.Sprintf("%s/criteria/%d/export.xlsx", fx.wk.page, fx.wk.set)))
	sheet = crit.GetSheetName(0)
	checkHeader(t, crit, sheet, "ma", "ten", "huong_dan", "diem_toi_da", "phuong_phap")
	methods := map[string]bool{}
	rows, _ := crit.GetRows(sheet)
	for i := 2; i <= len(rows); i++ {
		number(t, crit, sheet, fmt.Sprintf("D%d", i))
		m, _ := crit.GetCellValue(sheet, fmt.Sprintf("E%d", i))
		methods[m] = true
	}
	for m := range methods {
		if strings.Contains(m, "_") || m == "points" || m == "tiers" {
			t.Errorf("criteria export writes the internal method %q", m)
		}
	}
	if !methods["chấm điểm"] || !methods["tỷ lệ chỉ tiêu"] || !methods["theo mức"] {
		t.Errorf("criteria methods %v", methods)
	}

	forms := openXLSX(t, staff.get(fx.wk.page+"/assessments.xlsx"))
	if got := forms.GetSheetList(); len(got) != 2 {
		t.Fatalf("assessment export sheets %v, want the forms and the scores by criterion", got)
	}
	sheet = forms.GetSheetName(0)
	checkHeader(t, forms, sheet, "Mã đơn vị", "Đơn vị", "Tên đợt", "Trạng thái", "Tiêu chí đã chấm", "Điểm tự chấm", "Điểm tối đa áp dụng", "Quy đổi thang 100", "Thời điểm nộp", "Trễ hạn")
	if got, _ := forms.GetCellValue(sheet, "A2"); got != "TEST-STP" {
		t.Errorf("unit code %q", got)
	}
	number(t, forms, sheet, "E2")
	for _, c := range []string{"F2", "G2", "H2"} {
		number(t, forms, sheet, c)
		if got := numFmt(t, forms, sheet, c); got != "0.00" {
			t.Errorf("%s format %q, want 0.00", c, got)
		}
	}
	number(t, forms, sheet, "I2")
	if got := numFmt(t, forms, sheet, "I2"); got != "dd/mm/yyyy hh:mm" {
		t.Errorf("submission time format %q", got)
	}
	scores := forms.GetSheetName(1)
	checkHeader(t, forms, scores, "Mã đơn vị", "Đơn vị", "Tên đợt", "Mã tiêu chí", "Tiêu chí", "Điểm tự chấm", "Điểm tối đa", "Không áp dụng", "Có giải trình", "Số tài liệu kiểm chứng")
	rows, _ = forms.GetRows(scores)
	nodes, _ := fx.a.db.Criteria(context.Background(), fx.wk.set)
	if len(rows)-1 != len(domain.Leaves(nodes)) {
		t.Errorf("%d score rows, want one per leaf (%d)", len(rows)-1, len(domain.Leaves(nodes)))
	}
	var sum, applicable float64
	evidence := 0.0
	for i := 2; i <= len(rows); i++ {
		code, _ := forms.GetCellValue(scores, fmt.Sprintf("D%d", i))
		na, _ := forms.GetCellValue(scores, fmt.Sprintf("H%d", i))
		if na == "không" {
			sum += number(t, forms, scores, fmt.Sprintf("F%d", i))
			applicable += number(t, forms, scores, fmt.Sprintf("G%d", i))
		} else if code != "2.1" {
			t.Errorf("criterion %s marked %q", code, na)
		}
		evidence += number(t, forms, scores, fmt.Sprintf("J%d", i))
	}
	if total := number(t, forms, sheet, "F2"); fmt.Sprintf("%.2f", sum) != fmt.Sprintf("%.2f", total) {
		t.Errorf("scores by criterion sum to %.2f, the form's total is %.2f", sum, total)
	}
	if max := number(t, forms, sheet, "G2"); fmt.Sprintf("%.2f", applicable) != fmt.Sprintf("%.2f", max) {
		t.Errorf("applicable maxima sum to %.2f, the form says %.2f", applicable, max)
	}
	if evidence != 1 {
		t.Errorf("evidence count %v, want 1", evidence)
	}
	// The totals are those the pages show.
	page := htmlOf(t, fx.staff.get(fx.wk.page+"/assessments"))
	shown, ok := domain.ParsePoints(strings.TrimSpace(page.Find("table.dashboard tbody tr td.num").First().Text()))
	if !ok || fmt.Sprintf("%.2f", float64(shown)/100) != fmt.Sprintf("%.2f", number(t, forms, sheet, "H2")) {
		t.Errorf("dashboard shows %v, the export %v", shown, number(t, forms, sheet, "H2"))
	}
}

var isoDayPattern = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

func csvRows(t *testing.T, resp *http.Response) [][]string {
	t.Helper()
	wantStatus(t, resp, http.StatusOK)
	body := bodyOf(resp)
	if !strings.HasPrefix(body, "\xef\xbb\xbf") {
		t.Error("CSV without a UTF-8 byte-order mark")
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\xef\xbb\xbf"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestCSVExportsForMachines is issue 8 points 22, 23 and 24: CSV has
// decimal points, ISO dates, a byte-order mark, the Vietnamese words, the
// unit's code, and the scores by criterion under their own URL.
func TestCSVExportsForMachines(t *testing.T) {
	t.Parallel()
	fx := newExportFixture(t)
	units := csvRows(t, fx.staff.get("/units/export.csv?at=2025-07-01"))
	for _, r := range units[1:] {
		if !isoDayPattern.MatchString(r[5]) {
			t.Errorf("hieu_luc_tu %q is not yyyy-mm-dd", r[5])
		}
		if _, ok := domain.ParseUnitKind(r[3]); !ok || strings.ContainsAny(r[3], "_") || r[3] == "province" || r[3] == "commune" || r[3] == "town" {
			t.Errorf("kind %q is not the Vietnamese word", r[3])
		}
	}
	people := csvRows(t, fx.staff.get("/people/export.csv?at=2025-07-01"))
	for _, r := range people[1:] {
		if r[0] == "CB9" && (r[5] != "công chức" || r[7] != "2025-07-01" || r[3] != "1985") {
			t.Errorf("person row %q", r)
		}
	}

	forms := csvRows(t, fx.staff.get(fx.wk.page+"/assessments.csv"))
	if forms[0][0] != "Mã đơn vị" || forms[1][0] != "TEST-STP" {
		t.Errorf("forms export without the unit code: %q / %q", forms[0], forms[1])
	}
	total, err := strconv.ParseFloat(forms[1][5], 64)
	if err != nil || strings.Contains(forms[1][7], ",") {
		t.Errorf("points written %q, converted %q: want a decimal point", forms[1][5], forms[1][7])
	}
	if !regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$`).MatchString(forms[1][8]) {
		t.Errorf("submission time %q is not ISO 8601", forms[1][8])
	}

	scores := csvRows(t, fx.staff.get(fx.wk.page+"/assessments-criteria.csv"))
	var sum float64
	for _, r := range scores[1:] {
		if r[0] != "TEST-STP" {
			t.Errorf("score row without the unit code: %q", r)
		}
		if r[7] == "có" {
			continue
		}
		v, err := strconv.ParseFloat(r[5], 64)
		if err != nil {
			t.Errorf("self score %q", r[5])
		}
		sum += v
	}
	if fmt.Sprintf("%.2f", sum) != fmt.Sprintf("%.2f", total) {
		t.Errorf("scores by criterion sum to %.2f, the form's total is %.2f", sum, total)
	}
	// Focal points do not download the campaign's exports.
	fp, _ := fx.a.loggedIn(domain.RoleFocalPoint)
	wantStatus(t, fp.get(fx.wk.page+"/assessments-criteria.csv"), http.StatusForbidden)
	wantStatus(t, fx.staff.get("/campaigns/999999/assessments-criteria.csv"), http.StatusNotFound)
}

// TestImportTakesWordsAndCodes is issue 8 point 23: imports read both the
// Vietnamese words the exports now write and the internal codes older
// files hold.
func TestImportTakesWordsAndCodes(t *testing.T) {
	t.Parallel()
	a := newApp(t, map[string]string{"IMPORT_DIR": t.TempDir()})
	staff, _ := a.loggedIn(domain.RoleStaff)
	for name, file := range map[string]string{
		"words": "ma,ten,loai,ma_cap_tren,hieu_luc_tu\nW1,UBND tỉnh Chữ,tỉnh,,2025-07-01\nW2,UBND thị trấn Chữ,thị trấn,W1,01/07/2025\n",
		"codes": "ma,ten,loai,ma_cap_tren,hieu_luc_tu\nC1,UBND tỉnh Mã,province,,2025-07-01\nC2,UBND thị trấn Mã,town,C1,01/07/2025\n",
	} {
		resp := staff.upload("/units/import", name+".csv", []byte(file))
		wantStatus(t, resp, http.StatusSeeOther)
		job := resp.Header.Get("Location")
		if doc := waitJob(t, staff, job); doc.Find("table.problems").Length() != 0 {
			t.Fatalf("%s: %s", name, doc.Find("table.problems").Text())
		}
		wantStatus(t, staff.post(job+"/run", nil), http.StatusSeeOther)
		waitJob(t, staff, job)
	}
	for code, kind := range map[string]domain.UnitKind{"W2": domain.KindTown, "C2": domain.KindTown, "W1": domain.KindProvince, "C1": domain.KindProvince} {
		u, err := a.db.UnitByCode(context.Background(), code, domain.Day(2025, 7, 1))
		if err != nil || u.Kind != kind {
			t.Errorf("%s imported as %+v, %v", code, u, err)
		}
	}
	var people bytes.Buffer
	people.WriteString("ma_can_bo,ho_ten,phan_loai,ma_don_vi,tu_ngay\nX1,Người Chữ,công chức,W1,2025-07-01\nX2,Người Mã,cong_chuc,W1,2025-07-01\n")
	resp := staff.upload("/people/import", "people.csv", people.Bytes())
	job := resp.Header.Get("Location")
	if doc := waitJob(t, staff, job); doc.Find("table.problems").Length() != 0 {
		t.Fatalf("people: %s", doc.Find("table.problems").Text())
	}
}

// TestImportPageEncodingsAndBomb is issue 8 points 11 and 29 through the
// pages: a Windows-1258 file is checked with a notice saying so, a file in
// no known encoding fails with how to save it as UTF-8, and an XLSX that
// would unpack to far more than its size fails without being unpacked.
func TestImportPageEncodingsAndBomb(t *testing.T) {
	t.Parallel()
	a := newApp(t, map[string]string{"IMPORT_DIR": t.TempDir()})
	staff, _ := a.loggedIn(domain.RoleStaff)
	check := func(name string, content []byte) *goqueryDoc {
		t.Helper()
		resp := staff.upload("/units/import", name, content)
		wantStatus(t, resp, http.StatusSeeOther)
		return waitJob(t, staff, resp.Header.Get("Location"))
	}
	// "UBND thị trấn Mỹ An" in Windows-1258: ị is i + dot below (0xF2),
	// ấ is â (0xE2) + acute (0xEC), ỹ is y + tilde (0xDE).
	cp1258 := []byte("ma,ten,loai,hieu_luc_tu\nTT9,UBND th\x69\xf2 tr\xe2\xecn M\x79\xde An,th\x69\xf2 tr\xe2\xecn,01/07/2025\n")
	doc := check("don-vi-1258.csv", cp1258)
	if doc.Find("table.problems").Length() != 0 || !strings.Contains(doc.Text(), "Windows-1258") {
		t.Errorf("Windows-1258 file: problems %q, notice present %v", doc.Find("table.problems").Text(), strings.Contains(doc.Text(), "Windows-1258"))
	}
	doc = check("don-vi-la.csv", []byte("ma,ten,loai,hieu_luc_tu\nX1,\x81\x8d\xe0,xa,01/07/2025\n"))
	if !strings.Contains(doc.Find(".error-summary").Text(), "CSV UTF-8") {
		t.Errorf("unknown encoding: %q", doc.Find(".error-summary").Text())
	}
	doc = check("bom.xlsx", bombWorkbook(t, 16<<20))
	if !strings.Contains(doc.Find(".error-summary").Text(), "giải nén") {
		t.Errorf("bomb: %q", doc.Find(".error-summary").Text())
	}
}

// bombWorkbook is a minimal valid XLSX whose one sheet holds n bytes of a
// repeated letter: a few kilobytes that unpack to n.
func bombWorkbook(t *testing.T, n int) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	parts := map[string]string{
		"[Content_Types].xml":        `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
		"_rels/.rels":                `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
		"xl/workbook.xml":            `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels": `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
	}
	for name, content := range parts {
		w, _ := zw.Create(name)
		_, _ = w.Write([]byte(content))
	}
	w, _ := zw.Create("xl/worksheets/sheet1.xml")
	_, _ = w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>`))
	chunk := bytes.Repeat([]byte("A"), 64<<10)
	for written := 0; written < n; written += len(chunk) {
		_, _ = w.Write(chunk)
	}
	_, _ = w.Write([]byte(`</t></is></c></row></sheetData></worksheet>`))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
