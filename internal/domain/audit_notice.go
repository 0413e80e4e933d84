package domain

// Audit actions of the public notice (issue 11): kept in this file and added
// to AuditActions below, so the shared list is not edited.
const (
	AuditNoticePublish  = "notice.publish"
	AuditObjectionAdd   = "objection.add"
	AuditObjectionReply = "objection.answer"
	AuditCouncilSend    = "shortlist.council"
)

func init() {
	AuditActions = append(AuditActions, AuditNoticePublish, AuditObjectionAdd, AuditObjectionReply, AuditCouncilSend)
}
