package server

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserReplyPages opens the unit's reply page (a draft reply on an
// adjusted criterion) and the appraiser's answer view (the reply sent) at
// 1,280 and 390 px: neither scrolls sideways. With THIDUA_SCREENSHOTS set
// the pages are saved for a person to look at.
func TestBrowserReplyPages(t *testing.T) {
	t.Parallel()
	rc := newReplyCase(t)
	pid := rc.points.ID
	wantStatus(t, rc.fp.post(rc.reply(), url.Values{fmt.Sprintf("r_%d", pid): {"Đơn vị đã ban hành Kế hoạch số 15/KH-STP ngày 10/01 và báo cáo đủ 4 quý; gửi kèm bản scan có chữ ký."},
		fmt.Sprintf("v_%d", pid): {rc.versionOf(t, pid)}}), http.StatusSeeOther)
	wantStatus(t, rc.fp.uploadEvidence(fmt.Sprintf("%s/criteria/%d/evidence", rc.form, pid), "trang 1–3", "ke-hoach-15.pdf", []byte("%PDF-1.4\n%%EOF\n")), http.StatusSeeOther)
	shots := func(who, name string) {
		for _, width := range []int{1280, 390} {
			b := browser(t, width, 900)
			err := chromedp.Do(b, chromedp.EmulateViewport(int64(width), 900), chromedp.Navigate(rc.a.ts.URL+"/login"),
				chromedp.SendKeys("#email", rc.users[who].Email), chromedp.SendKeys("#password", testPassword),
				chromedp.Click("button[type=submit]"), chromedp.WaitVisible(".who-name"),
				chromedp.Navigate(rc.a.ts.URL+rc.reply()), chromedp.WaitVisible("section.reply-row"))
			if err != nil {
				t.Fatalf("%s at %d px: %v", name, width, err)
			}
			page, err := chromedp.Run(b, chromedp.Evaluate[float64]("document.documentElement.scrollWidth"))
			if err != nil {
				t.Fatal(err)
			}
			if page > float64(width) {
				t.Errorf("%s at %d px: the page is %v px wide and scrolls sideways", name, width, page)
			}
			screenshot(t, b, fmt.Sprintf("%s-%d", name, width))
		}
	}
	shots("fp", "reply-unit")
	rc.sendReply(t, map[int64]string{pid: "Đơn vị đã ban hành Kế hoạch số 15/KH-STP ngày 10/01 và báo cáo đủ 4 quý; gửi kèm bản scan có chữ ký."})
	shots("appraiser", "reply-appraiser")
}
