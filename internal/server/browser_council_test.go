package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"thidua/internal/paths"
)

// TestBrowserCouncil: a council member votes on a 390 px phone in
// Chromium by tapping the radio buttons of the ballot (a plain form, no
// script), and the councils, council, session (draft, open, closed) and
// minutes pages are looked at on a desktop and on a phone that never
// scrolls sideways.
func TestBrowserCouncil(t *testing.T) {
	t.Parallel()
	fx := newVoteFixture(t, 3, 5)
	fx.newSession(t)
	fx.putNominees(t, http.StatusSeeOther, fx.entries[0], fx.entries[1])
	att := url.Values{"version": {fx.version(t)}, fmt.Sprintf("attendance-%d", fx.voters[4].member): {"written"}}
	wantStatus(t, fx.staff.post(paths.SessionAttendance(fx.council, fx.session), att), http.StatusSeeOther)
	staffEmail := fx.a.namedUser("staff", "Nguyễn Thị Thu Hà").Email
	session := paths.Session(fx.council, fx.session)
	shoot := func(name, email, path, wait string) {
		t.Helper()
		for _, w := range []struct {
			suffix        string
			width, height int
		}{{"", 1280, 900}, {"-phone", 390, 844}} {
			ctx := browser(t, w.width, w.height)
			signIn(t, ctx, fx.a, email)
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(w.width), int64(w.height)), chromedp.Navigate(fx.a.ts.URL+path), chromedp.WaitVisible(wait)); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			noSideScroll(t, ctx, name+w.suffix, float64(w.width))
			screenshot(t, ctx, name+w.suffix)
		}
	}
	shoot("councils", staffEmail, paths.Councils(), "#rules")
	shoot("council", staffEmail, paths.Council(fx.council), "#sessions")
	shoot("session-draft", staffEmail, session, "#roster")
	fx.open(t, fx.staff)
	n := fx.nominee(t, fx.entries[0])

	// A member votes on a phone: for the first nominee, the second left
	// unmarked.
	ctx := browser(t, 390, 844)
	signIn(t, ctx, fx.a, fx.voters[1].u.Email)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844), chromedp.Navigate(fx.a.ts.URL+paths.Ballot(fx.council, fx.session)),
		chromedp.WaitVisible("form.ballot"), chromedp.Click(fmt.Sprintf(`input[name="n-%d"][value=for]`, n))); err != nil {
		t.Fatal(err)
	}
	noSideScroll(t, ctx, "ballot-phone", 390)
	screenshot(t, ctx, "ballot-phone")
	if err := chromedp.Do(ctx, chromedp.Click("form.ballot button[type=submit]"), chromedp.WaitVisible(".flash")); err != nil {
		t.Fatal(err)
	}
	flash, _ := chromedp.Run(ctx, chromedp.Text(".flash"))
	if !strings.Contains(flash, "Đã ghi nhận phiếu") {
		t.Errorf("after the ballot: %q", flash)
	}
	if got := fx.tally(t, n); got != "1/0/0 " {
		t.Errorf("tally after the phone's ballot: %q", got)
	}
	for _, v := range fx.voters[2:4] {
		wantStatus(t, fx.vote(t, v, map[int64]string{n: "for"}), http.StatusSeeOther)
	}
	shoot("session-open", fx.secretary.u.Email, session, "#written")
	fx.closeSession(t, fx.staff)
	shoot("session-closed", staffEmail, session, "#nominees")
	shoot("minutes", fx.voters[0].u.Email, paths.Minutes(fx.council, fx.session), "article.minutes")
}
