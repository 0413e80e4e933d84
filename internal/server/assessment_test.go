package server

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"thidua/internal/criteria"
	"thidua/internal/domain"
	"thidua/internal/postgres"
	"thidua/internal/storage/storagetest"
)

// work is an announced campaign with the PAR template and one phase whose
// self-assessment window holds today.
type work struct {
	campaign, phase, set int64
	page                 string
}

func newWork(t *testing.T, a *app) work {
	t.Helper()
	return newWorkWith(t, a, nil)
}

// newWorkWith is newWork with the template's criteria changed by edit
// before the campaign is announced. Without edit, no criterion requires
// evidence (the tests that need required evidence set it themselves).
func newWorkWith(t *testing.T, a *app, edit func(nodes []domain.Criterion)) work {
	t.Helper()
	ctx := context.Background()
	today := domain.DateOf(time.Now())
	c := &domain.Campaign{PlanNumber: "7/KH-SNV", Title: "Thi đua cải cách hành chính năm nay", IssuerName: "Sở Nội vụ", IssueDate: today.AddDate(0, -1, 0),
		Kind: domain.KindRegular, PeriodStart: today.AddDate(0, -1, 0), PeriodEnd: today.AddDate(0, 2, 0), TargetKinds: []string{"department"}}
	id, err := a.db.CreateCampaign(ctx, c, "")
	if err != nil {
		t.Fatal(err)
	}
	from, to := today.AddDate(0, 0, -3), today.AddDate(0, 0, 3)
	p := &domain.Phase{CampaignID: id, Name: "Đợt 1", Start: today.AddDate(0, -1, 0), End: today.AddDate(0, 1, 0),
		AssessmentFrom: &from, AssessmentTo: &to, ReviewKind: domain.ReviewAnnual}
	if _, err := a.db.SavePhase(ctx, p); err != nil {
		t.Fatal(err)
	}
	forms, _ := a.db.AwardForms(ctx)
	if err := a.db.SaveAwardPlan(ctx, postgres.AwardPlan{CampaignID: id, AwardFormID: forms[2].ID, MinBand: "good"}); err != nil {
		t.Fatal(err)
	}
	set, err := a.db.CreateCriteriaSet(ctx, id, "Sở, ban, ngành", []string{"department"}, false)
	if err != nil {
		t.Fatal(err)
	}
	tpl, _ := criteria.TemplateByKey("par-department")
	nodes, _ := criteria.Nodes(tpl.Rows)
	for i := range nodes {
		nodes[i].EvidenceRequired = false
	}
	if edit != nil {
		edit(nodes)
	}
	if err := a.db.ReplaceCriteria(ctx, set, nodes, "test"); err != nil {
		t.Fatal(err)
	}
	if err := a.db.Transition(ctx, id, domain.StatusAnnounced, ""); err != nil {
		t.Fatal(err)
	}
	return work{campaign: id, phase: p.ID, set: set, page: fmt.Sprintf("/campaigns/%d", id)}
}

// register has a focal point register through the form and staff approve.
func (wk work) register(t *testing.T, fp, staff *client) {
	t.Helper()
	resp := fp.post(wk.page+"/registrations", url.Values{"action": {"submit"}, "pledge": {"Hoàn thành 100% kế hoạch CCHC"},
		"target_label": {"Mức độ hài lòng"}, "target_value": {"≥ 95%"}, "version": {"0"}})
	wantStatus(t, resp, http.StatusSeeOther)
	var id, version int64
	_ = fp.a.db.Pool.QueryRow(context.Background(), `SELECT id, version FROM registrations WHERE campaign_id = $1 ORDER BY id DESC LIMIT 1`, wk.campaign).Scan(&id, &version)
	wantStatus(t, staff.post(wk.page+"/registrations/decide", url.Values{"ids": {fmt.Sprintf("%d:%d", id, version)}, "decision": {"approve"}}), http.StatusSeeOther)
}

// start opens the form and returns its URL.
func (wk work) start(t *testing.T, fp *client) string {
	t.Helper()
	resp := fp.post(wk.page+"/assessments", url.Values{"phase_id": {fmt.Sprint(wk.phase)}})
	wantStatus(t, resp, http.StatusSeeOther)
	return resp.Header.Get("Location")
}

