package server

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserReminders opens the staff dashboard with its reminders and
// the phase form with its reminder days at 1,280 and 390 px: neither
// scrolls sideways. With THIDUA_SCREENSHOTS set the pages are saved for a
// person to look at.
func TestBrowserReminders(t *testing.T) {
	t.Parallel()
	rc := newReminderCase(t)
	rc.wk.start(t, rc.fps["B"])
	for _, d := range []int{-7, -3, -1} {
		rc.run(t, vnAt(rc.day(d), 9))
	}
	draft := rc.staff.post("/campaigns", campaignForm(newIdempotencyKey())).Header.Get("Location")
	pages := []struct{ name, path, ready string }{
		{"reminders-dashboard", rc.wk.page + "/assessments", "table.dashboard .reminded"},
		{"reminders-phase-form", draft + "/phases", "#reminder_days"},
	}
	for _, width := range []int{1280, 390} {
		b := browser(t, width, 900)
		if err := chromedp.Do(b, chromedp.EmulateViewport(int64(width), 900), chromedp.Navigate(rc.a.ts.URL+"/login"),
			chromedp.SendKeys("#email", rc.users["staff"].Email), chromedp.SendKeys("#password", testPassword),
			chromedp.Click("button[type=submit]"), chromedp.WaitVisible(".who-name")); err != nil {
			t.Fatalf("sign in at %d px: %v", width, err)
		}
		for _, p := range pages {
			if err := chromedp.Do(b, chromedp.Navigate(rc.a.ts.URL+p.path), chromedp.WaitVisible(p.ready)); err != nil {
				t.Fatalf("%s at %d px: %v", p.name, width, err)
			}
			wide, err := chromedp.Run(b, chromedp.Evaluate[float64]("document.documentElement.scrollWidth"))
			if err != nil {
				t.Fatal(err)
			}
			if wide > float64(width) {
				t.Errorf("%s at %d px: the page is %v px wide and scrolls sideways", p.name, width, wide)
			}
			screenshot(t, b, fmt.Sprintf("%s-%d", p.name, width))
		}
	}
}
