package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"thidua/internal/domain"
)

// TestRegistrationListCountsPeople is issue 8 point 1: the staff list shows
// how many people a unit proposed.
func TestRegistrationListCountsPeople(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	wk := newWork(t, a)
	staff, _ := a.loggedIn(domain.RoleStaff)
	fp, _ := a.loggedIn(domain.RoleFocalPoint)
	var people []string
	for _, name := range []string{"Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"} {
		id, err := a.db.CreatePerson(context.Background(), domain.PersonInput{FullName: name, Category: domain.CategoryCongChuc, UnitID: a.unit,
			From: domain.Day(2020, 1, 1)})
		if err != nil {
			t.Fatal(err)
		}
		people = append(people, fmt.Sprint(id))
	}
	wantStatus(t, fp.post(wk.page+"/registrations", url.Values{"action": {"submit"}, "pledge": {"Hoàn thành kế hoạch"}, "version": {"0"},
		"people": people[:2]}), http.StatusSeeOther)
	row := htmlOf(t, staff.get(wk.page+"/registrations")).Find("tbody tr").First()
	if got := strings.TrimSpace(row.Find("td").Last().Text()); got != "2" {
		t.Errorf("people proposed on the staff list: %q, want 2", got)
	}
}

// TestAwardsPageShowsPhases is issue 8 point 2: the awards page of a
// campaign with phases does not say it has none.
func TestAwardsPageShowsPhases(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	wk := newWork(t, a)
	staff, _ := a.loggedIn(domain.RoleStaff)
	for _, page := range []string{"/awards", "/phases"} {
		body := htmlOf(t, staff.get(wk.page+page)).Find("main")
		text := body.Text()
		if strings.Contains(text, "Chưa có đợt thi đua") {
			t.Errorf("%s says the campaign has no phase", page)
		}
		if strings.Contains(text, "Chưa có hình thức khen thưởng") || strings.Contains(text, "Chưa có danh hiệu") {
			t.Errorf("%s says the campaign has no award", page)
		}
		if !strings.Contains(text, "Đợt 1") {
			t.Errorf("%s does not show the phase", page)
		}
	}
}

// TestRegisterAllAsksFirst is issue 8 point 9: "register all" first lists
// the units it would register and approve; only a confirmed post does it,
// and only for the units shown that still have no registration.
func TestRegisterAllAsksFirst(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	wk := newWork(t, a)
	staff, _ := a.loggedIn(domain.RoleStaff)
	fp, _ := a.loggedIn(domain.RoleFocalPoint)
	if _, err := a.db.CreateUnit(context.Background(), domain.UnitInput{Name: "Sở Y tế", Code: "TEST-SYT", Kind: domain.KindDepartment, ValidFrom: domain.Day(2020, 1, 1)}); err != nil {
		t.Fatal(err)
	}
	count := func() (n int) {
		_ = a.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM registrations WHERE campaign_id = $1`, wk.campaign).Scan(&n)
		return n
	}
	list := htmlOf(t, staff.get(wk.page+"/registrations"))
	if list.Find(`form[action$="/registrations/all"]`).Length() != 0 {
		t.Error("the list still registers everyone in one click")
	}
	if list.Find(`a[href$="/registrations/all"]`).Length() != 1 {
		t.Error("no link to the register-all page")
	}
	page := htmlOf(t, staff.get(wk.page+"/registrations/all"))
	listed := page.Find("table.units-to-register tbody").Text()
	if !strings.Contains(listed, "Sở Tư pháp") || !strings.Contains(listed, "Sở Y tế") {
		t.Fatalf("the confirmation page does not list the units: %q", listed)
	}
	if !strings.Contains(page.Find(`button[name=confirm]`).Text(), "2") {
		t.Errorf("confirm button %q does not say how many", page.Find(`button[name=confirm]`).Text())
	}
	confirmed := url.Values{"confirm": {"yes"}}
	page.Find(`input[name=unit]`).Each(func(_ int, s *goquery.Selection) { confirmed.Add("unit", s.AttrOr("value", "")) })

	// The old one-click post, without confirmation: nothing happens.
	resp := staff.post(wk.page+"/registrations/all", url.Values{})
	wantStatus(t, resp, http.StatusSeeOther)
	if resp.Header.Get("Location") != wk.page+"/registrations/all" || count() != 0 {
		t.Fatalf("an unconfirmed post: location %q, %d registrations", resp.Header.Get("Location"), count())
	}
	// A focal point cannot.
	wantStatus(t, fp.post(wk.page+"/registrations/all", confirmed), http.StatusForbidden)

	// Meanwhile Sở Tư pháp sends its own registration: it is not approved
	// unseen; Sở Y tế is registered and approved.
	wantStatus(t, fp.post(wk.page+"/registrations", url.Values{"action": {"submit"}, "pledge": {"Giao ước riêng"}, "version": {"0"}}), http.StatusSeeOther)
	resp = staff.post(wk.page+"/registrations/all", confirmed)
	wantStatus(t, resp, http.StatusConflict)
	if !strings.Contains(bodyOf(resp), "Đã đăng ký và duyệt 1 đơn vị") {
		t.Errorf("no message about the unit left alone")
	}
	var own, other string
	_ = a.db.Pool.QueryRow(context.Background(), `SELECT
		(SELECT r.status FROM registrations r JOIN units u ON u.id = r.unit_id WHERE r.campaign_id = $1 AND u.name = 'Sở Tư pháp'),
		(SELECT r.status FROM registrations r JOIN units u ON u.id = r.unit_id WHERE r.campaign_id = $1 AND u.name = 'Sở Y tế')`, wk.campaign).Scan(&own, &other)
	if own != "pending" || other != "approved" {
		t.Errorf("after confirming: Sở Tư pháp %s (want pending), Sở Y tế %s (want approved)", own, other)
	}
	// Again (a double click): nothing more.
	staff.post(wk.page+"/registrations/all", confirmed)
	if count() != 2 {
		t.Errorf("%d registrations after a second confirmation, want 2", count())
	}
	if !strings.Contains(htmlOf(t, staff.get(wk.page+"/registrations/all")).Find("main").Text(), "không còn đơn vị nào") {
		t.Error("the page does not say nobody is left to register")
	}
}