// formValues reads a form page into the values a browser would send.
func formValues(doc *goquery.Document) url.Values {
	v := url.Values{}
	doc.Find("form.assessment-form input, form.assessment-form textarea").Each(func(_ int, s *goquery.Selection) {
		name, _ := s.Attr("name")
		if name == "" || s.AttrOr("disabled", "x") != "x" {
			return
		}
		if s.Is("input[type=checkbox], input[type=radio]") {
			if _, checked := s.Attr("checked"); checked {
				v.Add(name, s.AttrOr("value", ""))
			}
			return
		}
		if s.Is("textarea") {
			v.Set(name, s.Text())
			return
		}
		v.Set(name, s.AttrOr("value", ""))
	})
	return v
}

func vnum(p domain.Points) string { return p.String() }

// TestFullPathThroughTheForms is acceptance 1 of the self-assessment
// feature: register, approve, fill a PAR form with evidence and a
// not-applicable criterion, submit, and check the receipt's totals against
// an independent computation.
func TestFullPathThroughTheForms(t *testing.T) {
	t.Parallel()
	a := newApp(t, map[string]string{"EVIDENCE_DIR": t.TempDir()})
	wk := newWork(t, a)
	staff, _ := a.loggedIn(domain.RoleStaff)
	fp, _ := a.loggedIn(domain.RoleFocalPoint)
	// The focal point's home lists the campaign.
	if !strings.Contains(htmlOf(t, fp.get("/home")).Find("#my-campaigns").Text(), "Thi đua cải cách hành chính năm nay") {
		t.Error("the campaign is not on the focal point's home")
	}
	wk.register(t, fp, staff)
	form := wk.start(t, fp)

	// Evidence for 1.1, through the evidence page.
	nodes, _ := a.db.Criteria(context.Background(), wk.set)
	var first domain.Criterion
	for _, n := range domain.Leaves(nodes) {
		if n.Code == "1.1" {
			first = n
		}
	}
	evURL := fmt.Sprintf("%s/criteria/%d/evidence", form, first.ID)
	wantStatus(t, fp.upload(evURL, "ke-hoach.pdf", []byte("%PDF-1.4\n% Kế hoạch CCHC\n%%EOF\n")), http.StatusSeeOther)

	// Fill every leaf: full points on odd positions, half on even; 2.1 not
	// applicable; tiers and targets by measured value.
	doc := htmlOf(t, fp.get(form))
	vals := formValues(doc)
	var want, wantMax float64
	for i, n := range domain.Leaves(nodes) {
		id := fmt.Sprint(n.ID)
		vals.Set("e_"+id, "Giải trình tiêu chí "+n.Code)
		maxPts := float64(n.Max) / 100
		switch {
		case n.Code == "2.1":
			vals.Set("na_"+id, "1")
			continue
		case n.Method == domain.MethodTiers:
			vals.Set("m_"+id, "92,5") // between the tiers: the lower one
			p, _ := n.PointsFor(domain.Score{Measured: 9250})
			want += float64(p) / 100
		case n.Method == domain.MethodTargetShare:
			vals.Set("m_"+id, "90")
			want += math.Floor(maxPts*0.9*100) / 100
		case n.Method == domain.MethodYesNo:
			vals.Set("p_"+id, vnum(n.Max))
			want += maxPts
		case i%2 == 0:
			vals.Set("p_"+id, vnum(n.Max))
			want += maxPts
		default:
			half := n.Max / 2 / n.Step * n.Step
			vals.Set("p_"+id, vnum(half))
			want += float64(half) / 100
		}
		wantMax += maxPts
	}
	// Saving first, then submitting from the saved form.
	wantStatus(t, fp.post(form, vals), http.StatusSeeOther)
	vals = formValues(htmlOf(t, fp.get(form)))
	resp := fp.post(form+"/submit", vals)
	wantStatus(t, resp, http.StatusSeeOther)
	receipt := htmlOf(t, fp.get(resp.Header.Get("Location")))
	converted := math.Round(want/wantMax*10000) / 100
	wantText := strings.ReplaceAll(strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.2f", converted), "0"), "."), ".", ",")
	if got := strings.TrimSpace(receipt.Find(".converted").First().Text()); got != wantText {
		t.Errorf("receipt converted total %q, want %q (%.2f of %.2f)", got, wantText, want, wantMax)
	}
	if receipt.Find(".submitted-at").Text() == "" {
		t.Error("no submission time on the receipt")
	}
	// Submitted: locked against any change.
	vals.Set("e_"+fmt.Sprint(first.ID), "Sửa sau khi nộp")
	resp = fp.post(form, vals)
	wantStatus(t, resp, http.StatusConflict)
	// Staff see it on the dashboard.
	dash := htmlOf(t, staff.get(wk.page+"/assessments"))
	if !strings.Contains(dash.Find("table.dashboard").Text(), "Đã nộp") {
		t.Error("the dashboard does not show the submission")
	}
	resp = staff.get(wk.page + "/assessments.csv")
	wantStatus(t, resp, http.StatusOK)
	if !strings.Contains(bodyOf(resp), "Sở Tư pháp") {
		t.Error("status export lacks the unit")
	}
	// Staff return one criterion; only it reopens.
	wantStatus(t, staff.post(form+"/return", url.Values{"r_" + fmt.Sprint(first.ID): {"Bổ sung kế hoạch đã ký"}}), http.StatusSeeOther)
	doc = htmlOf(t, fp.get(form))
	if doc.Find(fmt.Sprintf("#p_%d", first.ID)).AttrOr("disabled", "no") != "no" {
		t.Error("the returned criterion is not open")
	}
	if doc.Find("fieldset.locked").Length() == 0 {
		t.Error("the other criteria are not locked")
	}
	assertAudit(t, a, "registration.save", "registration.decide", "assessment.start", "assessment.save", "assessment.submit", "assessment.return", "evidence.add")
}

// TestDeadlineAndExtension is acceptance 3.
func TestDeadlineAndExtension(t *testing.T) {
	t.Parallel()
	a := newApp(t, map[string]string{"EVIDENCE_DIR": t.TempDir()})
	wk := newWork(t, a)
	staff, _ := a.loggedIn(domain.RoleStaff)
	fpA, _ := a.loggedIn(domain.RoleFocalPoint)
	other, err := a.db.CreateUnit(context.Background(), domain.UnitInput{Name: "Sở Y tế", Code: "TEST-SYT", Kind: domain.KindDepartment, ValidFrom: domain.Day(2020, 1, 1)})
	if err != nil {
		t.Fatal(err)
	}
	uB := a.userIn(domain.RoleFocalPoint, other)
	fpB := a.client()
	fpB.login(uB.Email, testPassword)
	wk.register(t, fpA, staff)
	wk.register(t, fpB, staff)
	formA, formB := wk.start(t, fpA), wk.start(t, fpB)

	// The pages were opened before the deadline; the saves arrive ten days
	// later by the server's clock.
	pages := map[string]url.Values{formA: formValues(htmlOf(t, fpA.get(formA))), formB: formValues(htmlOf(t, fpB.get(formB)))}
	a.db.Now = func() time.Time { return time.Now().AddDate(0, 0, 10) }
	for f, vals := range pages {
		c := fpA
		if f == formB {
			c = fpB
		}
		for k := range vals {
			if strings.HasPrefix(k, "e_") {
				vals.Set(k, "Giải trình")
				break
			}
		}
		resp := c.post(f, vals)
		wantStatus(t, resp, http.StatusConflict)
		if !strings.Contains(bodyOf(resp), "Đã hết hạn tự chấm điểm") {
			t.Errorf("%s: no deadline message", f)
		}
		wantStatus(t, c.post(f+"/submit", vals), http.StatusConflict)
	}
	// An extension for unit A only.
	until := domain.DateOf(time.Now()).AddDate(0, 0, 15).Format("2006-01-02")
	wantStatus(t, staff.post(formA+"/extend", url.Values{"until": {until}, "reason": {"Mất điện trong ngày cuối"}}), http.StatusSeeOther)
	fill := func(c *client, form string) url.Values { return fullMarks(t, c, wk, form) }
	resp := fpA.post(formA+"/submit", fill(fpA, formA))
	wantStatus(t, resp, http.StatusSeeOther)
	wantStatus(t, fpB.post(formB+"/submit", fill(fpB, formB)), http.StatusConflict)
	assertAudit(t, a, "assessment.extend")
}

// TestEvidenceUploads is acceptance 4.
func TestEvidenceUploads(t *testing.T) {
	t.Parallel()
	store := t.TempDir()
	a := newApp(t, map[string]string{"EVIDENCE_DIR": store})
	wk := newWork(t, a)
	staff, _ := a.loggedIn(domain.RoleStaff)
	fp, _ := a.loggedIn(domain.RoleFocalPoint)
	wk.register(t, fp, staff)
	form := wk.start(t, fp)
	nodes, _ := a.db.Criteria(context.Background(), wk.set)
	leaf := domain.Leaves(nodes)[0]
	ev := fmt.Sprintf("%s/criteria/%d/evidence", form, leaf.ID)

	big := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("x"), 21<<20)...)
	wantStatus(t, fp.upload(ev, "lon.pdf", big), http.StatusRequestEntityTooLarge)
	wantStatus(t, fp.upload(ev, "bao-cao.pdf", append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00"), make([]byte, 4096)...)), http.StatusUnsupportedMediaType)
	wantStatus(t, fp.upload(ev, "bao-cao.docx", storagetest.ZipBombDOCX(t)), http.StatusUnsupportedMediaType)
	pdf := []byte("%PDF-1.4\n% Báo cáo CCHC quý IV\n%%EOF\n")
	wantStatus(t, fp.upload(ev, "../../x.pdf", pdf), http.StatusSeeOther)
	wantStatus(t, fp.upload(ev, "ban-sao.pdf", pdf), http.StatusSeeOther)
	wantStatus(t, fp.upload(ev, "bao-cao.docx", storagetest.SmallDOCX(t)), http.StatusSeeOther)
	wantStatus(t, fp.upload(ev, "bao-cao.docx", storagetest.SmallDOCX(t)), http.StatusSeeOther) // a double submit
	var library int
	_ = a.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM evidence_files`).Scan(&library)
	if library != 3 {
		t.Errorf("library entries after a double submit: %d, want 3", library)
	}

	// Stored under its hash, once; names never reach the file system.
	var files []string
	_ = filepath.WalkDir(store, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, filepath.Base(p))
		}
		return nil
	})
	if len(files) != 2 {
		t.Errorf("files in the store: %v, want the PDF once and the DOCX", files)
	}
	for _, f := range files {
		if len(f) != 64 {
			t.Errorf("stored name %q is not a hash", f)
		}
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(store), "x.pdf")); err == nil {
		t.Error("a file escaped the store")
	}
	page := htmlOf(t, fp.get(ev))
	var links []string
	page.Find(".evidence-list a").Each(func(_ int, s *goquery.Selection) { links = append(links, s.AttrOr("href", "")) })
	if len(links) != 3 || page.Find(".evidence-list a").First().Text() != "x.pdf" {
		t.Fatalf("attached: %v %q", links, page.Find(".evidence-list a").First().Text())
	}
	for _, c := range []*client{fp, staff} {
		resp := c.get(links[0])
		wantStatus(t, resp, http.StatusOK)
		h := resp.Header
		if !strings.HasPrefix(h.Get("Content-Disposition"), "attachment") || h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Content-Security-Policy") != "sandbox" {
			t.Errorf("download headers %v", h)
		}
		if bodyOf(resp) != string(pdf) {
			t.Error("download differs")
		}
	}
	// Reuse a file for another criterion, then remove it there.
	other := domain.Leaves(nodes)[1]
	ev2 := fmt.Sprintf("%s/criteria/%d/evidence", form, other.ID)
	key := strings.TrimPrefix(links[0], "/evidence/")
	wantStatus(t, fp.post(ev2+"/reuse", url.Values{"key": {key}, "reference": {"Mục II, trang 3"}}), http.StatusSeeOther)
	if !strings.Contains(htmlOf(t, fp.get(ev2)).Find(".evidence-list").Text(), "Mục II, trang 3") {
		t.Error("reused file not attached with its reference")
	}
	wantStatus(t, fp.post(ev2+"/remove", url.Values{"key": {key}}), http.StatusSeeOther)
	if htmlOf(t, fp.get(ev2)).Find(".evidence-list li").Length() != 0 {
		t.Error("removed file still attached")
	}
}

// TestConcurrentSavesAndSubmits is acceptance 6.
func TestConcurrentSavesAndSubmits(t *testing.T) {
	t.Parallel()
	a := newApp(t, map[string]string{"EVIDENCE_DIR": t.TempDir()})
	wk := newWork(t, a)
	staff, _ := a.loggedIn(domain.RoleStaff)
	fp1, _ := a.loggedIn(domain.RoleFocalPoint)
	fp2, _ := a.loggedIn(domain.RoleFocalPoint) // a colleague of the same unit
	wk.register(t, fp1, staff)
	form := wk.start(t, fp1)
	nodes, _ := a.db.Criteria(context.Background(), wk.set)
	leaves := domain.Leaves(nodes)
	var pointLeaves []domain.Criterion
	for _, n := range leaves {
		if n.Method == domain.MethodPoints {
			pointLeaves = append(pointLeaves, n)
		}
	}
	x, y := fmt.Sprint(pointLeaves[0].ID), fmt.Sprint(pointLeaves[1].ID)

	v1 := formValues(htmlOf(t, fp1.get(form)))
	v2 := formValues(htmlOf(t, fp2.get(form)))
	// Different criteria: both saves stand.
	v1.Set("p_"+x, "1")
	v2.Set("p_"+y, "2")
	wantStatus(t, fp1.post(form, v1), http.StatusSeeOther)
	wantStatus(t, fp2.post(form, v2), http.StatusSeeOther)
	stored, _ := a.db.Scores(context.Background(), &domain.Assessment{ID: mustAssessment(t, a, form), CampaignID: wk.campaign})
	if p := stored[pointLeaves[0].ID].Points; p == nil || *p != 100 {
		t.Errorf("first save clobbered: %v", p)
	}
	if p := stored[pointLeaves[1].ID].Points; p == nil || *p != 200 {
		t.Errorf("second save lost: %v", p)
	}
	// The same criterion from two stale forms: one wins, the other sees both values.
	v1 = formValues(htmlOf(t, fp1.get(form)))
	v2 = formValues(htmlOf(t, fp2.get(form)))
	v1.Set("p_"+x, "1,5")
	v2.Set("p_"+x, "0,5")
	wantStatus(t, fp1.post(form, v1), http.StatusSeeOther)
	resp := fp2.post(form, v2)
	wantStatus(t, resp, http.StatusConflict)
	conflict := htmlOf(t, resp).Find(".conflict").Text()
	if !strings.Contains(conflict, "0,5") || !strings.Contains(conflict, "1,5") {
		t.Errorf("conflict page does not show both values: %q", conflict)
	}
	if v, _ := htmlOf(t, resp).Find("#p_" + x).Attr("value"); v != "0,5" {
		t.Errorf("typed value lost on conflict: %q", v)
	}

	// Five concurrent submits of a form completed on the page, not yet saved
	// (a double click on "Nộp"): one submission, and every click lands on
	// the receipt, whichever order the saves and the submit take.
	vals := fullMarks(t, fp1, wk, form)
	var wg sync.WaitGroup
	codes := make([]int, 5)
	for i := range 5 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest(http.MethodPost, a.ts.URL+form+"/submit", strings.NewReader(vals.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			resp, err := fp1.http.Do(req)
			if err == nil {
				codes[i] = resp.StatusCode
				resp.Body.Close()
			}
		}()
	}
	wg.Wait()
	for _, code := range codes {
		if code != http.StatusSeeOther {
			t.Errorf("a concurrent submit answered %d", code)
		}
	}
	var submits int
	_ = a.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM assessment_history WHERE action = 'submit'`).Scan(&submits)
	if submits != 1 {
		t.Errorf("%d submissions recorded, want 1", submits)
	}
}

