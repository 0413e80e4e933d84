package paths

// Nominations is a campaign's nominations of individuals: a focal point's
// own unit's, or every unit's for staff.
func Nominations(campaignID int64) string { return Campaign(campaignID) + "/nominations" }

// Nomination is one nomination: its report form, files and steps.
func Nomination(campaignID, nominationID int64) string {
	return Nominations(campaignID) + "/" + id(nominationID)
}

// NominationAction is an action on a nomination: "submit" (the unit),
// "receive" or "return" (staff).
func NominationAction(campaignID, nominationID int64, action string) string {
	return Nomination(campaignID, nominationID) + "/" + action
}
