package server

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"thidua/internal/seed"
)

// browser starts headless Chromium for a test. Screenshots are written to
// $THIDUA_SCREENSHOTS when it is set, for a person to look at.
func browser(t *testing.T, width, height int) context.Context {
	t.Helper()
	path := os.Getenv("CHROMIUM")
	if path == "" {
		var err error
		if path, err = exec.LookPath("chromium"); err != nil {
			t.Fatal("headless Chromium is needed for browser tests: apt-get install -y chromium (or set CHROMIUM)")
		}
	}
	// Chromium, started as root without a sandbox on a loaded machine,
	// sometimes crashes as it starts ("chrome failed to start", crashpad's
	// "no stack mapping"), with several tests starting it at once: the
	// browser is started here, and started again on such a failure, so that
	// a test fails on what the page does, not on Chromium's start.
	const attempts = 3
	for attempt := 1; ; attempt++ {
		opts := append(chromedp.DefaultExecAllocatorOptions[:],
			chromedp.ExecPath(path),
			chromedp.NoSandbox,
			chromedp.IgnoreCertErrors,
			chromedp.DisableGPU,
			chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-quic", true),
			// A Vietnamese official's browser: Accept-Language vi.
			chromedp.Flag("lang", "vi-VN"),
			chromedp.Flag("accept-lang", "vi-VN,vi"),
			chromedp.WindowSize(width, height),
			chromedp.UserDataDir(t.TempDir()),
		)
		actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
		ctx, cancel := chromedp.NewContext(actx)
		err := chromedp.Do(ctx) // starts the browser
		if err == nil {
			ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
			t.Cleanup(func() { cancelTimeout(); cancel(); cancelAlloc() })
			return ctx
		}
		cancel()
		cancelAlloc()
		if attempt == attempts || !strings.Contains(err.Error(), "failed to start") {
			t.Fatalf("Chromium (attempt %d of %d): %v", attempt, attempts, err)
		}
		first, _, _ := strings.Cut(err.Error(), "\n")
		t.Logf("Chromium did not start (attempt %d of %d), starting it again: %s", attempt, attempts, first)
	}
}

func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("THIDUA_SCREENSHOTS"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestBrowserLogin signs in through the real form in Chromium, as a staff
// member of the demo province, and looks at the pages a person would see.
func TestBrowserLogin(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	if _, _, err := seed.Demo(context.Background(), a.db); err != nil {
		t.Fatal(err)
	}
	ctx := browser(t, 1280, 900)
	if err := chromedp.Do(ctx, chromedp.Navigate(a.ts.URL+"/"), chromedp.WaitVisible(".hero")); err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "public-home")
	err := chromedp.Do(ctx,
		chromedp.Navigate(a.ts.URL+"/login"),
		chromedp.WaitVisible("#email"),
	)
	if err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "login")
	// A wrong password first: the Vietnamese message, the e-mail kept.
	err = chromedp.Do(ctx,
		chromedp.SendKeys("#email", "canbo@thidua.local"),
		chromedp.SendKeys("#password", "không đúng"),
		chromedp.Click("button[type=submit]"),
		chromedp.WaitVisible(".error-summary"),
	)
	if err != nil {
		t.Fatal(err)
	}
	msg, _ := chromedp.Run(ctx, chromedp.Text(".error-summary"))
	if !strings.Contains(msg, "Thư điện tử hoặc mật khẩu không đúng") {
		t.Errorf("error message %q", msg)
	}
	screenshot(t, ctx, "login-error")
	err = chromedp.Do(ctx,
		chromedp.SendKeys("#password", seed.DemoPassword),
		chromedp.Click("button[type=submit]"),
		chromedp.WaitVisible(".who-name"),
	)
	if err != nil {
		t.Fatal(err)
	}
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	name, _ := chromedp.Run(ctx, chromedp.Text(".who-name"))
	if !strings.HasSuffix(loc, "/home") || name != "Nguyễn Thị Thu Hà" {
		t.Errorf("after login: %s, %q", loc, name)
	}
	screenshot(t, ctx, "staff-home")

	// The administrator's user list, and the page on a phone.
	admin := browser(t, 1280, 900)
	err = chromedp.Do(admin,
		chromedp.Navigate(a.ts.URL+"/login"),
		chromedp.SendKeys("#email", "admin@thidua.local"),
		chromedp.SendKeys("#password", seed.DemoPassword),
		chromedp.Click("button[type=submit]"),
		chromedp.WaitVisible(".who-name"),
		chromedp.Navigate(a.ts.URL+"/users"),
		chromedp.WaitVisible("table.table"),
	)
	if err != nil {
		t.Fatal(err)
	}
	screenshot(t, admin, "admin-users")
	phone := browser(t, 390, 844)
	err = chromedp.Do(phone, chromedp.EmulateViewport(390, 844), chromedp.Navigate(a.ts.URL+"/login"), chromedp.WaitVisible("#email"))
	if err != nil {
		t.Fatal(err)
	}
	width, err := chromedp.Run(phone, chromedp.Evaluate[float64]("document.documentElement.scrollWidth"))
	if err != nil {
		t.Fatal(err)
	}
	if width > 390 {
		t.Errorf("login page is %v px wide on a 390 px phone: it scrolls sideways", width)
	}
	screenshot(t, phone, "login-phone")
}
