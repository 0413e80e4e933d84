package server

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"thidua/internal/domain"
)

// The phase form sets the reply window in working days: shown with the
// default for a new phase, kept on edit, refused outside 1–60 beside the field.
func TestPhaseReplyDays(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	staff, _ := a.loggedIn(domain.RoleStaff)
	page := staff.post("/campaigns", campaignForm(newIdempotencyKey())).Header.Get("Location")
	if got := htmlOf(t, staff.get(page+"/phases")).Find("#reply_days").AttrOr("value", ""); got != "5" {
		t.Errorf("a new phase's reply days: %q, want 5", got)
	}
	base := url.Values{"name": {"Đợt 1"}, "start": {"2017-04-01"}, "end": {"2018-12-31"}, "review_kind": {"interim"}}
	for _, bad := range []string{"0", "61", "", "ba", "2.5"} {
		f := url.Values{"reply_days": {bad}}
		for k, v := range base {
			f[k] = v
		}
		resp := staff.post(page+"/phases", f)
		wantStatus(t, resp, http.StatusUnprocessableEntity)
		doc := htmlOf(t, resp)
		if !strings.Contains(doc.Find("#reply_days").Parent().Find(".field-error").Text(), "từ 1 đến 60") {
			t.Errorf("reply_days %q: no error beside the field", bad)
		}
	}
	f := url.Values{"reply_days": {"10"}}
	for k, v := range base {
		f[k] = v
	}
	wantStatus(t, staff.post(page+"/phases", f), http.StatusSeeOther)
	id, _ := strconv.ParseInt(strings.TrimPrefix(page, "/campaigns/"), 10, 64)
	phases, err := a.db.Phases(context.Background(), id)
	if err != nil || len(phases) != 1 || phases[0].ReplyDays != 10 {
		t.Fatalf("phases %+v, %v", phases, err)
	}
	doc := htmlOf(t, staff.get(page+"/phases"))
	if !strings.Contains(doc.Find("#phases").Text(), "10 ngày làm việc") {
		t.Errorf("the phase list does not show the reply days: %q", doc.Find("#phases").Text())
	}
	edit := strings.TrimSuffix(doc.Find("#phases a.link-edit").AttrOr("href", ""), "#edit")
	form := htmlOf(t, staff.get(edit))
	if got := form.Find("#reply_days").AttrOr("value", ""); got != "10" {
		t.Errorf("edit form shows %q reply days", got)
	}
	// Changed on edit; a client that does not send the field keeps it.
	g := url.Values{"reply_days": {"7"}, "version": {form.Find("input[name=version]").AttrOr("value", "")}}
	for k, v := range base {
		g[k] = v
	}
	wantStatus(t, staff.post(edit, g), http.StatusSeeOther)
	form = htmlOf(t, staff.get(edit))
	g = url.Values{"version": {form.Find("input[name=version]").AttrOr("value", "")}}
	for k, v := range base {
		g[k] = v
	}
	wantStatus(t, staff.post(edit, g), http.StatusSeeOther)
	if phases, _ = a.db.Phases(context.Background(), id); phases[0].ReplyDays != 7 {
		t.Errorf("reply days after edits: %d, want 7", phases[0].ReplyDays)
	}
}
