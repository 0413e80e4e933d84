package paths

// Shortlist is a campaign's shortlist page (staff edit, leaders read).
func Shortlist(campaignID int64) string { return Campaign(campaignID) + "/shortlist" }

// ShortlistOf is the shortlist page open at one phase and award plan.
func ShortlistOf(campaignID, phaseID, planID int64) string {
	return Shortlist(campaignID) + "?phase=" + id(phaseID) + "&plan=" + id(planID)
}

// ShortlistPropose is where the shortlist of a phase and plan is proposed.
func ShortlistPropose(campaignID, phaseID, planID int64) string {
	return Shortlist(campaignID) + "/" + id(phaseID) + "/" + id(planID) + "/propose"
}

// ShortlistEntry is where staff add ("add") or remove ("remove") one
// candidate of a shortlist.
func ShortlistEntry(campaignID, phaseID, planID, entryID int64, action string) string {
	return Shortlist(campaignID) + "/" + id(phaseID) + "/" + id(planID) + "/entries/" + id(entryID) + "/" + action
}

// AwardRules is where a rule is added to an award plan.
func AwardRules(campaignID int64) string { return Awards(campaignID) + "/rules" }

// AwardRuleRemove is where a rule of an award plan is removed.
func AwardRuleRemove(campaignID, ruleID int64) string {
	return AwardRules(campaignID) + "/" + id(ruleID) + "/remove"
}

// AwardQuotas is where the quota of an award plan's group is set.
func AwardQuotas(campaignID int64) string { return Awards(campaignID) + "/quotas" }
