package paths

// Appraisal is the list of forms an appraiser (or staff) checks.
func Appraisal(campaignID int64) string { return Campaign(campaignID) + "/appraisal" }

// AppraisalForm is the appraisal form of one participant.
func AppraisalForm(campaignID, assessmentID int64) string {
	return Appraisal(campaignID) + "/" + id(assessmentID)
}

// AppraisalHistory is a form's whole history, from its appraisal form.
func AppraisalHistory(campaignID, assessmentID int64) string {
	return AppraisalForm(campaignID, assessmentID) + "/history"
}
