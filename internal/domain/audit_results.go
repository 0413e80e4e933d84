package domain

// Audit actions of a phase's results. They are kept in this file, added to
// AuditActions below, so the work on results does not edit the shared list.
const (
	AuditResultsPropose = "results.propose"
	AuditResultsApprove = "results.approve"
	AuditResultsReturn  = "results.return"
)

func init() {
	AuditActions = append(AuditActions, AuditResultsPropose, AuditResultsApprove, AuditResultsReturn)
}
