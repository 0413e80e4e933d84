package paths

// Councils is the list of councils (staff, leaders, members).
func Councils() string { return "/councils" }

// Council is a council's page: its members and sessions.
func Council(councilID int64) string { return Councils() + "/" + id(councilID) }

// CouncilMembers is where staff add a member to a council.
func CouncilMembers(councilID int64) string { return Council(councilID) + "/members" }

// CouncilMemberEnd is where staff end a membership with a reason.
func CouncilMemberEnd(councilID, memberID int64) string {
	return CouncilMembers(councilID) + "/" + id(memberID) + "/end"
}

// Sessions is where staff create a session of a council.
func Sessions(councilID int64) string { return Council(councilID) + "/sessions" }

// Session is a session's page: nominees, roster, status, tally once closed.
func Session(councilID, sessionID int64) string { return Sessions(councilID) + "/" + id(sessionID) }

// SessionNominees is where staff put nominees to a session.
func SessionNominees(councilID, sessionID int64) string {
	return Session(councilID, sessionID) + "/nominees"
}

// SessionAttendance is where the roster's attendance is set.
func SessionAttendance(councilID, sessionID int64) string {
	return Session(councilID, sessionID) + "/attendance"
}

// SessionOpen opens a session for voting; SessionClose closes and tallies it.
func SessionOpen(councilID, sessionID int64) string  { return Session(councilID, sessionID) + "/open" }
func SessionClose(councilID, sessionID int64) string { return Session(councilID, sessionID) + "/close" }

// Ballot is a voting member's own ballot (GET the form, POST the votes).
func Ballot(councilID, sessionID int64) string { return Session(councilID, sessionID) + "/ballot" }

// WrittenBallot is where the secretary enters an absent member's sealed
// written ballot.
func WrittenBallot(councilID, sessionID int64) string {
	return Session(councilID, sessionID) + "/written"
}

// Minutes is a closed session's minutes (biên bản), printable; MinutesPDF
// the same as a PDF.
func Minutes(councilID, sessionID int64) string    { return Session(councilID, sessionID) + "/minutes" }
func MinutesPDF(councilID, sessionID int64) string { return Minutes(councilID, sessionID) + ".pdf" }

// ShortlistReturn is where a leader returns a shortlist to staff with a
// reason.
func ShortlistReturn(campaignID, phaseID, planID int64) string {
	return Shortlist(campaignID) + "/" + id(phaseID) + "/" + id(planID) + "/return"
}

// VoteRules is where staff add a vote rule (the councils page's section);
// VoteRuleEnd where they end one on a last day.
func VoteRules() string { return Councils() + "/rules" }
func VoteRuleEnd(ruleID int64) string {
	return VoteRules() + "/" + id(ruleID) + "/end"
}
