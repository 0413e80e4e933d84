package server

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"thidua/internal/seed"
)

// TestBrowserRegistry walks the registry as a staff member in Chromium: the
// tree before and after the reform, a merged commune's page with its
// lineage, and a web import whose dry run reports every problem.
func TestBrowserRegistry(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	if _, _, err := seed.Demo(context.Background(), a.db); err != nil {
		t.Fatal(err)
	}
	ctx := browser(t, 1280, 900)
	err := chromedp.Do(ctx,
		chromedp.Navigate(a.ts.URL+"/login"),
		chromedp.SendKeys("#email", "canbo@thidua.local"),
		chromedp.SendKeys("#password", seed.DemoPassword),
		chromedp.Click("button[type=submit]"),
		chromedp.WaitVisible(".who-name"),
		chromedp.Navigate(a.ts.URL+"/units?at=2025-06-30"),
		chromedp.WaitVisible("ul.tree"),
	)
	if err != nil {
		t.Fatal(err)
	}
	before, _ := chromedp.Run(ctx, chromedp.Text("ul.tree"))
	if !strings.Contains(before, "UBND huyện Cao Lãnh") || strings.Contains(before, "Ủy ban nhân dân xã Mỹ Thọ") {
		t.Errorf("tree on 30/06/2025 should show the districts and not the new communes")
	}
	screenshot(t, ctx, "units-tree-2025-06-30")
	if err := chromedp.Do(ctx, chromedp.Navigate(a.ts.URL+"/units?at=2025-07-01"), chromedp.WaitVisible("ul.tree")); err != nil {
		t.Fatal(err)
	}
	after, _ := chromedp.Run(ctx, chromedp.Text("ul.tree"))
	if strings.Contains(after, "UBND huyện Cao Lãnh") || !strings.Contains(after, "Ủy ban nhân dân xã Mỹ Thọ") {
		t.Errorf("tree on 01/07/2025 should show the new communes and no district")
	}
	screenshot(t, ctx, "units-tree-2025-07-01")

	// The merged commune's page: formed from three old communes.
	u, err := a.db.UnitByCode(context.Background(), "29994", seed.Reform)
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(fmt.Sprintf("%s/units/%d", a.ts.URL, u.ID)), chromedp.WaitVisible("#lineage")); err != nil {
		t.Fatal(err)
	}
	lineage, _ := chromedp.Run(ctx, chromedp.Text("#lineage"))
	for _, old := range []string{"UBND thị trấn Mỹ Thọ", "UBND xã Mỹ Hội", "UBND xã Mỹ Xương"} {
		if !strings.Contains(lineage, old) {
			t.Errorf("lineage lacks %s", old)
		}
	}
	screenshot(t, ctx, "unit-page-lineage")

	// A web import with problems: the dry run lists each by line and column.
	file := filepath.Join(t.TempDir(), "don-vi.csv")
	content := "ma,ten,ten_viet_tat,loai,ma_cap_tren,hieu_luc_tu,hieu_luc_den\n" +
		"TN1,UBND xã Tân Nhựt,,xã,82,01/07/2025,\n" +
		"TN2,,,xã,82,01/07/2025,\n" +
		"TN3,UBND xã Tân Hòa,,thôn,82,01/07/2025,\n" +
		"TN4,UBND xã Tân Lập,,xã,KHONGCO,01/07/2025,\n" +
		"TN1,UBND xã Tân Nhựt B,,xã,82,31/02/2025,\n"
	if err := os.WriteFile(file, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	a.runJobs() // the dry run is a queued job
	err = chromedp.Do(ctx,
		chromedp.Navigate(a.ts.URL+"/units/import"),
		chromedp.WaitVisible("#file"),
		chromedp.SetUploadFiles("#file", []string{file}),
		chromedp.Click("form[enctype] button[type=submit]"),
		chromedp.WaitVisible("table.problems"),
	)
	if err != nil {
		t.Fatal(err)
	}
	problems, _ := chromedp.Run(ctx, chromedp.Text("table.problems tbody"))
	for _, want := range []string{"Trường này là bắt buộc", "“thôn”", "KHONGCO", "31/02/2025"} {
		if !strings.Contains(problems, want) {
			t.Errorf("report lacks %q:\n%s", want, problems)
		}
	}
	screenshot(t, ctx, "import-report-errors")
}