func mustAssessment(t *testing.T, a *app, form string) int64 {
	t.Helper()
	var id int64
	if _, err := fmt.Sscanf(form[strings.LastIndex(form, "/")+1:], "%d", &id); err != nil {
		t.Fatal(err)
	}
	return id
}

// TestOtherUnitCannotTouchWork is acceptance 2: a focal point of unit B gets
// 403 or 404 on every route of this feature that names unit A's
// registration, form, criterion or evidence, and changes nothing; the
// routes are walked from the router, not picked by hand.
func TestOtherUnitCannotTouchWork(t *testing.T) {
	t.Parallel()
	a := newApp(t, map[string]string{"EVIDENCE_DIR": t.TempDir()})
	wk := newWork(t, a)
	staff, _ := a.loggedIn(domain.RoleStaff)
	fpA, _ := a.loggedIn(domain.RoleFocalPoint)
	wk.register(t, fpA, staff)
	form := wk.start(t, fpA)
	nodes, _ := a.db.Criteria(context.Background(), wk.set)
	leaf := domain.Leaves(nodes)[0]
	wantStatus(t, fpA.upload(fmt.Sprintf("%s/criteria/%d/evidence", form, leaf.ID), "a.pdf", []byte("%PDF-1.4\n%%EOF\n")), http.StatusSeeOther)
	var regID int64
	var key string
	_ = a.db.Pool.QueryRow(context.Background(), `SELECT id FROM registrations WHERE campaign_id = $1`, wk.campaign).Scan(&regID)
	_ = a.db.Pool.QueryRow(context.Background(), `SELECT key FROM evidence_files`).Scan(&key)
	assessment := mustAssessment(t, a, form)

	other, _ := a.db.CreateUnit(context.Background(), domain.UnitInput{Name: "Sở Y tế", Code: "TEST-SYT", Kind: domain.KindDepartment, ValidFrom: domain.Day(2020, 1, 1)})
	uB := a.userIn(domain.RoleFocalPoint, other)
	fpB := a.client()
	fpB.login(uB.Email, testPassword)

	fill := strings.NewReplacer("{campaignID}", fmt.Sprint(wk.campaign), "{registrationID}", fmt.Sprint(regID),
		"{assessmentID}", fmt.Sprint(assessment), "{criterionID}", fmt.Sprint(leaf.ID), "{key}", key)
	tried := 0
	for _, r := range routesOf(t, a) {
		if !strings.Contains(r.pattern, "{registrationID}") && !strings.Contains(r.pattern, "{assessmentID}") && r.pattern != "/evidence/{key}" {
			continue
		}
		before := fingerprint(t, a)
		path := fill.Replace(r.pattern)
		var resp *http.Response
		switch {
		case r.method == http.MethodGet:
			resp = fpB.get(path)
		case strings.HasSuffix(r.pattern, "/evidence"):
			resp = fpB.upload(path, "b.pdf", []byte("%PDF-1.4\n%%EOF\n"))
		default:
			resp = fpB.post(path, url.Values{"key": {key}, "e_" + fmt.Sprint(leaf.ID): {"đổi"}, "p_" + fmt.Sprint(leaf.ID): {"2"}, "r_" + fmt.Sprint(leaf.ID): {"x"}, "until": {"2030-01-01"}, "reason": {"x"}})
		}
		tried++
		if resp.StatusCode != http.StatusForbidden && resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s %s as unit B: %d, want 403/404", r.method, path, resp.StatusCode)
		}
		if strings.Contains(bodyOf(resp), "Sở Tư pháp") {
			t.Errorf("%s %s as unit B shows unit A's name", r.method, path)
		}
		if fingerprint(t, a) != before {
			t.Errorf("%s %s as unit B changed data", r.method, path)
		}
	}
	if tried < 10 {
		t.Fatalf("only %d routes tried", tried)
	}
	// Unit B's own lists show nothing of unit A.
	for _, p := range []string{wk.page + "/registrations", wk.page + "/assessments"} {
		if body := bodyOf(fpB.get(p)); strings.Contains(body, "Sở Tư pháp") {
			t.Errorf("%s shows unit A to unit B", p)
		}
	}
}

