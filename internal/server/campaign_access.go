package server

import (
	"context"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"thidua/internal/domain"
)

type campaignAccessKey struct{}

// loadCampaign is the one loader of every route under
// /campaigns/{campaignID} (and /public/campaigns/{campaignID}): it reads
// the ID, loads the campaign and the signed-in user's memberships of it
// once, and puts them in the request context (campaignOf, accessOf). A bad
// or missing ID is a 404, exactly as a campaign that does not exist.
// Whether the user may do what the route does is for the policies
// (domain/policy.go), through allow, visible and the handlers.
func (s *Server) loadCampaign(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.ParseInt(chi.URLParam(r, "campaignID"), 10, 64)
		if err != nil || id <= 0 {
			s.fail(w, r, domain.Errorf(domain.ENOTFOUND, "campaign.not_found"))
			return
		}
		var userID int64
		if u := userFrom(r.Context()); u != nil {
			userID = u.ID
		}
		// A route naming a form ({assessmentID}: the form pages, their
		// saves, the appraisal and reply pages) gets it in the same round
		// trip (routeForm); the loader runs once the route is matched, so the
		// parameter is known. One that is not an id names none.
		var formID int64
		if userID != 0 {
			formID, _ = strconv.ParseInt(chi.URLParam(r, "assessmentID"), 10, 64)
			formID = max(formID, 0)
		}
		acc, err := s.db.CampaignAccessWithForm(r.Context(), id, userID, formID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), campaignAccessKey{}, acc)))
	})
}

// accessOf is the campaign of the route and the user's memberships of it,
// as loadCampaign found them. Only routes under the loader call it.
func accessOf(r *http.Request) *domain.CampaignAccess {
	acc, ok := r.Context().Value(campaignAccessKey{}).(*domain.CampaignAccess)
	if !ok {
		panic("accessOf: route is not under loadCampaign")
	}
	return acc
}

// campaignOf is the campaign of the route (see accessOf).
func campaignOf(r *http.Request) *domain.Campaign { return accessOf(r).Campaign }

// routeForm is the form the route names by {assessmentID}, as loadCampaign
// read it with the campaign (only among the campaign's forms): a missing
// form, or another campaign's, is the 404 of a missing form. Whether the
// user may see it is the caller's check.
func routeForm(r *http.Request) (*domain.Assessment, error) {
	acc := accessOf(r)
	if acc.Form == nil {
		return nil, domain.Errorf(domain.ENOTFOUND, "assessment.not_found")
	}
	return acc.Form, nil
}

// allow refuses (403) a campaign route to a user the policy says no to.
func (s *Server) allow(policy func(*domain.User, *domain.CampaignAccess) bool) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !policy(userFrom(r.Context()), accessOf(r)) {
				s.fail(w, r, domain.Errorf(domain.EFORBIDDEN, "error.forbidden"))
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// visible answers a campaign route with the 404 of a missing campaign when
// the policy says the user may not know it exists (a draft, for a focal
// point or a citizen).
func (s *Server) visible(policy func(*domain.User, *domain.CampaignAccess) bool) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !policy(userFrom(r.Context()), accessOf(r)) {
				s.fail(w, r, domain.Errorf(domain.ENOTFOUND, "campaign.not_found"))
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}
