package server

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"thidua/internal/domain"
)

func auditCount(t *testing.T, a *app, action string) int {
	t.Helper()
	var n int
	if err := a.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE action = $1`, action).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestHolidaysPage(t *testing.T) {
	a := newApp(t, nil)
	staff, _ := a.loggedIn(domain.RoleStaff)

	resp := staff.post("/holidays", url.Values{"day": {"2026-04-30"}, "name": {"Ngày Chiến thắng"}})
	wantStatus(t, resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); loc != "/holidays?year=2026" {
		t.Errorf("redirect to %q", loc)
	}
	// The form sent twice: nothing more is written.
	wantStatus(t, staff.post("/holidays", url.Values{"day": {"30/04/2026"}, "name": {"Ngày Chiến thắng"}}), http.StatusSeeOther)
	if n := auditCount(t, a, domain.AuditHolidayAdd); n != 1 {
		t.Errorf("audit entries for the added day: %d, want 1", n)
	}
	// Another name for the same day is refused beside the date.
	resp = staff.post("/holidays", url.Values{"day": {"2026-04-30"}, "name": {"Ngày khác"}})
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	doc := htmlOf(t, resp)
	if got := doc.Find("#day").AttrOr("value", ""); got != "2026-04-30" {
		t.Errorf("the refused form keeps the date: %q", got)
	}
	if !strings.Contains(doc.Find(".field-error").Text(), "tên khác") {
		t.Errorf("no error beside the date: %q", doc.Find(".field-error").Text())
	}
	// No name, no date.
	wantStatus(t, staff.post("/holidays", url.Values{"day": {"31/02/2026"}, "name": {" \u200b "}}), http.StatusUnprocessableEntity)

	doc = htmlOf(t, staff.get("/holidays?year=2026"))
	rows := doc.Find("tbody tr")
	if rows.Length() != 1 || !strings.Contains(rows.Text(), "30/04/2026") || !strings.Contains(rows.Text(), "Thứ Năm") ||
		!strings.Contains(rows.Text(), "Ngày Chiến thắng") {
		t.Errorf("list of 2026: %q", rows.Text())
	}
	if n := htmlOf(t, staff.get("/holidays?year=2025")).Find("tbody tr td form").Length(); n != 0 {
		t.Errorf("2025 lists %d days", n)
	}
	wantStatus(t, staff.get("/holidays?year=abc"), http.StatusBadRequest)

	// A focal point or a leader cannot see or change the list.
	fp, _ := a.loggedIn(domain.RoleFocalPoint)
	wantStatus(t, fp.get("/holidays"), http.StatusForbidden)
	wantStatus(t, fp.post("/holidays/remove", url.Values{"day": {"2026-04-30"}}), http.StatusForbidden)

	// Removing a wrong day is recorded with what it was.
	wantStatus(t, staff.post("/holidays/remove", url.Values{"day": {"2026-04-30"}}), http.StatusSeeOther)
	var details string
	if err := a.db.Pool.QueryRow(context.Background(), `SELECT details::text FROM audit_log WHERE action = $1`, domain.AuditHolidayRemove).Scan(&details); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(details, "Ngày Chiến thắng") || !strings.Contains(details, "2026-04-30") {
		t.Errorf("audit of the removal: %s", details)
	}
	wantStatus(t, staff.post("/holidays/remove", url.Values{"day": {"2026-04-30"}}), http.StatusNotFound)
	wantStatus(t, staff.post("/holidays/remove", url.Values{"day": {"30-04-2026'"}}), http.StatusBadRequest)
}
