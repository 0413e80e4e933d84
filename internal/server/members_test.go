package server

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"thidua/internal/domain"
)

// TestCampaignLoaderNotFound: every route under /campaigns/{campaignID} and
// /public/campaigns/{campaignID} goes through the one loader, which answers
// a bad or missing campaign ID with the 404 of a missing campaign, before
// any policy or handler, for every signed-in role; anonymous visitors are
// still sent to sign in first on the working routes.
func TestCampaignLoaderNotFound(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	target := objects(t, a)
	anon := a.client()
	var clients []*client
	for _, role := range roles {
		c, _ := a.loggedIn(role)
		clients = append(clients, c)
	}
	n := 0
	for _, r := range routesOf(t, a) {
		public := strings.HasPrefix(r.pattern, "/public/campaigns/{campaignID}")
		if !public && !strings.HasPrefix(r.pattern, "/campaigns/{campaignID}") {
			continue
		}
		for _, bad := range []string{"abc", "0", "-1", "99999999999999999999", "987654321", "1.5"} {
			path := strings.Replace(r.path(target), "/campaigns/"+strconv.FormatInt(target.campaign, 10), "/campaigns/"+bad, 1)
			send := func(c *client) *http.Response {
				if r.method == http.MethodGet {
					return c.get(path)
				}
				return c.post(path, url.Values{"version": {"1"}})
			}
			for i, c := range clients {
				resp := send(c)
				if resp.StatusCode != http.StatusNotFound || !strings.Contains(bodyOf(resp), "Không tìm thấy phong trào") {
					t.Errorf("%s %s as %s: %d, want the 404 of a missing campaign", r.method, path, roles[i], resp.StatusCode)
				}
			}
			resp := send(anon)
			switch {
			case public && resp.StatusCode != http.StatusNotFound:
				t.Errorf("%s %s anonymous: %d, want 404", r.method, path, resp.StatusCode)
			case !public && (resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login")):
				t.Errorf("%s %s anonymous: %d, want the sign-in page", r.method, path, resp.StatusCode)
			}
			n++
		}
	}
	if n < 40*6 {
		t.Fatalf("only %d campaign routes × IDs tried: the walk found too few", n)
	}
}

// TestMembershipShowsDraftToMember: the loader reads the user's
// memberships, and the policy counts them: a focal point does not see a
// draft campaign's pages, until staff put them on its appraisal team.
func TestMembershipShowsDraftToMember(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	target := objects(t, a) // a draft campaign
	fp, u := a.loggedIn(domain.RoleFocalPoint)
	path := "/campaigns/" + strconv.FormatInt(target.campaign, 10) + "/assessments"
	wantStatus(t, fp.get(path), http.StatusNotFound)
	staff := a.user(domain.RoleStaff)
	ctx := domain.WithActor(t.Context(), domain.Actor{UserID: staff.ID})
	id, err := a.db.AddMember(ctx, target.campaign, nil, u.ID, domain.MemberAppraiser)
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, fp.get(path), http.StatusOK)
	if err := a.db.RemoveMember(ctx, target.campaign, id); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, fp.get(path), http.StatusNotFound)
}

