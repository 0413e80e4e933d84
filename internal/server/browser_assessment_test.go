package server

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"thidua/internal/domain"
	"thidua/internal/postgres"
)

// TestBrowserSelfAssessment walks a focal point's day in Chromium: the
// registration page, the scoring form with evidence and a validation
// error, the receipt; then the staff dashboard. It takes the screenshots
// the issue asks for.
func TestBrowserSelfAssessment(t *testing.T) {
	t.Parallel()
	a := newApp(t, map[string]string{"EVIDENCE_DIR": t.TempDir()})
	wk := newWork(t, a)
	staffClient, staff := a.loggedIn(domain.RoleStaff)
	_ = staffClient
	fp := a.user(domain.RoleFocalPoint)
	ctx := browser(t, 1280, 900)
	run := func(steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		for i, s := range steps {
			if err := chromedp.Do(ctx, s); err != nil {
				t.Fatalf("step %d: %v", i, err)
			}
		}
	}
	run(chromedp.Navigate(a.ts.URL+"/login"),
		chromedp.SendKeys("#email", fp.Email),
		chromedp.SendKeys("#password", testPassword),
		chromedp.Click("button[type=submit]"),
		chromedp.WaitVisible("#my-campaigns"),
		chromedp.Click("#my-campaigns a"),
		chromedp.WaitVisible("#pledge"),
		chromedp.SendKeys("#pledge", "Hoàn thành 100% nhiệm vụ CCHC năm; không có hồ sơ trễ hạn."),
		chromedp.SendKeys(`input[name=target_label]`, "Mức độ hài lòng của người dân"),
		chromedp.SendKeys(`input[name=target_value]`, "≥ 95%"),
		chromedp.Click(`button[value=submit]`),
		chromedp.WaitVisible(".flash"),
	)
	screenshot(t, ctx, "registration-page")

	// Staff approve (the list page works too; the storage call keeps this short).
	var reg postgres.RegistrationChoice
	_ = a.db.Pool.QueryRow(context.Background(), `SELECT id, version FROM registrations`).Scan(&reg.ID, &reg.Version)
	if _, err := a.db.DecideRegistrations(domain.WithActor(context.Background(), domain.Actor{UserID: staff.ID}), wk.campaign, []postgres.RegistrationChoice{reg}, true, ""); err != nil {
		t.Fatal(err)
	}
	run(chromedp.Reload(), chromedp.WaitVisible("#forms"), chromedp.Click("#forms button"), chromedp.WaitVisible("form.assessment-form"))
	nodes, _ := a.db.Criteria(context.Background(), wk.set)
	leaves := domain.Leaves(nodes)

	// Evidence for the first criterion.
	pdf := filepath.Join(t.TempDir(), "ke-hoach-cchc-2026.pdf")
	_ = os.WriteFile(pdf, []byte("%PDF-1.4\n% Kế hoạch CCHC\n%%EOF\n"), 0o644)
	run(chromedp.Click(fmt.Sprintf("#c-%d .evidence a.button", leaves[0].ID)),
		chromedp.WaitVisible("#file"),
		chromedp.SendKeys("#reference", "Mục I, trang 2"),
		chromedp.SetUploadFiles("#file", []string{pdf}),
		chromedp.Click("form[enctype] button[type=submit]"),
		chromedp.WaitVisible(".evidence-list a"),
		chromedp.Click("main > p a"),
		chromedp.WaitVisible("form.assessment-form"),
	)
	// A few scores, one of them off the step: the form comes back with the
	// problem beside it and what was typed kept.
	for _, n := range leaves[:6] {
		if n.Method == domain.MethodPoints {
			run(chromedp.SendKeys(fmt.Sprintf("#p_%d", n.ID), n.Max.String()))
		}
		run(chromedp.SendKeys(fmt.Sprintf("#e_%d", n.ID), "Đã thực hiện theo kế hoạch."))
	}
	var offStep domain.Criterion
	for _, n := range leaves {
		if n.Method == domain.MethodPoints && n.Step > 0 {
			offStep = n
			break
		}
	}
	run(chromedp.SetValue(fmt.Sprintf("#p_%d", offStep.ID), "1,1"),
		chromedp.Click("form.assessment-form button.button-secondary"),
		chromedp.WaitVisible(".error-summary"),
	)
	problem, _ := chromedp.Run(ctx, chromedp.Text(fmt.Sprintf("#c-%d .field-error", offStep.ID)))
	if !strings.Contains(problem, "bội số") {
		t.Errorf("validation error beside the criterion: %q", problem)
	}
	if _, err := chromedp.Run(ctx, chromedp.Text(fmt.Sprintf(`.error-summary a[href="#c-%d"]`, offStep.ID))); err != nil {
		t.Errorf("the error summary does not link to criterion %s: %v", offStep.Code, err)
	}
	screenshot(t, ctx, "assessment-form-error")

	// Fill everything properly and submit.
	for _, n := range leaves {
		sel := fmt.Sprintf("#p_%d", n.ID)
		value := n.Max.String()
		if n.Method == domain.MethodTiers || n.Method == domain.MethodTargetShare {
			sel, value = fmt.Sprintf("#m_%d", n.ID), "100"
		}
		if n.Method == domain.MethodYesNo { // two radio buttons: choose Đạt
			run(chromedp.Click(sel), chromedp.SetValue(fmt.Sprintf("#e_%d", n.ID), "Đã thực hiện theo kế hoạch."))
			continue
		}
		run(chromedp.SetValue(sel, value), chromedp.SetValue(fmt.Sprintf("#e_%d", n.ID), "Đã thực hiện theo kế hoạch."))
	}
	run(chromedp.Click("form.assessment-form button[formaction]"), chromedp.WaitVisible(".receipt"))
	total, _ := chromedp.Run(ctx, chromedp.Text(".receipt .converted"))
	if total != "100" {
		t.Errorf("receipt total %q, want 100", total)
	}
	screenshot(t, ctx, "assessment-receipt")

	// The staff dashboard.
	sctx := browser(t, 1280, 900)
	if err := chromedp.Do(sctx, chromedp.Navigate(a.ts.URL+"/login")); err != nil {
		t.Fatal(err)
	}
	for _, s := range []chromedp.Action[chromedp.Void]{
		chromedp.SendKeys("#email", staff.Email), chromedp.SendKeys("#password", testPassword), chromedp.Click("button[type=submit]"),
		chromedp.WaitVisible(".who-name"), chromedp.Navigate(a.ts.URL + wk.page + "/assessments"), chromedp.WaitVisible("table.dashboard"),
	} {
		if err := chromedp.Do(sctx, s); err != nil {
			t.Fatal(err)
		}
	}
	screenshot(t, sctx, "staff-dashboard")

	// The submitted form as staff see it, with the return and extension tools.
	for _, s := range []chromedp.Action[chromedp.Void]{
		chromedp.Click("table.dashboard tbody a"), chromedp.WaitVisible("#return_until"),
	} {
		if err := chromedp.Do(sctx, s); err != nil {
			t.Fatal(err)
		}
	}
	screenshot(t, sctx, "staff-form")
}
