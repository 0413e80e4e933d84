package paths

// The appraisal team: staff's team page and its forms, and an appraiser's
// recusal form (their list of participants is the appraisal list).

// AppraisalTeam is the staff page of a campaign's appraisal team.
func AppraisalTeam(campaignID int64) string { return Campaign(campaignID) + "/appraisal/team" }

// AppraisalTeamPhase is the team page for one phase.
func AppraisalTeamPhase(campaignID, phaseID int64) string {
	return AppraisalTeam(campaignID) + "?phase=" + id(phaseID)
}

// AppraisalTeamMembers adds a member (POST).
func AppraisalTeamMembers(campaignID int64) string { return AppraisalTeam(campaignID) + "/members" }

// AppraisalTeamMemberRemove takes a member off the team (POST).
func AppraisalTeamMemberRemove(campaignID, memberID int64) string {
	return AppraisalTeamMembers(campaignID) + "/" + id(memberID) + "/remove"
}

// AppraisalTeamAssign assigns an appraiser (POST).
func AppraisalTeamAssign(campaignID int64) string { return AppraisalTeam(campaignID) + "/assign" }

// Recuse is the recusal form of one assigned participant.
func Recuse(campaignID, assessmentID int64) string {
	return Campaign(campaignID) + "/appraisal/" + id(assessmentID) + "/recuse"
}
