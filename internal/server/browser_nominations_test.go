package server

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"thidua/internal/domain"
)

// TestBrowserNominationPages opens the nomination pages in Chromium at
// 1,280 and 390 px: the focal point's list, the report form, the form
// after a save over an older version (both versions shown, 409), and
// staff's view with the return form. None scrolls sideways. With
// THIDUA_SCREENSHOTS set the pages are saved for a person to look at.
func TestBrowserNominationPages(t *testing.T) {
	t.Parallel()
	a := newApp(t, map[string]string{"EVIDENCE_DIR": t.TempDir()})
	nw := newNominationWork(t, a)
	fpUser := a.user(domain.RoleFocalPoint)
	staffUser := a.user(domain.RoleStaff)
	resp := nw.nominate(t, nw.fp, nw.mine)
	wantStatus(t, resp, http.StatusSeeOther)
	page := resp.Header.Get("Location")
	doc := htmlOf(t, nw.fp.get(page))
	report := map[string]string{"tasks": completeReport["tasks"], "achievements": completeReport["achievements"] + "\nPhối hợp triển khai dịch vụ công trực tuyến toàn trình: 87 thủ tục."}
	parts := append(reportForm(t, doc, report), field{key: "report_file", file: "bao-cao-thanh-tich-ky.pdf", value: testPDF})
	wantStatus(t, nw.fp.postParts(page, parts), http.StatusSeeOther)
	wantStatus(t, nw.nominate(t, nw.fp, nw.mine2), http.StatusSeeOther)
	noScroll := func(b context.Context, name string, width int) {
		t.Helper()
		w, err := chromedp.Run(b, chromedp.Evaluate[float64]("document.documentElement.scrollWidth"))
		if err != nil {
			t.Fatal(err)
		}
		if w > float64(width) {
			t.Errorf("%s at %d px: the page is %v px wide and scrolls sideways", name, width, w)
		}
		screenshot(t, b, fmt.Sprintf("%s-%d", name, width))
	}
	for _, width := range []int{1280, 390} {
		b := browser(t, width, 900)
		err := chromedp.Do(b, chromedp.EmulateViewport(int64(width), 900), chromedp.Navigate(a.ts.URL+"/login"),
			chromedp.SendKeys("#email", fpUser.Email), chromedp.SendKeys("#password", testPassword),
			chromedp.Click("button[type=submit]"), chromedp.WaitVisible(".who-name"),
			chromedp.Navigate(a.ts.URL+nw.page+"/nominations"), chromedp.WaitVisible("table.nominations"))
		if err != nil {
			t.Fatalf("list at %d px: %v", width, err)
		}
		noScroll(b, "nominations-unit", width)
		if err := chromedp.Do(b, chromedp.Navigate(a.ts.URL+page), chromedp.WaitVisible("form.nomination-form")); err != nil {
			t.Fatal(err)
		}
		noScroll(b, "nomination-form", width)
		// Someone else saves the tasks while this page is open; the
		// browser's save of the same field shows both versions.
		other := htmlOf(t, nw.fp.get(page))
		theirs := fmt.Sprintf("Bản sửa của đồng nghiệp (%d px).", width)
		wantStatus(t, nw.fp.postParts(page, reportForm(t, other, map[string]string{"tasks": theirs})), http.StatusSeeOther)
		mine := fmt.Sprintf("Bản tôi đang sửa trong trình duyệt (%d px).", width)
		err = chromedp.Do(b, chromedp.SetValue("#tasks", mine), chromedp.Click("form.nomination-form .actions button.button-secondary"),
			chromedp.WaitVisible("#theirs-tasks"))
		if err != nil {
			t.Fatalf("conflict at %d px: %v", width, err)
		}
		box, _ := chromedp.Run(b, chromedp.Value("#tasks"))
		shown, _ := chromedp.Run(b, chromedp.Text("#theirs-tasks"))
		if box != mine || !strings.Contains(shown, theirs) {
			t.Errorf("conflict at %d px: box %q, saved version %q", width, box, shown)
		}
		noScroll(b, "nomination-conflict", width)
	}
	// Submitted, then staff's view with the return form.
	doc = htmlOf(t, nw.fp.get(page))
	wantStatus(t, nw.fp.postParts(page+"/submit", reportForm(t, doc, map[string]string{"position": completeReport["position"]})), http.StatusSeeOther)
	for _, width := range []int{1280, 390} {
		b := browser(t, width, 900)
		err := chromedp.Do(b, chromedp.EmulateViewport(int64(width), 900), chromedp.Navigate(a.ts.URL+"/login"),
			chromedp.SendKeys("#email", staffUser.Email), chromedp.SendKeys("#password", testPassword),
			chromedp.Click("button[type=submit]"), chromedp.WaitVisible(".who-name"),
			chromedp.Navigate(a.ts.URL+page), chromedp.WaitVisible(".nomination-decide"))
		if err != nil {
			t.Fatalf("staff view at %d px: %v", width, err)
		}
		noScroll(b, "nomination-staff", width)
		if err := chromedp.Do(b, chromedp.Navigate(a.ts.URL+nw.page+"/nominations"), chromedp.WaitVisible("table.nominations")); err != nil {
			t.Fatal(err)
		}
		noScroll(b, "nominations-staff", width)
	}
}
