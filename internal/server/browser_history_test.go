package server

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/chromedp/chromedp"

	"thidua/internal/domain"
	"thidua/internal/paths"
)

// TestBrowserHistory: a merged unit's achievement history (its
// predecessors' awards and published results), its page with pending
// flags and staff's forms, and the report of a past-awards file with
// planted errors, in Chromium on a desktop and on a 390 px phone; no page
// scrolls sideways.
func TestBrowserHistory(t *testing.T) {
	t.Parallel()
	a := newApp(t, map[string]string{"IMPORT_DIR": t.TempDir()})
	ctx := context.Background()
	_, successor, _, _, _ := historyFixture(t, a)
	today := domain.DateOf(a.db.Now())
	if _, err := a.db.SetFlag(ctx, "", domain.FlagInput{Subject: domain.Subject{UnitID: successor}, Kind: domain.FlagInspection,
		Reason: "Quyết định thanh tra số 15/QĐ-TTr ngày 20/10/2026 của Thanh tra tỉnh về quản lý ngân sách", From: today.AddDate(0, 0, -40)}); err != nil {
		t.Fatal(err)
	}
	lifted, err := a.db.SetFlag(ctx, "", domain.FlagInput{Subject: domain.Subject{UnitID: successor}, Kind: domain.FlagComplaint,
		Reason: "Đơn khiếu nại về kết quả tuyển dụng viên chức", From: domain.Day(2025, 8, 4)})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.db.LiftFlag(ctx, domain.Subject{UnitID: successor}, lifted, domain.FlagLift{To: domain.Day(2025, 10, 15),
		Reason: "Quyết định giải quyết khiếu nại số 77/QĐ-UBND: đơn không có cơ sở"}); err != nil {
		t.Fatal(err)
	}
	staff, su := a.loggedIn(domain.RoleStaff)
	bad := "ma_don_vi,ma_can_bo,nam,hinh_thuc,so_quyet_dinh,ngay_quyet_dinh,co_quan,chuyen_de,ghi_chu\n" +
		"TEST-STC2,,2025,Tập thể lao động tiên tiến,12/QĐ-UBND,20/01/2026,Chủ tịch UBND tỉnh,,\n" +
		"KHONG-CO,,2025,Giấy khen,13/QĐ,,,,\n" +
		",CB404,2024,Chiến sĩ thi đua cơ sở,14/QĐ,,,,\n" +
		"TEST-STC2,,hai nghìn,Giấy khen,15/QĐ,,,có lẽ,\n"
	resp := staff.upload("/awards/import", "khen-thuong.csv", []byte(bad))
	wantStatus(t, resp, http.StatusSeeOther)
	job := resp.Header.Get("Location")
	waitJob(t, staff, job)

	pages := []struct{ name, path, wait string }{
		{"history", paths.UnitAchievements(successor), "table.history-results"},
		{"unit-flags", paths.Unit(successor), "#flags"},
		{"awards-import-problems", job, "table.problems"},
	}
	for _, size := range []struct {
		suffix        string
		width, height int
	}{{"", 1280, 900}, {"-phone", 390, 844}} {
		b := browser(t, size.width, size.height)
		if err := chromedp.Do(b, chromedp.EmulateViewport(int64(size.width), int64(size.height))); err != nil {
			t.Fatal(err)
		}
		signIn(t, b, a, su.Email)
		for _, p := range pages {
			if err := chromedp.Do(b, chromedp.Navigate(a.ts.URL+p.path), chromedp.WaitVisible(p.wait)); err != nil {
				t.Fatalf("%s: %v", p.name, err)
			}
			noSideScroll(t, b, fmt.Sprintf("%s at %d px", p.name, size.width), float64(size.width))
			screenshot(t, b, p.name+size.suffix)
		}
		// The set form opens from its summary, without script.
		if err := chromedp.Do(b, chromedp.Navigate(a.ts.URL+paths.Unit(successor)+"#flags"), chromedp.Click("#flags .flag-new summary"),
			chromedp.WaitVisible("#flag_reason")); err != nil {
			t.Fatal(err)
		}
		noSideScroll(t, b, fmt.Sprintf("flag form at %d px", size.width), float64(size.width))
		screenshot(t, b, "unit-flag-form"+size.suffix)
	}
}
