package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"thidua/internal/domain"
)

// dataPrint is the fingerprint of every table but the import jobs and the
// job queue's (a dry run records its own job and report there, and nothing
// else).
func dataPrint(t *testing.T, a *app) string {
	t.Helper()
	var out []string
	for _, part := range strings.Split(fingerprint(t, a), ";") {
		// The job queue's tables change as its runner works (imports,
		// periodic jobs, leadership).
		if !strings.HasPrefix(part, "import_jobs:") && !strings.HasPrefix(part, "river_") {
			out = append(out, part)
		}
	}
	return strings.Join(out, ";")
}

// externalUnits adds the communes the external values files name.
func externalUnits(t *testing.T, a *app) (myTho, tanPhu int64) {
	t.Helper()
	ctx := context.Background()
	var err error
	myTho, err = a.db.CreateUnit(ctx, domain.UnitInput{Name: "Ủy ban nhân dân xã Mỹ Thọ", ShortName: "UBND xã Mỹ Thọ", Code: "29500",
		Kind: domain.KindCommune, ValidFrom: domain.Day(2025, 7, 1)})
	if err != nil {
		t.Fatal(err)
	}
	tanPhu, err = a.db.CreateUnit(ctx, domain.UnitInput{Name: "Ủy ban nhân dân xã Tân Phú", Code: "29501",
		Kind: domain.KindCommune, ValidFrom: domain.Day(2025, 7, 1)})
	if err != nil {
		t.Fatal(err)
	}
	// Two units of the same name: a file naming it without a code is ambiguous.
	for _, code := range []string{"29600", "29700"} {
		if _, err := a.db.CreateUnit(ctx, domain.UnitInput{Name: "Ủy ban nhân dân xã An Bình", Code: code,
			Kind: domain.KindCommune, ValidFrom: domain.Day(2025, 7, 1)}); err != nil {
			t.Fatal(err)
		}
	}
	return myTho, tanPhu
}

const measureHeader = "ma_don_vi,ten_don_vi,ma_chi_so,nam,gia_tri,nguon,ngay_cong_bo\n"