// TestClosedCampaignTakesNoChanges: once staff close the campaign, a form
// takes no more scores, submits or evidence, even within the unit's window.
func TestClosedCampaignTakesNoChanges(t *testing.T) {
	t.Parallel()
	store := t.TempDir()
	a := newApp(t, map[string]string{"EVIDENCE_DIR": store})
	wk := newWork(t, a)
	staff, _ := a.loggedIn(domain.RoleStaff)
	fp, _ := a.loggedIn(domain.RoleFocalPoint)
	wk.register(t, fp, staff)
	form := wk.start(t, fp)
	vals := formValues(htmlOf(t, fp.get(form)))
	nodes, _ := a.db.Criteria(context.Background(), wk.set)
	leaf := domain.Leaves(nodes)[0]
	vals.Set(fmt.Sprintf("e_%d", leaf.ID), "Giải trình trước khi kết thúc")
	wantStatus(t, fp.post(form, vals), http.StatusSeeOther)

	if err := a.db.Transition(context.Background(), wk.campaign, domain.StatusClosed, "Kết thúc phong trào"); err != nil {
		t.Fatal(err)
	}
	page := bodyOf(fp.get(form))
	if !strings.Contains(page, "không còn ở giai đoạn phát động") {
		t.Error("the form does not say the campaign is closed")
	}
	vals.Set(fmt.Sprintf("e_%d", leaf.ID), "Sửa sau khi kết thúc")
	resp := fp.post(form, vals)
	wantStatus(t, resp, http.StatusConflict)
	if !strings.Contains(bodyOf(resp), "không còn ở giai đoạn phát động") {
		t.Error("no closed-campaign message on save")
	}
	wantStatus(t, fp.post(form+"/submit", vals), http.StatusConflict)
	ev := fmt.Sprintf("%s/criteria/%d/evidence", form, leaf.ID)
	wantStatus(t, fp.upload(ev, "bao-cao.pdf", []byte("%PDF-1.4\n%%EOF\n")), http.StatusConflict)
	_ = filepath.WalkDir(store, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			t.Errorf("a refused upload left %s in the store", p)
		}
		return nil
	})
	as, err := a.db.AssessmentByID(context.Background(), mustAssessment(t, a, form))
	if err != nil {
		t.Fatal(err)
	}
	scores, _ := a.db.Scores(context.Background(), as)
	if got := scores[leaf.ID].Explanation; got != "Giải trình trước khi kết thúc" {
		t.Errorf("explanation after closing = %q", got)
	}
}

