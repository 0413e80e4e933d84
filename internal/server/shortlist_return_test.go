package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"thidua/internal/paths"
)

// TestShortlistReturn is the leader's review of issue 12: a leader returns
// a draft list to staff with a reason, shown to staff; it cannot be posted
// until staff propose it again; staff and focal points cannot return it; a
// stale or second return changes nothing.
func TestShortlistReturn(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	fx := newQuangNgai(t, a)
	ctx := context.Background()
	staff, leader := fx.staff, fx.leader
	wantStatus(t, staff.post(fx.propose, url.Values{"version": {"0"}}), http.StatusSeeOther)
	var list int64
	var version int
	if err := a.db.Pool.QueryRow(ctx, `SELECT id, version FROM shortlists WHERE plan_id = $1`, fx.plan).Scan(&list, &version); err != nil {
		t.Fatal(err)
	}
	ret := fx.base + "/return"
	v := func(version int, reason string) url.Values {
		return url.Values{"version": {fmt.Sprint(version)}, "return_reason": {reason}}
	}
	// The leader's home lists the draft list to review; the leader sees
	// the return form, staff do not.
	if n := htmlOf(t, leader.get("/home")).Find("#waiting-shortlists tbody tr").Length(); n != 1 {
		t.Errorf("the leader's home lists %d shortlists to review, want 1", n)
	}
	if htmlOf(t, leader.get(fx.page)).Find(`form[action="`+ret+`"]`).Length() != 1 {
		t.Error("the leader has no return form")
	}
	if htmlOf(t, staff.get(fx.page)).Find(`form[action="`+ret+`"]`).Length() != 0 {
		t.Error("staff see the return form")
	}
	before := fx.state(t)
	wantStatus(t, staff.post(ret, v(version, "Xem lại")), http.StatusForbidden)
	wantStatus(t, fx.fp.post(ret, v(version, "Xem lại")), http.StatusForbidden)
	resp := leader.post(ret, v(version, "  "))
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	if htmlOf(t, resp).Find("#return_reason-error").Length() != 1 {
		t.Error("no problem beside the empty reason")
	}
	wantStatus(t, leader.post(ret, v(version-1, "Xem lại")), http.StatusConflict)
	if got := fx.state(t); got != before {
		t.Fatalf("refused returns changed the list: %s, was %s", got, before)
	}

	reason := "Đề nghị rà soát lại hai tập thể xếp loại sát ngưỡng"
	wantStatus(t, leader.post(ret, v(version, reason)), http.StatusSeeOther)
	wantStatus(t, leader.post(ret, v(version, reason)), http.StatusConflict) // the same form again
	if n := htmlOf(t, leader.get("/home")).Find("#waiting-shortlists tbody tr").Length(); n != 0 {
		t.Errorf("a returned list is still waiting on the leader's home (%d)", n)
	}
	page := htmlOf(t, staff.get(fx.page))
	if text := cellText(page.Find("#proposal")); !strings.Contains(text, "đã trả lại danh sách") || !strings.Contains(text, reason) {
		t.Errorf("staff do not see the return and its reason: %s", text)
	}
	if !strings.Contains(cellText(page.Find(".shortlist-steps, main")), "Lãnh đạo trả lại") {
		t.Error("the return is not among the list's steps")
	}
	var audits int
	_ = a.db.Pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action = 'shortlist.return'`).Scan(&audits)
	if audits != 1 {
		t.Errorf("%d audit entries of the return, want 1", audits)
	}

	// Posting the returned list is refused; a new proposal answers the
	// return and the list may be posted.
	publish := url.Values{"shortlist": {fmt.Sprint(list)}, "starts_on": {"2099-03-02"}}
	// (Ties at the quota boundary would be refused too: settled here.)
	_, _ = a.db.Pool.Exec(ctx, `UPDATE shortlist_entries SET status = 'excluded' WHERE shortlist_id = $1 AND status = 'tie'`, list)
	wantStatus(t, staff.post(paths.NoticePublish(fx.wk.campaign), publish), http.StatusConflict)
	_ = a.db.Pool.QueryRow(ctx, `SELECT version FROM shortlists WHERE id = $1`, list).Scan(&version)
	wantStatus(t, staff.post(fx.propose, url.Values{"version": {fmt.Sprint(version)}}), http.StatusSeeOther)
	var returned bool
	_ = a.db.Pool.QueryRow(ctx, `SELECT returned_at IS NOT NULL FROM shortlists WHERE id = $1`, list).Scan(&returned)
	if returned {
		t.Error("a new proposal did not answer the return")
	}
	_, _ = a.db.Pool.Exec(ctx, `UPDATE shortlist_entries SET status = 'excluded' WHERE shortlist_id = $1 AND status = 'tie'`, list)
	wantStatus(t, staff.post(paths.NoticePublish(fx.wk.campaign), publish), http.StatusSeeOther)
	// A posted list is no longer returned.
	_ = a.db.Pool.QueryRow(ctx, `SELECT version FROM shortlists WHERE id = $1`, list).Scan(&version)
	wantStatus(t, leader.post(ret, v(version, reason)), http.StatusConflict)
}
