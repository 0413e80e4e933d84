package server

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"thidua/internal/domain"
)

// sideways is true when the page is wider than the window.
const sideways = `document.documentElement.scrollWidth > document.documentElement.clientWidth`

// TestBrowserRanking opens, as a leader in Chromium, a ranking with ties
// and forms not yet appraised, and one form's "why this total", on a
// desktop and a 390-pixel phone: the page itself never scrolls sideways
// (the wide table scrolls in its own box).
func TestBrowserRanking(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	fx := newRankingFixture(t, a, 14, 3, 3, 5)
	leader := a.user(domain.RoleLeader)
	ranked := fx.units[len(fx.units)-1]
	for _, size := range []struct {
		name          string
		width, height int
	}{{"desktop", 1280, 900}, {"phone", 390, 900}} {
		ctx := browser(t, size.width, size.height)
		err := chromedp.Do(ctx,
			chromedp.Navigate(a.ts.URL+"/login"),
			chromedp.SendKeys("#email", leader.Email),
			chromedp.SendKeys("#password", testPassword),
			chromedp.Click("button[type=submit]"),
			chromedp.WaitVisible(".who-name"),
			chromedp.Navigate(a.ts.URL+fx.rankingURL("")),
			chromedp.WaitVisible("table.ranking"),
		)
		if err != nil {
			t.Fatal(err)
		}
		overflow, err := chromedp.Run(ctx, chromedp.Evaluate[bool](sideways))
		if err != nil {
			t.Fatal(err)
		}
		if overflow {
			t.Errorf("%s: the ranking page scrolls sideways", size.name)
		}
		screenshot(t, ctx, "ranking-"+size.name)
		if err := chromedp.Do(ctx, chromedp.Navigate(a.ts.URL+fmt.Sprintf("%s/ranking/%d", fx.wk.page, ranked.form)),
			chromedp.WaitVisible("table.ranking-detail")); err != nil {
			t.Fatal(err)
		}
		if overflow, err = chromedp.Run(ctx, chromedp.Evaluate[bool](sideways)); err != nil {
			t.Fatal(err)
		}
		if overflow {
			t.Errorf("%s: why-this-total scrolls sideways", size.name)
		}
		screenshot(t, ctx, "ranking-why-"+size.name)
	}
}
