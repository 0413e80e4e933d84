package server

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"thidua/internal/domain"
)

// TestBrowserAppraisalForm opens the appraisal form of a received form in
// Chromium, at desktop and phone widths, as its assigned appraiser: one
// compact row per criterion, evidence links (a PDF opening in a new tab),
// an adjusted criterion with its comment, a value taken from an external
// index with its source. It takes the screenshots the issue asks for.
func TestBrowserAppraisalForm(t *testing.T) {
	t.Parallel()
	a := newApp(t, map[string]string{"EVIDENCE_DIR": t.TempDir()})
	wk := newWork(t, a)
	staff, staffUser := a.loggedIn(domain.RoleStaff)
	fp, _ := a.loggedIn(domain.RoleFocalPoint)
	wk.register(t, fp, staff)
	form := wk.start(t, fp)
	nodes, _ := a.db.Criteria(context.Background(), wk.set)
	leaves := domain.Leaves(nodes)
	wantStatus(t, fp.upload(fmt.Sprintf("%s/criteria/%d/evidence", form, leaves[0].ID), "ke-hoach-cchc-2026.pdf",
		[]byte("%PDF-1.4\n% Kế hoạch CCHC\n%%EOF\n")), http.StatusSeeOther)
	wantStatus(t, fp.upload(fmt.Sprintf("%s/criteria/%d/evidence", form, leaves[1].ID), "bao-cao-ket-qua.pdf",
		[]byte("%PDF-1.4\n% Báo cáo\n%%EOF\n")), http.StatusSeeOther)
	wantStatus(t, fp.post(form+"/submit", fullMarks(t, fp, wk, form)), http.StatusSeeOther)
	id := mustAssessment(t, a, form)
	wantStatus(t, staff.post(fmt.Sprintf("%s/assessments/%d/receive", wk.page, id), nil), http.StatusSeeOther)
	other, _ := a.db.CreateUnit(context.Background(), domain.UnitInput{Name: "Sở Tài chính", Code: "TEST-STC", Kind: domain.KindDepartment})
	appraiser := a.userIn(domain.RoleFocalPoint, other)
	assign(t, a, wk.campaign, id, appraiser.ID)
	assign(t, a, wk.campaign, id, staffUser.ID)
	page := fmt.Sprintf("%s/appraisal/%d", wk.page, id)
	// Staff (assigned too) adjust one criterion with a comment and accept two as they are.
	vals := appraisalValues(htmlOf(t, staff.get(page)))
	var pts domain.Criterion
	for _, n := range leaves {
		if n.Method == domain.MethodPoints && pts.ID == 0 {
			pts = n
		}
	}
	pid := fmt.Sprint(pts.ID)
	vals.Set("ap_"+pid, (pts.Max - 100).String())
	vals.Set("ae_"+pid, "Kế hoạch ban hành chậm 15 ngày so với yêu cầu; trừ 1 điểm.")
	wantStatus(t, staff.post(page, vals), http.StatusSeeOther)
	// An external index filled another criterion (the import work writes it).
	for _, n := range leaves {
		if n.Method == domain.MethodTiers {
			if _, err := a.db.Pool.Exec(context.Background(), `UPDATE scores SET appraised_measured = measured, appraised_points = points, appraised_na = false,
				final_points = points, final_measured = measured, final_na = false, appraisal_source = 'Chỉ số SIPAS 2025 (Bộ Nội vụ, 15/01/2026)', appraised_at = now()
				WHERE assessment_id = $1 AND criterion_id = $2`, id, n.ID); err != nil {
				t.Fatal(err)
			}
			break
		}
	}

	for _, size := range []struct {
		name          string
		width, height int
	}{{"appraisal-form", 1280, 900}, {"appraisal-form-phone", 390, 900}} {
		ctx := browser(t, size.width, size.height)
		if err := chromedp.Do(ctx,
			chromedp.EmulateViewport(int64(size.width), int64(size.height)),
			chromedp.Navigate(a.ts.URL+"/login"),
			chromedp.SendKeys("#email", appraiser.Email),
			chromedp.SendKeys("#password", testPassword),
			chromedp.Click("button[type=submit]"),
			chromedp.WaitVisible(".who-name"), // signed in: "main" matched the login page still shown
			chromedp.Navigate(a.ts.URL+page),
			chromedp.WaitVisible("form.appraisal-form"),
		); err != nil {
			t.Fatal(err)
		}
		target, err := chromedp.Run(ctx, chromedp.AttributeValue(".ap-evidence a", "target"))
		if err != nil {
			t.Fatal(err)
		}
		if target.Value != "_blank" {
			t.Errorf("%s: the PDF link opens in %q, want a new tab", size.name, target.Value)
		}
		width, err := chromedp.Run(ctx, chromedp.Evaluate[float64]("document.documentElement.scrollWidth"))
		if err != nil {
			t.Fatal(err)
		}
		if int(width) > size.width {
			t.Errorf("%s: the page is %v px wide in a %d px window", size.name, width, size.width)
		}
		screenshot(t, ctx, size.name)
		// What the window shows: the top, and the criteria further down
		// with the action bar kept at the window's bottom.
		viewport(t, ctx, size.name+"-top")
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool]("window.scrollTo(0, document.querySelectorAll('.ap-area')[2].offsetTop); true")); err != nil {
			t.Fatal(err)
		}
		viewport(t, ctx, size.name+"-middle")
	}
}

// viewport writes what the browser window shows (not the whole page).
func viewport(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("THIDUA_SCREENSHOTS"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