// TestAppraiserSeesOnlyAssigned is acceptance 2 through the pages: staff
// put a focal point of Sở Tư pháp on the team and assign it; its own unit's
// form is refused with the reason in Vietnamese, another unit's is
// assigned. The appraiser's list shows only that one; opening the recusal
// page of a form not assigned (its own unit's, another campaign's ID, a bad
// ID) is a 404; the recusal is recorded with its reason; someone off the
// team gets 403.
func TestAppraiserSeesOnlyAssigned(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	target := objects(t, a)
	ctx := t.Context()
	other, err := a.db.UnitByCode(ctx, "TEST-SYT", domain.Day(2025, 1, 1))
	if err != nil {
		t.Fatal(err)
	}
	phase, err := a.db.SavePhase(ctx, &domain.Phase{CampaignID: target.campaign, Name: "Đợt 1", Start: domain.Day(2025, 1, 1), End: domain.Day(2025, 6, 30),
		ReviewKind: domain.ReviewInterim})
	if err != nil {
		t.Fatal(err)
	}
	form := func(unit int64) int64 {
		var id int64
		if err := a.db.Pool.QueryRow(ctx, `INSERT INTO assessments (campaign_id, set_id, phase_id, unit_id) VALUES ($1, $2, $3, $4) RETURNING id`,
			target.campaign, target.set, phase, unit).Scan(&id); err != nil {
			t.Fatal(err)
		}
		return id
	}
	own, foreign := form(a.unit), form(other.ID)
	staff, _ := a.loggedIn(domain.RoleStaff)
	appraiser, u := a.loggedIn(domain.RoleFocalPoint) // of a.unit, Sở Tư pháp
	base := "/campaigns/" + strconv.FormatInt(target.campaign, 10) + "/appraisal"
	ph := strconv.FormatInt(phase, 10)

	wantStatus(t, appraiser.get(base), http.StatusForbidden) // not on the team yet
	wantStatus(t, staff.post(base+"/team/members", url.Values{"user_id": {strconv.FormatInt(u.ID, 10)}, "phase_id": {ph}, "phase_scope": {"phase"}}),
		http.StatusSeeOther)
	resp := staff.post(base+"/team/assign", url.Values{"phase_id": {ph}, "appraiser_id": {strconv.FormatInt(u.ID, 10)}, "assessment_id": {strconv.FormatInt(own, 10)}})
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	if text := htmlOf(t, resp).Find("ul.refused").Text(); !strings.Contains(text, "Xung đột lợi ích") || !strings.Contains(text, "Sở Tư pháp") {
		t.Errorf("refusal without its reason: %q", text)
	}
	resp = staff.post(base+"/team/assign", url.Values{"phase_id": {ph}, "appraiser_id": {strconv.FormatInt(u.ID, 10)}, "unit_id": {strconv.FormatInt(other.ID, 10)}})
	wantStatus(t, resp, http.StatusOK)
	doc := htmlOf(t, staff.get(base+"/team?phase="+ph))
	if got := doc.Find("#p-" + strconv.FormatInt(foreign, 10) + " .appraiser").Text(); got != u.FullName {
		t.Errorf("team page: the other unit's form lists %q", got)
	}
	if doc.Find("#p-"+strconv.FormatInt(own, 10)+" .appraiser").Length() != 0 {
		t.Error("team page: the refused form lists an appraiser")
	}

	list := htmlOf(t, appraiser.get(base)).Find("table.appraisal-list tbody tr")
	if list.Length() != 1 || !strings.Contains(list.Text(), "Sở Y tế") {
		t.Errorf("the appraiser's list: %q", list.Text())
	}
	recuse := base + "/" + strconv.FormatInt(foreign, 10) + "/recuse"
	if list.Find(`a[href="`+recuse+`"]`).Length() != 1 {
		t.Error("the appraiser's list offers no recusal")
	}
	for _, id := range []string{strconv.FormatInt(own, 10), "987654", "abc", "0"} {
		wantStatus(t, appraiser.get(base+"/"+id+"/recuse"), http.StatusNotFound)
		wantStatus(t, appraiser.post(base+"/"+id+"/recuse", url.Values{"reason": {"x"}}), http.StatusNotFound)
	}
	// The self-assessment form of the unit assigned is not theirs to open.
	wantStatus(t, appraiser.get("/campaigns/"+strconv.FormatInt(target.campaign, 10)+"/assessments/"+strconv.FormatInt(foreign, 10)), http.StatusNotFound)
	outsider, _ := a.loggedIn(domain.RoleLeader)
	wantStatus(t, outsider.get(base), http.StatusForbidden)
	wantStatus(t, outsider.post(recuse, url.Values{"reason": {"x"}}), http.StatusForbidden)

	wantStatus(t, appraiser.get(recuse), http.StatusOK)
	resp = appraiser.post(recuse, url.Values{"reason": {" "}})
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	if !strings.Contains(htmlOf(t, resp).Find(".error-summary").Text(), "Nhập lý do") {
		t.Error("a recusal without a reason is not explained")
	}
	resp = appraiser.post(recuse, url.Values{"reason": {"Vợ tôi công tác tại Sở Y tế"}})
	wantStatus(t, resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); loc != base {
		t.Errorf("after the recusal: %s, want the appraisal list", loc)
	}
	var reason string
	if err := a.db.Pool.QueryRow(ctx, `SELECT recusal_reason FROM appraisal_assignments WHERE assessment_id = $1 AND recused_at IS NOT NULL`, foreign).
		Scan(&reason); err != nil || reason != "Vợ tôi công tác tại Sở Y tế" {
		t.Errorf("recusal: %q, %v", reason, err)
	}
	wantStatus(t, appraiser.get(recuse), http.StatusNotFound)
	if text := htmlOf(t, staff.get(base+"/team?phase="+ph)).Find("#p-" + strconv.FormatInt(foreign, 10) + " .recused").Text(); !strings.Contains(text, "Vợ tôi công tác tại Sở Y tế") {
		t.Errorf("team page: recusal %q", text)
	}
}
