package server

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/mail"
	"net/url"
	"strings"
	"testing"
	"time"

	"thidua/internal/config"
	"thidua/internal/domain"
	"thidua/internal/i18n"
	"thidua/internal/jobs"
	thimail "thidua/internal/mail"
	"thidua/internal/mail/mailtest"
	"thidua/internal/postgres"
)

// queueMail writes a notification of kind for the user with its mail and
// the mail's job in one transaction, as an event does, and returns the
// mail's ID.
func queueMail(t *testing.T, db *postgres.DB, userID int64, kind domain.NotificationKind, detail string) int64 {
	t.Helper()
	mails, err := db.Notify(context.Background(), domain.NewNotification{Kind: kind, Message: "notify.kind." + string(kind),
		Detail: detail, Link: "/home"}, []int64{userID})
	if err != nil || len(mails) != 1 {
		t.Fatalf("queueing a mail: %v (%d mails)", err, len(mails))
	}
	return mails[0]
}

func prefsOf(t *testing.T, a *app, userID int64) map[domain.NotificationKind]bool {
	t.Helper()
	p, err := a.db.NotificationPrefs(context.Background(), userID)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestUnsubscribeFromRealMail is acceptance 2 (the link): a mail goes
// through a real SMTP exchange, and the List-Unsubscribe link it carries,
// posted as a mail client's one-click request (no session, no Origin),
// stops that user's mails of that kind only. The page the link opens
// without signing in says what will stop before anything does.
func TestUnsubscribeFromRealMail(t *testing.T) {
	a := newApp(t, nil)
	ctx := context.Background()
	fp := a.user(domain.RoleFocalPoint)
	other := a.user(domain.RoleFocalPoint)
	srv := mailtest.Start(t, mailtest.Options{})
	key, err := thimail.UnsubscribeKey(ctx, a.db)
	if err != nil {
		t.Fatal(err)
	}
	cfg := *a.cfg
	cfg.SMTP = &config.SMTP{Host: "127.0.0.1", Port: srv.Port, TLS: "none", From: &mail.Address{Name: "Thi Đua", Address: "thidua@sonv.gov.vn"}}
	runner, err := jobs.Start(ctx, jobs.Config{DB: a.db, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Mailer: thimail.New(&cfg, key), Poll: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = runner.Stop(context.Background()) })
	queueMail(t, a.db, fp.ID, domain.NotifyFormReturned, "Thiếu minh chứng")
	queueMail(t, a.db, other.ID, domain.NotifyFormReturned, "Thiếu minh chứng")
	var msgs []mailtest.Message
	for deadline := time.Now().Add(time.Minute); len(msgs) < 2; msgs = srv.Messages() {
		if time.Now().After(deadline) {
			t.Fatalf("%d of 2 mails arrived", len(msgs))
		}
		time.Sleep(100 * time.Millisecond)
	}
	// The runner's own bookkeeping (leader, queues) would move the data
	// fingerprint below: it stops once the mails are out.
	if err := runner.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	var link string
	for _, m := range msgs {
		if m.To[0] != fp.Email {
			continue
		}
		msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
		if err != nil {
			t.Fatal(err)
		}
		link = strings.Trim(msg.Header.Get("List-Unsubscribe"), "<>")
		if msg.Header.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
			t.Errorf("List-Unsubscribe-Post %q", msg.Header.Get("List-Unsubscribe-Post"))
		}
	}
	if !strings.HasPrefix(link, a.ts.URL+"/unsubscribe/") {
		t.Fatalf("List-Unsubscribe %q", link)
	}
	path := strings.TrimPrefix(link, a.ts.URL)

	// The page, without signing in: what stops, and a button; nothing yet.
	anon := a.client()
	resp := anon.get(path)
	wantStatus(t, resp, http.StatusOK)
	doc := htmlOf(t, resp)
	if text := doc.Find("main").Text(); !strings.Contains(text, "Hồ sơ tự chấm bị trả lại để bổ sung") || !strings.Contains(text, fp.Email) {
		t.Errorf("the page does not say what stops:\n%s", text)
	}
	if doc.Find(`form[method="post"][action="`+path+`"] button[type="submit"]`).Length() != 1 {
		t.Error("no button")
	}
	if !prefsOf(t, a, fp.ID)[domain.NotifyFormReturned] {
		t.Fatal("opening the link unsubscribed")
	}

	// Someone else's link, tampered tokens: nothing changes.
	token := strings.TrimPrefix(path, "/unsubscribe/")
	payload, sig, _ := strings.Cut(token, ".")
	otherToken := thimail.Token(key, other.ID, domain.NotifyDeadlineReminder)
	otherPayload, _, _ := strings.Cut(otherToken, ".")
	flip := map[byte]string{'A': "B"}[sig[10]]
	if flip == "" {
		flip = "A"
	}
	for _, bad := range []string{payload + "." + sig[:10] + flip + sig[11:], otherPayload + "." + sig, payload, token + "x",
		thimail.Token([]byte(strings.Repeat("k", 32)), fp.ID, domain.NotifyFormReturned), "%ff%00"} {
		before := fingerprint(t, a)
		if resp := anon.post("/unsubscribe/"+bad, url.Values{"List-Unsubscribe": {"One-Click"}}); resp.StatusCode != http.StatusNotFound && resp.StatusCode != http.StatusBadRequest {
			t.Errorf("token %q: %d, want 404", bad, resp.StatusCode)
		}
		if resp := anon.get("/unsubscribe/" + bad); resp.StatusCode != http.StatusNotFound && resp.StatusCode != http.StatusBadRequest {
			t.Errorf("GET token %q: %d", bad, resp.StatusCode)
		}
		if fingerprint(t, a) != before {
			t.Errorf("token %q changed data", bad)
		}
	}

	// The one-click POST as a mail client sends it: no cookie, no Origin.
	req, _ := http.NewRequest(http.MethodPost, link, strings.NewReader("List-Unsubscribe=One-Click"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp = a.client().do(req)
	wantStatus(t, resp, http.StatusOK)
	if !strings.Contains(bodyOf(resp), "Đã ngừng") {
		t.Errorf("no confirmation:\n%s", bodyOf(resp))
	}
	prefs := prefsOf(t, a, fp.ID)
	for _, k := range domain.NotificationKinds {
		if prefs[k] != (k != domain.NotifyFormReturned) {
			t.Errorf("after unsubscribing: %s = %v", k, prefs[k])
		}
	}
	for k, on := range prefsOf(t, a, other.ID) {
		if !on {
			t.Errorf("another user's %s was turned off", k)
		}
	}
	// Again (a second click, a mail client's retry): the same, no error.
	wantStatus(t, a.client().do(mustRequest(t, link)), http.StatusOK)
	if resp := anon.get(path); !strings.Contains(bodyOf(resp), "Đã ngừng") {
		t.Error("the page does not say the mails are stopped")
	}
}

func mustRequest(t *testing.T, link string) *http.Request {
	req, err := http.NewRequest(http.MethodPost, link, strings.NewReader("List-Unsubscribe=One-Click"))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return req
}

// TestUnsubscribeCrossOrigin: the route is exempt from the cross-origin
// check, and only it; the token still decides.
func TestUnsubscribeCrossOrigin(t *testing.T) {
	a := newApp(t, nil)
	fp := a.user(domain.RoleFocalPoint)
	key, err := thimail.UnsubscribeKey(context.Background(), a.db)
	if err != nil {
		t.Fatal(err)
	}
	c := a.client()
	c.header.Set("Origin", "https://mail.example")
	c.header.Set("Sec-Fetch-Site", "cross-site")
	before := fingerprint(t, a)
	if resp := c.post("/unsubscribe/"+thimail.Token(key, fp.ID, domain.NotifyFormReturned)+"x", nil); resp.StatusCode != http.StatusNotFound || fingerprint(t, a) != before {
		t.Errorf("cross-origin with a bad token: %d", resp.StatusCode)
	}
	wantStatus(t, c.post("/unsubscribe/"+thimail.Token(key, fp.ID, domain.NotifyFormReturned), nil), http.StatusOK)
	if prefsOf(t, a, fp.ID)[domain.NotifyFormReturned] {
		t.Error("not unsubscribed")
	}
	// Every other POST still refuses cross-origin requests.
	if resp := c.post("/account/notifications", nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-origin POST /account/notifications: %d", resp.StatusCode)
	}
}

// TestUnsubscribeWithoutKey: before any instance made the key, no token is
// valid and the page writes nothing (a GET never creates the key).
func TestUnsubscribeWithoutKey(t *testing.T) {
	a := newApp(t, nil)
	fp := a.user(domain.RoleFocalPoint)
	before := fingerprint(t, a)
	tok := thimail.Token(make([]byte, 32), fp.ID, domain.NotifyFormReturned)
	wantStatus(t, a.client().get("/unsubscribe/"+tok), http.StatusNotFound)
	wantStatus(t, a.client().post("/unsubscribe/"+tok, nil), http.StatusNotFound)
	if fingerprint(t, a) != before {
		t.Error("data changed")
	}
}

// TestNotificationPrefs: every signed-in user chooses kind by kind; a
// stale form changes only the kinds it showed; a bad kind changes nothing;
// another user's choices are untouched.
func TestNotificationPrefs(t *testing.T) {
	a := newApp(t, nil)
	for _, role := range roles {
		c, _ := a.loggedIn(role)
		resp := c.get("/account")
		if htmlOf(t, resp).Find(`a[href="/account/notifications"]`).Length() == 0 {
			t.Errorf("%s: /account does not link the preferences", role)
		}
	}
	c, u := a.loggedIn(domain.RoleFocalPoint)
	other := a.user(domain.RoleFocalPoint)
	doc := htmlOf(t, c.get("/account/notifications"))
	boxes := doc.Find(`form[action="/account/notifications"] input[type="checkbox"][name="email"]`)
	if boxes.Length() != len(domain.NotificationKinds) || boxes.Filter("[checked]").Length() != len(domain.NotificationKinds) {
		t.Fatalf("%d boxes, %d ticked", boxes.Length(), boxes.Filter("[checked]").Length())
	}
	if !strings.Contains(doc.Find("form").Text(), "Nhắc hạn nộp") {
		t.Error("the kinds are not named")
	}
	all := func() []string {
		var s []string
		for _, k := range domain.NotificationKinds {
			s = append(s, string(k))
		}
		return s
	}
	var ticked []string
	for _, k := range domain.NotificationKinds {
		if k != domain.NotifyDeadlineReminder && k != domain.NotifyCampaignAnnounced {
			ticked = append(ticked, string(k))
		}
	}
	for range 2 { // the same form twice: the same result
		resp := c.post("/account/notifications", url.Values{"shown": all(), "email": ticked})
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/account/notifications" {
			t.Fatalf("save: %d %s", resp.StatusCode, bodyOf(resp))
		}
	}
	p := prefsOf(t, a, u.ID)
	if p[domain.NotifyDeadlineReminder] || p[domain.NotifyCampaignAnnounced] || !p[domain.NotifyFormReturned] {
		t.Errorf("prefs %v", p)
	}
	doc = htmlOf(t, c.get("/account/notifications"))
	if doc.Find(`input[name="email"][value="deadline_reminder"]`).Is("[checked]") || !doc.Find(`input[name="email"][value="form_returned"]`).Is("[checked]") {
		t.Error("the page does not show the saved choices")
	}
	if !strings.Contains(doc.Text(), "Đã lưu lựa chọn") {
		t.Error("no confirmation")
	}
	// A stale page that showed only some kinds changes only those.
	wantStatus(t, c.post("/account/notifications", url.Values{"shown": {"form_returned", "campaign_announced"}, "email": {"campaign_announced"}}), http.StatusSeeOther)
	p = prefsOf(t, a, u.ID)
	if p[domain.NotifyFormReturned] || !p[domain.NotifyCampaignAnnounced] || p[domain.NotifyDeadlineReminder] || !p[domain.NotifyDecisionSigned] {
		t.Errorf("after a partial form: %v", p)
	}
	// Unknown kinds, nothing shown: 400, nothing changes.
	before := fingerprint(t, a)
	for _, form := range []url.Values{{"shown": {"form_returned"}, "email": {"spam"}}, {"shown": {"spam"}}, {"email": {"form_returned"}}} {
		if resp := c.post("/account/notifications", form); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%v: %d, want 400", form, resp.StatusCode)
		}
	}
	if fingerprint(t, a) != before {
		t.Error("a refused form changed data")
	}
	for k, on := range prefsOf(t, a, other.ID) {
		if !on {
			t.Errorf("another user's %s changed", k)
		}
	}
}

