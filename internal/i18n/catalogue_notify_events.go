package i18n

// notifyEventMessages holds the notifications of each event: what happened, in a line (issue 13, part "events").
// The arguments are written by the store in the event's transaction (internal/postgres/notify_events.go).
var notifyEventMessages = map[string]message{
	// Campaign title.
	"notify.campaign_announced": {"Phong trào “%s” đã được phát động. Mời đơn vị đăng ký thi đua.",
		"The campaign “%s” is announced. Your unit may register."},
	// Unit, campaign title; a rejection's reason is the detail.
	"notify.registration_decided.approved": {"Đăng ký thi đua của %s trong phong trào “%s” đã được duyệt.",
		"The registration of %s in the campaign “%s” is approved."},
	"notify.registration_decided.rejected": {"Đăng ký thi đua của %s trong phong trào “%s” không được duyệt. Lý do:",
		"The registration of %s in the campaign “%s” is rejected. Reason:"},
	// Phase, unit, campaign title, number of criteria (and the day to resubmit by); the reasons are the detail.
	"notify.form_returned": {"Hồ sơ tự chấm điểm %s của %s (phong trào “%s”) bị trả lại để bổ sung %s tiêu chí:",
		"The self-assessment of %[2]s for %[1]s (campaign “%[3]s”) is returned for revision; criteria to revise: %[4]s:"},
	"notify.form_returned.until": {"Hồ sơ tự chấm điểm %s của %s (phong trào “%s”) bị trả lại để bổ sung %s tiêu chí, nộp lại trước hết ngày %s:",
		"The self-assessment of %[2]s for %[1]s (campaign “%[3]s”) is returned for revision; criteria to revise: %[4]s; resubmit by the end of %[5]s:"},
	// Phase, unit, campaign title, new deadline; the reason is the detail.
	"notify.extension_granted": {"Hồ sơ tự chấm điểm %s của %s (phong trào “%s”) được gia hạn nộp đến hết ngày %s. Lý do:",
		"The self-assessment of %[2]s for %[1]s (campaign “%[3]s”) may be submitted until the end of %[4]s. Reason:"},
	// Criterion code, campaign title, phase, unit, old and new converted total; the amendment's reason is the detail.
	"notify.total_amended": {"Sửa đổi tiêu chí %s của phong trào “%s” làm thay đổi tổng điểm đã nộp của hồ sơ tự chấm điểm %s của %s: từ %s thành %s điểm. Lý do sửa đổi:",
		"An amendment of criterion %s of the campaign “%s” changes the submitted total of %[4]s for %[3]s: from %[5]s to %[6]s points. Reason for the amendment:"},
	// Phase, unit, campaign title, last day of the reply window.
	"notify.appraisal_completed": {"Hồ sơ tự chấm điểm %s của %s (phong trào “%s”) đã thẩm định xong. Đơn vị có thể giải trình, bổ sung đến hết ngày %s.",
		"The appraisal of the self-assessment of %[2]s for %[1]s (campaign “%[3]s”) is complete. Your unit may reply until the end of %[4]s."},
	// Phase, criteria set, campaign title.
	"notify.results_published": {"Kết quả %s (%s) của phong trào “%s” đã được công bố.",
		"The results of %s (%s) of the campaign “%s” are published."},
	// Person, award, campaign title; the reason is the detail.
	"notify.nomination_returned": {"Hồ sơ đề nghị %[2]s cho %[1]s (phong trào “%[3]s”) bị trả lại. Lý do:",
		"The nomination of %s for %s (campaign “%s”) is returned. Reason:"},
	// Council, day of the session, campaign title.
	"notify.session_opened": {"Phiên họp %s ngày %s (phong trào “%s”) đã mở bỏ phiếu. Mời thành viên bỏ phiếu.",
		"The session of %s on %s (campaign “%s”) is open for the ballot. Please cast your vote."},
	// Decision title.
	"notify.decision_to_sign": {"Dự thảo quyết định “%s” đang chờ lãnh đạo ký.",
		"The draft decision “%s” waits for a leader's signature."},
	"notify.decision_to_sign.revocation": {"Dự thảo quyết định thu hồi “%s” đang chờ lãnh đạo ký.",
		"The draft revocation “%s” waits for a leader's signature."},
	// Number, title, day of signing.
	"notify.decision_signed": {"Quyết định số %s “%s” đã được ký ngày %s.",
		"Decision No. %s “%s” was signed on %s."},
	"notify.decision_signed.revocation": {"Quyết định thu hồi số %s “%s” đã được ký ngày %s.",
		"Revocation No. %s “%s” was signed on %s."},
}
