package web

import "thidua/internal/paths"

// campaignBack is the campaign page a reader of a campaign's inner page
// may open: the campaign itself for staff, the unit's registration for it
// (its campaign page, as the focal point's home links it) otherwise.
func campaignBack(campaignID int64, staff bool) string {
	if staff {
		return paths.Campaign(campaignID)
	}
	return paths.Registrations(campaignID)
}
