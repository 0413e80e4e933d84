package server

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"thidua/internal/domain"
	"thidua/internal/imports"
	"thidua/internal/tabular"
)

// registry builds two communes merged into one on 01/07/2025 beside the
// test unit, with a person in each old commune.
func registry(t *testing.T, a *app) (merged, oldA, oldB int64) {
	t.Helper()
	ctx := context.Background()
	from := domain.Day(2010, 1, 1)
	province, err := a.db.CreateUnit(ctx, domain.UnitInput{Name: "UBND tỉnh Thử", Code: "P99", Kind: domain.KindProvince, ValidFrom: from})
	if err != nil {
		t.Fatal(err)
	}
	oldA, _ = a.db.CreateUnit(ctx, domain.UnitInput{Name: "UBND xã Cũ A", Code: "A01", Kind: domain.KindCommune, ParentID: &province, ValidFrom: from})
	oldB, _ = a.db.CreateUnit(ctx, domain.UnitInput{Name: "UBND xã Cũ B", Code: "B01", Kind: domain.KindCommune, ParentID: &province, ValidFrom: from})
	for i, u := range []int64{oldA, oldB} {
		if _, err := a.db.CreatePerson(ctx, domain.PersonInput{FullName: fmt.Sprintf("Cán Bộ Xã %d", i), Category: domain.CategoryCanBo, UnitID: u, From: from}); err != nil {
			t.Fatal(err)
		}
	}
	_, created, err := a.db.Reorganise(ctx, domain.Reorganisation{Kind: domain.EventMerge, EffectiveDate: domain.Day(2025, 7, 1),
		Decision: "Nghị quyết 1663/NQ-UBTVQH15", Sources: []int64{oldA, oldB},
		Targets: []domain.UnitInput{{Name: "UBND xã Mới", Code: "M01", Kind: domain.KindCommune, ParentID: &province}}})
	if err != nil {
		t.Fatal(err)
	}
	return created[0], oldA, oldB
}

func TestUnitPagesShowLineageBothWays(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	merged, oldA, _ := registry(t, a)
	c, _ := a.loggedIn(domain.RoleLeader)

	doc := htmlOf(t, c.get(fmt.Sprintf("/units/%d", merged)))
	var preds []string
	doc.Find("#lineage ul.preds li a").Each(func(_ int, s *goqueryTr) { preds = append(preds, s.Text()) })
	if strings.Join(preds, "|") != "UBND xã Cũ A|UBND xã Cũ B" {
		t.Errorf("predecessors on the new unit's page: %v", preds)
	}
	if !strings.Contains(doc.Find("#lineage").Text(), "01/07/2025") {
		t.Error("lineage without its date")
	}
	old := htmlOf(t, c.get(fmt.Sprintf("/units/%d", oldA)))
	if got := old.Find("#lineage ul.succs li a").Text(); got != "UBND xã Mới" {
		t.Errorf("successor on the old unit's page: %q", got)
	}
	if note := old.Find(".notice-warn").Text(); !strings.Contains(note, "hợp nhất vào UBND xã Mới từ ngày 01/07/2025") {
		t.Errorf("status note: %q", note)
	}
	// A leader sees units but no personal data.
	if old.Find("#people").Length() != 0 {
		t.Error("a leader sees the people of a unit")
	}
	// The tree as of each side of the reform.
	tree := func(at string) string { return htmlOf(t, c.get("/units?at="+at)).Find("ul.tree").Text() }
	if b := tree("30%2F06%2F2025"); !strings.Contains(b, "UBND xã Cũ A") || strings.Contains(b, "UBND xã Mới") {
		t.Errorf("tree on 30/06/2025: %s", b)
	}
	if af := tree("2025-07-01"); strings.Contains(af, "UBND xã Cũ A") || !strings.Contains(af, "UBND xã Mới") {
		t.Errorf("tree on 01/07/2025: %s", af)
	}
	wantStatus(t, c.get("/units?at=32%2F13%2F2025"), http.StatusBadRequest)
	// Search ignores accents.
	res := htmlOf(t, c.get("/units?q=ubnd+xa+cu"))
	if n := res.Find("table.table tbody tr").Length(); n != 2 {
		t.Errorf("search 'ubnd xa cu' found %d rows", n)
	}
}

