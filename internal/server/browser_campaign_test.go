package server

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"thidua/internal/domain"
)

// TestBrowserQuangNgai is acceptance 1 of the campaigns feature: the Quảng
// Ngãi campaign entered through the staff pages in Chromium, with both
// phases and their quotas, announced, and read on its public page.
func TestBrowserQuangNgai(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	u := a.user(domain.RoleStaff)
	ctx := browser(t, 1280, 900)
	run := func(steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		for i, step := range steps {
			if err := chromedp.Do(ctx, step); err != nil {
				t.Fatalf("step %d: %v", i, err)
			}
			if testing.Verbose() {
				t.Logf("step %d done", i)
			}
		}
	}
	run(chromedp.Navigate(a.ts.URL+"/login"),
		chromedp.SendKeys("#email", u.Email),
		chromedp.SendKeys("#password", testPassword),
		chromedp.Click("button[type=submit]"),
		chromedp.WaitVisible(".who-name"),
		chromedp.Navigate(a.ts.URL+"/campaigns/new"),
		chromedp.WaitVisible("#plan_number"),
		chromedp.SendKeys("#plan_number", "KH-UBND (2018)"),
		chromedp.SetValue("#issue_date", "2018-04-11"),
		chromedp.SendKeys("#title", "Phong trào thi đua đẩy mạnh cải cách hành chính, nhất là cải cách thủ tục hành chính tỉnh Quảng Ngãi giai đoạn 2018 – 2020"),
		chromedp.SendKeys("#issuer_name", "Ủy ban nhân dân tỉnh Quảng Ngãi"),
		chromedp.SendKeys("#purposes", "Xây dựng nền hành chính dân chủ, trong sạch, vững mạnh, chuyên nghiệp, từng bước hiện đại, hiệu lực, hiệu quả."),
		chromedp.SendKeys("#content", "Công tác chỉ đạo điều hành cải cách hành chính; cải cách thể chế; cải cách thủ tục hành chính, thực hiện cơ chế một cửa, một cửa liên thông."),
		chromedp.Click("input[name=target_kinds][value=department]"),
		chromedp.Click("input[name=target_kinds][value=district]"),
		chromedp.Click("input[name=target_kinds][value=commune]"),
		chromedp.Click("input[name=target_categories][value=can_bo]"),
		chromedp.Click("input[name=target_categories][value=cong_chuc]"),
		chromedp.Click("input[name=target_categories][value=vien_chuc]"),
		chromedp.SetValue("#period_start", "2017-04-01"),
		chromedp.SetValue("#period_end", "2020-12-31"),
		chromedp.Click("form.campaign-form button[type=submit]"),
		chromedp.WaitVisible("#lifecycle"),
	)
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	page := loc[strings.Index(loc, "/campaigns/"):]
	for _, p := range [][4]string{
		{"Đợt 1", "2017-04-01", "2018-12-31", "interim"},
		{"Đợt 2", "2019-01-01", "2020-12-31", "final"},
	} {
		run(chromedp.Navigate(a.ts.URL+page+"/phases"),
			chromedp.WaitVisible("#name"),
			chromedp.SendKeys("#name", p[0]),
			chromedp.SetValue("#start", p[1]),
			chromedp.SetValue("#end", p[2]),
			chromedp.SetValue("#review_kind", p[3]),
			chromedp.Click("main form button[type=submit]"),
			chromedp.WaitVisible(".flash"),
		)
	}
	forms, _ := a.db.AwardForms(context.Background())
	var bangKhen string
	for _, f := range forms {
		if f.Code == "bang_khen_chu_tich_tinh" {
			bangKhen = fmt.Sprint(f.ID)
		}
	}
	run(chromedp.Navigate(a.ts.URL+page+"/awards"),
		chromedp.WaitVisible("#award_form_id"),
		chromedp.SetValue("#award_form_id", bangKhen),
		chromedp.SendKeys("#collective_quota", "8"),
		chromedp.SendKeys("#individual_quota", "10"),
		chromedp.Click("main form button[type=submit]"),
		chromedp.WaitVisible(".flash"),
		chromedp.Navigate(a.ts.URL+page),
		chromedp.WaitVisible("#lifecycle"),
	)
	// The criteria editor, with the PAR template loaded (before announcing).
	run(chromedp.Navigate(a.ts.URL+page+"/criteria"),
		chromedp.WaitVisible("#new-set"),
		chromedp.SendKeys("#name", "Sở, ban, ngành tỉnh"),
		chromedp.Click("#new-set button[type=submit]"),
		chromedp.WaitVisible(".criteria-set"),
		chromedp.Click(".criteria-set .tools form:first-child button"),
		chromedp.WaitVisible("table.criteria-tree"),
	)
	total, _ := chromedp.Run(ctx, chromedp.Text(".criteria-set h2 .badge"))
	if total != "Tổng 100 điểm" {
		t.Errorf("criteria total %q", total)
	}
	screenshot(t, ctx, "criteria-editor")
	run(chromedp.Navigate(a.ts.URL+page), chromedp.WaitVisible("#lifecycle"))
	screenshot(t, ctx, "campaign-draft")
	run(chromedp.Click(`#lifecycle button[value="announced"]`), chromedp.WaitVisible(".flash"))
	status, _ := chromedp.Run(ctx, chromedp.Text(".status-line .badge"))
	if status != "Đã phát động" {
		t.Fatalf("status after announcing: %q", status)
	}
	screenshot(t, ctx, "campaign-staff-page")

	// The public page, as a citizen reads it, in a browser with no session.
	public := browser(t, 1280, 900)
	if err := chromedp.Do(public, chromedp.Navigate(a.ts.URL+"/public"+page), chromedp.WaitVisible("article.public-campaign")); err != nil {
		t.Fatal(err)
	}
	text, _ := chromedp.Run(public, chromedp.Text("article.public-campaign"))
	for _, want := range []string{"KH-UBND (2018)", "11/04/2018", "Ủy ban nhân dân tỉnh Quảng Ngãi", "01/04/2017 – 31/12/2020",
		"Đợt 1", "01/04/2017 – 31/12/2018", "Sơ kết", "Đợt 2", "01/01/2019 – 31/12/2020", "Tổng kết",
		"Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh", "tối đa 8 mỗi đợt", "tối đa 10 mỗi đợt",
		"Sở, ban, ngành", "Xã", "Cán bộ", "Công chức", "Viên chức", "một cửa liên thông", "Xuất sắc: từ 90 điểm"} {
		if !strings.Contains(text, want) {
			t.Errorf("public page lacks %q", want)
		}
	}
	screenshot(t, public, "campaign-public-page")

}
