package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"thidua/internal/domain"
)

// TestBrowserShortlist: the Quảng Ngãi shortlist with every rule's outcome,
// a tie, exclusions and an override, for staff (with the forms) and for a
// leader (read-only), and the awards page with its rules and quotas, on a
// desktop and on a 390 px phone that never scrolls sideways.
func TestBrowserShortlist(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	fx := newQuangNgai(t, a)
	plan := fmt.Sprint(fx.plan)
	for _, v := range []url.Values{
		{"plan_id": {plan}, "kind": {"no_pending_flag"}, "citation": {"Điều 5 Nghị định 152/2025/NĐ-CP"}, "in_force_from": {"2025-07-01"}},
		{"plan_id": {plan}, "kind": {"one_award"}, "citation": {"Khoản 3 Điều 6 Luật Thi đua, khen thưởng 2022"}},
	} {
		wantStatus(t, fx.staff.post(fx.wk.page+"/awards/rules", v), http.StatusSeeOther)
	}
	for target, n := range map[string]string{"collective": "8", "individual": "10"} {
		wantStatus(t, fx.staff.post(fx.wk.page+"/awards/quotas", url.Values{"plan_id": {plan}, "target": {target}, "quota": {n},
			"citation": {"Kế hoạch số 25/KH-UBND ngày 11/04/2018 của UBND tỉnh Quảng Ngãi"}}), http.StatusSeeOther)
	}
	fx.flag(t, "unit_id", fx.units["Sở Tư pháp"], "discipline", "Xem xét kỷ luật theo Kết luận thanh tra số 12/KL-TTr")
	wantStatus(t, fx.staff.post(fx.propose, url.Values{"version": {"0"}}), http.StatusSeeOther)
	entry := func(name, action string) string {
		return fmt.Sprintf("%s/entries/%d/%s", fx.base, fx.entryID(t, fx.units[name], 0), action)
	}
	wantStatus(t, fx.staff.post(entry("Đơn vị 02", "remove"), url.Values{"version": {"1"}, "reason": {"Đơn vị xin rút"}}), http.StatusSeeOther)
	wantStatus(t, fx.staff.post(entry("UBND huyện Sơn Tịnh", "add"), url.Values{"version": {"2"}, "reason": {"Thành tích đột xuất"},
		"override_reason": {"Thành tích đột xuất trong giải quyết thủ tục hành chính theo Quyết định 99/QĐ-UBND"}}), http.StatusSeeOther)

	staffUser, leaderUser := a.user(domain.RoleStaff), a.user(domain.RoleLeader)
	for _, c := range []struct {
		name, email, path, wait string
		width, height           int
	}{
		{"shortlist-staff", staffUser.Email, fx.page, "#group-collective", 1280, 900},
		{"shortlist-staff-phone", staffUser.Email, fx.page, "#group-collective", 390, 844},
		{"shortlist-leader", leaderUser.Email, fx.page, "#group-collective", 1280, 900},
		{"shortlist-leader-phone", leaderUser.Email, fx.page, "#group-collective", 390, 844},
		{"awards-rules", staffUser.Email, fx.wk.page + "/awards", "#rules", 1280, 900},
		{"awards-rules-phone", staffUser.Email, fx.wk.page + "/awards", "#rules", 390, 844},
	} {
		ctx := browser(t, c.width, c.height)
		signIn(t, ctx, a, c.email)
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(c.width), int64(c.height)), chromedp.Navigate(a.ts.URL+c.path), chromedp.WaitVisible(c.wait)); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		noSideScroll(t, ctx, c.name, float64(c.width))
		viewShot(t, ctx, c.name)
		if err := chromedp.Do(ctx, chromedp.ScrollIntoView(c.wait)); err != nil {
			t.Fatal(err)
		}
		viewShot(t, ctx, c.name+"-list")
	}
}

// viewShot saves what the window shows (a full page of a hundred
// candidates is too tall to look at in one image).
func viewShot(t *testing.T, ctx context.Context, name string) {
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
