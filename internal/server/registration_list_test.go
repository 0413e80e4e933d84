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
