package domain

// Audit actions of the appraisal team: assignments and recusals. Kept in
// this file, added to AuditActions below, so the shared list is not edited.
const (
	AuditAppraisalAssign = "appraisal.assign"
	AuditAppraisalRecuse = "appraisal.recuse"
)

func init() {
	AuditActions = append(AuditActions, AuditAppraisalAssign, AuditAppraisalRecuse)
}
