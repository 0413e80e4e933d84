package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"thidua/internal/domain"
	"thidua/internal/storage"
	"thidua/internal/storage/storagetest"
)

// uploadEvidence sends the evidence page's form as a browser does: the
// reference typed, then the file.
func (c *client) uploadEvidence(path, reference, name string, content []byte) *http.Response {
	c.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("reference", reference)
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		c.t.Fatal(err)
	}
	_, _ = fw.Write(content)
	_ = mw.Close()
	req, _ := http.NewRequest(http.MethodPost, c.a.ts.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

// storeFiles lists the files in an evidence store, temporary ones included.
func storeFiles(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	return files
}

// evidenceRows counts the evidence rows: library entries, attachments and
// their audit entries.
func evidenceRows(t *testing.T, a *app) (files, attached, audited int) {
	t.Helper()
	ctx := context.Background()
	_ = a.db.Pool.QueryRow(ctx, `SELECT count(*) FROM evidence_files`).Scan(&files)
	_ = a.db.Pool.QueryRow(ctx, `SELECT count(*) FROM score_evidence`).Scan(&attached)
	_ = a.db.Pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action = 'evidence.add'`).Scan(&audited)
	return
}

// TestEvidenceRejectionKeepsThePage: a file refused for its size, its type
// or its emptiness comes back to the evidence page with the reason and the
// reference typed, with the refusal's status; nothing is kept.
func TestEvidenceRejectionKeepsThePage(t *testing.T) {
	t.Parallel()
	store := t.TempDir()
	a := newApp(t, map[string]string{"EVIDENCE_DIR": store, "MAX_UPLOAD_BYTES": "65536"})
	wk := newWork(t, a)
	staff, _ := a.loggedIn(domain.RoleStaff)
	fp, _ := a.loggedIn(domain.RoleFocalPoint)
	wk.register(t, fp, staff)
	form := wk.start(t, fp)
	nodes, _ := a.db.Criteria(context.Background(), wk.set)
	leaf := domain.Leaves(nodes)[0]
	ev := fmt.Sprintf("%s/criteria/%d/evidence", form, leaf.ID)
	const reference = "Mục II.2, trang 5 – bản ký số"

	for _, tc := range []struct {
		name    string
		content []byte
		status  int
		message string
	}{
		{"lon.pdf", append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("x"), 100<<10)...), http.StatusRequestEntityTooLarge, "Tệp lớn hơn mức tối đa 64 KB"},
		{"bao-cao.pdf", append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00"), make([]byte, 4096)...), http.StatusUnsupportedMediaType, "Định dạng tệp không được chấp nhận"},
		{"bao-cao.docx", storagetest.ZipBombDOCX(t), http.StatusRequestEntityTooLarge, "Tệp lớn hơn mức tối đa 64 KB"},
		{"rong.pdf", nil, http.StatusUnprocessableEntity, "Tệp rỗng"},
	} {
		resp := fp.uploadEvidence(ev, reference, tc.name, tc.content)
		wantStatus(t, resp, tc.status)
		doc := htmlOf(t, resp)
		if !strings.Contains(doc.Find("h1").Text(), "Tài liệu kiểm chứng – tiêu chí "+leaf.Code) {
			t.Errorf("%s: not the evidence page: %q", tc.name, doc.Find("h1").Text())
		}
		if got := doc.Find(".error-summary").Text(); !strings.Contains(got, tc.message) {
			t.Errorf("%s: message %q, want %q", tc.name, got, tc.message)
		}
		if got := doc.Find("input#reference").AttrOr("value", ""); got != reference {
			t.Errorf("%s: reference %q, want %q", tc.name, got, reference)
		}
		if doc.Find(`form[enctype="multipart/form-data"] input[type=file]`).Length() != 1 {
			t.Errorf("%s: no upload form to try again", tc.name)
		}
	}
	if files := storeFiles(t, store); len(files) != 0 {
		t.Errorf("refused files left in the store: %v", files)
	}
	if f, s, au := evidenceRows(t, a); f+s+au != 0 {
		t.Errorf("refused files left rows: %d files, %d attachments, %d audit entries", f, s, au)
	}
	// No file chosen at all is not an empty file.
	resp := fp.uploadEvidence(ev, reference, "", nil)
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	if got := htmlOf(t, resp).Find(".error-summary").Text(); !strings.Contains(got, "Hãy chọn một tệp") {
		t.Errorf("no file chosen: %q", got)
	}
}

// TestEvidenceFileNameFollowsContent: a PDF sent as x.html, or with a
// right-to-left override hiding its real extension, is listed and
// downloaded under a name ending in .pdf, and a name already stored as
// typed is cleaned when served.
func TestEvidenceFileNameFollowsContent(t *testing.T) {
	t.Parallel()
	a := newApp(t, map[string]string{"EVIDENCE_DIR": t.TempDir()})
	wk := newWork(t, a)
	staff, _ := a.loggedIn(domain.RoleStaff)
	fp, _ := a.loggedIn(domain.RoleFocalPoint)
	wk.register(t, fp, staff)
	form := wk.start(t, fp)
	nodes, _ := a.db.Criteria(context.Background(), wk.set)
	ev := fmt.Sprintf("%s/criteria/%d/evidence", form, domain.Leaves(nodes)[0].ID)
	pdf := []byte("%PDF-1.4\n% Báo cáo\n%%EOF\n")
	wantStatus(t, fp.uploadEvidence(ev, "", "x.html", pdf), http.StatusSeeOther)
	wantStatus(t, fp.uploadEvidence(ev, "", "bao-cao\u202efdp.exe", append(pdf, '\n')), http.StatusSeeOther)

	filename := func(href string) string {
		t.Helper()
		resp := fp.get(href)
		wantStatus(t, resp, http.StatusOK)
		_, params, err := mime.ParseMediaType(resp.Header.Get("Content-Disposition"))
		if err != nil {
			t.Fatal(err)
		}
		return params["filename"]
	}
	page := htmlOf(t, fp.get(ev))
	var names []string
	page.Find(".evidence-list li > a").Each(func(_ int, s *goquery.Selection) {
		names = append(names, s.Text())
		if got := filename(s.AttrOr("href", "")); got != s.Text() {
			t.Errorf("listed as %q, downloaded as %q", s.Text(), got)
		}
	})
	if strings.Join(names, "|") != "x.pdf|bao-caofdp.pdf" {
		t.Errorf("names %q, want x.pdf and bao-caofdp.pdf", names)
	}

	// A name stored before the rule is cleaned when served.
	if _, err := a.db.Pool.Exec(context.Background(), `UPDATE evidence_files SET file_name = 'cu'||chr(8238)||'fdp.html' WHERE file_name = 'x.pdf'`); err != nil {
		t.Fatal(err)
	}
	href := htmlOf(t, fp.get(ev)).Find(".evidence-list li > a").First().AttrOr("href", "")
	if got := filename(href); got != "cufdp.pdf" {
		t.Errorf("old name served as %q, want cufdp.pdf", got)
	}
}

// submitForm fills a form with full marks, attaches a PDF to every
// criterion that requires evidence, and submits it.
func submitForm(t *testing.T, fp *client, wk work, form string) {
	t.Helper()
	nodes, _ := fp.a.db.Criteria(context.Background(), wk.set)
	for _, n := range domain.Leaves(nodes) {
		if n.EvidenceRequired {
			wantStatus(t, fp.uploadEvidence(fmt.Sprintf("%s/criteria/%d/evidence", form, n.ID), "", "minh-chung.pdf", []byte("%PDF-1.4\n%%EOF\n")), http.StatusSeeOther)
		}
	}
	wantStatus(t, fp.post(form+"/submit", fullMarks(t, fp, wk, form)), http.StatusSeeOther)
}

// TestLockedEvidenceOffersNoChanges: once a form is submitted, and after a
// return for the criteria that stay locked, neither the evidence page nor
// the form offers an upload, a reuse or a removal the server would refuse;
// they say why instead. The returned criterion offers them.
func TestLockedEvidenceOffersNoChanges(t *testing.T) {
	t.Parallel()
	a := newApp(t, map[string]string{"EVIDENCE_DIR": t.TempDir()})
	wk := newWork(t, a)
	staff, _ := a.loggedIn(domain.RoleStaff)
	fp, _ := a.loggedIn(domain.RoleFocalPoint)
	wk.register(t, fp, staff)
	form := wk.start(t, fp)
	nodes, _ := a.db.Criteria(context.Background(), wk.set)
	leaves := domain.Leaves(nodes)
	open, locked := leaves[0], leaves[1]
	evOpen := fmt.Sprintf("%s/criteria/%d/evidence", form, open.ID)
	evLocked := fmt.Sprintf("%s/criteria/%d/evidence", form, locked.ID)
	for _, ev := range []string{evOpen, evLocked} {
		wantStatus(t, fp.uploadEvidence(ev, "Trang 1", "bao-cao.pdf", []byte("%PDF-1.4\n%%EOF\n")), http.StatusSeeOther)
	}
	offers := func(doc *goquery.Document) (upload, reuse, remove int) {
		return doc.Find(`form[enctype="multipart/form-data"]`).Length(),
			doc.Find(`form[action$="/reuse"]`).Length(),
			doc.Find(`.evidence-list form[action$="/remove"]`).Length()
	}
	// In draft: everything is offered.
	if u, ru, rm := offers(htmlOf(t, fp.get(evLocked))); u != 1 || ru != 1 || rm == 0 {
		t.Fatalf("draft evidence page offers upload %d, reuse %d, remove %d", u, ru, rm)
	}

	submitForm(t, fp, wk, form)
	doc := htmlOf(t, fp.get(evLocked))
	if u, ru, rm := offers(doc); u+ru+rm != 0 {
		t.Errorf("submitted form: evidence page offers upload %d, reuse %d, remove %d", u, ru, rm)
	}
	if !strings.Contains(doc.Find(".evidence-locked").Text(), "Hồ sơ đã nộp") {
		t.Errorf("submitted form: the page does not say why: %q", doc.Find(".evidence-locked").Text())
	}
	if doc.Find(".evidence-list li > a").Length() == 0 {
		t.Error("submitted form: the attached file is no longer listed")
	}

	// Staff return only the first criterion.
	wantStatus(t, staff.post(form+"/return", url.Values{fmt.Sprintf("r_%d", open.ID): {"Bổ sung bản có chữ ký"}}), http.StatusSeeOther)
	doc = htmlOf(t, fp.get(evLocked))
	if u, ru, rm := offers(doc); u+ru+rm != 0 {
		t.Errorf("locked criterion: evidence page offers upload %d, reuse %d, remove %d", u, ru, rm)
	}
	if !strings.Contains(doc.Find(".evidence-locked").Text(), "Tiêu chí "+locked.Code+" không được trả lại") {
		t.Errorf("locked criterion: the page does not say why: %q", doc.Find(".evidence-locked").Text())
	}
	if u, ru, rm := offers(htmlOf(t, fp.get(evOpen))); u != 1 || ru != 1 || rm == 0 {
		t.Errorf("returned criterion: evidence page offers upload %d, reuse %d, remove %d", u, ru, rm)
	}
	page := htmlOf(t, fp.get(form))
	if page.Find(fmt.Sprintf("#c-%d .evidence a.button", locked.ID)).Length() != 0 {
		t.Error("the form offers evidence changes on a locked criterion")
	}
	if page.Find(fmt.Sprintf("#c-%d .evidence a.button", open.ID)).Length() != 1 {
		t.Error("the form offers no evidence changes on the returned criterion")
	}

	// A stale page's removal is refused and answered with the page as it is.
	var key string
	_ = a.db.Pool.QueryRow(context.Background(), `SELECT f.key FROM evidence_files f JOIN score_evidence se ON se.evidence_id = f.id WHERE se.criterion_id = $1`, locked.ID).Scan(&key)
	resp := fp.post(evLocked+"/remove", url.Values{"key": {key}})
	wantStatus(t, resp, http.StatusConflict)
	doc = htmlOf(t, resp)
	if u, ru, rm := offers(doc); u+ru+rm != 0 {
		t.Errorf("refused removal: the page offers upload %d, reuse %d, remove %d", u, ru, rm)
	}
	if !strings.Contains(doc.Find(".error-summary").Text(), "không được trả lại") {
		t.Errorf("refused removal: %q", doc.Find(".error-summary").Text())
	}
}

// TestAttachableReportsDatabaseErrors: a failing query while checking
// whether a returned criterion was reopened is an error, not "locked".
func TestAttachableReportsDatabaseErrors(t *testing.T) {
	t.Parallel()
	a := newApp(t, map[string]string{"EVIDENCE_DIR": t.TempDir()})
	wk := newWork(t, a)
	staff, _ := a.loggedIn(domain.RoleStaff)
	fp, _ := a.loggedIn(domain.RoleFocalPoint)
	wk.register(t, fp, staff)
	form := wk.start(t, fp)
	nodes, _ := a.db.Criteria(context.Background(), wk.set)
	leaf := domain.Leaves(nodes)[0]
	submitForm(t, fp, wk, form)
	wantStatus(t, staff.post(form+"/return", url.Values{fmt.Sprintf("r_%d", leaf.ID): {"Bổ sung"}}), http.StatusSeeOther)
	ctx := context.Background()
	id := mustAssessment(t, a, form)
	if err := a.db.CheckAttachable(ctx, id, leaf.ID); err != nil {
		t.Fatalf("the returned criterion: %v", err)
	}
	// The database fails on that query (here: its column is gone).
	if _, err := a.db.Pool.Exec(ctx, `ALTER TABLE scores RENAME COLUMN reopened TO reopened_gone`); err != nil {
		t.Fatal(err)
	}
	err := a.db.CheckAttachable(ctx, id, leaf.ID)
	if err == nil || domain.ErrorCode(err) != domain.EINTERNAL {
		t.Errorf("with the query failing: %v (code %s), want an internal error", err, domain.ErrorCode(err))
	}
}

// TestEvidenceDiskFull: with the store's disk full, an upload is answered
// 507 on the evidence page with the reference kept, logged at ERROR with the
// store's path, leaves no file and no row, and /readyz reports the store;
// once space is back, both recover.
func TestEvidenceDiskFull(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	a := newApp(t, map[string]string{"EVIDENCE_DIR": dir})
	wk := newWork(t, a)
	staff, _ := a.loggedIn(domain.RoleStaff)
	fp, _ := a.loggedIn(domain.RoleFocalPoint)
	wk.register(t, fp, staff)
	form := wk.start(t, fp)
	nodes, _ := a.db.Criteria(context.Background(), wk.set)
	ev := fmt.Sprintf("%s/criteria/%d/evidence", form, domain.Leaves(nodes)[0].ID)
	pdf := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("x"), 8000)...)

	full := &storage.Local{Dir: dir, Writer: storagetest.FullDisk(4096)}
	a.srv.store = full
	resp := fp.uploadEvidence(ev, "Trang 3", "bao-cao.pdf", pdf)
	wantStatus(t, resp, http.StatusInsufficientStorage)
	doc := htmlOf(t, resp)
	if msg := doc.Find(".error-summary").Text(); !strings.Contains(msg, "hết dung lượng") || !strings.Contains(msg, "thử lại sau") {
		t.Errorf("message %q does not say the server is out of space", msg)
	}
	if got := doc.Find("input#reference").AttrOr("value", ""); got != "Trang 3" {
		t.Errorf("reference %q lost", got)
	}
	logs := a.logs.String()
	if !strings.Contains(logs, "level=ERROR") || !strings.Contains(logs, "evidence store out of space") || !strings.Contains(logs, dir) {
		t.Errorf("not logged at ERROR with the store's path %s:\n%s", dir, logs)
	}
	if files := storeFiles(t, dir); len(files) != 0 {
		t.Errorf("files left by the failed upload: %v", files)
	}
	if f, s, au := evidenceRows(t, a); f+s+au != 0 {
		t.Errorf("rows left by the failed upload: %d files, %d attachments, %d audit entries", f, s, au)
	}

	readyz := func(want int) map[string]any {
		t.Helper()
		resp := a.client().get("/readyz")
		wantStatus(t, resp, want)
		var report map[string]any
		if err := json.Unmarshal([]byte(bodyOf(resp)), &report); err != nil {
			t.Fatal(err)
		}
		return report
	}
	if report := readyz(http.StatusOK); report["evidence_store"] != "full" || report["degraded"] != true || report["ready"] != true {
		t.Errorf("readyz with the store full: %v", report)
	}
	if files := storeFiles(t, dir); len(files) != 0 {
		t.Errorf("files left by the probe: %v", files)
	}

	full.Writer = nil // space is back
	if report := readyz(http.StatusOK); report["evidence_store"] != "ok" {
		t.Errorf("readyz with space back: %v", report)
	}
	wantStatus(t, fp.uploadEvidence(ev, "Trang 3", "bao-cao.pdf", pdf), http.StatusSeeOther)
	if f, s, _ := evidenceRows(t, a); f != 1 || s != 1 {
		t.Errorf("after space came back: %d files, %d attachments", f, s)
	}
}

// TestReadyzStoreNotWritable: a store that cannot be created (its path is
// under a regular file, which stops root too) makes the portal not ready.
func TestReadyzStoreNotWritable(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	a := newApp(t, map[string]string{"EVIDENCE_DIR": filepath.Join(file, "evidence")})
	resp := a.client().get("/readyz")
	wantStatus(t, resp, http.StatusServiceUnavailable)
	var report map[string]any
	if err := json.Unmarshal([]byte(bodyOf(resp)), &report); err != nil || report["evidence_store"] != "not_writable" {
		t.Errorf("readyz: %v %v", report, err)
	}
}

// TestUploadOfAContentJustDeleted: an upload whose content the store no
// longer holds when its row is about to commit (an ending import deleted
// the same bytes at that moment) is refused with 409 and a message to send
// it again, on the page it came from, with nothing written.
func TestUploadOfAContentJustDeleted(t *testing.T) {
	t.Parallel()
	a := newApp(t, map[string]string{"EVIDENCE_DIR": t.TempDir(), "IMPORT_DIR": t.TempDir()})
	wk := newWork(t, a)
	staff, _ := a.loggedIn(domain.RoleStaff)
	fp, _ := a.loggedIn(domain.RoleFocalPoint)
	wk.register(t, fp, staff)
	form := wk.start(t, fp)
	nodes, _ := a.db.Criteria(context.Background(), wk.set)
	leaf := domain.Leaves(nodes)[0]
	ev := fmt.Sprintf("%s/criteria/%d/evidence", form, leaf.ID)
	a.db.FileStored = func(context.Context, string) (bool, error) { return false, nil }
	const message = "Tệp vừa tải lên chưa lưu được"

	resp := fp.uploadEvidence(ev, "Trang 5", "bao-cao.pdf", []byte("%PDF-1.4\nbáo cáo\n"))
	wantStatus(t, resp, http.StatusConflict)
	doc := htmlOf(t, resp)
	if got := doc.Find(".error-summary").Text(); !strings.Contains(got, message) {
		t.Errorf("evidence: message %q", got)
	}
	if doc.Find(`form[enctype="multipart/form-data"] input[type=file]`).Length() != 1 {
		t.Error("evidence: no upload form to try again")
	}
	if f, s, au := evidenceRows(t, a); f+s+au != 0 {
		t.Errorf("evidence: %d files, %d attachments, %d audit entries", f, s, au)
	}

	resp = staff.upload("/units/import", "don-vi.csv", []byte("ma,ten,ten_viet_tat,loai,ma_cap_tren,hieu_luc_tu,hieu_luc_den\n"))
	wantStatus(t, resp, http.StatusConflict)
	if got := htmlOf(t, resp).Text(); !strings.Contains(got, message) {
		t.Errorf("import: page without the message: %.300q", got)
	}
	var jobs int
	_ = a.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM import_jobs`).Scan(&jobs)
	if jobs != 0 {
		t.Errorf("import: %d jobs recorded", jobs)
	}
}
