package server

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"thidua/internal/domain"
)

// TestBrowserEvidenceTooLarge: Chromium sending a file over the limit gets
// the evidence page saying so, with the reference typed, and not a
// "connection reset" (the browser is still sending when the answer comes).
func TestBrowserEvidenceTooLarge(t *testing.T) {
	t.Parallel()
	a := newApp(t, map[string]string{"EVIDENCE_DIR": t.TempDir(), "MAX_UPLOAD_BYTES": "1048576"})
	wk := newWork(t, a)
	staff, _ := a.loggedIn(domain.RoleStaff)
	fp, u := a.loggedIn(domain.RoleFocalPoint)
	wk.register(t, fp, staff)
	form := wk.start(t, fp)
	nodes, _ := a.db.Criteria(context.Background(), wk.set)
	ev := fmt.Sprintf("%s/criteria/%d/evidence", form, domain.Leaves(nodes)[0].ID)
	big := filepath.Join(t.TempDir(), "ban-quet.pdf")
	if err := os.WriteFile(big, append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("x"), 4<<20)...), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx := browser(t, 1280, 900)
	for i, step := range []chromedp.Action[chromedp.Void]{
		chromedp.Navigate(a.ts.URL + "/login"),
		chromedp.SendKeys("#email", u.Email),
		chromedp.SendKeys("#password", testPassword),
		chromedp.Click("button[type=submit]"),
		chromedp.WaitVisible("#my-campaigns"),
		chromedp.Navigate(a.ts.URL + ev),
		chromedp.WaitVisible("#file"),
		chromedp.SendKeys("#reference", "Mục III, trang 12"),
		chromedp.SetUploadFiles("#file", []string{big}),
		chromedp.Click("form[enctype] button[type=submit]"),
		chromedp.WaitVisible(".error-summary"),
	} {
		if err := chromedp.Do(ctx, step); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	msg, err := chromedp.Run(ctx, chromedp.Text(".error-summary"))
	if err != nil || !strings.Contains(msg, "Tệp lớn hơn mức tối đa 1 MB") {
		t.Errorf("message %q %v", msg, err)
	}
	ref, err := chromedp.Run(ctx, chromedp.Value("#reference"))
	if err != nil || ref != "Mục III, trang 12" {
		t.Errorf("reference %q %v", ref, err)
	}
	screenshot(t, ctx, "evidence-too-large")
}
