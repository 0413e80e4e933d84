package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"thidua/internal/domain"
)

// addNotification writes a notification for the user straight into the
// table (the events that write them are tested with their events).
func addNotification(t *testing.T, a *app, userID int64, message string, args []string, detail, link string) int64 {
	t.Helper()
	var id int64
	err := a.db.Pool.QueryRow(context.Background(), `
		INSERT INTO notifications (user_id, kind, message, args, detail, link)
		VALUES ($1, 'form_returned', $2, coalesce($3, '{}'::text[]), $4, $5) RETURNING id`, userID, message, args, detail, link).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func unreadOf(t *testing.T, a *app, userID int64) int {
	t.Helper()
	var n int
	if err := a.db.Pool.QueryRow(context.Background(),
		`SELECT count(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL`, userID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// headerCount is the unread count the header shows ("" when none).
func headerCount(t *testing.T, c *client) string {
	t.Helper()
	resp := c.get("/home")
	wantStatus(t, resp, http.StatusOK)
	doc := htmlOf(t, resp)
	if doc.Find("a.inbox-link").Length() != 1 {
		t.Fatal("the header has no inbox link")
	}
	return strings.TrimSpace(doc.Find("a.inbox-link .inbox-count").Text())
}

// TestInbox shows the header's unread count, the inbox with its filter,
// opening a notification (read, then its page), mark all read up to what
// the page showed, and that nobody reads or marks another user's.
func TestInbox(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	c, me := a.loggedIn(domain.RoleFocalPoint)
	other, them := a.loggedIn(domain.RoleStaff)

	if got := headerCount(t, c); got != "" {
		t.Errorf("header count with nothing unread = %q, want none", got)
	}
	resp := c.get("/notifications")
	wantStatus(t, resp, http.StatusOK)
	if !strings.Contains(bodyOf(resp), "Chưa có thông báo nào.") {
		t.Error("an empty inbox does not say so")
	}

	first := addNotification(t, a, me.ID, "error.bad_parameter", []string{"Sở Tư pháp"}, "Thiếu minh chứng tiêu chí 2.1", "/campaigns/1")
	second := addNotification(t, a, me.ID, "inbox.link", nil, "", "/home")
	third := addNotification(t, a, me.ID, "inbox.link", nil, "", "/\\evil.example/")
	theirs := addNotification(t, a, them.ID, "inbox.title", nil, "Bí mật của người khác", "/home")

	if got := headerCount(t, c); got != "3" {
		t.Errorf("header count = %q, want 3", got)
	}
	if got := headerCount(t, other); got != "1" {
		t.Errorf("the other user's header count = %q, want 1", got)
	}
	resp = c.get("/notifications")
	wantStatus(t, resp, http.StatusOK)
	doc := htmlOf(t, resp)
	if n := doc.Find("li.inbox-item.inbox-unread").Length(); n != 3 {
		t.Errorf("%d unread items, want 3", n)
	}
	body := doc.Text()
	if !strings.Contains(body, "Tham số “Sở Tư pháp” trên địa chỉ trang") || !strings.Contains(body, "Thiếu minh chứng tiêu chí 2.1") {
		t.Error("the inbox does not show the notification's text and detail in Vietnamese")
	}
	if strings.Contains(body, "Bí mật của người khác") {
		t.Error("the inbox shows another user's notification")
	}

	// Another user's notification: not found, whatever the way in; unchanged.
	for _, resp := range []*http.Response{
		c.get(fmt.Sprintf("/notifications/%d", theirs)),
		c.post(fmt.Sprintf("/notifications/%d/read", theirs), nil),
		c.get("/notifications/abc"),
		c.get("/notifications/999999999"),
	} {
		wantStatus(t, resp, http.StatusNotFound)
	}
	if unreadOf(t, a, them.ID) != 1 {
		t.Error("another user's notification was marked read")
	}

	// Opening one marks it read and goes to where the user acts; a link
	// that would leave the portal goes to the inbox instead.
	resp = c.get(fmt.Sprintf("/notifications/%d", first))
	wantStatus(t, resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); loc != "/campaigns/1" {
		t.Errorf("opening went to %q, want /campaigns/1", loc)
	}
	resp = c.get(fmt.Sprintf("/notifications/%d", third))
	wantStatus(t, resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); loc != "/notifications" {
		t.Errorf("a link out of the portal went to %q, want /notifications", loc)
	}
	if got := headerCount(t, c); got != "1" {
		t.Errorf("header count after opening two = %q, want 1", got)
	}
	resp = c.get("/notifications?show=unread")
	wantStatus(t, resp, http.StatusOK)
	doc = htmlOf(t, resp)
	if n := doc.Find("li.inbox-item").Length(); n != 1 {
		t.Errorf("the unread filter shows %d items, want 1", n)
	}
	upTo, _ := doc.Find(`form input[name="up_to"]`).Attr("value")
	if upTo != fmt.Sprint(second) {
		t.Errorf("mark all read stops at %q, want the newest shown %d", upTo, second)
	}

	// Mark all read: one that arrived after the page was shown stays unread.
	late := addNotification(t, a, me.ID, "inbox.link", nil, "", "/home")
	resp = c.post("/notifications/read", url.Values{"up_to": {upTo}, "show": {"unread"}})
	wantStatus(t, resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); loc != "/notifications?show=unread" {
		t.Errorf("mark all read went to %q", loc)
	}
	if n := unreadOf(t, a, me.ID); n != 1 {
		t.Errorf("%d unread after mark all read, want 1 (the late one)", n)
	}
	resp = c.post(fmt.Sprintf("/notifications/%d/read", late), nil)
	wantStatus(t, resp, http.StatusSeeOther)
	if got := headerCount(t, c); got != "" {
		t.Errorf("header count with all read = %q, want none", got)
	}
	resp = c.post("/notifications/read", url.Values{"up_to": {"-1"}})
	wantStatus(t, resp, http.StatusBadRequest)
	if unreadOf(t, a, them.ID) != 1 {
		t.Error("marking all read touched another user's notifications")
	}
}
