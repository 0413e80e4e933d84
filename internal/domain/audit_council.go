package domain

// Audit actions of the council and the decisions (issue 12). A ballot's
// entries name who voted (or whose written ballot the secretary entered)
// and the session, never a choice.
const (
	AuditCouncilCreate    = "council.create"
	AuditCouncilMemberAdd = "council.member_add"
	AuditCouncilMemberEnd = "council.member_end"
	AuditSessionCreate    = "session.create"
	AuditSessionNominees  = "session.nominees"
	AuditSessionAttend    = "session.attendance"
	AuditSessionOpen      = "session.open"
	AuditSessionClose     = "session.close"
	AuditBallotCast       = "ballot.cast"
	AuditBallotWritten    = "ballot.written"
	AuditDecisionDraft    = "decision.draft"
	AuditDecisionUpdate   = "decision.update"
	AuditDecisionSign     = "decision.sign"
	AuditDecisionRevoke   = "decision.revoke"
	AuditShortlistReturn  = "shortlist.return"
)

func init() {
	AuditActions = append(AuditActions, AuditCouncilCreate, AuditCouncilMemberAdd, AuditCouncilMemberEnd,
		AuditSessionCreate, AuditSessionNominees, AuditSessionAttend, AuditSessionOpen, AuditSessionClose,
		AuditBallotCast, AuditBallotWritten, AuditDecisionDraft, AuditDecisionUpdate, AuditDecisionSign,
		AuditDecisionRevoke, AuditShortlistReturn)
}
