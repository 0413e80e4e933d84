package server

import (
	"testing"

	"github.com/chromedp/chromedp"

	"thidua/internal/domain"
	"thidua/internal/paths"
)

// TestBrowserDecisions: the decisions list, a draft with its sign form for
// a leader, the signed decision, the issuers and the public page and home,
// on a desktop and on a 390 px phone that never scrolls sideways.
func TestBrowserDecisions(t *testing.T) {
	t.Parallel()
	fx := newDecisionFixture(t)
	a := fx.a
	staff, _ := a.loggedIn(domain.RoleStaff)
	leader, _ := a.loggedIn(domain.RoleLeader)
	signed := fx.draft(t, staff, fx.session)
	if resp := sign(t, leader, signed); resp.StatusCode != 303 {
		t.Fatalf("sign: %d", resp.StatusCode)
	}
	draft := fx.draft(t, staff, fx.closedSession(t))
	staffUser, leaderUser := a.user(domain.RoleStaff), a.user(domain.RoleLeader)
	for _, c := range []struct {
		name, email, path, wait string
		width, height           int
	}{
		{"decisions-list", staffUser.Email, paths.Decisions(), "main h1", 1280, 900},
		{"decisions-list-phone", staffUser.Email, paths.Decisions(), "main h1", 390, 844},
		{"decision-new", staffUser.Email, paths.DecisionNewFrom(fx.closedSession(t)), "form.decision-form", 1280, 900},
		{"decision-new-phone", staffUser.Email, paths.DecisionNewFrom(fx.closedSession(t)), "form.decision-form", 390, 844},
		{"decision-draft-leader", leaderUser.Email, paths.Decision(draft), ".sign-box", 1280, 900},
		{"decision-draft-leader-phone", leaderUser.Email, paths.Decision(draft), ".sign-box", 390, 844},
		{"decision-signed-staff", staffUser.Email, paths.Decision(signed), ".decision-text", 1280, 900},
		{"decision-signed-staff-phone", staffUser.Email, paths.Decision(signed), ".decision-text", 390, 844},
		{"issuers", staffUser.Email, paths.DecisionIssuers(), "#issuer-new", 1280, 900},
		{"issuers-phone", staffUser.Email, paths.DecisionIssuers(), "#issuer-new", 390, 844},
		{"decision-public", "", paths.PublicDecision(signed), ".decision-text", 1280, 900},
		{"decision-public-phone", "", paths.PublicDecision(signed), ".decision-text", 390, 844},
		{"home-decisions", "", "/", "#decisions", 1280, 900},
		{"home-decisions-phone", "", "/", "#decisions", 390, 844},
	} {
		ctx := browser(t, c.width, c.height)
		if c.email != "" {
			signIn(t, ctx, a, c.email)
		}
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(c.width), int64(c.height)), chromedp.Navigate(a.ts.URL+c.path), chromedp.WaitVisible(c.wait)); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		noSideScroll(t, ctx, c.name, float64(c.width))
		screenshot(t, ctx, c.name)
	}
}