// fullMarks reads a form and fills every criterion with full marks and an
// explanation, as a unit without evidence requirements would.
func fullMarks(t *testing.T, c *client, wk work, form string) url.Values {
	t.Helper()
	vals := formValues(htmlOf(t, c.get(form)))
	nodes, _ := c.a.db.Criteria(context.Background(), wk.set)
	for _, n := range domain.Leaves(nodes) {
		id := fmt.Sprint(n.ID)
		vals.Set("e_"+id, "Giải trình")
		if n.Method == domain.MethodTiers || n.Method == domain.MethodTargetShare {
			vals.Set("m_"+id, "100")
		} else {
			vals.Set("p_"+id, n.Max.String())
		}
	}
	return vals
}

// TestReturnAfterDeadline: a form returned after its window closed needs a
// resubmission date, and with one the unit can revise and resubmit; an
// extension that would change nothing is refused.
func TestReturnAfterDeadline(t *testing.T) {
	t.Parallel()
	a := newApp(t, map[string]string{"EVIDENCE_DIR": t.TempDir()})
	wk := newWork(t, a)
	staff, _ := a.loggedIn(domain.RoleStaff)
	fp, _ := a.loggedIn(domain.RoleFocalPoint)
	wk.register(t, fp, staff)
	form := wk.start(t, fp)
	wantStatus(t, fp.post(form+"/submit", fullMarks(t, fp, wk, form)), http.StatusSeeOther)

	a.db.Now = func() time.Time { return time.Now().AddDate(0, 0, 10) } // the window closed a week ago
	nodes, _ := a.db.Criteria(context.Background(), wk.set)
	leaf := domain.Leaves(nodes)[0]
	reason := url.Values{fmt.Sprintf("r_%d", leaf.ID): {"Thiếu kế hoạch CCHC năm"}}
	resp := staff.post(form+"/return", reason)
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	if !strings.Contains(bodyOf(resp), "hãy cho hạn nộp bổ sung") {
		t.Error("no message asking for a resubmission date")
	}
	past := url.Values{fmt.Sprintf("r_%d", leaf.ID): {"Thiếu kế hoạch"}, "until": {time.Now().AddDate(0, 0, 5).Format("2006-01-02")}}
	wantStatus(t, staff.post(form+"/return", past), http.StatusUnprocessableEntity)
	reason.Set("until", time.Now().AddDate(0, 0, 15).Format("2006-01-02"))
	wantStatus(t, staff.post(form+"/return", reason), http.StatusSeeOther)

	vals := formValues(htmlOf(t, fp.get(form)))
	vals.Set(fmt.Sprintf("e_%d", leaf.ID), "Đã bổ sung kế hoạch CCHC năm")
	wantStatus(t, fp.post(form, vals), http.StatusSeeOther)
	wantStatus(t, fp.post(form+"/submit", formValues(htmlOf(t, fp.get(form)))), http.StatusSeeOther)
	as, err := a.db.AssessmentByID(context.Background(), mustAssessment(t, a, form))
	if err != nil || as.Status != domain.AssessSubmitted {
		t.Fatalf("after resubmitting: %v %v", as, err)
	}

	// An extension ending on the phase's own closing day changes nothing.
	closing := time.Now().AddDate(0, 0, 3).Format("2006-01-02")
	wantStatus(t, staff.post(form+"/extend", url.Values{"until": {closing}, "reason": {"Thử"}}), http.StatusUnprocessableEntity)
}

