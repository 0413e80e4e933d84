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

// dataPrint is the fingerprint of every table but the import jobs (a dry
// run records its own job and report there, and nothing else).
func dataPrint(t *testing.T, a *app) string {
	t.Helper()
	var out []string
	for _, part := range strings.Split(fingerprint(t, a), ";") {
		if !strings.HasPrefix(part, "import_jobs:") {
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
