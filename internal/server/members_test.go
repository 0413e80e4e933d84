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