// TestFocalPointSeesOnlyOwnUnitsPeople is acceptance 4 of the registry at the
// page level (the route matrix covers every route).
func TestFocalPointSeesOnlyOwnUnitsPeople(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	merged, oldA, _ := registry(t, a)
	ctx := context.Background()
	mine, err := a.db.CreatePerson(ctx, domain.PersonInput{FullName: "Người Của Tôi", Category: domain.CategoryCongChuc, UnitID: a.unit, From: domain.Day(2020, 1, 1)})
	if err != nil {
		t.Fatal(err)
	}
	c, _ := a.loggedIn(domain.RoleFocalPoint) // of a.unit
	list := htmlOf(t, c.get("/people")).Find("table.table tbody").Text()
	if !strings.Contains(list, "Người Của Tôi") || strings.Contains(list, "Cán Bộ Xã") {
		t.Errorf("focal point's people list: %s", list)
	}
	wantStatus(t, c.get(fmt.Sprintf("/people?unit=%d", merged)), http.StatusForbidden)
	wantStatus(t, c.get(fmt.Sprintf("/people/%d", mine)), http.StatusOK)
	page, _ := a.db.SearchPeople(ctx, peopleOf(merged))
	wantStatus(t, c.get(fmt.Sprintf("/people/%d", page.People[0].ID)), http.StatusNotFound)
	if htmlOf(t, c.get(fmt.Sprintf("/units/%d", oldA))).Find("#people").Length() != 0 {
		t.Error("a focal point sees another unit's people on its page")
	}
	if htmlOf(t, c.get(fmt.Sprintf("/units/%d", a.unit))).Find("#people").Length() != 1 {
		t.Error("a focal point does not see their own unit's people")
	}
	for _, p := range []string{"/units/new", "/units/reorganize", "/units/import", "/people/new", "/people/export.csv"} {
		wantStatus(t, c.get(p), http.StatusForbidden)
	}
	wantStatus(t, c.post("/units", url.Values{"name": {"X"}, "kind": {"commune"}, "valid_from": {"2025-07-01"}}), http.StatusForbidden)
	// Anonymous visitors are sent to sign in; nothing personal is served.
	anon := a.client()
	for _, p := range []string{"/people", fmt.Sprintf("/people/%d", mine), "/units", "/people/export.csv"} {
		resp := anon.get(p)
		if resp.StatusCode != http.StatusSeeOther || strings.Contains(bodyOf(resp), "Người Của Tôi") {
			t.Errorf("anonymous %s: %d", p, resp.StatusCode)
		}
	}
}

func TestReorganizeThroughTheForm(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	ctx := context.Background()
	from := domain.Day(2010, 1, 1)
	p, _ := a.db.CreateUnit(ctx, domain.UnitInput{Name: "UBND tỉnh Thử", Code: "P77", Kind: domain.KindProvince, ValidFrom: from})
	for _, code := range []string{"C1", "C2", "C3"} {
		if _, err := a.db.CreateUnit(ctx, domain.UnitInput{Name: "UBND xã " + code, Code: code, Kind: domain.KindCommune, ParentID: &p, ValidFrom: from}); err != nil {
			t.Fatal(err)
		}
	}
	staff, _ := a.loggedIn(domain.RoleStaff)
	form := url.Values{"kind": {"merge"}, "date": {"2025-07-01"}, "decision": {"Nghị quyết 1663/NQ-UBTVQH15"},
		"sources": {"C1\nC2\nC9"}, "parent_code": {"P77"},
		"target_name": {"UBND xã Hợp Nhất", "", "", "", ""}, "target_short": {"", "", "", "", ""},
		"target_code": {"C0", "", "", "", ""}, "target_kind": {"commune", "commune", "commune", "commune", "commune"}}
	resp := staff.post("/units/reorganize", form)
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	doc := htmlOf(t, resp)
	if !strings.Contains(doc.Find(".error-summary").Text(), "“C9”") {
		t.Errorf("unknown code not named: %s", doc.Find(".error-summary").Text())
	}
	if v := doc.Find("textarea[name=sources]").Text(); v != "C1\nC2\nC9" {
		t.Errorf("typed sources lost: %q", v)
	}
	form.Set("sources", "C1\nC2\nC3")
	resp = staff.post("/units/reorganize", form)
	wantStatus(t, resp, http.StatusSeeOther)
	page := htmlOf(t, staff.get(resp.Header.Get("Location")))
	if page.Find("h1").Text() != "UBND xã Hợp Nhất" || page.Find("#lineage ul.preds li").Length() != 3 {
		t.Errorf("new unit page: %s, %d predecessors", page.Find("h1").Text(), page.Find("#lineage ul.preds li").Length())
	}
	// Submitting the same merge again is refused: the communes have ended.
	resp = staff.post("/units/reorganize", form)
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	assertAudit(t, a, "unit.merge")
}

