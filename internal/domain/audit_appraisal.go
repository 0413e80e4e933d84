package domain

// Audit actions of the appraisal stage. They are kept in this file, added
// to AuditActions below, so the work on appraisal does not edit the shared
// list.
const (
	AuditAssessmentReceive = "assessment.receive"
	AuditAppraisalSave     = "appraisal.save"
	AuditAppraisalComplete = "appraisal.complete"
)

func init() {
	AuditActions = append(AuditActions, AuditAssessmentReceive, AuditAppraisalSave, AuditAppraisalComplete)
}