// Acceptance 7, first half: a file with planted errors is reported by
// line and column, and neither its dry run nor an attempt to run it
// writes anything.
func TestExternalImportPlantedErrors(t *testing.T) {
	t.Parallel()
	a := newApp(t, map[string]string{"IMPORT_DIR": t.TempDir()})
	externalUnits(t, a)
	staff, _ := a.loggedIn(domain.RoleStaff)
	file := measureHeader +
		`29500,,PAR_INDEX,2025,"85,23",,15/04/2026` + "\n" + // line 2: good (decimal comma)
		`99999,,PAR_INDEX,2025,80,,15/04/2026` + "\n" + // line 3: unknown unit code
		`,Ủy ban nhân dân xã Không Có,SIPAS,2025,90,,15/04/2026` + "\n" + // line 4: unknown unit name
		`29501,,CHI_SO_LA,2025,90,,15/04/2026` + "\n" + // line 5: unknown measure
		`29501,,PAR_INDEX,2025,"120,5",,15/04/2026` + "\n" + // line 6: out of range
		`29501,,SIPAS,2025,"9O,5",,15/04/2026` + "\n" + // line 7: not a number
		`29501,,PAPI_1,2025,"5,123",,15/04/2026` + "\n" + // line 8: three decimals
		`,UBND xã Mỹ Thọ,PAR_INDEX,2025,"85,23",,15/04/2026` + "\n" + // line 9: repeats line 2 (by short name)
		`,Ủy ban nhân dân xã An Bình,SIPAS,2025,90,,15/04/2026` + "\n" + // line 10: ambiguous name
		`29501,,PAPI_2,2025,"0,5",,15/04/2026` + "\n" + // line 11: below PAPI's 1 điểm
		`29501,,SIPAS,1999,90,,31/02/2026` + "\n" // line 12: bad year and date
	before := dataPrint(t, a)
	resp := staff.upload("/measures/import", "chi-so.csv", []byte(file))
	wantStatus(t, resp, http.StatusSeeOther)
	job := resp.Header.Get("Location")
	doc := waitJob(t, staff, job)
	got := map[string]string{}
	doc.Find("table.problems tbody tr").Each(func(_ int, tr *goquery.Selection) {
		cells := tr.Find("td")
		key := cells.Eq(0).Text() + " " + cells.Eq(1).Text()
		got[key] += cells.Eq(2).Text()
	})
	want := map[string]string{
		"3 ma_don_vi":     "Không có đơn vị mã “99999”",
		"4 ten_don_vi":    "Không có đơn vị tên “Ủy ban nhân dân xã Không Có”",
		"5 ma_chi_so":     "Không có chỉ số mã “CHI_SO_LA”",
		"6 gia_tri":       "Giá trị 120,5 % nằm ngoài thang của PAR INDEX (từ 0 % đến 100 %)",
		"7 gia_tri":       "Giá trị không hợp lệ: “9O,5”",
		"8 gia_tri":       "Giá trị không hợp lệ: “5,123”",
		"9 nam":           "đã có ở dòng 2",
		"10 ten_don_vi":   "Có nhiều đơn vị tên “Ủy ban nhân dân xã An Bình”",
		"11 gia_tri":      "Giá trị 0,5 điểm nằm ngoài thang của PAPI 2 (từ 1 điểm đến 10 điểm)",
		"12 nam":          "Năm không hợp lệ: “1999”",
		"12 ngay_cong_bo": "Ngày không hợp lệ: “31/02/2026”",
	}
	for k, w := range want {
		if !strings.Contains(got[k], w) {
			t.Errorf("line %s: %q, want %q", k, got[k], w)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("unexpected problem at %s: %q", k, got[k])
		}
	}
	if doc.Find(`form[action$="/run"]`).Length() != 0 {
		t.Error("a file with problems offers to import it")
	}
	// Forcing the run anyway starts nothing.
	wantStatus(t, staff.post(job+"/run", nil), http.StatusSeeOther)
	waitJob(t, staff, job)
	if after := dataPrint(t, a); after != before {
		t.Error("a file with problems changed data")
	}
	var n int
	if err := a.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM measure_values`).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d values written (%v)", n, err)
	}
}

// A clean file writes every value with its source, publication date, who
// imported it and the job; importing it again changes nothing, and a
// corrected value replaces the current one, which stays as history.
func TestExternalImportCleanAndAgain(t *testing.T) {
	t.Parallel()
	a := newApp(t, map[string]string{"IMPORT_DIR": t.TempDir()})
	myTho, tanPhu := externalUnits(t, a)
	staff, user := a.loggedIn(domain.RoleStaff)
	ctx := context.Background()
	file := measureHeader +
		`29500,,PAR_INDEX,2025,"85,23",,15/04/2026` + "\n" +
		`,UBND xã Mỹ Thọ,sipas,2025,"91,5%",Quyết định 12/QĐ-UBND,16/04/2026` + "\n" +
		`29501,,PAPI_5,2025,"7,12",,2026-05-01` + "\n"
	run := func(content string) (job string, stats string) {
		t.Helper()
		resp := staff.upload("/measures/import", "chi-so.csv", []byte(content))
		wantStatus(t, resp, http.StatusSeeOther)
		job = resp.Header.Get("Location")
		doc := waitJob(t, staff, job)
		if p := doc.Find("table.problems").Text(); p != "" {
			t.Fatalf("problems in a clean file: %s", p)
		}
		stats = doc.Find(".stats").Text()
		wantStatus(t, staff.post(job+"/run", nil), http.StatusSeeOther)
		doc = waitJob(t, staff, job)
		if !strings.Contains(doc.Find(".status-line").Text(), "Đã nhập xong") {
			t.Fatalf("status after import: %q", doc.Find(".status-line").Text())
		}
		return job, stats
	}
	job, stats := run(file)
	if !strings.Contains(stats, "Thêm mới3") {
		t.Errorf("dry-run summary: %q", stats)
	}
	type stored struct {
		unit             int64
		code             string
		period           int
		value            int64
		source, day, job string
		by               int64
	}
	load := func() []stored {
		rows, err := a.db.Pool.Query(ctx, `SELECT v.unit_id, m.code, v.period, v.value, v.source, to_char(v.published_on, 'DD/MM/YYYY'),
			coalesce(j.key, ''), coalesce(v.imported_by, 0)
			FROM measure_values v JOIN measures m ON m.id = v.measure_id LEFT JOIN import_jobs j ON j.id = v.import_job_id
			WHERE v.replaced_at IS NULL ORDER BY m.seq`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []stored
		for rows.Next() {
			var s stored
			if err := rows.Scan(&s.unit, &s.code, &s.period, &s.value, &s.source, &s.day, &s.job, &s.by); err != nil {
				t.Fatal(err)
			}
			out = append(out, s)
		}
		return out
	}
	key := job[strings.LastIndex(job, "/")+1:]
	want := []stored{
		{myTho, "PAR_INDEX", 2025, 8523, "Bộ Nội vụ", "15/04/2026", key, user.ID},
		{myTho, "SIPAS", 2025, 9150, "Quyết định 12/QĐ-UBND", "16/04/2026", key, user.ID},
		{tanPhu, "PAPI_5", 2025, 712, "UNDP", "01/05/2026", key, user.ID},
	}
	if got := load(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("stored values:\n%v\nwant\n%v", got, want)
	}
	// The same file again: nothing new, nothing duplicated.
	before := dataPrint(t, a)
	if _, stats := run(file); !strings.Contains(stats, "Không đổi3") {
		t.Errorf("second import summary: %q", stats)
	}
	if strings.Count(dataPrint(t, a), ";") != strings.Count(before, ";") || valuesCount(t, a) != 3 {
		t.Errorf("importing the same file again wrote values: %d rows", valuesCount(t, a))
	}
	// A corrected value replaces the current one; the old one is history.
	job2, stats := run(measureHeader + `29500,,PAR_INDEX,2025,"86,01",Bộ Nội vụ (đính chính),20/04/2026` + "\n")
	if !strings.Contains(stats, "Thay đổi1") {
		t.Errorf("correction summary: %q", stats)
	}
	got := load()
	if got[0].value != 8601 || got[0].source != "Bộ Nội vụ (đính chính)" || got[0].job != job2[strings.LastIndex(job2, "/")+1:] {
		t.Errorf("corrected value: %+v", got[0])
	}
	var history int
	_ = a.db.Pool.QueryRow(ctx, `SELECT count(*) FROM measure_values WHERE replaced_at IS NOT NULL AND value = 8523 AND replaced_by = $1`, user.ID).Scan(&history)
	if history != 1 || valuesCount(t, a) != 4 {
		t.Errorf("history rows %d, all rows %d; want 1 and 4", history, valuesCount(t, a))
	}
	// The page lists the current values with their source and history.
	resp := staff.get("/measures?period=2025")
	wantStatus(t, resp, http.StatusOK)
	page := htmlOf(t, resp).Find("table.measure-values").Text()
	for _, w := range []string{"86,01 %", "Bộ Nội vụ (đính chính)", "20/04/2026", "91,5 %", "7,12 điểm", "1 giá trị trước đó"} {
		if !strings.Contains(page, w) {
			t.Errorf("measures page lacks %q", w)
		}
	}
}

func valuesCount(t *testing.T, a *app) int {
	t.Helper()
	var n int
	if err := a.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM measure_values`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// The templates download in both formats with the layout's columns.
func TestExternalImportTemplates(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	staff, _ := a.loggedIn(domain.RoleStaff)
	resp := staff.get("/measures/template.csv")
	wantStatus(t, resp, http.StatusOK)
	if body := bodyOf(resp); !strings.Contains(body, "ma_don_vi,ten_don_vi,ma_chi_so,nam,gia_tri,nguon,ngay_cong_bo") || !strings.Contains(body, "PAR_INDEX") {
		t.Errorf("CSV template: %q", body)
	}
	wantStatus(t, staff.get("/measures/template.xlsx"), http.StatusOK)
	for _, role := range []domain.Role{domain.RoleFocalPoint, domain.RoleLeader} {
		c, _ := a.loggedIn(role)
		for _, p := range []string{"/measures", "/measures/import", "/measures/template.csv"} {
			wantStatus(t, c.get(p), http.StatusForbidden)
		}
	}
}

// The criteria editor links a tiers or target-share criterion to an index
// and a year, refuses the link on other methods or without a year, and
// shows it.
func TestCriterionLinkedToMeasure(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	staff, _ := a.loggedIn(domain.RoleStaff)
	ctx := context.Background()
	resp := staff.post("/campaigns", campaignForm(newIdempotencyKey()))
	wantStatus(t, resp, http.StatusSeeOther)
	page := resp.Header.Get("Location")
	wantStatus(t, staff.post(page+"/criteria/sets", url.Values{"name": {"Xã, phường"}, "target_kinds": {"commune"}}), http.StatusSeeOther)
	var id int64
	fmt.Sscanf(page, "/campaigns/%d", &id)
	sets, _ := a.db.CriteriaSets(ctx, id)
	set := fmt.Sprintf("%s/criteria/%d", page, sets[0].ID)
	measures, _ := a.db.Measures(ctx)
	par := fmt.Sprint(measures[0].ID)
	if measures[0].Code != "PAR_INDEX" || len(measures) != 11 {
		t.Fatalf("seeded measures: %+v", measures)
	}
	form := func(method, measure, period string) url.Values {
		v := url.Values{"code": {"1"}, "title": {"Chỉ số CCHC"}, "max": {"10"}, "method": {method}, "tiers": {"90:10;80:6;0:2"},
			"target": {"95"}, "step": {"0,5"}, "measure": {measure}, "measure_period": {period}}
		return v
	}
	for _, c := range []struct {
		method, measure, period, want string
	}{
		{"points", par, "2025", "Chỉ tiêu chí chấm theo mức hoặc theo tỷ lệ chỉ tiêu mới lấy được giá trị từ chỉ số."},
		{"tiers", par, "", "Hãy ghi năm của chỉ số"},
		{"tiers", par, "1999", "Hãy ghi năm của chỉ số"},
		{"tiers", "999999", "2025", "Chỉ số đã chọn không tồn tại."},
		{"tiers", "abc", "2025", "Chỉ số đã chọn không tồn tại."},
	} {
		resp := staff.post(set+"/nodes", form(c.method, c.measure, c.period))
		wantStatus(t, resp, http.StatusUnprocessableEntity)
		if got := htmlOf(t, resp).Find(".field-error").Text(); !strings.Contains(got, c.want) {
			t.Errorf("%s %s %s: %q, want %q", c.method, c.measure, c.period, got, c.want)
		}
	}
	wantStatus(t, staff.post(set+"/nodes", form("tiers", par, "2025")), http.StatusSeeOther)
	nodes, _ := a.db.Criteria(ctx, sets[0].ID)
	if len(nodes) != 1 || nodes[0].MeasureID != measures[0].ID || nodes[0].MeasurePeriod != 2025 {
		t.Fatalf("stored criterion: %+v", nodes)
	}
	editor := htmlOf(t, staff.get(page+"/criteria")).Text()
	if !strings.Contains(editor, "(điểm thẩm định lấy từ PAR INDEX 2025)") {
		t.Error("the editor does not show the link")
	}
	edit := htmlOf(t, staff.get(fmt.Sprintf("%s/nodes/%d", set, nodes[0].ID)))
	if v := edit.Find(`select[name=measure] option[selected]`).AttrOr("value", ""); v != par {
		t.Errorf("edit form selects %q, want %s", v, par)
	}
	if v := edit.Find(`input[name=measure_period]`).AttrOr("value", ""); v != "2025" {
		t.Errorf("edit form period %q", v)
	}
	// Unlinking: choosing no index clears both.
	wantStatus(t, staff.post(fmt.Sprintf("%s/nodes/%d", set, nodes[0].ID), form("tiers", "", "")), http.StatusSeeOther)
	nodes, _ = a.db.Criteria(ctx, sets[0].ID)
	if nodes[0].MeasureID != 0 || nodes[0].MeasurePeriod != 0 {
		t.Errorf("unlinked criterion: %+v", nodes[0])
	}
}

// Acceptance 7, second half: a clean file fills the appraised value of the
// tiered (and target-share) criteria linked to an index, with the source
// recorded; a unit without a value is listed and not given zero; a value an
// appraiser entered by hand is kept; a locked form is listed and left alone.
func TestExternalValuesFillAppraisal(t *testing.T) {
	t.Parallel()
	a := newApp(t, map[string]string{"IMPORT_DIR": t.TempDir(), "EVIDENCE_DIR": t.TempDir()})
	ctx := context.Background()
	measures, _ := a.db.Measures(ctx)
	code := map[string]int64{}
	for _, m := range measures {
		code[m.Code] = m.ID
	}
	wk := newWorkWith(t, a, func(nodes []domain.Criterion) {
		for i := range nodes {
			switch nodes[i].Code {
			case "8.1": // SIPAS, tiers 95:10;90:5
				nodes[i].MeasureID, nodes[i].MeasurePeriod = code["SIPAS"], 2025
			case "3.2": // dossiers on time, 5 points × share of 100 %
				nodes[i].MeasureID, nodes[i].MeasurePeriod = code["TTHC_DUNG_HAN"], 2025
			}
		}
	})
	staff, _ := a.loggedIn(domain.RoleStaff)
	units := map[string]int64{"TEST-STP": a.unit}
	forms := map[string]int64{}
	for _, u := range []struct{ code, name string }{{"TEST-STP", ""}, {"TEST-YT", "Sở Y tế tỉnh"}, {"TEST-XD", "Sở Xây dựng"}} {
		if u.name != "" {
			id, err := a.db.CreateUnit(ctx, domain.UnitInput{Name: u.name, Code: u.code, Kind: domain.KindDepartment})
			if err != nil {
				t.Fatal(err)
			}
			units[u.code] = id
		}
		fp := a.client()
		fp.login(a.userIn(domain.RoleFocalPoint, units[u.code]).Email, testPassword)
		wk.register(t, fp, staff)
		form := wk.start(t, fp)
		wantStatus(t, fp.post(form+"/submit", fullMarks(t, fp, wk, form)), http.StatusSeeOther)
		forms[u.code] = mustAssessment(t, a, form)
	}
	// Two forms received; one locked (as the reply work will lock it).
	nodes, _ := a.db.Criteria(ctx, wk.set)
	leaf := map[string]int64{}
	for _, n := range domain.Leaves(nodes) {
		leaf[n.Code] = n.ID
	}
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := a.db.Pool.Exec(ctx, sql, args...); err != nil {
			t.Fatal(err)
		}
	}
	for _, unit := range []string{"TEST-STP", "TEST-YT"} {
		if ok, err := a.db.ReceiveAssessment(ctx, forms[unit]); err != nil || !ok {
			t.Fatalf("receiving %s: %v %v", unit, ok, err)
		}
	}
	exec(`UPDATE assessments SET status = 'locked', locked_at = now() WHERE id = $1`, forms["TEST-XD"])
	// Sở Y tế's appraiser already appraised 8.1 by hand.
	exec(`UPDATE scores SET appraised_points = 1000, appraised_measured = 9900, appraisal_comment = 'Theo báo cáo' WHERE assessment_id = $1 AND criterion_id = $2`,
		forms["TEST-YT"], leaf["8.1"])

	csv := measureHeader +
		`TEST-STP,,SIPAS,2025,"92,5",,15/04/2026` + "\n" +
		`TEST-STP,,TTHC_DUNG_HAN,2025,"96,4",Văn phòng UBND tỉnh,10/01/2026` + "\n" +
		`TEST-YT,,SIPAS,2025,96,,15/04/2026` + "\n" +
		`TEST-XD,,SIPAS,2025,80,,15/04/2026` + "\n" +
		`TEST-XD,,TTHC_DUNG_HAN,2025,80,,10/01/2026` + "\n"
	resp := staff.upload("/measures/import", "chi-so.csv", []byte(csv))
	wantStatus(t, resp, http.StatusSeeOther)
	job := resp.Header.Get("Location")
	if p := waitJob(t, staff, job).Find("table.problems").Text(); p != "" {
		t.Fatalf("problems: %s", p)
	}
	wantStatus(t, staff.post(job+"/run", nil), http.StatusSeeOther)
	waitJob(t, staff, job)

	// The campaign's page lists the linked criteria.
	page := htmlOf(t, staff.get(wk.page+"/measures"))
	if got := page.Find("table.linked-criteria").Text(); !strings.Contains(got, "SIPAS 2025") || !strings.Contains(got, "Hồ sơ TTHC đúng hạn 2025") {
		t.Errorf("linked criteria: %q", got)
	}
	locked := scoresPrint(t, a, forms["TEST-XD"])
	apply := fmt.Sprintf("%s/phases/%d/measures", wk.page, wk.phase)
	resp = staff.post(apply, nil)
	if resp.StatusCode != http.StatusOK {
		t.Log(a.logs.String())
	}
	wantStatus(t, resp, http.StatusOK)
	report := htmlOf(t, resp)
	if got := report.Find("ul.measure-apply-missing").Text(); !strings.Contains(got, "Sở Y tế") || !strings.Contains(got, "3.2") ||
		!strings.Contains(got, "Hồ sơ TTHC đúng hạn 2025") || strings.Contains(got, "Sở Tư pháp") {
		t.Errorf("units without a value: %q", got)
	}
	if got := report.Find("ul.measure-apply-by-hand").Text(); !strings.Contains(got, "Sở Y tế") || !strings.Contains(got, "8.1") {
		t.Errorf("kept by hand: %q", got)
	}
	if got := report.Find("ul.measure-apply-skipped").Text(); !strings.Contains(got, "Sở Xây dựng") || !strings.Contains(got, "đã khóa") {
		t.Errorf("skipped forms: %q", got)
	}
	if got := report.Find("ul.measure-apply-filled").Text(); !strings.Contains(got, "SIPAS 2025 — Bộ Nội vụ, công bố 15/04/2026") {
		t.Errorf("filled: %q", got)
	}

	type appraised struct {
		points, measured *int64
		source, comment  string
		final            *int64
	}
	read := func(form int64, code string) appraised {
		t.Helper()
		var x appraised
		if err := a.db.Pool.QueryRow(ctx, `SELECT appraised_points, appraised_measured, appraisal_source, appraisal_comment, final_points
			FROM scores WHERE assessment_id = $1 AND criterion_id = $2`, form, leaf[code]).Scan(&x.points, &x.measured, &x.source, &x.comment, &x.final); err != nil {
			t.Fatal(err)
		}
		return x
	}
	num := func(p *int64) string {
		if p == nil {
			return "NULL"
		}
		return fmt.Sprint(*p)
	}
	for _, c := range []struct {
		unit, code              string
		points, measured, final string
		source                  string
	}{
		// 92,5 % reaches the 90 % tier: 5 of 10 points.
		{"TEST-STP", "8.1", "500", "9250", "500", "SIPAS 2025 — Bộ Nội vụ, công bố 15/04/2026"},
		// 96,4 % of a 100 % target: 5 × 0,964 = 4,82 points.
		{"TEST-STP", "3.2", "482", "9640", "482", "Hồ sơ TTHC đúng hạn 2025 — Văn phòng UBND tỉnh, công bố 10/01/2026"},
		// No value: not filled, never zero.
		{"TEST-YT", "3.2", "NULL", "NULL", "NULL", ""},
		// Appraised by hand: kept.
		{"TEST-YT", "8.1", "1000", "9900", "NULL", ""},
	} {
		got := read(forms[c.unit], c.code)
		if num(got.points) != c.points || num(got.measured) != c.measured || num(got.final) != c.final || got.source != c.source {
			t.Errorf("%s %s: appraised %s measured %s final %s source %q; want %s %s %s %q", c.unit, c.code,
				num(got.points), num(got.measured), num(got.final), got.source, c.points, c.measured, c.final, c.source)
		}
	}
	// The store read the appraisal form uses carries the source.
	stp, err := a.db.AssessmentByID(ctx, forms["TEST-STP"])
	if err != nil {
		t.Fatal(err)
	}
	stored, err := a.db.Scores(ctx, stp)
	if err != nil {
		t.Fatal(err)
	}
	if got := stored[leaf["8.1"]].AppraisalSource; got != "SIPAS 2025 — Bộ Nội vụ, công bố 15/04/2026" {
		t.Errorf("the form's store read gives source %q", got)
	}
	if got := read(forms["TEST-STP"], "8.1").comment; got != "Giá trị theo chỉ số công bố: 92,5 %." {
		t.Errorf("comment where the value differs from the unit's: %q", got)
	}
	// The form's appraised and final totals follow in the same transaction.
	var appraisedPoints, final, scored int64
	_ = a.db.Pool.QueryRow(ctx, `SELECT appraised_points, final_points, appraised_scored FROM assessments WHERE id = $1`, forms["TEST-STP"]).Scan(&appraisedPoints, &final, &scored)
	if scored != 2 || appraisedPoints != 500+482 || final != 500+482 {
		t.Errorf("totals: appraised %d over %d criteria, final %d; want 982 over 2, 982", appraisedPoints, scored, final)
	}
	if after := scoresPrint(t, a, forms["TEST-XD"]); after != locked {
		t.Error("the locked form changed")
	}
	// Again: nothing changes, nothing is written to the history twice.
	before := dataPrint(t, a)
	resp = staff.post(apply, nil)
	wantStatus(t, resp, http.StatusOK)
	if after := dataPrint(t, a); after != before {
		t.Error("filling again changed data")
	}
	// A phase of another campaign, wrong roles: refused, nothing written.
	other := objects(t, a)
	fp, _ := a.loggedIn(domain.RoleFocalPoint)
	leader, _ := a.loggedIn(domain.RoleLeader)
	before = dataPrint(t, a)
	wantStatus(t, staff.post(fmt.Sprintf("/campaigns/%d/phases/%d/measures", other.campaign, wk.phase), nil), http.StatusNotFound)
	for _, c := range []*client{fp, leader} {
		wantStatus(t, c.post(apply, nil), http.StatusForbidden)
		wantStatus(t, c.get(wk.page+"/measures"), http.StatusForbidden)
	}
	if after := dataPrint(t, a); after != before {
		t.Error("a refused request changed data")
	}
}

// scoresPrint is the fingerprint of one form's scores and the form.
func scoresPrint(t *testing.T, a *app, form int64) string {
	t.Helper()
	var sum string
	if err := a.db.Pool.QueryRow(context.Background(), `SELECT md5(coalesce(string_agg(s::text, '|' ORDER BY s.criterion_id), '') ||
		(SELECT a::text FROM assessments a WHERE a.id = $1)) FROM scores s WHERE s.assessment_id = $1`, form).Scan(&sum); err != nil {
		t.Fatal(err)
	}
	return sum
}
