package server

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"thidua/internal/seed"
)

// TestBrowserMeasures looks, as the demo's staff member, at the external
// indices (desktop and phone), the campaign's linked criteria and the
// outcome of filling the appraised values.
func TestBrowserMeasures(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	ctx := context.Background()
	if _, _, err := seed.Demo(ctx, a.db); err != nil {
		t.Fatal(err)
	}
	var campaign, form int64
	if err := a.db.Pool.QueryRow(ctx, `SELECT a.campaign_id, a.id FROM assessments a WHERE a.status = 'draft' LIMIT 1`).Scan(&campaign, &form); err != nil {
		t.Fatal(err)
	}
	// The demo's open form, as if submitted and received.
	if _, err := a.db.Pool.Exec(ctx, `UPDATE assessments SET status = 'received', received_at = now() WHERE id = $1`, form); err != nil {
		t.Fatal(err)
	}
	for _, width := range []int{1280, 390} {
		b := browser(t, width, 900)
		err := chromedp.Do(b,
			chromedp.Navigate(a.ts.URL+"/login"),
			chromedp.SendKeys("#email", "canbo@thidua.local"),
			chromedp.SendKeys("#password", seed.DemoPassword),
			chromedp.Click("button[type=submit]"),
			chromedp.WaitVisible(".who-name"),
			chromedp.Navigate(a.ts.URL+"/measures"),
			chromedp.WaitVisible("table.measure-values"),
		)
		if err != nil {
			t.Fatal(err)
		}
		body, err := chromedp.Run(b, chromedp.Text("main"))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(body, "Sở Nội vụ tỉnh Đồng Tháp") || !strings.Contains(body, "UNDP") {
			t.Errorf("measures page lacks sources or publishers")
		}
		screenshot(t, b, fmt.Sprintf("measures-%d", width))
		if err := chromedp.Do(b, chromedp.Navigate(a.ts.URL+"/measures/import"), chromedp.WaitVisible("form.form")); err != nil {
			t.Fatal(err)
		}
		screenshot(t, b, fmt.Sprintf("measures-import-%d", width))
		err = chromedp.Do(b,
			chromedp.Navigate(fmt.Sprintf("%s/campaigns/%d/measures", a.ts.URL, campaign)),
			chromedp.WaitVisible("table.linked-criteria"),
			chromedp.Click(".inline-form button[type=submit]"),
			chromedp.WaitVisible(".measure-apply-report"),
		)
		if err != nil {
			t.Fatal(err)
		}
		if body, err = chromedp.Run(b, chromedp.Text(".measure-apply-report")); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(body, "Kết quả điền giá trị cho Đợt 1") {
			t.Errorf("apply report: %q", body)
		}
		screenshot(t, b, fmt.Sprintf("campaign-measures-%d", width))
	}
	var source string
	_ = a.db.Pool.QueryRow(ctx, `SELECT string_agg(appraisal_source, ' | ') FROM scores WHERE assessment_id = $1 AND appraisal_source <> ''`, form).Scan(&source)
	if !strings.Contains(source, "SIPAS") || !strings.Contains(source, "Hồ sơ TTHC đúng hạn") {
		t.Errorf("sources filled in the demo form: %q", source)
	}
}