func TestRenameAndStaleCorrection(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	staff, _ := a.loggedIn(domain.RoleStaff)
	u, _ := a.db.UnitByID(context.Background(), a.unit)
	path := fmt.Sprintf("/units/%d", u.ID)
	resp := staff.post(path+"/change", url.Values{"date": {"2026-01-01"}, "name": {"Sở Tư pháp tỉnh"}, "parent_code": {""}, "decision": {"QĐ 5/QĐ-UBND"}})
	wantStatus(t, resp, http.StatusSeeOther)
	before := htmlOf(t, staff.get(path+"?at=2025-12-31")).Find("h1").Text()
	after := htmlOf(t, staff.get(path+"?at=2026-01-01")).Find("h1").Text()
	if before != "Sở Tư pháp" || after != "Sở Tư pháp tỉnh" {
		t.Errorf("names: before %q after %q", before, after)
	}
	// A correction with a stale version: 409, typed code kept.
	resp = staff.post(path, url.Values{"code": {"STP-2"}, "kind": {"department"}, "version": {fmt.Sprint(u.Version)}})
	wantStatus(t, resp, http.StatusConflict)
	if v, _ := htmlOf(t, resp).Find("#code").Attr("value"); v != "STP-2" {
		t.Errorf("typed code lost: %q", v)
	}
	// A move under an unknown parent is a form error, not a 500.
	resp = staff.post(path+"/change", url.Values{"date": {"2026-02-01"}, "name": {"Sở Tư pháp tỉnh"}, "parent_code": {"KHONG"}})
	wantStatus(t, resp, http.StatusUnprocessableEntity)
}

func multipartBody(t *testing.T, field, name string, content []byte) (*bytes.Buffer, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, err := mw.CreateFormFile(field, name)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = fw.Write(content)
	_ = mw.Close()
	return &buf, mw.FormDataContentType()
}

func (c *client) upload(path, name string, content []byte) *http.Response {
	c.t.Helper()
	body, ct := multipartBody(c.t, "file", name, content)
	req, _ := http.NewRequest(http.MethodPost, c.a.ts.URL+path, body)
	req.Header.Set("Content-Type", ct)
	return c.do(req)
}