// TestOutbox: the admin reads every mail, newest first, with its state,
// recipient, subject, attempts, last error and times, filtered by state and
// paged; a mail's text; others are refused.
func TestOutbox(t *testing.T) {
	a := newApp(t, nil)
	ctx := context.Background()
	fp := a.user(domain.RoleFocalPoint)
	var ids []int64
	for i := range 53 {
		ids = append(ids, queueMail(t, a.db, fp.ID, domain.NotifyFormReturned, fmt.Sprintf("Lý do %d", i)))
	}
	// One sent, one kept, one failed; the rest wait.
	base, _ := url.Parse(a.ts.URL)
	m := &thimail.Mailer{BaseURL: base, Key: make([]byte, 32), From: &mail.Address{Address: "thidua@sonv.gov.vn"}}
	deliver := func(id int64, err error, last bool) {
		t.Helper()
		_ = a.db.DeliverMail(ctx, id, last, func(pm *postgres.Mail) (postgres.Delivered, error) {
			d, _ := m.Deliver(ctx, pm)
			if err == nil && id == ids[0] {
				d.State = domain.MailSent
			}
			return d, err
		})
	}
	deliver(ids[0], nil, false)
	deliver(ids[1], nil, false)
	deliver(ids[2], fmt.Errorf("smtp: connect 127.0.0.1:25: connection refused"), true)
	deliver(ids[3], fmt.Errorf("smtp: RCPT TO: 450 mailbox busy"), false)
	next := time.Now().Add(time.Hour)
	if _, err := a.db.Pool.Exec(ctx, `UPDATE river_job SET state = 'retryable', scheduled_at = $2 WHERE (args->>'mail_id')::bigint = $1`, ids[3], next); err != nil {
		t.Fatal(err)
	}

	for _, role := range []domain.Role{domain.RoleStaff, domain.RoleFocalPoint, domain.RoleLeader} {
		c, _ := a.loggedIn(role)
		wantStatus(t, c.get("/admin/outbox"), http.StatusForbidden)
		wantStatus(t, c.get(fmt.Sprintf("/admin/outbox/%d", ids[1])), http.StatusForbidden)
	}
	admin, _ := a.loggedIn(domain.RoleAdmin)
	doc := htmlOf(t, admin.get("/admin/outbox"))
	if doc.Find(`nav a[href="/admin/outbox"]`).Length() == 0 {
		t.Error("the navigation does not link the outbox")
	}
	counts := doc.Find(".outbox-counts").Text()
	for _, want := range []string{"53 tất cả", "50 đang chờ gửi", "1 đã gửi", "1 lưu, không gửi", "1 thất bại"} {
		if !strings.Contains(strings.Join(strings.Fields(counts), " "), want) {
			t.Errorf("counts lack %q: %s", want, counts)
		}
	}
	rows := doc.Find("table.outbox tbody tr")
	if rows.Length() != 50 || !strings.Contains(rows.First().Text(), fmt.Sprintf("#%d", ids[52])) {
		t.Fatalf("%d rows, first %q", rows.Length(), rows.First().Text())
	}
	if !strings.Contains(rows.First().Text(), fp.Email) || !strings.Contains(rows.First().Text(), "Hồ sơ tự chấm bị trả lại để bổ sung") {
		t.Errorf("a pending mail's row: %s", rows.First().Text())
	}
	page1 := strings.Join(strings.Fields(rows.Text()), " ")
	older, ok := doc.Find(`a[href^="/admin/outbox?before="]`).Attr("href")
	if !ok {
		t.Fatal("no link to older mails")
	}
	doc = htmlOf(t, admin.get(older))
	page2 := doc.Find("table.outbox tbody tr")
	if page2.Length() != 3 || !strings.Contains(page2.Last().Text(), fmt.Sprintf("#%d", ids[0])) || doc.Find(`a[href^="/admin/outbox?before="]`).Length() != 0 {
		t.Errorf("page 2: %d rows", page2.Length())
	}
	text := page1 + strings.Join(strings.Fields(page2.Text()), " ")
	for _, want := range []string{"đã gửi", "lưu, không gửi", "thất bại", "connection refused", "450 mailbox busy", "Thử lại: " + i18n.DateTime(next)} {
		if !strings.Contains(text, want) {
			t.Errorf("the outbox lacks %q: %s", want, text)
		}
	}
	doc = htmlOf(t, admin.get("/admin/outbox?state=failed"))
	if n := doc.Find("table.outbox tbody tr").Length(); n != 1 || !strings.Contains(doc.Find("table.outbox").Text(), "connection refused") {
		t.Errorf("failed filter: %d rows", n)
	}
	wantStatus(t, admin.get("/admin/outbox?state=lost"), http.StatusBadRequest)
	wantStatus(t, admin.get("/admin/outbox?before=x"), http.StatusBadRequest)

	// A kept mail's text, as it would have gone out.
	doc = htmlOf(t, admin.get(fmt.Sprintf("/admin/outbox/%d", ids[1])))
	body := doc.Find("pre.mail-body").Text()
	for _, want := range []string{"Kính gửi", "Lý do 1", a.ts.URL + "/home", "/unsubscribe/", "/account/notifications"} {
		if !strings.Contains(body, want) {
			t.Errorf("the mail's text lacks %q:\n%s", want, body)
		}
	}
	wantStatus(t, admin.get("/admin/outbox/999999"), http.StatusNotFound)
	wantStatus(t, admin.get("/admin/outbox/abc"), http.StatusNotFound)
}
