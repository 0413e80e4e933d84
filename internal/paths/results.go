package paths

// Results is a campaign's results page (staff and leaders).
func Results(campaignID int64) string { return Campaign(campaignID) + "/results" }

// ResultsGroup is the results page open at one phase and participant group.
func ResultsGroup(campaignID, phaseID, setID int64) string {
	return Results(campaignID) + "?phase=" + id(phaseID) + "&set=" + id(setID)
}

// ResultsAction is where a group's results are proposed, approved or
// returned: action is "propose", "approve" or "return".
func ResultsAction(campaignID, phaseID, setID int64, action string) string {
	return Results(campaignID) + "/" + id(phaseID) + "/" + id(setID) + "/" + action
}

// PublicResults is a campaign's published results.
func PublicResults(campaignID int64) string { return PublicCampaign(campaignID) + "/results" }