// waitJob reloads an import page until it leaves the running states; the
// app's job runner works the import.
func waitJob(t *testing.T, c *client, path string) *goqueryDoc {
	t.Helper()
	c.a.runJobs()
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp := c.get(path)
		wantStatus(t, resp, http.StatusOK)
		doc := htmlOf(t, resp)
		if doc.Find("meta[http-equiv=refresh]").Length() == 0 {
			return doc
		}
		if time.Now().After(deadline) {
			t.Fatalf("import %s still running", path)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestWebImportFlow(t *testing.T) {
	t.Parallel()
	a := newApp(t, map[string]string{"IMPORT_DIR": t.TempDir(), "MAX_IMPORT_BYTES": "65536"})
	staff, _ := a.loggedIn(domain.RoleStaff)
	csv := "ma,ten,ten_viet_tat,loai,ma_cap_tren,hieu_luc_tu,hieu_luc_den\n" +
		"T1,UBND tỉnh Nhập Thử,,tỉnh,,01/07/2025,\n" +
		"T2,UBND xã Nhập Thử,,xã,T1,01/07/2025,\n"
	resp := staff.upload("/units/import", "don-vi.csv", []byte(csv))
	wantStatus(t, resp, http.StatusSeeOther)
	job := resp.Header.Get("Location")
	doc := waitJob(t, staff, job)
	if doc.Find("table.problems").Length() != 0 {
		t.Fatalf("problems in a good file: %s", doc.Find("table.problems").Text())
	}
	if got := doc.Find(".stats").Text(); !strings.Contains(got, "Thêm mới2") {
		t.Errorf("dry-run summary: %q", got)
	}
	if n, _ := a.db.SearchUnits(context.Background(), "nhap thu", 10, 0); n.Total != 0 {
		t.Fatal("the dry run wrote units")
	}
	// Run it; a double click runs it once.
	wantStatus(t, staff.post(job+"/run", nil), http.StatusSeeOther)
	wantStatus(t, staff.post(job+"/run", nil), http.StatusSeeOther)
	doc = waitJob(t, staff, job)
	if !strings.Contains(doc.Find(".status-line").Text(), "Đã nhập xong") {
		t.Errorf("status after import: %q", doc.Find(".status-line").Text())
	}
	if n, _ := a.db.SearchUnits(context.Background(), "nhap thu", 10, 0); n.Total != 2 {
		t.Errorf("%d units imported, want 2", n.Total)
	}
	var imports int
	_ = a.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE action = 'unit.import'`).Scan(&imports)
	if imports != 1 {
		t.Errorf("%d imports ran, want 1", imports)
	}
	// Too large: 413; empty: 422; multipart where no upload is taken: 415.
	resp = staff.upload("/units/import", "big.csv", bytes.Repeat([]byte("x"), 70000))
	wantStatus(t, resp, http.StatusRequestEntityTooLarge)
	wantStatus(t, staff.upload("/units/import", "empty.csv", nil), http.StatusUnprocessableEntity)
	wantStatus(t, staff.upload("/users", "x.csv", []byte("x")), http.StatusUnsupportedMediaType)
	// No stray upload files: the imported one leaves the store once its job
	// has ended, rejected ones are never kept; the scratch copy is gone.
	entries, _ := os.ReadDir(a.cfg.ImportDir)
	if len(entries) != 0 {
		t.Errorf("files left in the import directory: %d", len(entries))
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		files := storeFiles(t, a.cfg.EvidenceDir)
		if len(files) == 0 {
			break
		}
		if time.Now().After(deadline) { // the job deletes it just after recording "done"
			t.Errorf("files left in the store: %v", files)
			break
		}
	}
	// Another staff member cannot guess the job: keys are random.
	if strings.Count(job, "/") != 2 || len(filepath.Base(job)) < 32 {
		t.Errorf("job URL %q does not carry a random key", job)
	}
}

func TestExportImportsBackUnchanged(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	registry(t, a)
	c, _ := a.loggedIn(domain.RoleStaff)
	for _, format := range []string{"csv", "xlsx"} {
		resp := c.get("/units/export." + format + "?at=2025-07-01")
		wantStatus(t, resp, http.StatusOK)
		if cd := resp.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") {
			t.Errorf("%s: Content-Disposition %q", format, cd)
		}
		path := filepath.Join(t.TempDir(), "export."+format)
		body, _ := io.ReadAll(resp.Body)
		if err := os.WriteFile(path, body, 0o644); err != nil {
			t.Fatal(err)
		}
		r, err := tabular.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		report, err := imports.Units(context.Background(), a.db, r, true, nil)
		r.Close()
		if err != nil || !report.OK() || report.Rows == 0 || report.Unchanged != report.Rows {
			t.Errorf("%s export re-imported: %+v %v", format, report, err)
		}
	}
}

func peopleOf(unit int64) postgresPeopleFilter {
	return postgresPeopleFilter{UnitID: &unit, Day: domain.Day(2025, 7, 1), Limit: 10}
}