// TestStaleRegistrationDecision: staff decide on what their page showed; a
// pledge changed since then is not approved unseen.
func TestStaleRegistrationDecision(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	wk := newWork(t, a)
	staff, _ := a.loggedIn(domain.RoleStaff)
	fp, _ := a.loggedIn(domain.RoleFocalPoint)
	send := func(pledge, version string) {
		t.Helper()
		wantStatus(t, fp.post(wk.page+"/registrations", url.Values{"action": {"submit"}, "pledge": {pledge}, "version": {version}}), http.StatusSeeOther)
	}
	send("Hoàn thành 100% kế hoạch CCHC", "0")
	seen, ok := htmlOf(t, staff.get(wk.page+"/registrations")).Find(`input[name=ids]`).Attr("value")
	if !ok {
		t.Fatal("no registration to choose on the staff list")
	}
	var version int
	_ = a.db.Pool.QueryRow(context.Background(), `SELECT version FROM registrations WHERE campaign_id = $1`, wk.campaign).Scan(&version)
	send("Hoàn thành 80% kế hoạch CCHC", fmt.Sprint(version)) // the unit lowers its pledge meanwhile

	resp := staff.post(wk.page+"/registrations/decide", url.Values{"ids": {seen}, "decision": {"approve"}})
	wantStatus(t, resp, http.StatusConflict)
	if !strings.Contains(bodyOf(resp), "chưa được xử lý") {
		t.Error("no message about the registration left alone")
	}
	var status string
	_ = a.db.Pool.QueryRow(context.Background(), `SELECT status FROM registrations WHERE campaign_id = $1`, wk.campaign).Scan(&status)
	if status != "pending" {
		t.Fatalf("a registration changed since staff saw it was decided: %s", status)
	}
	fresh, _ := htmlOf(t, staff.get(wk.page+"/registrations")).Find(`input[name=ids]`).Attr("value")
	wantStatus(t, staff.post(wk.page+"/registrations/decide", url.Values{"ids": {fresh}, "decision": {"approve"}}), http.StatusSeeOther)
	wantStatus(t, staff.post(wk.page+"/registrations/decide", url.Values{"ids": {"abc"}, "decision": {"approve"}}), http.StatusBadRequest)
}
