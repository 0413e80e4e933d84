package domain

// Audit actions of the achievement history and the pending flags, kept in
// this file and added to AuditActions below, so the shared list is not
// edited.
const (
	AuditFlagSet           = "flag.set"
	AuditFlagLift          = "flag.lift"
	AuditAchievementImport = "achievement.import"
)

func init() {
	AuditActions = append(AuditActions, AuditFlagSet, AuditFlagLift, AuditAchievementImport)
}
